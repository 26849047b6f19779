// Worker-side grievance cards (private chat): the worker's own list and case, the union's replies and decisions,
// and the satisfaction rating after 办结. Previews (summary) name only the case number and status, since
// Feishu previews are seen over shoulders; the text itself is inside the card, escaped. None can be forwarded (F9).
import type { EscalationTarget, GrievanceEventKind, GrievanceStatus, Satisfaction } from '../../src/grievances/model.js'
import { ESCALATION_LABEL, REVIEW_WINDOW_WORKDAYS, SATISFACTION_LABEL, STATUS_LABEL } from '../../src/grievances/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { describeAttachments } from './filing.js'
import { ERASE_OWN, IDENTITY_ANSWER, RATE } from '../../src/grievances/actions.js'
import { estimatedText, type CaseFacts, type HistoryEntry } from './review.js'
import { assertCardWithinLimits, button, buttonRow, card, fitCard, hr, md, note, userText, type Card, type CardElement } from '../kit.js'

export interface OwnCaseRow {
  number: string
  category: string
  status: GrievanceStatus
  filedAt: Date
}

const WORKER_KIND_LABEL: Partial<Record<GrievanceEventKind, string>> = {
  filed: '提交诉求',
  accepted: '工会已受理',
  declined: '工会决定不予受理',
  replied: '工会回复',
  resolved: '工会办结',
  follow_up: '您的补充',
  rated: '您的评价',
  reopened: '重新打开，继续处理',
  extended: '办结期限延长',
  review_requested: '您申请了复核',
  transferred: '工会已转办',
  review_upheld: '复核：维持不予受理',
  review_reversed: '复核：重新受理',
}

/** History kinds a worker sees on their own case (internal notes and assignments stay with the officers). */
export const WORKER_VISIBLE_KINDS = Object.keys(WORKER_KIND_LABEL) as GrievanceEventKind[]

export function buildOwnListCard(opts: { rows: OwnCaseRow[]; total: number; timeZone: string }): Card {
  const elements: CardElement[] = []
  if (opts.rows.length === 0) {
    elements.push(md('您还没有提交过诉求。发送「投诉」即可向工会反映问题，可选择匿名。'))
  } else {
    const lines = opts.rows.map((r) => `- **${r.number}** ${r.category} · ${STATUS_LABEL[r.status]} · ${formatDateTime(r.filedAt, opts.timeZone)} 提交`)
    elements.push(md(lines.join('\n')))
    if (opts.total > opts.rows.length) elements.push(note(`共 ${opts.total} 件，显示最近 ${opts.rows.length} 件。`))
    elements.push(note('发送「诉求 编号」查看详情，「补充 编号 内容」补充材料。'))
  }
  return assertCardWithinLimits(card({ title: '我的诉求', template: 'red', summary: '我的诉求', elements, forwardable: false }))
}

export interface OwnCaseView extends CaseFacts {
  /** Only what the worker may see (WORKER_VISIBLE_KINDS). */
  history: HistoryEntry[]
}

function workerHistoryLines(entries: HistoryEntry[], tz: string): string[] {
  return entries.map((e) => {
    let what = WORKER_KIND_LABEL[e.kind] ?? ''
    if (e.kind === 'rated' && e.target) what = `您的评价：${escapeMarkdown(e.target)}`
    const text = e.text ? `：${escapeMarkdown(truncate(e.text.replace(/\s+/g, ' ').trim(), 300))}` : ''
    return `- ${formatDateTime(e.at, tz)} **${what}**${text}`
  })
}

/** One of the worker's own cases, with the union's replies; rating buttons while it awaits a rating. */
export function buildOwnCaseCard(v: OwnCaseView): Card {
  const tz = v.timeZone
  return fitCard([10, 5, 2, 0], (shown) => {
    const recent = shown > 0 ? v.history.slice(-shown) : []
    const elements: CardElement[] = [
      md(
        [
          `**类别：**${v.category}`,
          `**状态：**${STATUS_LABEL[v.status]}`,
          `**提交时间：**${formatDateTime(v.filedAt, tz)}（${v.anonymous ? '匿名' : '实名'}）`,
          v.status === 'pending' ? `**受理时限：**${formatDateTime(v.acceptDueAt, tz)} 前${estimatedText(v.acceptEstimated)}` : '',
          v.status === 'pending' || v.status === 'accepted' ? `**办结时限：**${formatDateTime(v.resolveDueAt, tz)} 前${estimatedText(v.resolveEstimated)}` : '',
          `**附件：**${describeAttachments(v.attachments)}`,
        ]
          .filter(Boolean)
          .join('\n'),
      ),
      userText(v.description, { label: '您反映的问题' }),
      hr(),
      md([`**进展**${v.history.length > recent.length ? `（最近 ${recent.length} 条）` : ''}`, ...workerHistoryLines(recent, tz)].join('\n')),
    ]
    if (v.status === 'resolved') elements.push(...ratingElements(v.id, v.reopenedCount))
    elements.push(note(`补充材料请发送「补充 ${v.number} 内容」。`))
    return card({ title: `诉求 ${v.number}`, template: 'red', summary: `诉求 ${v.number}：${STATUS_LABEL[v.status]}`, elements, forwardable: false })
  })
}

