// 会员关怀 (care for members): the kinds of care event, exact money in fen, the caps and how an amount is checked
// against them, and the views the cards draw. No I/O.
//
// Default caps: 《安徽省基层工会经费收支管理实施办法(试行)》 (the Anhui rule, /work/shared/union/PRACTICE.md §1.7):
// festivals ≤ 1,500 yuan per person per year; birthday ≤ 300; marriage or a birth within policy ≤ 600; hospital
// stay ≤ 1,000; death of a member ≤ 2,000, of a spouse, parent or child ≤ 1,000; retirement keepsake ≤ 1,000.
// Caps are set provincially, so each is a setting (CARE_CAP_<KIND>, src/config.ts).

export const CARE_KINDS = ['birthday', 'marriage', 'birth', 'hospital', 'retirement', 'death_member', 'death_relative', 'festival'] as const
export type CareKind = (typeof CARE_KINDS)[number]

export const CARE_KIND_LABEL: Record<CareKind, string> = {
  birthday: '生日',
  marriage: '结婚',
  birth: '生育',
  hospital: '住院',
  retirement: '退休',
  death_member: '去世（本人）',
  death_relative: '去世（直系亲属）',
  festival: '节日慰问',
}

/** Words people type for each kind (first match wins; longer words are tried first). */
const KIND_WORDS: Array<[string, CareKind]> = (
  [
    ['生日', 'birthday'],
    ['过生日', 'birthday'],
    ['结婚', 'marriage'],
    ['婚礼', 'marriage'],
    ['新婚', 'marriage'],
    ['生育', 'birth'],
    ['生孩子', 'birth'],
    ['生小孩', 'birth'],
    ['添丁', 'birth'],
    ['住院', 'hospital'],
    ['生病住院', 'hospital'],
    ['退休', 'retirement'],
    ['去世', 'death_member'],
    ['本人去世', 'death_member'],
    ['去世本人', 'death_member'],
    ['去世(本人)', 'death_member'],
    ['去世（本人）', 'death_member'],
    ['亲属去世', 'death_relative'],
    ['直系亲属去世', 'death_relative'],
    ['去世亲属', 'death_relative'],
    ['去世直系亲属', 'death_relative'],
    ['去世(直系亲属)', 'death_relative'],
    ['去世（直系亲属）', 'death_relative'],
    ['丧亲', 'death_relative'],
    ['节日', 'festival'],
    ['节日慰问', 'festival'],
    ['春节', 'festival'],
    ['端午', 'festival'],
    ['中秋', 'festival'],
    ['国庆', 'festival'],
  ] as Array<[string, CareKind]>
).sort((a, b) => b[0].length - a[0].length)

