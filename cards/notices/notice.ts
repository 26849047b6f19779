// The 厂务公开 notice card (a live card: posted to groups or to each member, patched when it is read, corrected,
// answered or withdrawn), the card a replaced copy shows, the 公开栏 list and the read reminder. The title and body
// are an officer's (body: formatting-only markdown, cards/escape.ts officerMarkdown); summaries and replies are
// shown escaped. A correction shows what changed; a withdrawal says so — never a silent edit.
import { escapeMarkdown, officerMarkdown, officerPlainLine, truncate } from '../escape.js'
import { button, buttonRow, card, fitCard, hr, md, note, type Card, type CardElement } from '../kit.js'
import { NOTICE_OPINION, NOTICE_READ } from '../../src/notices/actions.js'
import { opinionsOpen, type NoticeView } from '../../src/notices/model.js'
import { formatDateTime, localDate } from '../../src/time.js'

interface Level {
  body: number
  replies: number
  reply: number
  changes: number
}
const LEVELS: readonly Level[] = [
  { body: 3000, replies: 10, reply: 2000, changes: 30 },
  { body: 3000, replies: 5, reply: 500, changes: 15 },
  { body: 1500, replies: 3, reply: 200, changes: 8 },
  { body: 600, replies: 1, reply: 100, changes: 3 },
]

function statusTag(v: NoticeView): { text: string; color: string } {
  if (v.status === 'withdrawn') return { text: '已撤回', color: 'red' }
  if (v.revision > 1) return { text: `已更正 · 第 ${v.revision} 版`, color: 'orange' }
  return { text: '公开中', color: 'green' }
}

function titleBlock(v: Pick<NoticeView, 'title'>): CardElement {
  return md(`**${escapeMarkdown(truncate(v.title, 60))}**`, { size: 'heading' })
}

export function buildNoticeCard(v: NoticeView, timeZone: string, now: Date): Card {
  return fitCard(LEVELS, (level) => noticeCard(v, timeZone, now, level))
}

function noticeCard(v: NoticeView, timeZone: string, now: Date, level: Level): Card {
  const elements: CardElement[] = []
  if (v.status === 'withdrawn') {
    const reason = v.withdrawReason ? `原因：${escapeMarkdown(truncate(v.withdrawReason, 200))}` : ''
    elements.push(md(`<font color='red'>**本公开已于 ${formatDateTime(v.withdrawnAt ?? now, timeZone)} 撤回。**</font>${reason ? `\n${reason}` : ''}`))
  }
  elements.push(titleBlock(v))
  elements.push(md(`**类别：**${escapeMarkdown(v.category)}　**发布：**${formatDateTime(v.publishedAt, timeZone)}`))
  if (v.correction) {
    const lines = v.correction.changes.slice(0, level.changes).map((c) => `${c.kind === 'added' ? "<font color='green'>＋</font>" : "<font color='red'>－</font>"} ${officerPlainLine(truncate(c.text, 200))}`)
    const more = v.correction.changes.length - lines.length
    elements.push(
      md(
        `<font color='orange'>**第 ${v.revision} 版：已于 ${formatDateTime(v.correction.at, timeZone)} 更正**</font>` +
          (v.correction.note ? `\n更正说明：${escapeMarkdown(truncate(v.correction.note, 200))}` : '') +
          (lines.length ? `\n${lines.join('\n')}` : '') +
          (more > 0 ? `\n……另有 ${more} 处改动` : ''),
      ),
    )
  }
  elements.push(hr())
  const body = truncate(v.body, level.body)
  elements.push(md(officerMarkdown(body)))
  if (body !== v.body) elements.push(note('正文较长，此处只显示开头部分。'))
  elements.push(hr())
  const facts: string[] = []
  if (v.confirmReading) facts.push(`**阅读确认：**已确认 ${v.readCount} 人`)
  if (v.opinionsUntil) facts.push(opinionsOpen(v, now) ? `**意见征集：**${formatDateTime(v.opinionsUntil, timeZone)} 截止，可匿名` : `**意见征集：**已于 ${formatDateTime(v.opinionsUntil, timeZone)} 截止`)
  if (facts.length) elements.push(md(facts.join('\n')))
  if (v.replies.length) {
    const shown = v.replies.slice(-level.replies)
    const parts = shown.map((r) => {
      // No opinion serial: it means nothing to a worker (QA F13).
      const head = `**${escapeMarkdown(truncate(r.department, 30))}答复（${localDate(r.repliedAt, timeZone)}）**`
      const summary = r.summary ? `\n意见摘要：${escapeMarkdown(truncate(r.summary, 300))}` : ''
      return `${head}${summary}\n${escapeMarkdown(truncate(r.reply, level.reply))}`
    })
    elements.push(md(`**对职工意见的答复**\n${parts.join('\n\n')}`))
    if (shown.length < v.replies.length) elements.push(note(`共 ${v.replies.length} 条答复，此处显示最近 ${shown.length} 条。`))
  }
  if (v.status === 'published') {
    const buttons: CardElement[] = []
    if (v.confirmReading) buttons.push(button({ text: '已阅', action: NOTICE_READ.name, value: NOTICE_READ.value({ id: v.id }), type: 'primary_filled' }))
    if (opinionsOpen(v, now)) buttons.push(button({ text: '提意见', action: NOTICE_OPINION.name, value: NOTICE_OPINION.value({ id: v.id }) }))
    if (buttons.length) elements.push(buttonRow(buttons))
  }
  elements.push(note(`公开编号 ${v.number} · 发送「公开栏」查看全部公开${v.status === 'published' && opinionsOpen(v, now) ? `，私聊我发送「提意见 ${v.number}」也可提意见（可匿名）` : ''}`))
  return card({
    title: `厂务公开 · ${v.number}`,
    template: v.status === 'withdrawn' ? 'grey' : v.revision > 1 ? 'orange' : 'blue',
    summary: `厂务公开 ${v.number}`,
    tags: [{ text: v.category, color: 'blue' }, statusTag(v)],
    elements,
  })
}

