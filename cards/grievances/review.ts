// The committee's review card of a grievance: facts, deadlines (flagged when overdue), description, history and
// the officers' action forms. Names and every text a person typed go through escapeMarkdown()/userText(); the
// reporter of an anonymous case is never part of the data this builder gets (reporterLabel is 匿名职工).
// Committee cards show dates, never times (security review F7): a minute stamp lets an officer match a 补充 or a
// filing to the moment a suspect was seen typing. They cannot be forwarded (F9).
import { ESTIMATED_NOTE } from '../../src/organisation/holidays.js'
import type { EscalationTarget, GrievanceEventKind, GrievanceSource, GrievanceStatus, Satisfaction, StoredAttachment, TimeClass } from '../../src/grievances/model.js'
import { ESCALATION_LABEL, ESCALATION_SUMMARY_MAX_CHARS, EXTENSION_WORKDAYS, OFFICER_TEXT_MAX_CHARS, SATISFACTION_LABEL, SOURCE_LABEL, STATUS_LABEL, TIME_CLASS_LABEL } from '../../src/grievances/model.js'
import { ACCEPT, ASSIGN, DECLINE, ESCALATE, EXTEND_REQUEST, FORM_BACK, IDENTITY_REQUEST, NOTE, RATE, RECUSE, REPLY, RESOLVE } from '../../src/grievances/actions.js'
import { OPEN_CASE } from '../../src/desk/actions.js'
import { localDate } from '../../src/time.js'
import { attachmentNameList, describeAttachments } from './filing.js'
import { evidenceButton } from '../evidence.js'
import { escapeMarkdown, truncate } from '../escape.js'
import {
  button,
  buttonRow,
  card,
  collapsiblePanel,
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
export const FORM_FIELDS = {
  reason: 'reason',
  assignee: 'assignee',
  reply: 'reply',
  note: 'note',
  result: 'result',
  extendDays: 'extend_days',
  extendReason: 'extend_reason',
  escalateTo: 'escalate_to',
  escalateSummary: 'escalate_summary',
  identityReason: 'identity_reason',
} as const

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
  timeClass: TimeClass
  /** Offline cases: how it came in (当面 / 电话 / 来信). */
  source?: GrievanceSource
  /** 已转办: where to, and the summary the worker was given. */
  escalatedTo?: EscalationTarget
  escalationSummary?: string
  /**
   * Identity release (anonymous cases): a request waiting for the worker, or the name the worker agreed to show.
   * Nothing here before the worker's 同意.
   */
  identity?: { pending: boolean; releasedName?: string }
}

export const ANONYMOUS_LABEL = '匿名职工'

