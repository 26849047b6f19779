// Labour-dispute mediation (劳动争议调解, issue #16): statuses and their transitions, case numbers, the 15-day
// calendar clock of 《劳动争议调解仲裁法》第十四条 and the one-year arbitration limit of 第二十七条, the agreement's
// text. Pure functions; handlers, cards and figures share them.
import { addDays } from '../time.js'
import { daysBetween } from '../kit/dates.js'
import { yearlyNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'

export { charCount } from '../kit/text.js'

/** The enterprise's mediation committee (Art. 10): a committee of src/organisation; its members handle the cases. */
export const MEDIATION_COMMITTEE = '劳动争议调解委员会'

export type MediationStatus = 'applied' | 'accepted' | 'agreement' | 'agreed' | 'failed' | 'declined' | 'withdrawn'

export const MEDIATION_STATUS_LABEL: Record<MediationStatus, string> = {
  applied: '待受理',
  accepted: '调解中',
  agreement: '协议待确认',
  agreed: '已达成调解协议',
  failed: '调解不成',
  declined: '不予受理',
  withdrawn: '已撤回',
}

/**
 * 受理 or 不予受理 an application; 调解成功 drafts the agreement (协议待确认), which becomes final once both parties and
 * the mediator have confirmed it (Art. 14: signed by both parties and the mediator); 调解不成 at any point before;
 * the worker may withdraw at any time before the agreement is final (mediation is voluntary, Art. 3).
 */
export const MEDIATION_TRANSITIONS: TransitionTable<MediationStatus> = {
  applied: ['accepted', 'declined', 'withdrawn'],
  accepted: ['agreement', 'failed', 'withdrawn'],
  agreement: ['agreed', 'accepted', 'failed', 'withdrawn'],
  agreed: [],
  failed: [],
  declined: [],
  withdrawn: [],
}

/** Statuses in which the 15-day clock runs (no agreement yet). */
export const CLOCK_STATUSES: readonly MediationStatus[] = ['applied', 'accepted', 'agreement']
export const ENDED_STATUSES: readonly MediationStatus[] = ['agreed', 'failed', 'declined', 'withdrawn']

/** Case numbers `M-2026-001`, per application year. */
export const MEDIATION_NUMBER = yearlyNumbers({ prefix: 'M', digits: 3, maxDigits: 6 })

/** The history kinds of a case (mediation_events.kind). */
export type MediationEventKind =
  | 'applied'
  | 'accepted'
  | 'declined'
  | 'employer_named'
  | 'session'
  | 'drafted'
  | 'confirmed'
  | 'agreed'
  | 'failed'
  | 'withdrawn'
  | 'reopened'

/** Who signs the agreement (Art. 14: 双方当事人签名或者盖章，经调解员签名并加盖调解组织印章). */
export type Signatory = 'applicant' | 'employer' | 'mediator'
export const SIGNATORIES: readonly Signatory[] = ['applicant', 'employer', 'mediator']
export const SIGNATORY_LABEL: Record<Signatory, string> = { applicant: '申请人（职工）', employer: '被申请人（企业方代表）', mediator: '调解员' }

/**
 * What the dispute is about, as far as 第十六条 matters: for wage arrears, medical costs of a work injury, economic
 * compensation or damages, the worker may apply to a court for a payment order (支付令) when the employer does not
 * perform the agreement by its date.
 */
export const CLAIM_KINDS = ['wages', 'injury_medical', 'compensation', 'other'] as const
export type ClaimKind = (typeof CLAIM_KINDS)[number]
export const CLAIM_KIND_LABEL: Record<ClaimKind, string> = {
  wages: '拖欠劳动报酬',
  injury_medical: '工伤医疗费',
  compensation: '经济补偿或者赔偿金',
  other: '其他',
}
export const PAYMENT_ORDER_KINDS: readonly ClaimKind[] = ['wages', 'injury_medical', 'compensation']

/** Texts the worker types in the application (Art. 12: 基本事实、请求、理由). */
export const APPLICATION_MIN_CHARS = 5
export const APPLICATION_MAX_CHARS = 2000
export const OTHER_PARTY_MAX_CHARS = 100
/** Officers' form texts: Feishu's input component takes up to 1000 characters. */
export const OFFICER_TEXT_MAX_CHARS = 1000

// ---- the clocks (pure date logic; tested in test/mediation/clock.unit.test.ts) ----

/**
 * The 15-day period of Art. 14 in calendar days (holidays are not skipped). The day of the application is not
 * counted (《民法典》第二百零一条: 开始的当日不计入), so the period's last day is the application date + 15, ending at 24:00
 * (第二百零三条); from the next day either party may apply for arbitration.
 */
export interface MediationClock {
  appliedOn: string
  /** Last day of the period (inclusive). */
  lastDay: string
  /** The day from which arbitration may be applied for without agreement (lastDay + 1). */
  arbitrationOpenOn: string
  /** The reminder day (application date + reminderDay). */
  reminderOn: string
  /** Days elapsed on `today` (0 on the application day), and days left in the period (0 on its last day). */
  day: number
  daysLeft: number
  /** The period is over (today is after lastDay). */
  expired: boolean
}

export function mediationClock(appliedOn: string, today: string, cfg: { periodDays: number; reminderDay: number }): MediationClock {
  const lastDay = addDays(appliedOn, cfg.periodDays)
  const day = daysBetween(appliedOn, today)
  return {
    appliedOn,
    lastDay,
    arbitrationOpenOn: addDays(lastDay, 1),
    reminderOn: addDays(appliedOn, cfg.reminderDay),
    day,
    daysLeft: Math.max(0, daysBetween(today, lastDay)),
    expired: today > lastDay,
  }
}

/** Whether the reminder of day `reminderDay` is due on `today` (from that day until the period ends). */
export function reminderDue(clock: MediationClock, today: string): boolean {
  return today >= clock.reminderOn && !clock.expired
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/**
 * The last day of the one-year arbitration limit (第二十七条: 仲裁时效期间为一年, from the day the party knew or should
 * have known of the infringement). A period in years ends on the corresponding day of the last year, and on the
 * month's last day when there is none (《民法典》第二百零二条: 2024-02-29 → 2025-02-28). The date shown is the safe one:
 * an interruption (申请调解 is a request for relief, 第二十七条第二款) restarts the limit, and a last day on a holiday
 * moves to the next working day (第二百零三条) — both only ever make the real deadline later.
 */
export function arbitrationDeadline(knewOn: string): string {
  const [y, m, d] = knewOn.split('-').map(Number) as [number, number, number]
  const year = y + 1
  const day = m === 2 && d === 29 && !isLeap(year) ? 28 : d
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * A date as people type it: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 3月5日 (this year, or last year when that
 * would lie in the future), 今天, 昨天, 前天. Undefined for anything else or an impossible date.
 */
export function parseTypedDate(text: string, today: string): string | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '')
  if (t === '今天' || t === '今日') return today
  if (t === '昨天' || t === '昨日') return addDays(today, -1)
  if (t === '前天') return addDays(today, -2)
  let m = t.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/)
  let y: number, mo: number, d: number
  if (m) {
    y = Number(m[1])
    mo = Number(m[2])
    d = Number(m[3])
  } else {
    m = t.match(/^(\d{1,2})[-/.月](\d{1,2})[日号]?$/)
    if (!m) return undefined
    y = Number(today.slice(0, 4))
    mo = Number(m[1])
    d = Number(m[2])
  }
  const iso = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  const check = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) return undefined
  // `3月5日` typed in January means last year's March.
  if (!/^\d{4}/.test(t) && iso > today) return `${y - 1}${iso.slice(4)}`
  return iso
}

