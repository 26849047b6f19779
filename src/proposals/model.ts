// The rules of a congress proposal, without I/O: statuses and the transitions between them, numbers, categories,
// answer classes, satisfaction, input limits and the lenient number parser. Handlers, stores and cards share it.
import { yearlyNumbers } from '../kit/numbers.js'

/** Stored status codes (plain column `proposals.status`); labels are for people. */
export type ProposalStatus = 'collecting' | 'pending_review' | 'registered' | 'rejected' | 'in_progress' | 'answered' | 'closed' | 'withdrawn'

export const STATUSES: readonly ProposalStatus[] = ['collecting', 'pending_review', 'registered', 'in_progress', 'answered', 'closed', 'rejected', 'withdrawn']

export const STATUS_LABEL: Record<ProposalStatus, string> = {
  collecting: '征集附议',
  pending_review: '待审查',
  registered: '已立案',
  rejected: '不立案（意见建议）',
  in_progress: '办理中',
  answered: '已答复',
  closed: '已办结',
  withdrawn: '已撤回',
}

/** Header colours of cards by status. */
export const STATUS_COLOR: Record<ProposalStatus, 'blue' | 'wathet' | 'turquoise' | 'green' | 'orange' | 'grey' | 'indigo' | 'violet'> = {
  collecting: 'wathet',
  pending_review: 'indigo',
  registered: 'blue',
  rejected: 'grey',
  in_progress: 'orange',
  answered: 'turquoise',
  closed: 'green',
  withdrawn: 'grey',
}

/**
 * The state machine. Co-signing moves 征集附议 → 待审查; review 立案/不立案; assignment → 办理中; the answer → 已答复;
 * the proposer's rating → 已办结 (满意/基本满意) or back to 办理中 (不满意). Withdrawal only before registration.
 */
export const TRANSITIONS: Record<ProposalStatus, readonly ProposalStatus[]> = {
  collecting: ['pending_review', 'withdrawn'],
  pending_review: ['registered', 'rejected', 'withdrawn'],
  registered: ['in_progress'],
  in_progress: ['answered'],
  answered: ['closed', 'in_progress'],
  rejected: [],
  closed: [],
  withdrawn: [],
}

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export function isStatus(value: string): value is ProposalStatus {
  return (STATUSES as readonly string[]).includes(value)
}

/** Co-signing stays open until the committee has reviewed the proposal (more support is welcome). */
export const COSIGNABLE: readonly ProposalStatus[] = ['collecting', 'pending_review']
/** The proposer may withdraw until the proposal is registered (立案). */
export const WITHDRAWABLE: readonly ProposalStatus[] = ['collecting', 'pending_review']
/**
 * Nobody answers their own proposal (security review F12): a proposer or co-signer cannot be the contact of the
 * department that handles it. The sentences below are the refusals of assignment, of a contact change and of the
 * answer itself (checked again there, in case the roles changed in between).
 */
export const OWN_PROPOSAL_ASSIGN = '该部门联系人是提案人/附议人，不能办理本提案，请另选部门或更换联系人。'
export const OWN_PROPOSAL_ANSWER = '您是本提案的提案人或附议人，不能答复本提案。请联系工会另选承办部门或更换联系人。'
export const ownProposalsContact = (numbers: readonly string[]) =>
  `所 @ 的联系人是该部门在办提案 ${numbers.join('、')} 的提案人/附议人，不能办理本提案，请另选联系人（该部门联系人未更改）。`

/** Statuses with nothing left to do. */
export const FINAL: readonly ProposalStatus[] = ['closed', 'rejected', 'withdrawn']

export const CATEGORIES = ['生产经营', '劳动保护', '生活福利', '教育培训', '民主管理', '其他'] as const
export type ProposalCategory = (typeof CATEGORIES)[number]

export type AnswerClass = 'A' | 'B' | 'C'
export const ANSWER_CLASS_LABEL: Record<AnswerClass, string> = {
  A: '已解决或采纳',
  B: '列入计划逐步解决',
  C: '因条件限制留作参考',
}

export { SATISFACTION_LABEL, isSatisfaction, toSatisfaction, type Satisfaction } from '../kit/satisfaction.js'
export { charCount } from '../kit/text.js'

export function isAnswerClass(v: string | undefined): v is AnswerClass {
  return v === 'A' || v === 'B' || v === 'C'
}

