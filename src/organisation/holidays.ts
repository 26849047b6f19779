// The text officers send to load a year's official holiday arrangement (`节假日 设置 2027` then lines such as
// `放假 2027-02-06~2027-02-13` / `上班 2027-02-14`): a pure, lenient parser and the checks that run before the
// preview, so a typo is shown with its line instead of silently shifting every deadline of the year.
import { addDays } from '../time.js'
import { readTypedDate } from '../kit/dates.js'
import { isWeekend, statutoryHolidays, type CalendarSource, type StatutoryHoliday, type YearArrangement } from '../calendar.js'

export interface ArrangementProblem {
  /** 1-based line of the officer's text; 0 for a problem of the whole arrangement. */
  readonly line: number
  readonly text: string
  readonly reason: string
}

export interface ParsedArrangement {
  readonly arrangement: YearArrangement
  /** Lines refused: nothing is stored while there are any. */
  readonly errors: readonly ArrangementProblem[]
  /** Shown in the preview; the officer may still confirm. */
  readonly warnings: readonly ArrangementProblem[]
}

/** The longest run of days off one line may declare (the longest official break, 春节, is 8–9 days). */
const MAX_RANGE_DAYS = 31

const OFF_WORDS = /^(放假|休息|休假|假期|假|休)$/
const ON_WORDS = /^(上班|补班|调休上班|调班|班)$/

/** Full-width digits and punctuation as a phone keyboard may type them, folded to ASCII. */
function fold(text: string): string {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, '-')
    .replace(/[／．。]/g, (c) => (c === '／' ? '/' : '.'))
    .replace(/[～〜]/g, '~')
    .replace(/[：]/g, ':')
    .replace(/[，、；]/g, ',')
    .replace(/\u3000/g, ' ')
}

/** 2027-2-6, 2027/02/06, 2027.2.6, 2027年2月6日 → 2027-02-06; a short 2-6 or 2月6日 takes the year being set (src/kit/dates.ts). */
function parseDate(raw: string, year: number): string | undefined {
  return readTypedDate(raw, { year })
}

/** Days from `from` to `to` inclusive, or undefined when the range runs backwards or is too long. */
function expand(from: string, to: string): string[] | undefined {
  if (to < from) return undefined
  const days: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d)
    if (days.length > MAX_RANGE_DAYS) return undefined
  }
  return days
}

/** The year itself, its previous December or its next January. */
function belongsTo(day: string, year: number): boolean {
  const y = Number(day.slice(0, 4))
  const month = day.slice(5, 7)
  return y === year || (y === year - 1 && month === '12') || (y === year + 1 && month === '01')
}

export function parseArrangement(year: number, text: string): ParsedArrangement {
  const errors: ArrangementProblem[] = []
  const warnings: ArrangementProblem[] = []
  const holidays = new Set<string>()
  const workdays = new Set<string>()
  const lines = fold(text).split(/\r?\n/)
  lines.forEach((original, index) => {
    const line = index + 1
    const trimmed = original.trim()
    if (!trimmed || trimmed.startsWith('#')) return
    const m = /^(\S+?)[\s:]+(.+)$/.exec(trimmed)
    const kind = m ? (OFF_WORDS.test(m[1]!) ? 'off' : ON_WORDS.test(m[1]!) ? 'on' : undefined) : undefined
    if (!m || !kind) {
      errors.push({ line, text: trimmed, reason: '每行以「放假」或「上班」开头，例如：放假 2027-02-06~2027-02-13' })
      return
    }
    for (const part of m[2]!.split(/[,\s]+/).filter(Boolean)) {
      const range = part.split(/~|至|到/)
      const from = parseDate(range[0]!, year)
      const to = range.length === 2 ? parseDate(range[1]!, year) : range.length === 1 ? from : undefined
      if (!from || !to) {
        errors.push({ line, text: trimmed, reason: `看不懂日期「${part}」，请写成 ${year}-02-06 或 ${year}-02-06~${year}-02-13` })
        continue
      }
      const days = expand(from, to)
      if (!days) {
        errors.push({ line, text: trimmed, reason: `「${part}」的起止日期不对（结束早于开始，或超过 ${MAX_RANGE_DAYS} 天）` })
        continue
      }
      for (const day of days) {
        // An official arrangement may reach into the neighbouring year's edge (2018's 元旦 break began on
        // 2017-12-30); any other year is a typo.
        if (!belongsTo(day, year)) {
          errors.push({ line, text: trimmed, reason: `${day} 不在 ${year} 年` })
          break
        }
        if (kind === 'off') {
          if (workdays.has(day)) errors.push({ line, text: trimmed, reason: `${day} 已写为上班，不能同时放假` })
          holidays.add(day)
        } else {
          if (holidays.has(day)) errors.push({ line, text: trimmed, reason: `${day} 已写为放假，不能同时上班` })
          else if (!isWeekend(day)) warnings.push({ line, text: trimmed, reason: `${day} 本来就是工作日，写为上班不改变什么` })
          workdays.add(day)
        }
      }
    }
  })
  if (errors.length === 0 && holidays.size === 0) {
    errors.push({ line: 0, text: '', reason: '没有读到任何放假日期' })
  }
  if (errors.length === 0) {
    for (const statutory of statutoryHolidays(year)) {
      if (!holidays.has(statutory.date)) {
        warnings.push({ line: 0, text: '', reason: `${statutory.date}（${statutory.name}）是法定节假日，但没有写为放假` })
      }
    }
  }
  return {
    arrangement: { year, holidays: [...holidays].sort(), workdays: [...workdays].sort() },
    errors,
    warnings,
  }
}

