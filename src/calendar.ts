// The Chinese working-day calendar (public holidays skipped, 调休 make-up workdays counted) from the maintained
// chinese-days package; grievance deadlines and the daily digest both use it. Years the package has no data for
// yet fall back to Monday–Friday.
import chineseDays from 'chinese-days'
import { addDays, localDate, zonedInstant } from './time.js'

export class WorkCalendar {
  /** chinese-days parses the date on every call (~µs each); deadlines and digests ask about the same days often. */
  private readonly memo = new Map<string, boolean>()

  constructor(readonly timeZone: string) {}

  /** Whether a YYYY-MM-DD date is a working day. */
  isWorkday(date: string): boolean {
    let workday = this.memo.get(date)
    if (workday === undefined) {
      workday = chineseDays.isWorkday(date)
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
}
