// 困难职工帮扶 (hardship aid): the self-check's formula, the case's steps and who sees what. No I/O.
//
// The formula is Qingdao's self-test inside 齐鲁工惠 (/work/shared/union/PRACTICE.md §1.8): (household annual
// income − rigid expenses) ÷ 12 ÷ household size, compared with the local 低保 (minimum living allowance, a
// setting): below it 深度困难, below twice it 相对困难; sudden hardship costs above 80% of the household's annual
// income 意外致困. Compared in integer fen by cross-multiplying, so no division rounds a borderline case.
import { yearlyNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'

export const HARDSHIP_NUMBER = yearlyNumbers({ prefix: 'K', digits: 4, maxDigits: 6 })

export type HardshipLevel = 'deep' | 'relative' | 'none'

export const HARDSHIP_LEVEL_LABEL: Record<HardshipLevel, string> = { deep: '深度困难', relative: '相对困难', none: '未达到困难标准' }
export const SUDDEN_LABEL = '意外致困'

/** What the worker types into the self-check: annual figures in fen, people in the household. */
export interface SelfCheckInput {
  incomeFen: number
  rigidFen: number
  householdSize: number
  suddenFen: number
}

export interface SelfCheckResult {
  level: HardshipLevel
  sudden: boolean
  /** (income − rigid) ÷ 12 ÷ size in fen, rounded down (for display; the comparison is exact). */
  perCapitaMonthlyFen: number
  /** The 低保 compared with; undefined while the union has not set it (then only 意外致困 can be told). */
  dibaoMonthlyFen?: number
}

export const HOUSEHOLD_MAX = 20

/**
 * The classification; `suddenPercent` is HARDSHIP_SUDDEN_PERCENT (80). Without a 低保 (HARDSHIP_DIBAO_MONTHLY not
 * set) the level cannot be told and stays 'none'; the per-person figure and 意外致困 still can.
 */
export function classify(i: SelfCheckInput, dibaoMonthlyFen: number | undefined, suddenPercent: number): SelfCheckResult {
  const net = i.incomeFen - i.rigidFen
  const months = 12 * i.householdSize
  // net / months < dibao  ⇔  net < dibao × months (months > 0), all integers.
  const level: HardshipLevel =
    dibaoMonthlyFen === undefined ? 'none' : net < dibaoMonthlyFen * months ? 'deep' : net < 2 * dibaoMonthlyFen * months ? 'relative' : 'none'
  // sudden > percent% of income  ⇔  sudden × 100 > percent × income.
  const sudden = i.suddenFen > 0 && i.suddenFen * 100 > suddenPercent * i.incomeFen
  return { level, sudden, perCapitaMonthlyFen: Math.floor(net / months), ...(dibaoMonthlyFen !== undefined ? { dibaoMonthlyFen } : {}) }
}

/** Whether the result lets the worker apply (the officers decide; this only offers the button). */
export const mayApply = (r: Pick<SelfCheckResult, 'level' | 'sudden'>): boolean => r.level !== 'none' || r.sudden

/** The label of a result: 深度困难 / 相对困难, with 意外致困 when it applies too. */
export function resultLabel(r: Pick<SelfCheckResult, 'level' | 'sudden'>): string {
  if (r.level === 'none') return r.sudden ? SUDDEN_LABEL : HARDSHIP_LEVEL_LABEL.none
  return r.sudden ? `${HARDSHIP_LEVEL_LABEL[r.level]}、${SUDDEN_LABEL}` : HARDSHIP_LEVEL_LABEL[r.level]
}

// ---------------------------------------------------------------------------------------------------------------
// The case.

export type HardshipStatus = 'applied' | 'visited' | 'approved' | 'rejected' | 'published' | 'paid'

/**
 * The steps of PRACTICE.md §1.8: a home visit is recorded, the committee approves (or not) on a card, an optional
 * 公示, then the aid is paid; the annual review (年度复核) is a reminder after payment, not a status.
 */
export const HARDSHIP_TRANSITIONS: TransitionTable<HardshipStatus> = {
  applied: ['visited', 'rejected'],
  visited: ['approved', 'rejected'],
  approved: ['published', 'paid'],
  published: ['paid'],
  rejected: [],
  paid: [],
}

export const HARDSHIP_STATUS_LABEL: Record<HardshipStatus, string> = {
  applied: '已申请，待入户走访',
  visited: '已走访，待委员会审批',
  approved: '已批准，待发放',
  rejected: '未批准',
  published: '公示中，待发放',
  paid: '已发放',
}

export const REASON_MAX = 500
export const NOTE_MAX = 300
export const ATTACHMENTS_MAX = 9

export interface HardshipAttachment {
  kind: 'image' | 'file'
  key: string
  name?: string
  /** The message it came in (needed to fetch it through the message-resource API). */
  messageId?: string
}

export interface HardshipCase {
  id: number
  number: string
  openId: string
  name: string
  department: string | undefined
  incomeFen: number
  rigidFen: number
  householdSize: number
  suddenFen: number
  level: HardshipLevel
  sudden: boolean
  reason: string
  attachments: HardshipAttachment[]
  /** The worker agreed that a 公示 may show their name (otherwise numbers and kind only). */
  namePublic: boolean
  status: HardshipStatus
  visitNote: string | undefined
  visitedOn: string | undefined
  decisionNote: string | undefined
  paidFen: number | undefined
  paidOn: string | undefined
  reviewDueOn: string | undefined
  createdAt: Date
}

/** What a 公示 shows: the number, the kind and the amount; the name only with the worker's consent. */
export interface NoticeView {
  number: string
  kind: string
  amountFen: number | undefined
  name: string | undefined
}

export function noticeOf(c: HardshipCase): NoticeView {
  return { number: c.number, kind: resultLabel(c), amountFen: c.paidFen, name: c.namePublic ? c.name : undefined }
}

/** The local date `months` later (the 31st becomes the month's last day): when the annual review is due. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}