// ---- the agreement (调解协议书) ----

export interface AgreementFacts {
  number: string
  applicantName: string
  employerName: string
  otherParty: string
  mediatorName: string
  facts: string
  request: string
  terms: string
  performOn: string | null
  claimKind: ClaimKind
  draftedOn: string
}

/** The 调解协议书 drafted from the case's fields (Art. 14); the same text goes on the cards and into the file. */
export function draftAgreement(f: AgreementFacts): string {
  return [
    `劳动争议调解协议书（${f.number}）`,
    '',
    `申请人：${f.applicantName}`,
    `被申请人：${f.otherParty}（代表：${f.employerName}）`,
    `调解员：${f.mediatorName}`,
    `争议类别：${CLAIM_KIND_LABEL[f.claimKind]}`,
    '',
    '一、争议的基本事实',
    f.facts,
    '',
    '二、申请人的请求',
    f.request,
    '',
    '三、经调解，双方自愿达成如下协议',
    f.terms,
    '',
    `四、履行期限：${f.performOn ? `${f.performOn} 前履行完毕` : '协议生效后即时履行'}`,
    '',
    '五、本协议经双方当事人和调解员确认后生效，对双方当事人具有约束力，当事人应当履行（《中华人民共和国劳动争议调解仲裁法》第十四条）。',
    ...(PAYMENT_ORDER_KINDS.includes(f.claimKind)
      ? ['因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，用人单位在协议约定期限内不履行的，劳动者可以持调解协议书依法向人民法院申请支付令（第十六条）。']
      : ['达成调解协议后，一方当事人在协议约定期限内不履行调解协议的，另一方当事人可以依法申请仲裁（第十五条）。']),
    '',
    `起草日期：${f.draftedOn}`,
  ].join('\n')
}