function ratingElements(gid: number, round: number): CardElement[] {
  const value = (rating: Satisfaction) => RATE.value({ gid, round, rating })
  return [
    md('**请评价本次处理：**选择「不满意」将重新打开诉求，工会继续处理。'),
    buttonRow([
      button({ text: SATISFACTION_LABEL.satisfied, action: RATE.name, value: value('satisfied'), type: 'primary' }),
      button({ text: SATISFACTION_LABEL.basically_satisfied, action: RATE.name, value: value('basically_satisfied') }),
      // Reopening is the one rating that changes the case, so it asks first, as 办结 and 不予受理 do (QA F10).
      button({
        text: SATISFACTION_LABEL.dissatisfied,
        action: RATE.name,
        value: value('dissatisfied'),
        type: 'danger',
        confirm: { title: '不满意', text: '确定不满意？诉求将重新打开，工会继续处理。' },
      }),
    ]),
  ]
}

/** Told to an anonymous reporter with every relayed reply (security review F7). */
export const RELAY_WARNING = '立即回复或打开消息中的链接，可能让对方推测出您的身份'

/** The union's reply to the worker (回复职工); an anonymous reporter is warned how a reply can reveal them. */
export function buildReplyNoticeCard(opts: { number: string; status: GrievanceStatus; text: string; anonymous?: boolean }): Card {
  const elements: CardElement[] = [userText(opts.text, { label: '回复内容' })]
  if (opts.anonymous) elements.push(md(`<font color='red'>提醒：${RELAY_WARNING}。不急的话，可以过一段时间再补充；链接请谨慎打开。</font>`))
  elements.push(note(`如需补充，请发送「补充 ${opts.number} 内容」；查看进度请发送「诉求 ${opts.number}」。`))
  return card({
    title: `工会回复 · ${opts.number}`,
    template: 'blue',
    summary: `诉求 ${opts.number} 有新回复（${STATUS_LABEL[opts.status]}）`,
    elements,
    forwardable: false,
  })
}

/** 不予受理, with the officers' reason. */
export function buildDeclinedNoticeCard(opts: { number: string; reason: string }): Card {
  return card({
    title: `诉求 ${opts.number} 不予受理`,
    template: 'grey',
    summary: `诉求 ${opts.number}：${STATUS_LABEL.declined}`,
    elements: [
      userText(opts.reason, { label: '理由' }),
      // Issue #13 复核: a command that works, with the window it has (REVIEW_WINDOW_WORKDAYS).
      note(`如不同意，可在 ${REVIEW_WINDOW_WORKDAYS} 个工作日内发送「复核 ${opts.number} 理由」申请复核（只能申请一次，由其他干部复核）；如有新的情况，可以再次发送「投诉」反映。`),
    ],

    forwardable: false,
  })
}

/** 办结, with the result and the rating buttons. */
export function buildResolvedNoticeCard(opts: { gid: number; number: string; result: string; round: number }): Card {
  return card({
    title: `诉求 ${opts.number} 已办结`,
    template: 'green',
    summary: `诉求 ${opts.number}：${STATUS_LABEL.resolved}，请评价`,
    elements: [userText(opts.result, { label: '办结结果' }), hr(), ...ratingElements(opts.gid, opts.round)],

    forwardable: false,
  })
}

/** Replaces the rating card once the worker has rated. */
export function buildRatedCard(opts: { number: string; rating: Satisfaction; reopened: boolean }): Card {
  const text = opts.reopened
    ? `已收到您的评价：**${SATISFACTION_LABEL[opts.rating]}**。诉求已重新打开，工会将继续处理。如需说明原因，请发送「补充 ${opts.number} 内容」。`
    : `已收到您的评价：**${SATISFACTION_LABEL[opts.rating]}**。感谢您的反馈，诉求已结案。`
  return card({
    title: `诉求 ${opts.number} 评价`,
    template: opts.reopened ? 'orange' : 'green',
    summary: `诉求 ${opts.number}：${opts.reopened ? STATUS_LABEL.accepted : STATUS_LABEL.closed}`,
    elements: [md(text)],

    forwardable: false,
  })
}