/** The arrangement written back in the same text format (the preview and `节假日 2027` show it; it parses again). */
export function formatArrangement(arrangement: YearArrangement): string[] {
  const lines: string[] = []
  const runs = (days: readonly string[]) => {
    const out: Array<[string, string]> = []
    for (const day of days) {
      const last = out[out.length - 1]
      if (last && addDays(last[1], 1) === day) last[1] = day
      else out.push([day, day])
    }
    return out
  }
  for (const [from, to] of runs(arrangement.holidays)) lines.push(from === to ? `放假 ${from}` : `放假 ${from}~${to}`)
  for (const [from, to] of runs(arrangement.workdays)) lines.push(from === to ? `上班 ${from}` : `上班 ${from}~${to}`)
  return lines
}

// ---- what the `节假日` cards show (view models; cards/organisation/holidays.ts draws them) ----

/** How cards name where a year's working days come from. */
export const SOURCE_LABEL: Record<CalendarSource, string> = {
  loaded: '已加载的官方安排',
  package: '软件内置的国务院安排',
  estimate: '按法定节假日估算',
}

/** Said next to a deadline whose year the bot only estimates (src/calendar.ts). */
export const ESTIMATED_NOTE = '按法定节假日估算'

/** Years the lunar tables behind the statutory estimate cover (chinese-days, 1900–2100). */
export const HOLIDAY_YEAR_MIN = 1901
export const HOLIDAY_YEAR_MAX = 2099
/** The longest text one `节假日 设置` may carry (a year's arrangement is a dozen lines). */
export const ARRANGEMENT_TEXT_MAX = 3000
/** The longest arrangement the confirm button carries (formatArrangement's lines joined). */
export const ARRANGEMENT_DAYS_MAX = 8000

/** `2027` or `2027年` (full-width digits folded), within the years the calendar can estimate. */
export function parseHolidayYear(text: string): number | undefined {
  const m = /^(\d{4})\s*年?$/.exec(fold(text).trim())
  if (!m) return undefined
  const year = Number(m[1])
  return year >= HOLIDAY_YEAR_MIN && year <= HOLIDAY_YEAR_MAX ? year : undefined
}

/** The card of `节假日 2027`: what the bot uses for the year and where it comes from. */
export interface HolidayYearView {
  year: number
  source: CalendarSource
  /** The arrangement in the loading format (formatArrangement). */
  lines: string[]
  holidayCount: number
  workdayCount: number
  /** The statutory days the estimate rests on (source 'estimate'). */
  statutory?: StatutoryHoliday[]
  /** Who loaded it (source 'loaded'). */
  loadedByName?: string
  loadedAt?: Date
  timeZone: string
}

/** The preview of `节假日 设置 2027`: the days read, the problems with their lines, and what it replaces. */
export interface HolidayPreviewView {
  year: number
  /** The officer's text as typed (shown back so nothing they wrote is lost). */
  text: string
  errors: readonly ArrangementProblem[]
  warnings: readonly ArrangementProblem[]
  arrangement: YearArrangement
  /** Where the year's days come from today. */
  current: CalendarSource
}
