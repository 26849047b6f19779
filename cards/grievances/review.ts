// The committee's review card of a grievance: facts, deadlines (flagged when overdue), description, history and
// the officers' action forms. Names and every text a person typed go through escapeMarkdown()/userText(); the
// reporter of an anonymous case is never part of the data this builder gets (reporterLabel is 匿名职工).
// Committee cards show dates, never times (security review F7): a minute stamp lets an officer match a 补充 or a
// filing to the moment a suspect was seen typing. They cannot be forwarded (F9).
import { ESTIMATED_NOTE } from '../../src/organisation/holidays.js'
import type { GrievanceEventKind, GrievanceStatus, Satisfaction, StoredAttachment } from '../../src/grievances/model.js'
import { EXTENSION_WORKDAYS, OFFICER_TEXT_MAX_CHARS, SATISFACTION_LABEL, STATUS_LABEL } from '../../src/grievances/model.js'
import { ACCEPT, ASSIGN, DECLINE, EXTEND_REQUEST, NOTE, RATE, RECUSE, REPLY, RESOLVE } from '../../src/grievances/actions.js'
import { OPEN_CASE } from '../../src/desk/actions.js'
import { localDate } from '../../src/time.js'
import { attachmentNameList, describeAttachments } from './filing.js'
import { evidenceButton } from '../evidence.js'
import { escapeMarkdown, truncate } from '../escape.js'
import {
  button,
  buttonRow,
  card,
  fitCard,
  form,
  hr,
  input,
  md,
  note,
  selectStatic,
  userText,
  type Card,
  type CardElement,
  type HeaderTemplate,
} from '../kit.js'

/** Card action names (value.action) of the grievance desk. */
export const GRIEVANCE_ACTIONS = {
  accept: ACCEPT.name,
  decline: DECLINE.name,
  assign: ASSIGN.name,
  reply: REPLY.name,
  note: NOTE.name,
  resolve: RESOLVE.name,
  rate: RATE.name,
  recuse: RECUSE.name,
} as const

/** Form field names the officer actions read. */
export const FORM_FIELDS = { reason: 'reason', assignee: 'assignee', reply: 'reply', note: 'note', result: 'result', extendDays: 'extend_days', extendReason: 'extend_reason' } as const

export interface HistoryEntry {
  at: Date
  /** Who acted, already resolved: an officer's name, 匿名职工 / the reporter's name, or 系统. */
  actor: string
  kind: GrievanceEventKind
  /** Reason, reply, note, result or follow-up text (user text, escaped here). */
  text?: string
  /** Assignee name for `assigned`, rating for `rated`. */
  target?: string
}

/** What every card about one case shows, officer's or worker's. */
export interface CaseFacts {
  id: number
  number: string
  category: string
  status: GrievanceStatus
  description: string
  attachments: StoredAttachment[]
  anonymous: boolean
  filedAt: Date
  acceptDueAt: Date
  resolveDueAt: Date
  /** The deadline's year has only the statutory estimate (calendar.isEstimated): the card says 按法定节假日估算. */
  acceptEstimated?: boolean
  resolveEstimated?: boolean
  satisfaction: Satisfaction | null
  reopenedCount: number
  timeZone: string
}

export interface ReviewCardView extends CaseFacts {
  /** The reporter's name for named cases, 匿名职工 for anonymous ones. */
  reporterLabel: string
  acceptedAt: Date | null
  resolvedAt: Date | null
  closedAt: Date | null
  assigneeOpenId?: string
  assigneeName?: string
  /** The special committee the case was routed to by its category (GRIEVANCE_ROUTES). */
  routedTo?: string
  /** An extension request waiting for the chair: its working days (the form is not offered meanwhile). */
  extensionPending?: number
  declineReason: string | null
  resolution: string | null
  /** Working days past the deadline (0 = past it today or on a rest day); undefined when not overdue. */
  acceptOverdueDays?: number
  resolveOverdueDays?: number
  history: HistoryEntry[]
  /** Officers an officer may assign the case to. */
  officers: Array<{ openId: string; name: string }>
  revision: number
}

export const ANONYMOUS_LABEL = '匿名职工'

const STATUS_TEMPLATE: Record<GrievanceStatus, HeaderTemplate> = {
  pending: 'orange',
  accepted: 'blue',
  declined: 'grey',
  resolved: 'green',
  closed: 'turquoise',
}

