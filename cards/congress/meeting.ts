// The congress meeting's cards: the live meeting card (到会 N / 应到 M, whether the two-thirds quorum is reached,
// 签到, the items and their results), the minutes (会议纪要) and the reminder to report to the upper union.
// Titles of meetings and items and representatives' names are user text: escaped (cards/escape.ts).
import { escapeMarkdown, truncate } from '../escape.js'
import { button, buttonRow, card, fitCard, halving, hr, md, note, type Card, type CardElement } from '../kit.js'
import { MEETING_CHECK_IN } from '../../src/congress/actions.js'
import { ITEM_TITLE_MAX, MEETING_TITLE_MAX, type ItemView, type Meeting, type MeetingView, type MinutesView } from '../../src/congress/model.js'
import { passNeeded, quorumNeeded, quorumReached } from '../../src/polls/model.js'
import { formatDateTime } from '../../src/time.js'

function shareText(s: { num: number; den: number }): string {
  if (s.num === 2 && s.den === 3) return '三分之二'
  if (s.num === 1 && s.den === 2) return '半数'
  return `${s.num}/${s.den}`
}

function quorumLine(v: MeetingView): string {
  const m = v.meeting
  const ok = quorumReached(v.present, m.expected, v.quorum)
  const need = quorumNeeded(m.expected, v.quorum)
  return `**到会 ${v.present} / 应到 ${m.expected}**　${ok ? `<font color='green'>已达${shareText(v.quorum)}（至少 ${need} 人），可以表决</font>` : `<font color='orange'>未达${shareText(v.quorum)}（需至少 ${need} 人）</font>`}`
}

export function itemLine(it: ItemView, expected: number, share: { num: number; den: number }, meetingClosed = false): string {
  const p = it.poll
  const title = escapeMarkdown(truncate(p.title, ITEM_TITLE_MAX))
  if (p.status === 'draft') return `${p.number} ${title}：${meetingClosed ? '未付表决' : '待表决'}`
  if (p.status === 'open') return `${p.number} ${title}：表决中（已投 ${p.votedCount} 人）`
  const r = it.results
  const counts = r ? `赞成 ${r.options[0]?.votes ?? 0}，反对 ${r.options[1]?.votes ?? 0}，弃权 ${r.options[2]?.votes ?? 0}` : ''
  return `${p.number} ${title}：${counts}（通过需 ${passNeeded(expected, share)} 票）— **${it.passed ? '通过' : '未通过'}**`
}

/** The hint quotes an item of this meeting (QA F15): the first in the given state, else any, else a placeholder. */
function hintNumber(v: MeetingView, status: 'draft' | 'open'): string {
  const items = v.items.map((it) => it.poll)
  return (items.find((p) => p.status === status) ?? items.find((p) => p.status !== 'closed') ?? items[items.length - 1])?.number ?? '事项编号'
}

export function buildMeetingCard(v: MeetingView, timeZone: string): Card {
  const m = v.meeting
  const open = m.status === 'open'
  const elements: CardElement[] = [md(`**${escapeMarkdown(truncate(m.title, MEETING_TITLE_MAX))}**`, { size: 'heading' })]
  elements.push(md(`${m.term ? `**届次：**${escapeMarkdown(m.term)}\n` : ''}**开会时间：**${formatDateTime(m.createdAt, timeZone)}`))
  elements.push(md(quorumLine(v)))
  elements.push(md(`**规则：**到会代表须达本届全体代表的${shareText(v.quorum)}方可表决；表决事项须获本届**全体代表**（${m.expected} 人）${shareText(v.passShare)}以上赞成方为通过（上海市职工代表大会条例）。`))
  if (v.items.length) {
    elements.push(hr())
    elements.push(md(`**表决事项**\n${v.items.map((it) => `- ${itemLine(it, m.expected, v.passShare, !open)}`).join('\n')}`))
  }
  if (open) elements.push(buttonRow([button({ text: '签到', action: MEETING_CHECK_IN.name, value: MEETING_CHECK_IN.value({ id: m.id }), type: 'primary_filled' })]))
  else elements.push(md(`<font color='grey'>会议已于 ${m.closedAt ? formatDateTime(m.closedAt, timeZone) : ''} 闭会。</font>`))
  elements.push(hr())
  elements.push(note(open ? `会议编号 ${m.number} · 职工代表点击「签到」；工作人员可发送「职代会 签到 @代表」代为登记。主持人：「表决 添加 事项」「表决 开始 ${hintNumber(v, 'draft')}」「表决 结束 ${hintNumber(v, 'open')}」「职代会 闭会」。` : `会议编号 ${m.number} · 会议纪要：「职代会 纪要」。`))
  return card({ title: `职代会 · ${m.number}`, template: open ? 'blue' : 'grey', summary: `职代会 ${m.number}`, tags: [{ text: open ? '开会中' : '已闭会', color: open ? 'blue' : 'neutral' }], elements })
}