/** The kind a word names (生日, 住院, 亲属去世 …), or undefined. */
export function parseCareKind(word: string): CareKind | undefined {
  const w = word.trim()
  for (const [k, kind] of KIND_WORDS) if (w === k) return kind
  return (CARE_KINDS as readonly string[]).includes(w.toLowerCase()) ? (w.toLowerCase() as CareKind) : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Money: integer fen everywhere. Yuan are read from text digit by digit and never pass through a float.

/** Largest amount one care event or one aid payment may carry: 9,999,999.99 yuan (fits an int column). */
export const MAX_FEN = 999_999_999

/**
 * An amount typed in yuan (`500`, `500.5`, `1,000.00`, `¥300`, `300元`) as integer fen; undefined when it is not
 * one, has more than two decimals, or is 0 or above MAX_FEN.
 */
export function parseYuan(text: string): number | undefined {
  const t = text.trim().replace(/^[¥￥]/, '').replace(/元$/, '').replace(/,(?=\d{3}(\D|$))/g, '')
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(t)
  if (!m) return undefined
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return fen > 0 && fen <= MAX_FEN ? fen : undefined
}

/** Fen as yuan for people: `1,000.00 元` style digits without the unit (`1,000` when whole). */
export function formatYuan(fen: number): string {
  const yuan = Math.trunc(fen / 100)
  const cents = Math.abs(fen % 100)
  const whole = yuan.toLocaleString('en-US')
  return cents === 0 ? whole : `${whole}.${String(cents).padStart(2, '0')}`
}

/** Fen as a plain decimal for CSV files (`1000.00`), exact. */
export function fenDecimal(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`
}

// ---------------------------------------------------------------------------------------------------------------
// Caps.

/** One kind's caps in fen: per event, and per person and calendar year (undefined: no yearly cap). */
export interface Cap {
  perEventFen: number
  yearlyFen: number | undefined
}
export type CareCaps = Readonly<Record<CareKind, Cap>>

/** The Anhui rule's figures (see the head of this file); a birthday and a retirement happen once a year. */
export const DEFAULT_CARE_CAPS: CareCaps = {
  birthday: { perEventFen: 300_00, yearlyFen: 300_00 },
  marriage: { perEventFen: 600_00, yearlyFen: undefined },
  birth: { perEventFen: 600_00, yearlyFen: undefined },
  hospital: { perEventFen: 1_000_00, yearlyFen: undefined },
  retirement: { perEventFen: 1_000_00, yearlyFen: 1_000_00 },
  death_member: { perEventFen: 2_000_00, yearlyFen: undefined },
  death_relative: { perEventFen: 1_000_00, yearlyFen: undefined },
  festival: { perEventFen: 1_500_00, yearlyFen: 1_500_00 },
}

/** A cap setting: `300` (per event) or `300/300` (per event / per year), in yuan. */
export function parseCap(text: string): Cap | undefined {
  const [per, yearly, ...rest] = text.split('/')
  if (rest.length) return undefined
  const perEventFen = parseYuan(per ?? '')
  if (perEventFen === undefined) return undefined
  if (yearly === undefined || yearly.trim() === '') return { perEventFen, yearlyFen: undefined }
  const yearlyFen = parseYuan(yearly)
  return yearlyFen === undefined ? undefined : { perEventFen, yearlyFen }
}

export type CapCheck = { ok: true } | { ok: false; which: 'event' | 'year'; capFen: number; usedFen: number }

/** Whether `amountFen` fits the cap, given what this person already received of this kind this year. */
export function checkCap(cap: Cap, amountFen: number, usedThisYearFen: number): CapCheck {
  if (amountFen > cap.perEventFen) return { ok: false, which: 'event', capFen: cap.perEventFen, usedFen: usedThisYearFen }
  if (cap.yearlyFen !== undefined && usedThisYearFen + amountFen > cap.yearlyFen) return { ok: false, which: 'year', capFen: cap.yearlyFen, usedFen: usedThisYearFen }
  return { ok: true }
}

/** The sentence telling an officer which cap an amount breaks. */
export function capRefusal(kind: CareKind, c: Extract<CapCheck, { ok: false }>): string {
  const label = CARE_KIND_LABEL[kind]
  return c.which === 'event'
    ? `${label}慰问每次不超过 ${formatYuan(c.capFen)} 元`
    : `${label}慰问每人每年不超过 ${formatYuan(c.capFen)} 元（今年已发 ${formatYuan(c.usedFen)} 元）`
}

// ---------------------------------------------------------------------------------------------------------------
// Events and views.

/** recorded: in the ledger; pending: above a cap, awaiting the chair (CARE_OVER_CAP=approval); refused by the chair. */
export type CareStatus = 'recorded' | 'pending' | 'refused'

export const CARE_STATUS_LABEL: Record<CareStatus, string> = { recorded: '已登记', pending: '待主席审批', refused: '主席未批准' }

/** Gift descriptions (蛋糕券, 慰问品) are short. */
export const GIFT_MAX = 40

export interface CareEvent {
  id: number
  openId: string
  name: string
  department: string | undefined
  kind: CareKind
  amountFen: number
  gift: string | undefined
  /** Local date of the care (YYYY-MM-DD). */
  occurredOn: string
  status: CareStatus
  /** The cap an entry awaiting approval breaks (shown on the chair's card). */
  overCap: string | undefined
  /** The officer who recorded it (told of the chair's decision). */
  recordedBy: string
}

export interface LedgerView {
  year: number
  totalFen: number
  count: number
  byKind: Array<{ kind: CareKind; count: number; fen: number }>
  byDepartment: Array<{ department: string | undefined; count: number; fen: number }>
  pending: number
}

/** What the 季报 shows of care: totals of the period (counts and money, by kind), never names. */
export interface CareFigures {
  count: number
  totalFen: number
  byKind: Array<{ kind: CareKind; count: number; fen: number }>
}

/** Reminders from the imported roster: the day before a birthday or a retirement. */
export type ReminderKind = 'birthday' | 'retirement'
export const ROSTER_MAX_ROWS = 5000