const KIND_LABEL: Record<GrievanceEventKind, string> = {
  filed: '提交诉求',
  accepted: '受理',
  declined: '不予受理',
  assigned: '指派',
  replied: '回复职工',
  noted: '内部备注',
  resolved: '办结',
  follow_up: '职工补充',
  rated: '职工评价',
  reopened: '重新打开',
  recused: '回避，不再参与本案',
  extension_requested: '申请延期',
  extended: '延期获批',
  extension_refused: '延期未获批准',
  review_requested: '职工申请复核',
  review_upheld: '复核：维持不予受理',
  review_reversed: '复核：撤销不予受理，重新受理',
}

/** History text on cards is shortened; the full text is on the follow-up / notice it came with. */
const HISTORY_TEXT_CHARS = 200

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function overdueText(days: number | undefined): string {
  if (days === undefined) return ''
  return days > 0 ? `<font color='red'>⚠ 已超期 ${days} 个工作日</font>` : `<font color='red'>⚠ 已超期</font>`
}

function historyLine(e: HistoryEntry, timeZone: string): string {
  let what = KIND_LABEL[e.kind]
  if (e.kind === 'assigned' && e.target) what = `指派给 ${escapeMarkdown(e.target)}`
  if (e.kind === 'rated' && e.target) what = `职工评价：${escapeMarkdown(e.target)}`
  const text = e.text ? `：${escapeMarkdown(truncate(oneLine(e.text), HISTORY_TEXT_CHARS))}` : ''
  return `- ${localDate(e.at, timeZone)} ${escapeMarkdown(e.actor)} **${what}**${text}`
}

function historyElement(entries: HistoryEntry[], shown: number, timeZone: string): CardElement {
  const recent = shown > 0 ? entries.slice(-shown) : []
  const lines = recent.map((e) => historyLine(e, timeZone))
  const omitted = entries.length - recent.length
  const head = omitted > 0 ? `**处理记录**（共 ${entries.length} 条，显示最近 ${recent.length} 条）` : '**处理记录**'
  return md([head, ...lines].join('\n'))
}

/** Said after an open deadline whose year the bot only estimates (src/calendar.ts). */
export function estimatedText(estimated: boolean | undefined): string {
  return estimated ? `<font color='grey'>（${ESTIMATED_NOTE}）</font>` : ''
}

function deadlineLine(label: string, due: Date, doneAt: Date | null, doneLabel: string, overdueDays: number | undefined, tz: string, estimated?: boolean): string {
  const base = `**${label}：**${localDate(due, tz)} 前`
  if (!doneAt && overdueDays === undefined) return `${base}${estimatedText(estimated)}`
  if (doneAt) return `${base}（${doneLabel} ${localDate(doneAt, tz)}${doneAt.getTime() > due.getTime() ? '，超期' : ''}）`
  return overdueDays !== undefined ? `${base} ${overdueText(overdueDays)}` : base
}

/**
 * The actions that apply to the case's status, in the order of the workflow (受理 → 指派 → 回复 → 办结; 不予受理
 * instead of 受理 last among a pending case's steps), so a phone shows the next step first. The destructive or
 * irreversible ones (不予受理, 办结) and the one that reaches the worker (回复职工) ask for confirmation
 * (docs/feishu-platform.md#card-json: `confirm` on the button). An ended case (不予受理, 已结案) takes notes only.
 */
