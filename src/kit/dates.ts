// Calendar-day arithmetic in the configured zone (working days are src/calendar.ts's business), and the one reader
// of Feishu's date-time picker values (docs/feishu-platform.md#picker-values).
import { localDate, zonedInstant } from '../time.js'

const DAY_MS = 86_400_000

/**
 * Calendar days from one local date to another (negative when `to` is earlier): 'YYYY-MM-DD' dates as they are,
 * instants by their local date in `timeZone` (so 23:59 and 00:01 the next morning are one day apart).
 */
export function daysBetween(from: string, to: string): number
export function daysBetween(from: Date, to: Date, timeZone: string): number
export function daysBetween(from: string | Date, to: string | Date, timeZone?: string): number {
  const day = (d: string | Date) => {
    if (typeof d === 'string') return d
    if (!timeZone) throw new Error('daysBetween needs a time zone for instants')
    return localDate(d, timeZone)
  }
  return Math.round((Date.parse(`${day(to)}T00:00:00Z`) - Date.parse(`${day(from)}T00:00:00Z`)) / DAY_MS)
}

const DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(?:([+-])(\d{2}):?(\d{2})|Z))?$/

/**
 * A date-time picker value. With an offset (what Feishu sends) it is exact; without one it is read as wall-clock
 * time in `timeZone`. Impossible dates (02-30, 25:00) are refused.
 */
export function parsePickerDateTime(value: string, timeZone: string): Date | undefined {
  const m = DATETIME.exec(value.trim())
  if (!m) return undefined
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || wall.getUTCHours() !== h || wall.getUTCMinutes() !== mi) return undefined
  if (m[7]) {
    const offsetMs = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1)
    return new Date(wall.getTime() - offsetMs)
  }
  if (/Z$/i.test(value.trim())) return wall
  const date = wall.toISOString().slice(0, 10)
  return zonedInstant(date, `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${s}`, timeZone)
}

/** 'YYYY-MM-DD' from a date picker value such as "2026-03-20 +0800" (docs/feishu-platform.md#picker-values), or undefined. */
export function parsePickedDate(value: string | undefined): string | undefined {
  const m = value?.trim().match(/^(\d{4})-(\d{2})-(\d{2})/)
  if (!m) return undefined
  const date = `${m[1]}-${m[2]}-${m[3]}`
  const check = new Date(`${date}T00:00:00Z`)
  return Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date ? undefined : date
}

/**
 * A typed calendar date — `2026-03-01`, `2026/3/1`, `2026.3.1` or `2026年3月1日` (spaces around the parts and
 * full-width digits are fine: 「2024年5月 1 日」, 「２０２４年５月１日」), anything after it (a picker's ` +0800`)
 * ignored — as 'YYYY-MM-DD' when it is a real date, else undefined. With `year`, a date without one (`3-1`, `3月1日`)
 * is in that year. Callers add their own bounds (not in the future, …). QA F17: 年月日 is how most people write it.
 */
export function readTypedDate(text: string, opts: { year?: number } = {}): string | undefined {
  const folded = text.normalize('NFKC').trim()
  const full = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:$|\s)/.exec(folded)
  const short = full || opts.year === undefined ? undefined : /^(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/.exec(folded)
  const [y, mo, d] = full ? [full[1]!, full[2]!, full[3]!] : short ? [String(opts.year), short[1]!, short[2]!] : []
  if (!y || !mo || !d) return undefined
  const date = `${y.padStart(4, '0')}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`
  const check = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === date ? date : undefined
}
