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
 * A typed calendar date — `2026-03-01`, `2026/3/1` or `2026.3.1`, anything after it (a picker's ` +0800`) ignored —
 * as 'YYYY-MM-DD' when it is a real date, else undefined. Callers add their own bounds (not in the future, …).
 */
export function readTypedDate(text: string): string | undefined {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|\s)/.exec(text.trim())
  if (!m) return undefined
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  const d = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date ? date : undefined
}