function actionForms(v: ReviewCardView): CardElement[] {
  const onCase = { gid: v.id, rev: v.revision }
  const open = v.status === 'pending' || v.status === 'accepted'
  const ended = v.status === 'declined' || v.status === 'closed'
  const els: CardElement[] = []
  if (v.status === 'pending') {
    els.push(buttonRow([button({ text: '受理', action: ACCEPT.name, value: ACCEPT.value(onCase), type: 'primary_filled' })]))
  }
  if (open && v.officers.length > 0) {
    els.push(
      form('assign_form', [
        selectStatic({
          name: FORM_FIELDS.assignee,
          placeholder: '选择承办的工会干部',
          // Names cut to 20 characters: a dropdown shows no more, and a long list of long names costs the card's 30 KB.
          options: v.officers.map((o) => ({ text: truncate(o.name, 20), value: o.openId })),
          ...(v.assigneeOpenId ? { initial: v.assigneeOpenId } : {}),
          required: true,
        }),
        button({ text: '指派', action: ASSIGN.name, value: ASSIGN.value(onCase), formAction: 'submit', name: 'assign_submit' }),
      ]),
    )
  }
  if (!ended) {
    els.push(
      form('reply_form', [
        input({ name: FORM_FIELDS.reply, label: '回复职工（由机器人转达给反映人）', placeholder: '回复内容', multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true }),
        button({ text: '回复职工', action: REPLY.name, value: REPLY.value(onCase), formAction: 'submit', name: 'reply_submit', confirm: { title: '回复职工', text: '这段文字将发送给反映人，确定发送？' } }),
      ]),
    )
  }
  if (v.status === 'accepted') {
    els.push(
      form('resolve_form', [
        input({ name: FORM_FIELDS.result, label: '办结结果（会告知职工，并请其评价）', placeholder: '处理经过与结果', multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true }),
        button({ text: '办结', action: RESOLVE.name, value: RESOLVE.value(onCase), type: 'primary', formAction: 'submit', name: 'resolve_submit', confirm: { title: '办结', text: '确定办结？结果将告知职工并请其评价。' } }),
      ]),
    )
  }
  if (v.status === 'accepted' && v.extensionPending === undefined) {
    els.push(
      form('extend_form', [
        selectStatic({ name: FORM_FIELDS.extendDays, placeholder: '延长几个工作日', options: EXTENSION_WORKDAYS.map((d) => ({ text: `延长 ${d} 个工作日`, value: String(d) })), required: true }),
        input({ name: FORM_FIELDS.extendReason, label: '延期理由（由主席审批；批准后告知职工新的期限）', placeholder: '例如：需等待劳动仲裁结果', multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true }),
        button({ text: '申请延期', action: EXTEND_REQUEST.name, value: EXTEND_REQUEST.value(onCase), formAction: 'submit', name: 'extend_submit' }),
      ]),
    )
  }
  if (v.status === 'accepted' && v.extensionPending !== undefined) els.push(note(`已申请延长 ${v.extensionPending} 个工作日，等待主席审批。`))
  if (v.status === 'pending') {
    els.push(
      form('decline_form', [
        input({ name: FORM_FIELDS.reason, label: '不予受理的理由（会告知职工）', placeholder: '例如：不属于工会维权范围，建议向……反映', multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true }),
        button({ text: '不予受理', action: DECLINE.name, value: DECLINE.value(onCase), type: 'danger', formAction: 'submit', name: 'decline_submit', confirm: { title: '不予受理', text: '确定不予受理？理由将告知职工。' } }),
      ]),
    )
  }
  els.push(
    form('note_form', [
      input({ name: FORM_FIELDS.note, label: '内部备注（仅工会干部可见，不会告知职工）', placeholder: '备注内容', multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true }),
      button({ text: '添加内部备注', action: NOTE.name, value: NOTE.value(onCase), formAction: 'submit', name: 'note_submit' }),
    ]),
  )
  // Last, away from the workflow's buttons: it cannot be undone by the officer (issue #13, recusal).
  els.push(
    buttonRow([
      button({
        text: '回避本案',
        action: RECUSE.name,
        value: RECUSE.value({ gid: v.id }),
        type: 'default',
        confirm: { title: '回避本案', text: '您与本案有关（被反映人或其亲友等）时请回避。回避后您将看不到本案，也不能再处理；本案改为由其他干部私下处理。确定回避？' },
      }),
    ]),
  )
  return els
}

/** What the committee group's card of an ended case shrinks to (issue #13): one line and a button to the full card. */
export interface ClosedCaseView {
  id: number
  number: string
  category: string
  status: GrievanceStatus
  closedAt: Date | null
  timeZone: string
}

/**
 * An ended case's card in the committee group: one line (number, category, how and when it ended) and 打开, which
 * sends the full officer card privately. Keeps the group short when hundreds of cases have been handled.
 */
export function buildClosedReviewCard(v: ClosedCaseView): Card {
  const when = v.closedAt ? ` · ${localDate(v.closedAt, v.timeZone)}` : ''
  return card({
    title: `维权诉求 ${v.number}`,
    subtitle: v.category,
    template: STATUS_TEMPLATE[v.status],
    summary: `诉求 ${v.number}（${v.category}）：${STATUS_LABEL[v.status]}`,
    tags: [{ text: STATUS_LABEL[v.status], color: 'neutral' }],
    elements: [
      md(`**${v.number}** · ${escapeMarkdown(v.category)} · ${STATUS_LABEL[v.status]}${when}`),
      buttonRow([button({ text: '打开完整卡片', action: OPEN_CASE.name, value: OPEN_CASE.value({ feature: 'grievance', id: v.id }), type: 'primary_text' })]),
    ],
    forwardable: false,
  })
}