/**
 * 已转办 (issue #13): where the case went, the officers' summary to take along, and that the same summary came as a
 * text file (to print or forward to the receiving body). The worker's next steps are bot text.
 */
export function buildEscalatedNoticeCard(opts: { number: string; target: EscalationTarget; summary: string; fileSent: boolean }): Card {
  return card({
    title: `诉求 ${opts.number} 已转办`,
    template: 'purple',
    summary: `诉求 ${opts.number}：${STATUS_LABEL.transferred}`,
    elements: [
      md(`工会已将您的诉求转至 **${ESCALATION_LABEL[opts.target]}** 办理，本诉求在工会这里以「已转办」结案。`),
      userText(opts.summary, { label: '转办摘要（可带去反映）' }),
      note(`${opts.fileSent ? '同样的摘要已作为文本文件发给您，可保存或打印。' : ''}${ESCALATION_HINT[opts.target]}`),
    ],
    forwardable: false,
  })
}

const ESCALATION_HINT: Record<EscalationTarget, string> = {
  upper_union: '上级工会会与您或本单位工会联系；如需查询，可拨打全国总工会职工服务热线 12351。',
  hotline_12351: '可拨打 12351 职工服务热线，报上诉求编号和摘要内容。',
  labour_inspection: '可携带摘要和相关证据（劳动合同、工资条、考勤记录等）到当地劳动保障监察机构举报投诉，或拨打 12333。',
}

/**
 * An officer asks an anonymous reporter to agree to be named (issue #13; GlobaLeaks' custodian model). The worker
 * decides: 同意 shows their name to the officers who may see the case; 拒绝 (or no answer) reveals nothing.
 */
export function buildIdentityRequestCard(opts: { rid: number; number: string; reason: string }): Card {
  return card({
    title: `诉求 ${opts.number}：是否同意公开身份`,
    template: 'orange',
    summary: `诉求 ${opts.number}：工会请求您的同意`,
    elements: [
      md(`承办您匿名诉求 **${opts.number}** 的工会干部希望知道您是谁，理由如下。是否同意由您决定；不同意或不答复，工会干部都不会知道您的身份，诉求照常处理。`),
      userText(opts.reason, { label: '请求理由' }),
      buttonRow([
        button({ text: '同意公开', action: IDENTITY_ANSWER.name, value: IDENTITY_ANSWER.value({ rid: opts.rid, answer: 'agree' }), type: 'primary', confirm: { title: '同意公开身份', text: '同意后，能查看本案的工会干部将看到您的姓名，且无法撤回。确定同意？' } }),
        button({ text: '不同意', action: IDENTITY_ANSWER.name, value: IDENTITY_ANSWER.value({ rid: opts.rid, answer: 'refuse' }), type: 'default' }),
      ]),
    ],
    forwardable: false,
  })
}

/** The request card once answered (the answer cannot be changed; a new request would be a new card). */
export function buildIdentityAnsweredCard(opts: { number: string; granted: boolean }): Card {
  return card({
    title: `诉求 ${opts.number}：${opts.granted ? '已同意公开身份' : '未同意公开身份'}`,
    template: opts.granted ? 'green' : 'grey',
    summary: `诉求 ${opts.number}：已答复`,
    elements: [
      md(opts.granted ? '您已同意。能查看本案的工会干部现在可以看到您的姓名。' : '您没有同意。工会干部仍然不知道您的身份，诉求照常处理。'),
    ],
    forwardable: false,
  })
}

/** 删除诉求: what is erased and what stays, and one confirmed button (it cannot be undone). */
export function buildEraseConfirmCard(opts: { gid: number; number: string; status: GrievanceStatus }): Card {
  return card({
    title: `删除诉求 ${opts.number}`,
    template: 'red',
    summary: `诉求 ${opts.number}：删除确认`,
    elements: [
      md(`删除后，诉求 **${opts.number}**（${STATUS_LABEL[opts.status]}）的描述、附件、回复和您与它的对应关系都会被永久清除，您在「我的诉求」里也看不到它。为了统计，工会只保留编号、类别、日期和评价。`),
      buttonRow([button({ text: '确认删除', action: ERASE_OWN.name, value: ERASE_OWN.value({ gid: opts.gid }), type: 'danger', confirm: { title: '删除诉求', text: '删除后无法恢复。确定删除？' } })]),
    ],
    forwardable: false,
  })
}

export function buildErasedCard(opts: { number: string }): Card {
  return card({
    title: `诉求 ${opts.number} 已删除`,
    template: 'grey',
    summary: `诉求 ${opts.number}：已删除`,
    elements: [md('诉求的内容和您与它的对应关系已永久清除。')],
    forwardable: false,
  })
}