/** Input limits from the issue (title ≤ 50, 案由及建议 ≥ 20) and card size (Feishu cards ≤ 30 KB, docs/feishu-platform.md#card-limits). */
export const TITLE_MAX = 50
export const CONTENT_MIN = 20
export const CONTENT_MAX = 2000
export const REASON_MAX = 500
export const ANSWER_MIN = 10
export const ANSWER_MAX = 2000
// The organisation's (departments, 选区 and 届次 are its records); kept here for proposals' callers.
export { DEPARTMENT_NAME_MAX } from '../organisation/model.js'
export const WINDOW_NAME_MAX = 40

/** "P-2026-003": the year and a sequence of at least three digits. */
export const PROPOSAL_NUMBER = yearlyNumbers({ prefix: 'P', digits: 3, maxDigits: 4 })

export function formatNumber(year: number, seq: number): string {
  return PROPOSAL_NUMBER.format(year, seq)
}

/**
 * Finds a proposal number in free text, leniently: `p-2026-3`, `P2026003`, `Ｐ－２０２６－００３`, `提案P 2026 3号`.
 * Full-width characters are folded (NFKC), any dash-like separator is accepted, and surrounding text is ignored.
 * `rest` is the text around the number (NFKC-folded, trimmed): e.g. the reason after `撤回提案 P-2026-003`.
 */
export function findNumber(text: string): { number: string; rest: string } | undefined {
  const found = PROPOSAL_NUMBER.find(text)
  if (!found) return undefined
  const rest = `${found.before} ${found.after}`.normalize('NFKC').replace(/^[\s号:：,，]+|\s+$/g, '').replace(/\s+/g, ' ')
  return { number: found.number, rest }
}

export function parseNumber(text: string): string | undefined {
  return findNumber(text)?.number
}

/** The answer to the category step: its number (1–6) or its name. */
export function parseCategory(input: string): ProposalCategory | undefined {
  const t = input.normalize('NFKC').trim().replace(/[.、．。]$/, '')
  const n = Number(t)
  if (Number.isInteger(n) && n >= 1 && n <= CATEGORIES.length) return CATEGORIES[n - 1]
  return CATEGORIES.find((c) => c === t)
}

/** Status filters users may type after 提案列表; 超期 is the overdue ones among 办理中. */
export function parseStatusFilter(input: string): ProposalStatus | 'overdue' | undefined {
  const t = input.normalize('NFKC').trim()
  const table: Record<string, ProposalStatus | 'overdue'> = {
    征集附议: 'collecting',
    征集: 'collecting',
    附议: 'collecting',
    待审查: 'pending_review',
    审查: 'pending_review',
    已立案: 'registered',
    立案: 'registered',
    待交办: 'registered',
    不立案: 'rejected',
    意见建议: 'rejected',
    办理中: 'in_progress',
    已交办: 'in_progress',
    已答复: 'answered',
    答复: 'answered',
    已办结: 'closed',
    办结: 'closed',
    已撤回: 'withdrawn',
    撤回: 'withdrawn',
    超期: 'overdue',
    已超期: 'overdue',
    逾期: 'overdue',
  }
  if (table[t]) return table[t]
  return isStatus(t) ? t : undefined
}

/** Past its due date (a local 'YYYY-MM-DD', inclusive) while still waiting for the department's answer. */
export function isOverdue(status: string, dueDate: string | null, today: string): boolean {
  return status === 'in_progress' && dueDate !== null && dueDate < today
}

// The date picker's value is read by the kit (src/kit/dates.ts); re-exported for the proposal handlers.
export { parsePickedDate } from '../kit/dates.js'

// ---- digest figures (queried by src/proposals/figures.ts) ----

/** Proposal steps taken in one period. */
export interface ProposalFigures {
  submitted: number
  registered: number
  rejected: number
  answered: number
  rated: { satisfied: number; basic: number; unsatisfied: number }
}

/** The current (or else the latest) collection window and its proposals by status. */
export interface WindowStatusCounts {
  windowId: number
  /** The collection window's name, typed by an officer (escape before showing). */
  windowName: string
  open: boolean
  byStatus: Record<string, number>
  total: number
  /** 办理中 past the due date (local date strictly before `today`). */
  overdue: number
}

/** A 办理中 proposal past its due date, in the committee digest. */
export interface OverdueProposal {
  number: string
  /** The responsible department's name (typed by an officer: escape before showing). */
  department: string
  dueDate: string
}