/**
 * The committee group's copy of a case some officer recused from (issue #13): the group includes that officer, so
 * the copy keeps only the number; the officers who remain work from their private cards (打开 sends one).
 */
export function buildRestrictedReviewCard(v: { id: number; number: string }): Card {
  return card({
    title: `维权诉求 ${v.number}`,
    template: 'grey',
    summary: `诉求 ${v.number}：改为私下处理`,
    tags: [{ text: '私下处理', color: 'neutral' }],
    elements: [
      md(`诉求 **${v.number}** 已改为由有关工会干部在私聊中处理，本群不再显示其内容。`),
      buttonRow([button({ text: '打开完整卡片', action: OPEN_CASE.name, value: OPEN_CASE.value({ feature: 'grievance', id: v.id }), type: 'primary_text' })]),
    ],
    forwardable: false,
  })
}

function reviewElements(v: ReviewCardView, historyShown: number): CardElement[] {
  const tz = v.timeZone
  const facts = [
    `**编号：**${v.number}`,
    `**类别：**${v.category}`,
    `**状态：**${STATUS_LABEL[v.status]}${v.reopenedCount > 0 ? `（已重新打开 ${v.reopenedCount} 次）` : ''}`,
    `**反映人：**${escapeMarkdown(v.reporterLabel)}`,
    `**提交时间：**${localDate(v.filedAt, tz)}`,
    deadlineLine('受理时限', v.acceptDueAt, v.acceptedAt ?? (v.status === 'declined' ? v.closedAt : null), v.status === 'declined' ? '已处理于' : '已受理于', v.acceptOverdueDays, tz, v.acceptEstimated),
    deadlineLine('办结时限', v.resolveDueAt, v.status === 'resolved' || v.status === 'closed' ? v.resolvedAt : v.status === 'declined' ? v.closedAt : null, v.status === 'declined' ? '已处理于' : '已办结于', v.resolveOverdueDays, tz, v.resolveEstimated),
    `**承办人：**${v.assigneeName ? escapeMarkdown(v.assigneeName) : '未指派'}${v.routedTo ? `　**分派：**${escapeMarkdown(v.routedTo)}` : ''}`,
    // Anonymous cases keep a file's name only when the worker chose to show it (F3); named cases keep them all.
    `**附件：**${escapeMarkdown(describeAttachments(v.attachments))}${attachmentNameList(v.attachments, ATTACHMENT_NAMES_SHOWN)}`,
  ]
  const els: CardElement[] = [md(facts.join('\n')), ...evidenceButton({ type: 'grievance', id: v.id }, v.attachments.length), hr(), userText(v.description, { label: '问题描述' })]
  if (v.status === 'declined' && v.declineReason) els.push(userText(v.declineReason, { label: '不予受理理由', max: 500 }))
  if (v.resolution) els.push(userText(v.resolution, { label: v.status === 'accepted' ? '上次办结结果' : '办结结果', max: 500 }))
  if (v.satisfaction) els.push(md(`**职工评价：**${SATISFACTION_LABEL[v.satisfaction]}`))
  els.push(hr(), historyElement(v.history, historyShown, tz), hr())
  els.push(...actionForms(v))
  els.push(
    note(
      v.anonymous
        ? '匿名诉求：反映人的身份不显示给任何人，回复与补充由机器人双向转达。'
        : '实名诉求：请仅在工会委员会内部处理，不要转发。',
    ),
  )
  return els
}

/** File names shown on the card (the count above covers them all); 40 long names would crowd out the case. */
const ATTACHMENT_NAMES_SHOWN = 10


/** The committee's card for one case; shows as much history as fits Feishu's 30 KB. */
export function buildReviewCard(v: ReviewCardView): Card {
  const overdue = v.acceptOverdueDays !== undefined || v.resolveOverdueDays !== undefined
  const tags = [{ text: STATUS_LABEL[v.status], color: v.status === 'pending' ? 'orange' : v.status === 'accepted' ? 'blue' : 'neutral' }]
  if (overdue) tags.unshift({ text: '已超期', color: 'red' })
  return fitCard([10, 6, 3, 1, 0], (shown) =>
    card({
      title: `维权诉求 ${v.number}`,
      subtitle: v.category,
      template: overdue ? 'red' : STATUS_TEMPLATE[v.status],
      // The preview in the chat list: number, category and status only.
      summary: `诉求 ${v.number}（${v.category}）：${STATUS_LABEL[v.status]}${overdue ? '，已超期' : ''}`,
      tags,
      elements: reviewElements(v, Math.min(shown, v.history.length)),
      forwardable: false,
    }),
  )
}