/**
 * Whether the one-year limit counted from `knewOn` has already run out on `today` (QA F22). Only "may": the limit is
 * interrupted by a claim on the other party or a request for relief and then runs again (第二十七条第二款), and wage
 * claims while the labour relationship lasts are not limited by it (第二十七条第四款) — the bot cannot decide either.
 */
export function limitMayHaveRun(knewOn: string, today: string): boolean {
  return arbitrationDeadline(knewOn) < today
}

/** 第二十七条第四款, in plain words. */
export const WAGE_CLAIM_EXCEPTION = '劳动关系存续期间因拖欠劳动报酬发生争议的，不受一年仲裁时效的限制（第二十七条第四款）。'

/** The limit as a short clause on the cards: the last day when it lies ahead, else that it may have run out. */
export function limitationClause(knewOn: string, today: string): string {
  const last = arbitrationDeadline(knewOn)
  return limitMayHaveRun(knewOn, today) ? `仲裁时效一年，按此日期计算已于 ${last} 届满，时效可能已过，第二十七条` : `仲裁时效一年，最迟 ${last} 前申请仲裁，第二十七条`
}

/** Said plainly when the knew-date lies more than a year back: the application is still taken. */
export function limitationWarning(knewOn: string): string {
  return `⚠️ 从您填写的日期（${knewOn}）算起已超过一年：按一年的仲裁时效（《劳动争议调解仲裁法》第二十七条）计算，时效已于 ${arbitrationDeadline(knewOn)} 届满，可能已经不能申请仲裁。但向对方主张过权利、请求过有关部门处理的，时效从那时起重新计算；${WAGE_CLAIM_EXCEPTION}申请仍可以提交，调解委员会会和您一起核实。`
}

/** Plain words for a worker whose mediation ended without agreement (or was declined, withdrawn, or ran out). */
export function arbitrationHint(knewOn: string, today: string): string {
  const head = `您可以向劳动争议仲裁委员会申请仲裁（《劳动争议调解仲裁法》第十四条、第五条）。仲裁时效为一年，从您知道权利被侵害之日（${knewOn}）起计算（第二十七条）`
  if (!limitMayHaveRun(knewOn, today)) return `${head}，请最迟在 ${arbitrationDeadline(knewOn)} 前提出。`
  return `${head}；按此日期计算已于 ${arbitrationDeadline(knewOn)} 届满，时效可能已过，但时效中断后重新计算（第二十七条第二款），${WAGE_CLAIM_EXCEPTION}请尽快向仲裁委员会或工会咨询。`
}

/** The payment-order hint of Art. 16, for the kinds it covers. */
export const PAYMENT_ORDER_HINT =
  '如用人单位在协议约定期限内不履行，您可以持本调解协议书向人民法院申请支付令（《劳动争议调解仲裁法》第十六条）。'

// ---- figures ----

export interface MediationFigures {
  applications: number
  accepted: number
  agreements: number
  failed: number
  /** Median calendar days from application to agreement (cases agreed in the period); null when none. */
  medianDays: number | null
  /** Of the agreements in the period, those reached within the period of Art. 14. */
  withinPeriod: number
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