const STATUS_TEMPLATE: Record<GrievanceStatus, HeaderTemplate> = {
  pending: 'orange',
  accepted: 'blue',
  declined: 'grey',
  resolved: 'green',
  closed: 'turquoise',
  transferred: 'purple',
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
  transferred: '转办并结案',
  identity_requested: '请求反映人公开身份',
  identity_answered: '反映人答复身份请求',
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

/** The steps an officer takes on a case; each is a button on the card, and those with input open a form. */
export type ReviewStep = 'assign' | 'reply' | 'decline' | 'resolve' | 'extend' | 'escalate' | 'identity' | 'note'

const STEP_DEFS = { assign: ASSIGN, reply: REPLY, decline: DECLINE, resolve: RESOLVE, extend: EXTEND_REQUEST, escalate: ESCALATE, identity: IDENTITY_REQUEST, note: NOTE } as const

const STEP_LABEL: Record<ReviewStep, string> = {
  assign: '指派',
  reply: '回复职工',
  decline: '不予受理',
  resolve: '办结',
  extend: '申请延期',
  escalate: '转办',
  identity: '请求公开身份',
  note: '内部备注',
}

/**
 * The steps that apply to the case's status, in the order of the workflow (受理 → 指派 → 回复 → 办结; 不予受理 and
 * 转办 after the steps that keep the case here). An ended case (不予受理, 已结案, 已转办) takes notes only.
 */
export function stepsFor(v: Pick<ReviewCardView, 'status' | 'officers' | 'extensionPending' | 'anonymous' | 'identity'>): ReviewStep[] {
  const open = v.status === 'pending' || v.status === 'accepted'
  const steps: ReviewStep[] = []
  if (open && v.officers.length > 0) steps.push('assign')
  if (open || v.status === 'resolved') steps.push('reply')
  if (v.status === 'accepted') steps.push('resolve')
  if (v.status === 'accepted' && v.extensionPending === undefined) steps.push('extend')
  if (v.status === 'pending') steps.push('decline')
  if (open) steps.push('escalate')
  if (v.anonymous && v.status !== 'transferred' && !v.identity?.pending && !v.identity?.releasedName) steps.push('identity')
  steps.push('note')
  return steps
}

/**
 * The card's buttons: only the steps of the current status, in workflow order (QA F9: the card fits one phone
 * screen collapsed). A step with input opens its form as a follow-up card (buildStepFormCard); the forms' submit
 * buttons carry the confirmations of the irreversible steps. 受理 needs no input: one button per time-limit class.
 */
function stepButtons(v: ReviewCardView): CardElement[] {
  const onCase = { gid: v.id, rev: v.revision }
  const main: CardElement[] = []
  if (v.status === 'pending') {
    main.push(button({ text: '受理（一般）', action: ACCEPT.name, value: ACCEPT.value({ ...onCase, cls: 'general' }), type: 'primary_filled' }))
    main.push(button({ text: '受理（复杂）', action: ACCEPT.name, value: ACCEPT.value({ ...onCase, cls: 'complex' }), type: 'primary' }))
  }
  const steps = stepsFor(v)
  const minor: ReviewStep[] = ['identity', 'note']
  for (const step of steps.filter((x) => !minor.includes(x))) {
    const def = STEP_DEFS[step]
    main.push(button({ text: STEP_LABEL[step], action: def.name, value: def.value(onCase), type: step === 'resolve' ? 'primary_filled' : step === 'decline' ? 'danger' : 'default' }))
  }
  const els: CardElement[] = []
  if (main.length) els.push(buttonRow(main))
  if (v.status === 'accepted' && v.extensionPending !== undefined) els.push(note(`已申请延长 ${v.extensionPending} 个工作日，等待主席审批。`))
  if (v.identity?.pending) els.push(note('已请求反映人同意公开身份，等待其答复。'))
  const rest = steps.filter((x) => minor.includes(x)).map((step) => button({ text: STEP_LABEL[step], action: STEP_DEFS[step].name, value: STEP_DEFS[step].value(onCase), type: 'text' }))
  // Last, away from the workflow's buttons: it cannot be undone by the officer (issue #13, recusal).
  rest.push(
    button({
      text: '回避本案',
      action: RECUSE.name,
      value: RECUSE.value({ gid: v.id }),
      type: 'text',
      confirm: { title: '回避本案', text: '您与本案有关（被反映人或其亲友等）时请回避。回避后您将看不到本案，也不能再处理；本案改为由其他干部私下处理。确定回避？' },
    }),
  )
  els.push(buttonRow(rest))
  return els
}

/** What a step's form card needs: the case in one line, and for 指派 the officers. */
export interface StepFormView {
  id: number
  number: string
  category: string
  status: GrievanceStatus
  revision: number
  anonymous: boolean
  officers: Array<{ openId: string; name: string }>
  assigneeOpenId?: string
}

function stepFormElements(v: StepFormView, step: ReviewStep): CardElement[] {
  const onCase = { gid: v.id, rev: v.revision }
  const submit = (text: string, type: 'primary' | 'danger' | 'default', confirm?: { title: string; text: string }) =>
    button({ text, action: STEP_DEFS[step].name, value: STEP_DEFS[step].value(onCase), type, formAction: 'submit', name: `${step}_submit`, ...(confirm ? { confirm } : {}) })
  const text = (name: string, label: string, placeholder: string) => input({ name, label, placeholder, multiline: true, maxLength: OFFICER_TEXT_MAX_CHARS, required: true })
  switch (step) {
    case 'assign':
      return [
        selectStatic({
          name: FORM_FIELDS.assignee,
          placeholder: '选择承办的工会干部',
          // Names cut to 20 characters: a dropdown shows no more, and a long list of long names costs the card's 30 KB.
          options: v.officers.map((o) => ({ text: truncate(o.name, 20), value: o.openId })),
          ...(v.assigneeOpenId ? { initial: v.assigneeOpenId } : {}),
          required: true,
        }),
        submit('指派', 'primary'),
      ]
    case 'reply':
      return [text(FORM_FIELDS.reply, '回复职工（由机器人转达给反映人）', '回复内容'), submit('回复职工', 'primary', { title: '回复职工', text: '这段文字将发送给反映人，确定发送？' })]
    case 'resolve':
      return [text(FORM_FIELDS.result, '办结结果（会告知职工，并请其评价）', '处理经过与结果'), submit('办结', 'primary', { title: '办结', text: '确定办结？结果将告知职工并请其评价。' })]
    case 'decline':
      return [text(FORM_FIELDS.reason, '不予受理的理由（会告知职工）', '例如：不属于工会维权范围，建议向……反映'), submit('不予受理', 'danger', { title: '不予受理', text: '确定不予受理？理由将告知职工。' })]
    case 'extend':
      return [
        selectStatic({ name: FORM_FIELDS.extendDays, placeholder: '延长几个工作日', options: EXTENSION_WORKDAYS.map((d) => ({ text: `延长 ${d} 个工作日`, value: String(d) })), required: true }),
        text(FORM_FIELDS.extendReason, '延期理由（由主席审批；批准后告知职工新的期限）', '例如：需等待劳动仲裁结果'),
        submit('申请延期', 'primary'),
      ]
    case 'escalate':
      return [
        selectStatic({ name: FORM_FIELDS.escalateTo, placeholder: '转办到', options: (Object.keys(ESCALATION_LABEL) as EscalationTarget[]).map((k) => ({ text: ESCALATION_LABEL[k], value: k })), required: true }),
        input({ name: FORM_FIELDS.escalateSummary, label: '转办摘要（发给职工，便于其带去反映；请勿写入职工不知道的内部信息）', placeholder: '问题经过、已做的工作、建议对方核实的事项', multiline: true, maxLength: ESCALATION_SUMMARY_MAX_CHARS, required: true }),
        submit('转办并结案', 'danger', { title: '转办', text: '确定转办？本案将以「已转办」结案，摘要会发给职工。' }),
      ]
    case 'identity':
      return [
        text(FORM_FIELDS.identityReason, '请求理由（会原样转给反映人，由其决定是否同意）', '例如：需要当面核实加班记录，请您同意向承办人公开姓名'),
        submit('发送请求', 'primary', { title: '请求公开身份', text: '请求将转给反映人本人；只有其同意后才会显示姓名。确定发送？' }),
      ]
    case 'note':
      return [text(FORM_FIELDS.note, '内部备注（仅工会干部可见，不会告知职工）', '备注内容'), submit('添加内部备注', 'primary')]
  }
}

/**
 * A step's form as a follow-up card (issue #13: Feishu's collapsible_panel cannot hold a form): sent privately to
 * the officer who clicked on the committee group's card, or in place of their private copy (then 返回 redraws it).
 */
export function buildStepFormCard(v: StepFormView, step: ReviewStep, opts: { back: boolean }): Card {
  return card({
    title: `诉求 ${v.number} · ${STEP_LABEL[step]}`,
    subtitle: v.category,
    template: step === 'decline' || step === 'escalate' ? 'orange' : 'blue',
    summary: `诉求 ${v.number}：${STEP_LABEL[step]}`,
    elements: [
      md(`**${v.number}** · ${escapeMarkdown(v.category)} · ${STATUS_LABEL[v.status]}`),
      form(`${step}_form`, stepFormElements(v, step)),
      ...(opts.back ? [buttonRow([button({ text: '返回案件卡片', action: FORM_BACK.name, value: FORM_BACK.value({ gid: v.id }), type: 'text' })])] : []),
    ],
    forwardable: false,
  })
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

/** Characters of the description shown above the fold; the whole text is in the panel. */
const EXCERPT_CHARS = 60

function reviewElements(v: ReviewCardView, historyShown: number): CardElement[] {
  const tz = v.timeZone
  const reporter = v.identity?.releasedName ? `${ANONYMOUS_LABEL}（经本人同意公开：${escapeMarkdown(v.identity.releasedName)}）` : escapeMarkdown(v.reporterLabel)
  const facts = [
    `**类别：**${escapeMarkdown(v.category)}`,
    `**状态：**${STATUS_LABEL[v.status]}${v.reopenedCount > 0 ? `（已重新打开 ${v.reopenedCount} 次）` : ''}${v.status === 'pending' || v.status === 'declined' ? '' : ` · ${TIME_CLASS_LABEL[v.timeClass]}`}`,
    `**反映人：**${reporter}`,
    `**提交时间：**${localDate(v.filedAt, tz)}${v.source ? `（${SOURCE_LABEL[v.source]}，干部登记）` : ''}`,
    deadlineLine('受理时限', v.acceptDueAt, v.acceptedAt ?? (v.status === 'declined' || v.status === 'transferred' ? v.closedAt : null), v.status === 'declined' || (v.status === 'transferred' && !v.acceptedAt) ? '已处理于' : '已受理于', v.acceptOverdueDays, tz, v.acceptEstimated),
  ]
  if (v.status !== 'declined') {
    facts.push(deadlineLine('办结时限', v.resolveDueAt, v.status === 'resolved' || v.status === 'closed' ? v.resolvedAt : v.status === 'transferred' ? v.closedAt : null, v.status === 'transferred' ? '已转办于' : '已办结于', v.resolveOverdueDays, tz, v.resolveEstimated))
  }
  if (v.status === 'transferred' && v.escalatedTo) facts.push(`**已转办：**${ESCALATION_LABEL[v.escalatedTo]}`)
  facts.push(`**承办人：**${v.assigneeName ? escapeMarkdown(v.assigneeName) : '未指派'}${v.routedTo ? `　**分派：**${escapeMarkdown(v.routedTo)}` : ''}`)
  // Anonymous cases keep a file's name only when the worker chose to show it (F3); named cases keep them all.
  facts.push(`**附件：**${escapeMarkdown(describeAttachments(v.attachments))}${attachmentNameList(v.attachments, ATTACHMENT_NAMES_SHOWN)}`)
  if (v.satisfaction) facts.push(`**职工评价：**${SATISFACTION_LABEL[v.satisfaction]}`)
  const chars = [...v.description].length
  const excerpt = chars > EXCERPT_CHARS ? `${truncate(oneLine(v.description), EXCERPT_CHARS)}（共 ${chars} 字，全文在下方）` : oneLine(v.description)
  const els: CardElement[] = [md(facts.join('\n')), ...evidenceButton({ type: 'grievance', id: v.id }, v.attachments.length), md(`**问题描述：**${escapeMarkdown(excerpt)}`)]
  // Collapsed on the phone: the whole text, the reasons and results, and the history.
  const inside: CardElement[] = [userText(v.description, { label: '问题描述（全文）' })]
  if (v.status === 'declined' && v.declineReason) inside.push(userText(v.declineReason, { label: '不予受理理由', max: 500 }))
  if (v.resolution) inside.push(userText(v.resolution, { label: v.status === 'accepted' ? '上次办结结果' : '办结结果', max: 500 }))
  if (v.escalationSummary) inside.push(userText(v.escalationSummary, { label: '转办摘要（已发给职工）', max: 1000 }))
  inside.push(historyElement(v.history, historyShown, tz))
  els.push(collapsiblePanel(`**全文与处理记录**（${v.history.length} 条）`, inside))
  els.push(...stepButtons(v))
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
