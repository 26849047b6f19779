// Officers subscribe a group to the weekly or daily digest by @-mentioning the bot there (订阅周报 / 订阅日报),
// stop it (取消订阅) and see what a chat receives (订阅列表; in private chat: every chat's subscriptions).
import { buildSubscriptionsCard } from '../../cards/digests/notices.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { DigestSubscriptionKind } from '../../src/digests/tables.js'
import { audienceOf } from '../../src/digests/model.js'
import { DIGEST_KINDS, KIND_LABEL, SEND_TIME, nextDue } from '../../src/digests/periods.js'
import { UserFacingError } from '../../src/errors.js'
import { activeSubscriptions, chatSubscriptions, subscribe, unsubscribe } from '../../src/digests/store.js'
import { formatDateTime } from '../../src/time.js'

export const SECTION = '周报与日报（工会干部）'
const DENIED = '抱歉，只有工会干部可以订阅、取消或查看周报和日报的推送。'

const SCHEDULE: Record<DigestSubscriptionKind, string> = {
  weekly: `每周一 ${SEND_TIME} 推送上一周（周一至周日）的统计`,
  daily: `每个工作日 ${SEND_TIME} 推送自上一个工作日以来的统计（节假日和周末不发，调休上班日照常）`,
}

function requireGroup(ctx: MessageContext, word: string): void {
  if (!ctx.isGroup || !ctx.chatId) throw new UserFacingError('INVALID_INPUT', `请在要接收推送的群里 @我 发送「${word}」。`)
}

async function versionOf(ctx: MessageContext): Promise<string> {
  return audienceOf(ctx.chatId, await ctx.committeeChatId()) === 'committee' ? '委员会版（含超期与待受理明细）' : '公开版（只含统计数字，不含姓名和诉求内容）'
}

async function subscribeChat(ctx: MessageContext, kind: DigestSubscriptionKind): Promise<void> {
  requireGroup(ctx, `订阅${KIND_LABEL[kind]}`)
  const outcome = await subscribe(ctx.db, { chatId: ctx.chatId, kind, by: ctx.actorOpenId, at: ctx.now() })
  const tz = ctx.config.digest.timezone
  const first = nextDue(kind, ctx.now(), tz, (d) => ctx.services.calendar.isWorkday(d))
  const next = first ? `${outcome === 'exists' ? '下次' : '首次'}推送：${formatDateTime(first, tz)}（${tz}）。` : ''
  if (outcome === 'exists') return void (await ctx.reply({ text: `本群已订阅工会${KIND_LABEL[kind]}，${SCHEDULE[kind]}。${next}` }))
  await ctx.audit({ action: 'digest.subscribe', subjectType: 'chat', subjectId: ctx.chatId, detail: { kind } })
  ctx.log.info({ eventId: ctx.eventId, chatId: ctx.chatId, kind }, 'digest subscribed')
  await ctx.reply({ text: `已为本群订阅工会${KIND_LABEL[kind]}：${SCHEDULE[kind]}，本群收到${await versionOf(ctx)}。${next}没有新内容的一期不发到本群。发送「取消订阅」可停止。` })
}

/** 取消订阅 [周报|日报]: without a word, every subscription of the chat. */
function kindsFrom(args: string): DigestSubscriptionKind[] | undefined {
  const a = args.replace(/\s+/g, '')
  if (a === '') return [...DIGEST_KINDS]
  if (['周报', 'weekly', '订阅周报'].includes(a)) return ['weekly']
  if (['日报', 'daily', '订阅日报'].includes(a)) return ['daily']
  if (['全部', 'all'].includes(a)) return [...DIGEST_KINDS]
  return undefined
}

async function unsubscribeChat(ctx: MessageContext): Promise<void> {
  requireGroup(ctx, '取消订阅')
  const kinds = kindsFrom(ctx.args)
  if (!kinds) throw new UserFacingError('INVALID_INPUT', '请发送「取消订阅」（全部）、「取消订阅 周报」或「取消订阅 日报」。')
  const stopped = await unsubscribe(ctx.db, { chatId: ctx.chatId, kinds, by: ctx.actorOpenId, at: ctx.now() })
  if (stopped.length === 0) return void (await ctx.reply({ text: `本群没有订阅${kinds.length === 1 ? `工会${KIND_LABEL[kinds[0]!]}` : '周报或日报'}，无需取消。` }))
  await ctx.audit({ action: 'digest.unsubscribe', subjectType: 'chat', subjectId: ctx.chatId, detail: { kinds: stopped } })
  ctx.log.info({ eventId: ctx.eventId, chatId: ctx.chatId, kinds: stopped }, 'digest unsubscribed')
  await ctx.reply({ text: `已取消本群的工会${stopped.map((k) => KIND_LABEL[k]).join('和')}订阅，不再推送。` })
}

async function listForChat(ctx: MessageContext): Promise<void> {
  if (!ctx.isGroup) {
    const all = await activeSubscriptions(ctx.db, 101)
    const committee = await ctx.committeeChatId()
    const lines = all.slice(0, 100).map((s) => ({ chatId: s.chatId, chatName: s.chatName, kind: s.kind, createdAt: s.createdAt, committee: audienceOf(s.chatId, committee) === 'committee' }))
    return void (await ctx.reply({ card: buildSubscriptionsCard(lines, ctx.config.digest.timezone, all.length) }))
  }
  const subs = await chatSubscriptions(ctx.db, ctx.chatId)
  const tz = ctx.config.digest.timezone
  const lines = DIGEST_KINDS.map((kind) => {
    const s = subs.find((x) => x.kind === kind)
    if (s?.active) return `${KIND_LABEL[kind]}：已订阅（${formatDateTime(s.createdAt, tz)} 起），${SCHEDULE[kind]}`
    if (s?.disabledReason === 'recipient_gone') return `${KIND_LABEL[kind]}：已停止（${formatDateTime(s.disabledAt!, tz)} 机器人无法在本群发言）`
    if (s) return `${KIND_LABEL[kind]}：已取消（${formatDateTime(s.disabledAt!, tz)}）`
    return `${KIND_LABEL[kind]}：未订阅`
  })
  const any = subs.some((s) => s.active)
  await ctx.reply({ text: `本群的推送订阅（${await versionOf(ctx)}）：\n${lines.join('\n')}${any ? '' : '\n在群里 @我 发送「订阅周报」或「订阅日报」即可订阅。'}` })
}

export function registerDigestSubscriptions(router: BotRouter): void {
  router.command({
    words: ['订阅周报', 'subscribe weekly'],
    help: { section: SECTION, usage: '订阅周报', description: '在群里 @我：本群每周一 09:00 收到工会周报' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => subscribeChat(ctx, 'weekly'),
  })
  router.command({
    words: ['订阅日报', 'subscribe daily'],
    help: { section: SECTION, usage: '订阅日报', description: '在群里 @我：本群每个工作日 09:00 收到工会日报' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => subscribeChat(ctx, 'daily'),
  })
  router.command({
    words: ['取消订阅', 'unsubscribe'],
    help: { section: SECTION, usage: '取消订阅 [周报|日报]', description: '停止本群的推送（不写则全部停止）' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: unsubscribeChat,
  })
  router.command({
    words: ['订阅列表', 'subscriptions'],
    help: { section: SECTION, usage: '订阅列表', description: '本群订阅了什么；私聊发送则列出所有群的订阅' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: listForChat,
  })
}
