// The digest calendar, without I/O: which period a scheduled weekly or daily digest reports, when it is due
// (09:00 in DIGEST_TIMEZONE), what "the period so far" is for an on-demand digest, months and quarters for
// 月报/季报, and the week buckets of the chart. Periods are half-open [from, to) instants; dates are local.
import { addDays, localParts, zonedInstant } from '../time.js'
import { MORNING } from '../kit/periodic.js'

export type DigestKind = 'weekly' | 'daily'
export type ReportKind = 'monthly' | 'quarterly'
export type PeriodKind = DigestKind | ReportKind

export const DIGEST_KINDS: readonly DigestKind[] = ['weekly', 'daily']

/** Wall-clock time at which scheduled digests go out (Monday for the weekly, every working day for the daily). */
export const SEND_TIME = MORNING

export const KIND_LABEL: Record<PeriodKind, string> = { weekly: '周报', daily: '日报', monthly: '月报', quarterly: '季报' }

export interface Period {
  kind: PeriodKind
  /** Identifies the period in idempotency keys: the send date of a scheduled digest, `2026-09` / `2026-Q3` for reports. */
  key: string
  from: Date
  to: Date
  /** First and last local day covered (inclusive), for people. */
  firstDay: string
  lastDay: string
  /** True while the period is still running (an on-demand digest "so far"). */
  partial: boolean
}

/** Tells working days (Chinese calendar: holidays off, 调休 make-up days on) by local date. */
export type IsWorkday = (date: string) => boolean

const midnight = (date: string, tz: string) => zonedInstant(date, '00:00', tz)

/** The latest working day strictly before `date` (searching back at most 40 days, else the day before). */
export function previousWorkday(date: string, isWorkday: IsWorkday): string {
  for (let d = addDays(date, -1), i = 0; i < 40; i++, d = addDays(d, -1)) if (isWorkday(d)) return d
  return addDays(date, -1)
}

/** The latest working day on or before `date`. */
function workdayOnOrBefore(date: string, isWorkday: IsWorkday): string {
  return isWorkday(date) ? date : previousWorkday(date, isWorkday)
}

/** Monday of the week `date` is in (weeks run Monday to Sunday). */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((weekday + 6) % 7))
}

export interface ScheduledDigest {
  period: Period
  /** When it is due: 09:00 local on the send day. It stays due until the end of that day, never later. */
  dueAt: Date
}

/**
 * The scheduled digest of `kind` whose send day is the local day of `now`, or undefined when that day is not a
 * send day. Weekly: on Mondays, the previous Monday–Sunday. Daily: on working days, everything since the start of
 * the previous working day, so a Monday's digest covers Friday to Sunday and the first day after a holiday covers
 * the holiday. Only today's period is ever offered: missed days are never sent late (no flood after downtime).
 */
export function scheduledDigest(kind: DigestKind, now: Date, tz: string, isWorkday: IsWorkday): ScheduledDigest | undefined {
  const today = localParts(now, tz)
  let first: string
  if (kind === 'weekly') {
    if (today.weekday !== 1) return undefined
    first = addDays(today.date, -7)
  } else {
    if (!isWorkday(today.date)) return undefined
    first = previousWorkday(today.date, isWorkday)
  }
  const period: Period = { kind, key: today.date, from: midnight(first, tz), to: midnight(today.date, tz), firstDay: first, lastDay: addDays(today.date, -1), partial: false }
  return { period, dueAt: zonedInstant(today.date, SEND_TIME, tz) }
}

/**
 * The period an on-demand 周报/日报 reports: the one running now, up to now. Weekly: since Monday 00:00. Daily:
 * since the start of the latest working day (the next scheduled daily digest will cover exactly this span).
 */
export function currentPeriod(kind: DigestKind, now: Date, tz: string, isWorkday: IsWorkday): Period {
  const today = localParts(now, tz).date
  const first = kind === 'weekly' ? mondayOf(today) : workdayOnOrBefore(today, isWorkday)
  return { kind, key: `${first}+`, from: midnight(first, tz), to: now, firstDay: first, lastDay: today, partial: true }
}

/**
 * The last completed week (Monday–Sunday before the week of `now`): what an on-demand 周报 shows in a public group,
 * the same period, key and figures as that Monday's scheduled weekly digest, since public grievance figures are only
 * ever published for completed weeks (src/digests/model.ts explains why).
 */
export function lastCompletedWeek(now: Date, tz: string): Period {
  const monday = mondayOf(localParts(now, tz).date)
  const first = addDays(monday, -7)
  return { kind: 'weekly', key: monday, from: midnight(first, tz), to: midnight(monday, tz), firstDay: first, lastDay: addDays(monday, -1), partial: false }
}