export function buildMeetingReplacedCard(m: Pick<Meeting, 'number'>): Card {
  return card({ title: `职代会 · ${m.number}`, template: 'grey', summary: `职代会 ${m.number}`, tags: [{ text: '已更新', color: 'neutral' }], elements: [md('此卡片已更新，请查看最新卡片。')] })
}

/** 会议纪要: attendance, and each item with its figures and result. Names of those present, not how they voted. */
export function buildMinutesCard(v: MinutesView): Card {
  const m = v.meeting
  const present = v.roll.filter((r) => r.checkedIn)
  const absent = v.roll.filter((r) => !r.checkedIn)
  // As many names as fit under Feishu's 30 KB (docs/feishu-platform.md#card-limits); the file has every name.
  return fitCard(halving(100), (max) => {
    const names = (list: typeof v.roll) =>
      list.length === 0 ? '无' : max === 0 ? `${list.length} 人（名单见文件）` : list.slice(0, max).map((r) => escapeMarkdown(truncate(r.name || '（未记录姓名）', 20))).join('、') + (list.length > max ? ` 等 ${list.length} 人` : '')
    const elements: CardElement[] = [
      md(`**${escapeMarkdown(truncate(m.title, MEETING_TITLE_MAX))}**`, { size: 'heading' }),
      md(`**会议编号：**${m.number}${m.term ? `\n**届次：**${escapeMarkdown(m.term)}` : ''}\n**开会：**${formatDateTime(m.createdAt, v.timeZone)}${m.closedAt ? `\n**闭会：**${formatDateTime(m.closedAt, v.timeZone)}` : ''}`),
      md(quorumLine(v)),
      md(`**到会代表：**${names(present)}`),
      md(`**缺席代表：**${names(absent)}`),
      hr(),
      md(`**表决事项**（无记名投票；通过需赞成票超过本届全体代表 ${m.expected} 人的${shareText(v.passShare)}）`),
      md(v.items.length ? v.items.map((it, i) => `${i + 1}. ${itemLine(it, m.expected, v.passShare, m.status === 'closed')}`).join('\n') : '本次会议没有表决事项。'),
    ]
    if (m.reportDueOn) elements.push(note(`请于 ${m.reportDueOn} 前将会议情况报告上级工会。`))
    return card({ title: `会议纪要 · ${m.number}`, template: 'indigo', summary: `会议纪要 ${m.number}`, elements })
  })
}

export function buildReportReminderCard(m: Meeting): Card {
  return card({
    title: `职代会报告提醒 · ${m.number}`,
    template: 'orange',
    summary: `职代会报告提醒 ${m.number}`,
    elements: [
      md(`**${escapeMarkdown(truncate(m.title, MEETING_TITLE_MAX))}** 已闭会。`),
      md(`请于 **${m.reportDueOn ?? ''}** 前将会议情况（会议纪要、表决结果）报告上级工会。`),
      note(`发送「职代会 纪要」可再次获取会议纪要卡片和文件。`),
    ],
  })
}

/** 选区: which departments make up each constituency (names typed by the chair: escaped). */
export function buildConstituenciesCard(list: Array<{ constituency: string; departments: string[] }>): Card {
  return fitCard(halving(Math.max(1, list.length)), (n) => {
    const lines = list.slice(0, n).map((c) => `**${escapeMarkdown(truncate(c.constituency, 30))}**：${c.departments.map((d) => escapeMarkdown(truncate(d, 30))).join('、')}`)
    const elements: CardElement[] = [md(lines.length ? lines.join('\n') : '还没有设置选区：未设置时，选区就是同名的部门。')]
    if (n < list.length) elements.push(note(`只显示前 ${n} 个选区。`))
    elements.push(note('选区职工是部门属于该选区的在册会员。设置：「选区 设置 第一选区 一车间 二车间」；选举：「选举 发起 第一选区 @候选人… 应选 1」。'))
    return card({ title: '选区设置', template: 'blue', summary: '选区设置', elements })
  })
}
