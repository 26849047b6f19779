// Officer-side grievance notices: a worker's follow-up posted to the committee group, the daily overdue
// reminder, and the private note to an officer a case was assigned to. No case description in the last two.
// Dates only, never times (security review F7), and none of them can be forwarded (F9).
import type { GrievanceStatus, OverdueCase } from '../../src/grievances/model.js'
import { STATUS_LABEL } from '../../src/grievances/model.js'
import { localDate } from '../../src/time.js'
import { estimatedText } from './review.js'
import { escapeMarkdown } from '../escape.js'
import { assertCardWithinLimits, button, buttonRow, card, md, note, userText, type Card } from '../kit.js'
import { EXTEND_DECIDE, REVIEW_DECIDE } from '../../src/grievances/actions.js'

/** A worker's follow-up (补充), posted to the committee group. */
export function buildFollowUpCard(opts: { number: string; category: string; reporterLabel: string; text: string; at: Date; timeZone: string }): Card {
  return assertCardWithinLimits(
    card({
      title: `职工补充 · ${opts.number}`,
      subtitle: opts.category,
      template: 'wathet',
      summary: `诉求 ${opts.number} 有新的补充`,
      elements: [
        md(`**反映人：**${escapeMarkdown(opts.reporterLabel)}\n**日期：**${localDate(opts.at, opts.timeZone)}`),
        userText(opts.text, { label: '补充内容' }),
        note('请在该诉求的卡片上「回复职工」，回复由机器人转达。'),
      ],
      forwardable: false,
    }),
  )
}

export interface ReminderItem extends OverdueCase {
  assigneeName?: string
  /** The deadline's year has only the statutory estimate. */
  estimated?: boolean
}

/** The daily reminder of overdue cases (no case text: number, category, deadline, assignee). */
export function buildOverdueReminderCard(opts: { day: string; items: ReminderItem[]; timeZone: string }): Card {
  const shown = opts.items.slice(0, 50)
  const lines = shown.map((i) => {
    const which = i.deadline === 'accept' ? '受理' : '办结'
    const who = i.assigneeName ? `，承办人 ${escapeMarkdown(i.assigneeName)}` : '，未指派'
    const days = i.overdueDays > 0 ? `已超期 ${i.overdueDays} 个工作日` : '已超期'
    return `- **${i.number}**（${i.category}，${STATUS_LABEL[i.status]}）${which}时限 ${localDate(i.dueAt, opts.timeZone)}${estimatedText(i.estimated)}，<font color='red'>${days}</font>${who}`
  })
  const more = opts.items.length > shown.length ? [`……另有 ${opts.items.length - shown.length} 件`] : []
  return assertCardWithinLimits(
    card({
      title: '维权诉求超期提醒',
      subtitle: opts.day,
      template: 'red',
      summary: `${opts.items.length} 件维权诉求已超期`,
      elements: [md(`以下 ${opts.items.length} 件诉求已超过时限，请尽快处理：`), md([...lines, ...more].join('\n')), note('每个工作日提醒一次，直至处理完毕。时限按工作日计算（节假日顺延、调休上班日计入）。')],
      forwardable: false,
    }),
  )
}

/** Cases the summary names one by one: the most overdue, a phone screen's worth. */
export const SUMMARY_TOP = 5

/**
 * The daily reminder when many cases are overdue (issue #13): how many, by deadline and category, and only the
 * most overdue by number; the full list is one command away. No case text, no names.
 */
export function buildOverdueSummaryCard(opts: { day: string; items: ReminderItem[]; timeZone: string }): Card {
  const accept = opts.items.filter((i) => i.deadline === 'accept').length
  const byCategory = new Map<string, number>()
  for (const i of opts.items) byCategory.set(i.category, (byCategory.get(i.category) ?? 0) + 1)
  const categories = [...byCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => `${escapeMarkdown(c)} ${n}`)
  const top = [...opts.items].sort((a, b) => b.overdueDays - a.overdueDays || a.dueAt.getTime() - b.dueAt.getTime()).slice(0, SUMMARY_TOP)
  const lines = top.map((i) => `- **${i.number}**（${escapeMarkdown(i.category)}）${i.deadline === 'accept' ? '受理' : '办结'}时限 ${localDate(i.dueAt, opts.timeZone)}，<font color='red'>${i.overdueDays > 0 ? `已超期 ${i.overdueDays} 个工作日` : '已超期'}</font>`)
  return assertCardWithinLimits(
    card({
      title: '维权诉求超期汇总',
      subtitle: opts.day,
      template: 'red',
      summary: `${opts.items.length} 件维权诉求已超期`,
      elements: [
        md(`**${opts.items.length}** 件诉求已超过时限：待受理超期 **${accept}** 件，办理超期 **${opts.items.length - accept}** 件。`),
        md(`**按类别：**${categories.join(' · ')}`),
        md([`**超期最久的 ${top.length} 件：**`, ...lines].join('\n')),
        note('全部超期诉求请发送「诉求列表 已超期」（私聊查看）；自己的待办请发送「待办」。每个工作日 9 点汇总一次，直至处理完毕。'),
      ],
      forwardable: false,
    }),
  )
}

