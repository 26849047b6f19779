// Labour-law supervision (劳动法律监督, issue #16): the union's written opinion (意见书) to the employer's department
// and the employer's duty to study it and reply (《工会法》第二十二条、第二十三条). Types, statuses and their
// transitions, S- numbers, the reply deadline in working days (src/calendar.ts), overdue tests. Pure functions.
import { yearlyNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'
import type { DismissalFigures } from './dismissal.js'

export { charCount } from '../kit/text.js'

/** What the union raises (工会法第二十二条第一款 lists the first five; rules changes: 劳动合同法第四条). */
export const SUPERVISION_TYPES = ['wages', 'overtime', 'safety', 'women_minors', 'dismissal', 'rules'] as const
export type SupervisionType = (typeof SUPERVISION_TYPES)[number]
export const SUPERVISION_TYPE_LABEL: Record<SupervisionType, string> = {
  wages: '克扣、拖欠职工工资',
  overtime: '随意延长劳动时间',
  safety: '劳动安全卫生条件、事故隐患',
  women_minors: '侵犯女职工和未成年工特殊权益',
  dismissal: '违法解除劳动合同',
  rules: '涉及职工切身利益的规章制度',
}
/** The article behind each type, shown on the 意见书. */
export const SUPERVISION_TYPE_LAW: Record<SupervisionType, string> = {
  wages: '《工会法》第二十二条',
  overtime: '《工会法》第二十二条',
  safety: '《工会法》第二十二条、第二十三条',
  women_minors: '《工会法》第二十二条',
  dismissal: '《工会法》第二十二条第二款、《劳动合同法》第四十三条',
  rules: '《劳动合同法》第四条',
}

export type SupervisionStatus = 'awaiting_reply' | 'replied' | 'closed'
export const SUPERVISION_STATUS_LABEL: Record<SupervisionStatus, string> = { awaiting_reply: '待部门答复', replied: '部门已答复', closed: '已结案' }

/**
 * The department replies (待部门答复 → 部门已答复); a reply the union does not accept asks again with a new deadline
 * (→ 待部门答复); the union closes the matter with its outcome at any point.
 */
export const SUPERVISION_TRANSITIONS: TransitionTable<SupervisionStatus> = {
  awaiting_reply: ['replied', 'closed'],
  replied: ['awaiting_reply', 'closed'],
  closed: [],
}

export const SUPERVISION_NUMBER = yearlyNumbers({ prefix: 'S', digits: 3, maxDigits: 6 })

export type SupervisionEventKind = 'opened' | 'replied' | 'accepted' | 'not_accepted' | 'closed' | 'chased'

export const FACTS_MIN_CHARS = 10
export const SUPERVISION_TEXT_MAX_CHARS = 1000

export function isReplyOverdue(m: { status: SupervisionStatus; reply_due_at: Date }, now: Date): boolean {
  return m.status === 'awaiting_reply' && now.getTime() > m.reply_due_at.getTime()
}

/** The G- numbers an officer typed to link grievances (`G-2026-0001 g2026-2`), canonical, without repeats. */
export function grievanceNumbersIn(text: string, find: (t: string) => { number: string; after: string } | undefined): string[] {
  const out: string[] = []
  let rest = text
  for (let f = find(rest); f; f = find(rest)) {
    if (!out.includes(f.number)) out.push(f.number)
    rest = f.after
  }
  return out
}

export interface SupervisionFigures {
  opened: number
  replied: number
  repliedOnTime: number
  closed: number
  overdueNow: number
  /** Dismissal notices (src/supervision/dismissal.ts): submitted, opinions given (objections), results reported. */
  dismissals: DismissalFigures
}

// ---- hazard reports (隐患) ----

/** Hazard reports `H-2026-001`, per year. */
export const HAZARD_NUMBER = yearlyNumbers({ prefix: 'H', digits: 3, maxDigits: 6 })
export const HAZARD_MIN_CHARS = 10
export const HAZARD_MAX_CHARS = 2000

/** What the 匿名/实名 step promises; it must stay true (an anonymous report keeps no reporter at all). */
export const HAZARD_ANONYMITY =
  '匿名：工会干部只看到「匿名职工」和您写的内容，系统不保存您与这份报告的对应关系（因此工会也无法单独回复您）。实名：工会干部会看到您的姓名，便于核实。'
