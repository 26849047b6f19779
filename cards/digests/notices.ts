// Digest notices to officers: the committee is told when a chat stopped receiving digests because Feishu refused
// the bot there, and officers can list every chat's subscriptions. Chat names are user text: always escaped.
import { KIND_LABEL, type DigestKind } from '../../src/digests/periods.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { card, fitCard, halving, md, note, type Card } from '../kit.js'

function chatLabel(chatName: string | undefined | null, chatId: string): string {
  return chatName ? `「${escapeMarkdown(truncate(chatName, 40))}」（${escapeMarkdown(chatId)}）` : escapeMarkdown(chatId)
}

/** The bot can no longer post to a subscribed chat (removed, chat dissolved…): its subscriptions were stopped. */
export function buildChatGoneCard(opts: { chatId: string; chatName?: string; kinds: DigestKind[]; code: number }): Card {
  const kinds = opts.kinds.map((k) => KIND_LABEL[k]).join('、')
  return card({
    title: '定期推送已停止',
    template: 'orange',
    summary: `一个群的${kinds}订阅已停止`,
    elements: [
      md(`机器人已无法在群 ${chatLabel(opts.chatName, opts.chatId)} 发言（飞书错误码 ${opts.code}，通常是机器人被移出群或群已解散），该群的${kinds}订阅已停止。`),
      note('如需恢复：把机器人重新拉进该群后，由工会干部在群里 @我 发送「订阅周报」或「订阅日报」。'),
    ],
  })
}

export interface SubscriptionLine {
  chatId: string
  chatName: string | null
  kind: DigestKind
  createdAt: Date
  committee: boolean
}

/** Every active subscription (officers, in private chat), as many as fit Feishu's 30 KB; the rest are counted. */
export function buildSubscriptionsCard(lines: SubscriptionLine[], timeZone: string, total: number): Card {
  const body = lines.map(
    (l) => `- ${chatLabel(l.chatName, l.chatId)}：${KIND_LABEL[l.kind]}（${l.committee ? '委员会版' : '公开版'}），${formatDateTime(l.createdAt, timeZone)} 起`,
  )
  const build = (shown: number) =>
    card({
      title: '周报 / 日报订阅',
      template: 'blue',
      summary: `共 ${total} 个订阅`,
      elements: [
        ...(shown > 0 ? [md(body.slice(0, shown).join('\n'))] : lines.length ? [] : [md('目前没有群订阅周报或日报。')]),
        ...(total > shown && total > 0 ? [md(`……另有 ${total - shown} 个订阅`)] : []),
        note('周报每周一 09:00、日报每个工作日 09:00 推送（节假日和周末不发日报，调休上班日照常）。在群里 @我 发送「订阅列表」可查看该群的订阅。'),
      ],
    })
  // Long group names (escaped, they can be five times their length) may not let all of them fit.
  return fitCard(halving(lines.length), build)
}