/** Tells an officer privately that a case was assigned to them (no case text: it is on the committee card). */
export function buildAssignedCard(opts: { number: string; category: string; status: GrievanceStatus; acceptDueAt: Date; resolveDueAt: Date; assignerName: string; timeZone: string; acceptEstimated?: boolean; resolveEstimated?: boolean }): Card {
  return card({
    title: `诉求 ${opts.number} 指派给您`,
    template: 'blue',
    summary: `诉求 ${opts.number} 已指派给您承办`,
    elements: [
      md(
        [
          `${escapeMarkdown(opts.assignerName)} 将维权诉求 **${opts.number}**（${opts.category}）指派给您承办。`,
          `**状态：**${STATUS_LABEL[opts.status]}`,
          `**受理时限：**${localDate(opts.acceptDueAt, opts.timeZone)} 前${estimatedText(opts.acceptEstimated)}`,
          `**办结时限：**${localDate(opts.resolveDueAt, opts.timeZone)} 前${estimatedText(opts.resolveEstimated)}`,
        ].join('\n'),
      ),
      note('详情与处理按钮在工会委员会群的诉求卡片上。'),
    ],
    forwardable: false,
  })
}

/** What the card an officer recused from becomes for them (issue #13): the number they clicked, nothing of the case. */
export function buildRecusedCard(opts: { number: string }): Card {
  return card({
    title: `维权诉求 ${opts.number}`,
    template: 'grey',
    summary: `诉求 ${opts.number}：您已回避`,
    tags: [{ text: '已回避', color: 'neutral' }],
    elements: [md(`您已回避诉求 **${opts.number}**，本案由其他工会干部处理，您将不再看到它的内容和进展。`)],
    forwardable: false,
  })
}

export interface ExtensionRequestView {
  xid: number
  number: string
  category: string
  requesterName: string
  workdays: number
  reason: string
  currentDueAt: Date
  newDueAt: Date
  timeZone: string
  /** Set once decided: the card then shows the decision and no buttons. */
  decided?: { approved: boolean; deciderName: string }
}

/** The chair's card for an extension request (privately): what is asked and why, with 同意 / 不同意. */
export function buildExtensionRequestCard(v: ExtensionRequestView): Card {
  const tz = v.timeZone
  const elements = [
    md(`**诉求：**${v.number}（${escapeMarkdown(v.category)}）\n**申请人：**${escapeMarkdown(v.requesterName)}\n**办结期限：**${v.decided?.approved ? `已延长至 ${localDate(v.newDueAt, tz)}` : `${localDate(v.currentDueAt, tz)} → ${localDate(v.newDueAt, tz)}`}（延长 ${v.workdays} 个工作日）`),
    userText(v.reason, { label: '延期理由', max: 1000 }),
  ]
  if (v.decided) elements.push(md(`**${v.decided.approved ? '已同意' : '未同意'}**（${escapeMarkdown(v.decided.deciderName)}）`))
  else {
    elements.push(
      buttonRow([
        button({ text: '同意延期', action: EXTEND_DECIDE.name, value: EXTEND_DECIDE.value({ xid: v.xid, approve: 'yes' }), type: 'primary_filled', confirm: { title: '同意延期', text: `办结期限将改为 ${localDate(v.newDueAt, tz)}，并告知职工。确定同意？` } }),
        button({ text: '不同意', action: EXTEND_DECIDE.name, value: EXTEND_DECIDE.value({ xid: v.xid, approve: 'no' }), type: 'default' }),
      ]),
    )
    elements.push(note('同意后，新的办结期限会告知反映人（不含延期理由）。'))
  }
  return assertCardWithinLimits(
    card({ title: `延期申请 · ${v.number}`, template: v.decided ? 'grey' : 'orange', summary: `诉求 ${v.number} 申请延期`, elements, forwardable: false }),
  )
}

/** The reviewer's card for a worker's 复核 request (privately): the decline's reason, the worker's, and the decision. */
export function buildReviewRequestCard(v: { gid: number; number: string; category: string; declineReason: string; workerReason: string | null; decided?: 'uphold' | 'reverse' }): Card {
  const elements = [
    md(`**诉求：**${v.number}（${escapeMarkdown(v.category)}）\n职工对「不予受理」申请复核，请您（非原处理人）重新审查。`),
    userText(v.declineReason, { label: '不予受理理由', max: 1000 }),
    ...(v.workerReason ? [userText(v.workerReason, { label: '职工的复核理由', max: 2000 })] : []),
  ]
  if (v.decided) elements.push(md(`**${v.decided === 'reverse' ? '已撤销不予受理，重新受理' : '已维持不予受理'}**`))
  else {
    elements.push(
      buttonRow([
        button({ text: '撤销，重新受理', action: REVIEW_DECIDE.name, value: REVIEW_DECIDE.value({ gid: v.gid, decision: 'reverse' }), type: 'primary_filled', confirm: { title: '重新受理', text: '诉求将重新受理并重新计算办结期限，并告知职工。确定？' } }),
        button({ text: '维持不予受理', action: REVIEW_DECIDE.name, value: REVIEW_DECIDE.value({ gid: v.gid, decision: 'uphold' }), confirm: { title: '维持不予受理', text: '复核结果将告知职工，不能再次复核。确定？' } }),
      ]),
    )
  }
  return assertCardWithinLimits(card({ title: `复核申请 · ${v.number}`, template: v.decided ? 'grey' : 'orange', summary: `诉求 ${v.number} 申请复核`, elements, forwardable: false }))
}