/** What a copy shows once a newer copy replaced it in the same chat (or for the same person). */
export function buildNoticeReplacedCard(v: Pick<NoticeView, 'number'>): Card {
  return card({
    title: `厂务公开 · ${v.number}`,
    template: 'grey',
    summary: `厂务公开 ${v.number}`,
    tags: [{ text: '已更新', color: 'neutral' }],
    elements: [md('此卡片已更新，请查看最新卡片。'), note(`也可发送「公开栏 ${v.number}」再次获取。`)],
  })
}

export interface NoticeListItem {
  number: string
  title: string
  category: string
  publishedAt: Date
  revision: number
  status: NoticeView['status']
  opinionsOpen: boolean
}

/** 公开栏 [类别]: the published notices, newest first. */
export function buildNoticeListCard(items: NoticeListItem[], opts: { category: string | undefined; more: boolean; categories: readonly string[] }, timeZone: string): Card {
  return fitCard([items.length, 20, 10], (n) => {
    const lines = items.slice(0, n).map((i) => {
      const marks = [i.revision > 1 ? `已更正·第${i.revision}版` : '', i.status === 'withdrawn' ? '已撤回' : '', i.opinionsOpen ? '征集意见中' : ''].filter(Boolean).join('，')
      return `**${i.number}**　${escapeMarkdown(truncate(i.title, 40))}\n<font color='grey'>${escapeMarkdown(i.category)} · ${localDate(i.publishedAt, timeZone)}${marks ? ` · ${marks}` : ''}</font>`
    })
    const elements: CardElement[] = [md(lines.length ? lines.join('\n\n') : opts.category ? `「${escapeMarkdown(opts.category)}」类暂无公开内容。` : '暂无公开内容。')]
    if (opts.more || n < items.length) elements.push(note('只显示最近的公开；发送「公开栏 类别」按类别查看。'))
    elements.push(hr())
    elements.push(note(`发送「公开栏 N-001」查看某一项的全文。类别：${opts.categories.join(' / ')}`))
    return card({ title: opts.category ? `厂务公开栏 · ${opts.category}` : '厂务公开栏', template: 'blue', summary: '厂务公开栏', elements })
  })
}

/** The one reminder to those who have not confirmed reading after the working days set (NOTICE_READ_REMINDER_WORKDAYS). */
export function buildReadReminderCard(v: Pick<NoticeView, 'number' | 'title' | 'id'>, workdays: number): Card {
  return card({
    title: `请确认阅读 · ${v.number}`,
    template: 'orange',
    summary: `请确认阅读 ${v.number}`,
    elements: [
      md(`工会发布的厂务公开已有 ${workdays} 个工作日，您还没有确认阅读：`),
      titleBlock(v),
      md(`请发送「公开栏 ${v.number}」查看全文，阅读后点击卡片上的「已阅」。`),
      buttonRow([button({ text: '已阅', action: NOTICE_READ.name, value: NOTICE_READ.value({ id: v.id }), type: 'primary_filled' })]),
      note('本提醒只发送一次。'),
    ],
  })
}
