// The grievance desk's rules in one place: categories, statuses and their Chinese labels, case numbers,
// text limits, deadlines and overdue tests. Pure functions; handlers, cards and the digest share them.
import { randomInt } from 'node:crypto'
import type { WorkCalendar } from '../calendar.js'
import { localParts } from '../time.js'
import { yearlyNumbers } from '../kit/numbers.js'
import { choose } from '../kit/choices.js'

export { SATISFACTION_LABEL } from '../kit/satisfaction.js'
export { charCount } from '../kit/text.js'

export type GrievanceStatus = 'pending' | 'accepted' | 'declined' | 'resolved' | 'closed' | 'transferred'

/** 一般 / 复杂: chosen at 受理, each with its own 办结 limit in working days (config.grievance). */
export type TimeClass = 'general' | 'complex'
/** How an offline case (登记诉求) reached the union; null for a case the worker filed in chat. */
export type GrievanceSource = 'in_person' | 'phone' | 'letter'
/** Where an escalated case went (已转办). */
export type EscalationTarget = 'upper_union' | 'hotline_12351' | 'labour_inspection'
export type { Satisfaction } from '../kit/satisfaction.js'
import type { Satisfaction } from '../kit/satisfaction.js'

/**
 * A file or image a worker attached, as stored on the case. The message that carried it (Feishu's resource API
 * needs it to fetch the original, and names its sender) is sealed in grievance_attachment_sources. Anonymous
 * cases keep a file's name only when the worker chose to show it at the confirm step.
 */
export interface StoredAttachment {
  kind: 'image' | 'file'
  key: string
  name?: string
}

/** The steps of a case's history shown on cards (grievance_events.kind). */
/** A case as handlers and cards see it (rows are mapped in store.ts; nothing outside the store sees a table row). */
export interface Grievance {
  id: number
  /** G-<year>-<4 digits>. */
  number: string
  category: string
  description: string
  attachments: StoredAttachment[]
  anonymous: boolean
  /** Named cases only (null for anonymous ones). */
  reporterOpenId: string | null
  reporterName: string | null
  status: GrievanceStatus
  assigneeOpenId: string | null
  declineReason: string | null
  /** The latest result summary given at 办结. */
  resolution: string | null
  /** The latest rating (a reopened case keeps 'dissatisfied' until it is rated again). */
  satisfaction: Satisfaction | null
  reopenedCount: number
  filedAt: Date
  acceptDueAt: Date
  resolveDueAt: Date
  acceptedAt: Date | null
  resolvedAt: Date | null
  ratedAt: Date | null
  closedAt: Date | null
  acceptOverdueAt: Date | null
  resolveOverdueAt: Date | null
  /** The review card in the committee group. */
  reviewMessageId: string | null
  /** Bumped by every officer action; card buttons carry it. */
  revision: number
  filingKey: string
  /** The special committee the case went to by its category (GRIEVANCE_ROUTES); null when none. */
  routedTo: string | null
  timeClass: TimeClass
  /** Offline cases: how it came in, and the officer who registered it. */
  source: GrievanceSource | null
  registeredBy: string | null
  /** 已转办: where to, and the summary the worker was given to take along. */
  escalatedTo: EscalationTarget | null
  escalationSummary: string | null
  /** When the case's text and attachments were erased (retention or the worker's 删除诉求); null while kept. */
  erasedAt: Date | null
}

/** One entry of a case's history. */
export interface GrievanceEvent {
  id: string
  grievanceId: number
  at: Date
  kind: GrievanceEventKind
  /** An officer, or null (the reporter is never recorded; the system). */
  actorOpenId: string | null
  body: string | null
  detail: Record<string, unknown> | null
  eventId: string | null
}

/** An anonymous reporter's 补充 or rating waiting for its random delay. */
export interface GrievanceRelay {
  id: string
  grievanceId: number
  kind: 'follow_up' | 'rated'
  body: string | null
  detail: Record<string, unknown> | null
  deliverAfter: Date
  claimedUntil: Date | null
  deliveredAt: Date | null
}

export type GrievanceEventKind =
  | 'filed'
  | 'accepted'
  | 'declined'
  | 'assigned'
  | 'replied'
  | 'noted'
  | 'resolved'
  | 'follow_up'
  | 'rated'
  | 'reopened'
  | 'recused'
  | 'extension_requested'
  | 'extended'
  | 'extension_refused'
  | 'review_requested'
  | 'review_upheld'
  | 'review_reversed'
  | 'transferred'
  | 'identity_requested'
  | 'identity_answered'

