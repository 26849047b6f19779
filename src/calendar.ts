// The Chinese working-day calendar: public holidays skipped, 调休 make-up workdays counted. For each year it uses,
// in order, an arrangement officers loaded (`节假日 设置 2027`, kept in Postgres), the maintained chinese-days
// package, or — for a year neither knows — an estimate from the statutory holidays alone (weekends and the days of
// 《全国年节及纪念日放假办法》 as revised in 2024, without the State Council's bridging days), which cards flag as
// 「按法定节假日估算」. Grievance deadlines, reminders and digests all ask it.
import chineseDays from 'chinese-days'
import { addDays, localDate, zonedInstant } from './time.js'

/** Where a year's working days come from. */
export type CalendarSource = 'loaded' | 'package' | 'estimate'

/** A year's official arrangement as officers load it: days off beyond weekends, and weekend days worked (调休). */
export interface YearArrangement {
  readonly year: number
  /** YYYY-MM-DD days off (holidays, including those falling on weekends). */
  readonly holidays: readonly string[]
  /** YYYY-MM-DD weekend days that are working days (补班). */
  readonly workdays: readonly string[]
}

/** A statutory holiday of the estimate, named for the preview and the `节假日` answer. */
export interface StatutoryHoliday {
  readonly date: string
  readonly name: string
}

/**
 * The statutory holidays of a year (《全国年节及纪念日放假办法》, State Council decree 795, in force 2025-01-01,
 * art. 2: 元旦 1 day, 春节 4 days (除夕 to 正月初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3). Lunar dates and the
 * 清明 solar term are computed by chinese-days' lunar tables (1900–2100), not hard-coded per year.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const lunar = (monthDay: string) => chineseDays.getSolarDateFromLunar(`${year}-${monthDay}`).date
  const springFestival = lunar('01-01')
  const days: StatutoryHoliday[] = [
    { date: `${year}-01-01`, name: '元旦' },
    { date: addDays(springFestival, -1), name: '春节（除夕）' },
    { date: springFestival, name: '春节（正月初一）' },
    { date: addDays(springFestival, 1), name: '春节（正月初二）' },
    { date: addDays(springFestival, 2), name: '春节（正月初三）' },
    { date: chineseDays.getSolarTermDate(year, 4, 'pure_brightness'), name: '清明节' },
    { date: `${year}-05-01`, name: '劳动节' },
    { date: `${year}-05-02`, name: '劳动节' },
    { date: lunar('05-05'), name: '端午节' },
    { date: lunar('08-15'), name: '中秋节' },
    { date: `${year}-10-01`, name: '国庆节' },
    { date: `${year}-10-02`, name: '国庆节' },
    { date: `${year}-10-03`, name: '国庆节' },
  ]
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay()
}

export function isWeekend(date: string): boolean {
  const day = weekdayOf(date)
  return day === 0 || day === 6
}

interface YearRules {
  readonly source: CalendarSource
  readonly holidays: ReadonlySet<string>
  readonly workdays: ReadonlySet<string>
}

export class WorkCalendar {
  /** chinese-days parses the date on every call (~µs each); deadlines and digests ask about the same days often. */
  private readonly memo = new Map<string, boolean>()
  private readonly years = new Map<number, YearRules>()
  private loaded = new Map<number, YearArrangement>()
  /** Days an arrangement declares, also those at the edge of a neighbouring year (2017-12-30 in 2018's). */
  private loadedDays = new Map<string, boolean>()

  constructor(readonly timeZone: string) {}

  /** Replaces the officer-loaded arrangements (all years at once, as read from Postgres). */
  setLoaded(arrangements: readonly YearArrangement[]): void {
    this.loaded = new Map(arrangements.map((a) => [a.year, a]))
    this.loadedDays = new Map()
    for (const a of arrangements) {
      for (const day of a.holidays) this.loadedDays.set(day, false)
      for (const day of a.workdays) this.loadedDays.set(day, true)
    }
    this.years.clear()
    this.memo.clear()
  }

  /** Where the given year's working days come from. */
  sourceOf(year: number): CalendarSource {
    return this.rulesFor(year).source
  }

  /** Whether the working days of the date's year are only estimated from the statutory holidays. */
  isEstimated(date: string): boolean {
    return this.sourceOf(Number(date.slice(0, 4))) === 'estimate'
  }

  /** The days off and make-up workdays in use for a year, whatever their source (for `节假日 2027`). */
  arrangementOf(year: number): YearArrangement & { source: CalendarSource } {
    const rules = this.rulesFor(year)
    return { year, source: rules.source, holidays: [...rules.holidays].sort(), workdays: [...rules.workdays].sort() }
  }

  /** Whether a YYYY-MM-DD date is a working day. */
  isWorkday(date: string): boolean {
    let workday = this.memo.get(date)
    if (workday === undefined) {
      const rules = this.rulesFor(Number(date.slice(0, 4)))
      workday = this.loadedDays.get(date) ?? (rules.workdays.has(date) || (!rules.holidays.has(date) && !isWeekend(date)))
      // A few years of days at most; the bound only guards against odd callers.
      if (this.memo.size > 20_000) this.memo.clear()
      this.memo.set(date, workday)
    }
    return workday
  }

  /** Whether the local day of `instant` is a working day. */
  isWorkdayAt(instant: Date): boolean {
    return this.isWorkday(localDate(instant, this.timeZone))
  }

  /** The date of the n-th working day after the local day of `from` (n ≥ 1; the starting day itself does not count). */
  nthWorkdayAfter(from: Date, n: number): string {
    let date = localDate(from, this.timeZone)
    let left = n
    while (left > 0) {
      date = addDays(date, 1)
      if (this.isWorkday(date)) left--
    }
    return date
  }

  /** Deadline "within n working days of `from`": the end of the n-th working day after it, in the zone. */
  deadlineAfter(from: Date, workdays: number): Date {
    return zonedInstant(this.nthWorkdayAfter(from, workdays), '23:59:59.999', this.timeZone)
  }

  /** Working days strictly after the local day of `from` up to and including the local day of `to`. */
  workdaysBetween(from: Date, to: Date): number {
    let date = localDate(from, this.timeZone)
    const end = localDate(to, this.timeZone)
    let n = 0
    while (date < end) {
      date = addDays(date, 1)
      if (this.isWorkday(date)) n++
    }
    return n
  }

  private rulesFor(year: number): YearRules {
    let rules = this.years.get(year)
    if (rules) return rules
    const loaded = this.loaded.get(year)
    if (loaded) {
      rules = { source: 'loaded', holidays: new Set(loaded.holidays), workdays: new Set(loaded.workdays) }
    } else {
      const first = `${year}-01-01`
      const last = `${year}-12-31`
      // getHolidaysInRange(…, false) lists only the package's declared holidays: none means it has no data for the year.
      const declared = year >= 1901 && year <= 2099 ? chineseDays.getHolidaysInRange(first, last, false) : []
      if (declared.length > 0) {
        const workdays = chineseDays.getWorkdaysInRange(first, last, true).filter(isWeekend)
        rules = { source: 'package', holidays: new Set(declared), workdays: new Set(workdays) }
      } else {
        const estimate = year >= 1901 && year <= 2099 ? statutoryHolidays(year).map((h) => h.date) : []
        rules = { source: 'estimate', holidays: new Set(estimate), workdays: new Set() }
      }
    }
    this.years.set(year, rules)
    return rules
  }
}