/** A calendar month (1–12) in the zone; `partial` and cut at `now` when it is still running. */
export function monthPeriod(year: number, month: number, tz: string, now: Date): Period {
  const first = `${year}-${String(month).padStart(2, '0')}-01`
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`
  return cut({ kind: 'monthly', key: first.slice(0, 7), from: midnight(first, tz), to: midnight(next, tz), firstDay: first, lastDay: addDays(next, -1), partial: false }, now, tz)
}

/** A calendar quarter (1–4) in the zone. */
export function quarterPeriod(year: number, quarter: number, tz: string, now: Date): Period {
  const firstMonth = (quarter - 1) * 3 + 1
  const first = `${year}-${String(firstMonth).padStart(2, '0')}-01`
  const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + 3).padStart(2, '0')}-01`
  return cut({ kind: 'quarterly', key: `${year}-Q${quarter}`, from: midnight(first, tz), to: midnight(next, tz), firstDay: first, lastDay: addDays(next, -1), partial: false }, now, tz)
}

function cut(p: Period, now: Date, tz: string): Period {
  if (now.getTime() >= p.to.getTime()) return p
  return { ...p, to: now, lastDay: localParts(now, tz).date, partial: true }
}

/**
 * Reads the argument of 月报 / 季报: nothing → the last complete month/quarter; 本月/本季 → the running one;
 * `2026-09`, `2026年9月`, `9月` (this year) / `2026-Q3`, `2026Q3`, `2026年3季度`, `三季度`… Undefined when unreadable
 * or in the future.
 */
export function parseReportPeriod(kind: ReportKind, args: string, now: Date, tz: string): Period | undefined {
  const local = localParts(now, tz)
  const text = args.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
  const currentQuarter = Math.floor((local.month - 1) / 3) + 1
  let period: Period | undefined
  if (kind === 'monthly') {
    if (text === '') {
      const m = local.month === 1 ? 12 : local.month - 1
      period = monthPeriod(local.month === 1 ? local.year - 1 : local.year, m, tz, now)
    } else if (['本月', '当月', 'this', 'thismonth'].includes(text)) {
      period = monthPeriod(local.year, local.month, tz, now)
    } else if (['上月', '上个月', 'last', 'lastmonth'].includes(text)) {
      return parseReportPeriod(kind, '', now, tz)
    } else {
      const m = text.match(/^(?:(\d{4})[-/.年])?(\d{1,2})月?$/)
      if (!m) return undefined
      const month = Number(m[2])
      if (month < 1 || month > 12) return undefined
      period = monthPeriod(m[1] ? Number(m[1]) : local.year, month, tz, now)
    }
  } else {
    if (text === '') {
      const q = currentQuarter === 1 ? 4 : currentQuarter - 1
      period = quarterPeriod(currentQuarter === 1 ? local.year - 1 : local.year, q, tz, now)
    } else if (['本季', '本季度', '当季', 'this', 'thisquarter'].includes(text)) {
      period = quarterPeriod(local.year, currentQuarter, tz, now)
    } else if (['上季', '上季度', '上个季度', 'last', 'lastquarter'].includes(text)) {
      return parseReportPeriod(kind, '', now, tz)
    } else {
      const digits: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4' }
      const folded = text.replace(/[一二三四]/g, (c) => digits[c] ?? c)
      const m = folded.match(/^(?:(\d{4})[-/.年]?)?(?:q|第)?([1-4])(?:季度|季)?$/)
      if (!m) return undefined
      period = quarterPeriod(m[1] ? Number(m[1]) : local.year, Number(m[2]), tz, now)
    }
  }
  return period.from.getTime() > now.getTime() ? undefined : period
}

export interface WeekBucket {
  /** Monday of the week, 'YYYY-MM-DD'. */
  monday: string
  from: Date
  to: Date
  /** False for a week cut at the period's end (still running): public digests chart complete weeks only. */
  complete: boolean
}

/**
 * The 8 weeks (Monday–Sunday) the chart shows, the last one being the week that holds the period's last instant;
 * the last bucket ends at the period's end so nothing after it is counted.
 */
export function chartWeeks(periodTo: Date, tz: string, weeks = 8): WeekBucket[] {
  const lastMonday = mondayOf(localParts(new Date(periodTo.getTime() - 1), tz).date)
  const out: WeekBucket[] = []
  for (let i = weeks - 1; i >= 0; i--) {
    const monday = addDays(lastMonday, -7 * i)
    const end = midnight(addDays(monday, 7), tz)
    const cut = end.getTime() > periodTo.getTime()
    out.push({ monday, from: midnight(monday, tz), to: cut ? periodTo : end, complete: !cut })
  }
  return out
}

/**
 * When a subscription made at `now` first gets its digest: the first send time at or after `now` (a subscription
 * counts for a period only if it existed when that period fell due).
 */
export function nextDue(kind: DigestKind, now: Date, tz: string, isWorkday: IsWorkday): Date | undefined {
  const today = localParts(now, tz).date
  for (let i = 0; i < 60; i++) {
    const at = zonedInstant(addDays(today, i), SEND_TIME, tz)
    if (at.getTime() >= now.getTime() && scheduledDigest(kind, at, tz, isWorkday)) return at
  }
  return undefined
}