/** The seven categories of issue #3, in the order of the numbered list. */
export const GRIEVANCE_CATEGORIES = ['劳动报酬', '工作时间与休息休假', '劳动安全卫生', '社会保险与福利', '劳动合同与解除', '职场欺凌与骚扰', '其他'] as const

export const STATUS_LABEL: Record<GrievanceStatus, string> = {
  pending: '待受理',
  accepted: '处理中',
  declined: '不予受理',
  resolved: '已办结',
  closed: '已结案',
  transferred: '已转办',
}

export const TIME_CLASS_LABEL: Record<TimeClass, string> = { general: '一般', complex: '复杂' }
export const SOURCE_LABEL: Record<GrievanceSource, string> = { in_person: '当面', phone: '电话', letter: '来信' }
/**
 * Where a case can be transferred (已转办): the upper-level union (《工会法》第十一条 的上级工会领导), the ACFTU's
 * 12351 worker hotline (PRACTICE.md §2), and the labour inspectorate (《劳动保障监察条例》第九条: 任何组织或者个人
 * 对于违反劳动保障法律的行为，有权向劳动保障行政部门举报).
 */
export const ESCALATION_LABEL: Record<EscalationTarget, string> = { upper_union: '上级工会', hotline_12351: '12351 职工热线', labour_inspection: '劳动保障监察' }
export const ESCALATION_SUMMARY_MAX_CHARS = 1000

export const DESCRIPTION_MIN_CHARS = 10
export const DESCRIPTION_MAX_CHARS = 2000
/** Reasons, replies, notes and results typed by officers in a card: Feishu's input component takes 1–1000 chars. */
export const OFFICER_TEXT_MAX_CHARS = 1000
export const FOLLOW_UP_MAX_CHARS = 2000
/** Attachments kept per filing; more is almost always a mistake (and each one is a line on the card). */
export const MAX_ATTACHMENTS = 20

/**
 * What officers will and will not see, shown at the 匿名/实名 step. It must stay true: anonymous cases keep no
 * reporter on the case itself, cards and messages say 匿名职工, and only the relay code reads the link.
 */
export const ANONYMITY_STATEMENTS = {
  anonymous:
    '匿名：工会干部在卡片和消息里只看到「匿名职工」、您填写的内容和附件的数量（文件名只在您选择显示时可见），看不到您的姓名和账号；您的补充和评价会在随机延迟后转交。系统仅为转达回复和评价保存您与诉求的对应关系。请注意，描述或附件中的细节仍可能让人推断出您是谁。',
  named: '实名：工会干部会看到您的姓名，便于联系您核实情况；机器人只把诉求发到工会委员会群，不会发到其他地方。',
} as const

/**
 * The case's state machine, enforced by transition() (src/kit/transition.ts): 受理 or 不予受理 a pending case, 办结
 * one being handled; the reporter's rating closes a resolved case (满意 / 基本满意) or reopens it (不满意). Replies,
 * notes and assignment keep the status.
 */
export const GRIEVANCE_TRANSITIONS: Readonly<Record<GrievanceStatus, readonly GrievanceStatus[]>> = {
  pending: ['accepted', 'declined', 'transferred'],
  accepted: ['resolved', 'transferred'],
  resolved: ['closed', 'accepted'],
  // 复核 (issue #13): a reviewer other than the one who declined may reverse it, and the case is handled after all.
  declined: ['accepted'],
  closed: [],
  // 已转办 (issue #13): the case goes to the upper union / 12351 / labour inspection and ends here.
  transferred: [],
}

/**
 * GRIEVANCE_ROUTES: `类别=委员会;类别=委员会`, e.g. `职场欺凌与骚扰=女职工委员会` — a case of the category also goes to
 * that special committee's members (女职工委员会: 《中华全国总工会女职工委员会工作条例》 charges it with women workers'
 * special rights, and 《女职工劳动保护特别规定》第十一条 with preventing sexual harassment). An unknown category or a
 * name that is not a 委员会 is refused at start, so a typo never silently routes nothing.
 */
export function parseGrievanceRoutes(text: string): { routes: ReadonlyMap<string, string> } | { error: string } {
  const routes = new Map<string, string>()
  for (const part of text.split(/[;；,，\n]/).map((x) => x.trim()).filter(Boolean)) {
    const [category, committee, ...rest] = part.split(/[=＝]/).map((x) => x.trim())
    if (!category || !committee || rest.length) return { error: `"${part}" is not 类别=委员会` }
    if (!(GRIEVANCE_CATEGORIES as readonly string[]).includes(category)) return { error: `unknown category "${category}" (one of ${GRIEVANCE_CATEGORIES.join('、')})` }
    if (!committee.endsWith('委员会')) return { error: `"${committee}" is not a committee name (…委员会)` }
    routes.set(category, committee)
  }
  return { routes }
}

/**
 * Working days an officer may ask to add to a case's 办结 deadline, one request at a time, approved by the chair:
 * the 12345/12351 practice of 延期办理 for complex cases (《信访工作条例》第三十二条: 情况复杂的，经批准可以适当延长办理
 * 期限，并告知信访人延期理由), in steps a phone's dropdown shows.
 */
export const EXTENSION_WORKDAYS = [5, 10, 15] as const

/**
 * 复核: the worker may ask once, within this many working days of a 不予受理, for another officer (the chair, or an
 * officer other than the one who declined) to look at it again (issue #13; the 12351 practice of 复查复核).
 */
export const REVIEW_WINDOW_WORKDAYS = 5

/** Statuses in which the case still needs the union's work (deadlines run, reminders go out). */
export const OPEN_STATUSES: readonly GrievanceStatus[] = ['pending', 'accepted']

/** Case numbers `G-2026-0007`: per filing year, four digits at least (src/kit/numbers.ts reads them leniently). */
export const GRIEVANCE_NUMBER = yearlyNumbers({ prefix: 'G', digits: 4, maxDigits: 6 })

export function formatGrievanceNumber(year: number, seq: number): string {
  return GRIEVANCE_NUMBER.format(year, seq)
}

/** Reads a case number as people type it (`g-2026-7`, `G2026-0007`, full-width forms); undefined otherwise. */
export function parseGrievanceNumber(text: string): string | undefined {
  return GRIEVANCE_NUMBER.parse(text)
}

/** Splits `G-2026-0007 rest of the text` into the number and the rest; undefined without a leading number. */
export function splitLeadingNumber(text: string): { number: string; rest: string } | undefined {
  const found = GRIEVANCE_NUMBER.splitLeading(text)
  return found ? { number: found.number, rest: found.rest } : undefined
}

/** A category from its number (1–7, also `1.` or `1、`) or its exact name; undefined otherwise. */
export function parseCategory(input: string): string | undefined {
  const t = input.trim()
  const num = t.match(/^(\d+)\s*[.、。)）]?$/)
  if (num) return GRIEVANCE_CATEGORIES[Number(num[1]) - 1]
  // The name, or the words people use for it (`工资` → 劳动报酬), from the one table in src/kit/choices.ts.
  return GRIEVANCE_CATEGORIES.find((c) => c === t) ?? choose('grievance.category', t)
}

/** Accept and resolve deadlines counted in Chinese working days from the filing (config.grievance). */
export function grievanceDeadlines(
  calendar: WorkCalendar,
  filedAt: Date,
  workdays: { acceptWorkdays: number; resolveWorkdays: number },
): { acceptDueAt: Date; resolveDueAt: Date } {
  return {
    acceptDueAt: calendar.deadlineAfter(filedAt, workdays.acceptWorkdays),
    resolveDueAt: calendar.deadlineAfter(filedAt, workdays.resolveWorkdays),
  }
}

/** The 办结 limit in working days of a case of this class (一般: resolveWorkdays, 复杂: complexResolveWorkdays). */
export function resolveWorkdaysOf(cls: TimeClass, cfg: { resolveWorkdays: number; complexResolveWorkdays: number }): number {
  return cls === 'complex' ? cfg.complexResolveWorkdays : cfg.resolveWorkdays
}

export interface DeadlineFacts {
  status: GrievanceStatus
  acceptDueAt: Date
  resolveDueAt: Date
}

/** Not yet accepted (or declined) after the accept deadline. */
export function isAcceptOverdue(g: DeadlineFacts, now: Date): boolean {
  return g.status === 'pending' && now.getTime() > g.acceptDueAt.getTime()
}

/** Still open (pending or being handled) after the resolve deadline. */
export function isResolveOverdue(g: DeadlineFacts, now: Date): boolean {
  return OPEN_STATUSES.includes(g.status) && now.getTime() > g.resolveDueAt.getTime()
}

/** The year a case filed at `instant` is numbered in (local year in the configured zone). */
export function filingYear(instant: Date, timeZone: string): number {
  return localParts(instant, timeZone).year
}

/**
 * When an anonymous reporter's 补充 or rating may reach the committee: a uniformly random delay between the
 * configured minutes (security review F7), so its arrival cannot be matched to the moment someone was seen sending.
 */
export function anonRelayDeliverAfter(now: Date, cfg: { anonRelayDelayMinMinutes: number; anonRelayDelayMaxMinutes: number }): Date {
  const min = cfg.anonRelayDelayMinMinutes * 60_000
  const max = cfg.anonRelayDelayMaxMinutes * 60_000
  return new Date(now.getTime() + (max > min ? randomInt(min, max + 1) : min))
}

/** The polite refusal when a person reached a daily cap (security review F15); caps count per local day. */
export function dailyCapMessage(what: 'filing' | 'follow_up', cap: number): string {
  return what === 'filing'
    ? `您今天已提交 ${cap} 件诉求，达到每人每天 ${cap} 件的上限。请明天 0 点后再提交；情况紧急的，请直接联系工会干部。`
    : `您今天已补充 ${cap} 次，达到每人每天 ${cap} 次的上限。请明天 0 点后再补充；也可以把要说的内容合在一条里发送。`
}

// ---- digest figures (queried by src/grievances/figures.ts) ----

/** The desk's figures of one period, as digests and reports show them. */
export interface GrievanceFigures {
  filed: number
  accepted: number
  resolved: number
  declined: number
  /** Cases closed as 已转办 in the period (issue #13). */
  transferred: number
  /** Medians over the cases accepted / resolved in the period, in seconds since filing; null when none. */
  medianAcceptSeconds: number | null
  medianResolveSeconds: number | null
  rated: { satisfied: number; basicallySatisfied: number; dissatisfied: number }
  /** Open cases now (not limited to the period). */
  open: { pending: number; accepted: number }
}

/** An open case in the committee's lists (overdue, awaiting acceptance): no text, no names. */
/** A case past one of its deadlines, as the daily reminder and the committee digest list it (no case text). */
export interface OverdueCase {
  number: string
  category: string
  status: GrievanceStatus
  /** Which deadline has passed: 受理 or 办结. */
  deadline: 'accept' | 'resolve'
  dueAt: Date
  /** Working days past the deadline (the grievance desk counts in working days). */
  overdueDays: number
}

export interface OpenCase {
  number: string
  category: string
  status: GrievanceStatus
  filedAt: Date
  acceptDueAt: Date
  resolveDueAt: Date
}

/**
 * The change a reporter's rating makes to the case: 满意 / 基本满意 close it; 不满意 reopens it with a fresh resolve
 * deadline counted from `at` (the result is the store's update patch, in column names). Applied at once for a named reporter, when the relay delivers it for an anonymous one.
 */
export function ratingChange(
  g: Pick<Grievance, 'reopenedCount' | 'revision'>,
  rating: Satisfaction,
  at: Date,
  calendar: WorkCalendar,
  resolveWorkdays: number,
) {
  const reopened = rating === 'dissatisfied'
  return {
    satisfaction: rating,
    rated_at: at,
    status: (reopened ? 'accepted' : 'closed') as GrievanceStatus,
    closed_at: reopened ? null : at,
    reopened_count: reopened ? g.reopenedCount + 1 : g.reopenedCount,
    revision: g.revision + 1,
    ...(reopened ? { resolve_due_at: calendar.deadlineAfter(at, resolveWorkdays), resolve_overdue_at: null } : {}),
  }
}

/**
 * The text file of an escalated case the worker takes along (已转办): number, category, dates, where it went, the
 * officers' summary and the worker's own description. CRLF lines, so Windows Notepad shows it as typed.
 */
export function escalationFileText(v: { number: string; category: string; filedOn: string; transferredOn: string; target: EscalationTarget; summary: string; description: string }): string {
  return [
    `工会转办摘要 ${v.number}`,
    '',
    `诉求编号：${v.number}`,
    `类别：${v.category}`,
    `提交日期：${v.filedOn}`,
    `转办日期：${v.transferredOn}`,
    `转至：${ESCALATION_LABEL[v.target]}`,
    '',
    '【转办摘要】',
    v.summary,
    '',
    '【职工反映的问题】',
    v.description,
    '',
  ].join('\r\n')
}
