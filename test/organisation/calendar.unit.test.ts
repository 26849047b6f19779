// The working-day calendar for any year: the package's official data where it has it, officer-loaded arrangements,
// and the statutory estimate (《全国年节及纪念日放假办法》 2024) for years nobody has loaded — pure, no services.
import chineseDays from 'chinese-days'
import { describe, expect, it } from 'vitest'
import { statutoryHolidays, WorkCalendar } from '../../src/calendar.js'
import { formatArrangement, parseArrangement } from '../../src/organisation/holidays.js'
import { addDays } from '../../src/time.js'

function daysOf(year: number): string[] {
  const days: string[] = []
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) days.push(d)
  return days
}

describe('the working-day calendar', () => {
  it('agrees with chinese-days on every day of every year the package knows', () => {
    const calendar = new WorkCalendar('Asia/Shanghai')
    for (let year = 2004; year <= 2026; year++) {
      expect(calendar.sourceOf(year)).toBe('package')
      const wrong = daysOf(year).filter((d) => calendar.isWorkday(d) !== chineseDays.isWorkday(d))
      expect(wrong, String(year)).toEqual([])
    }
  })

  it('estimates only days the State Council really gave off, in the years under the 2024 rules', () => {
    // Every statutory day is inside the official arrangement of 2025 and 2026 (the package's data).
    for (const year of [2025, 2026]) {
      for (const { date, name } of statutoryHolidays(year)) expect(chineseDays.isWorkday(date), `${date} ${name}`).toBe(false)
    }
  })

  it('does not count 1 January 2027 or the Spring Festival 2027 as working days', () => {
    const calendar = new WorkCalendar('Asia/Shanghai')
    expect(calendar.sourceOf(2027)).toBe('estimate')
    expect(calendar.isEstimated('2027-03-01')).toBe(true)
    expect(calendar.isEstimated('2026-03-01')).toBe(false)
    expect(calendar.isWorkday('2027-01-01')).toBe(false) // Friday, 元旦
    // 除夕 is 2027-02-05 (Friday); 正月初一 to 初三 are 2027-02-06 to 02-08; Tuesday 02-09 is a working day.
    for (const d of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']) expect(calendar.isWorkday(d), d).toBe(false)
    expect(calendar.isWorkday('2027-02-09')).toBe(true)
    expect(calendar.isWorkday('2027-04-05')).toBe(false) // 清明 (solar term)
    expect(calendar.isWorkday('2027-06-09')).toBe(false) // 端午 (lunar 5/5)
    expect(calendar.isWorkday('2027-09-15')).toBe(false) // 中秋 (lunar 8/15)
    expect(calendar.isWorkday('2027-10-04')).toBe(true) // only three statutory National Day holidays are estimated
    // A deadline of 3 working days from Thursday 2026-12-31 skips 元旦 and the weekend.
    expect(calendar.nthWorkdayAfter(new Date('2026-12-31T04:00:00Z'), 3)).toBe('2027-01-06')
  })

  it('computes the lunar holidays for years far ahead, not from a table per year', () => {
    const days = statutoryHolidays(2030).map((h) => `${h.date} ${h.name}`)
    expect(days).toContain('2030-02-02 春节（除夕）')
    expect(days).toContain('2030-02-03 春节（正月初一）')
    expect(days).toContain('2030-06-05 端午节')
    expect(days).toContain('2030-09-12 中秋节')
    expect(days).toHaveLength(13)
  })

  it('uses an officer-loaded arrangement over both the package and the estimate, reaching into the year before', () => {
    const calendar = new WorkCalendar('Asia/Shanghai')
    expect(calendar.isWorkday('2027-02-20')).toBe(false) // Saturday
    calendar.setLoaded([{ year: 2027, holidays: ['2026-12-31', '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-10'], workdays: ['2027-02-20'] }])
    expect(calendar.sourceOf(2027)).toBe('loaded')
    expect(calendar.isEstimated('2027-05-01')).toBe(false)
    expect(calendar.isWorkday('2027-02-20')).toBe(true) // 补班
    expect(calendar.isWorkday('2027-02-10')).toBe(false)
    expect(calendar.isWorkday('2027-02-08')).toBe(true) // not in the loaded arrangement: a Monday
    expect(calendar.isWorkday('2026-12-31')).toBe(false) // the loaded 2027 arrangement's edge day
    expect(calendar.sourceOf(2026)).toBe('package')
    calendar.setLoaded([])
    expect(calendar.isWorkday('2027-02-20')).toBe(false)
    expect(calendar.isWorkday('2026-12-31')).toBe(true)
  })
})

describe('the holiday arrangement text officers send', () => {
  it('reads ranges, single days, full-width input and short dates', () => {
    const text = ['放假 2027-01-01', '放假 ２０２７－０２－０５～２０２７－０２－１１', '上班：2/20, 2027年2月21日', '', '# 注释', '休息 10-1至10-7', '补班 2027.9.26'].join('\n')
    const parsed = parseArrangement(2027, text)
    expect(parsed.errors).toEqual([])
    expect(parsed.arrangement.holidays).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
      '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
    ])
    expect(parsed.arrangement.workdays).toEqual(['2027-02-20', '2027-02-21', '2027-09-26'])
    // 清明, 劳动节, 端午 and 中秋 are missing: warned, not refused.
    expect(parsed.warnings.map((w) => w.reason).join('\n')).toContain('2027-04-05（清明节）是法定节假日')
    expect(parsed.warnings.some((w) => w.reason.includes('2027-05-01'))).toBe(true)
  })

  it('refuses bad lines with their line numbers and keeps nothing half-read', () => {
    const parsed = parseArrangement(2027, ['放假 2027-01-01', '元旦 2027-01-02', '放假 2027-02-30', '放假 2027-03-10~2027-03-01', '上班 2027-01-01', '放假 2028-05-01', '放假 2027-01-01~2027-03-01'].join('\n'))
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7])
    expect(parsed.errors[0]!.reason).toContain('每行以「放假」或「上班」开头')
    expect(parsed.errors[1]!.reason).toContain('看不懂日期「2027-02-30」')
    expect(parsed.errors[3]!.reason).toContain('已写为放假')
    expect(parsed.errors[4]!.reason).toContain('不在 2027 年')
    expect(parseArrangement(2027, '   \n# 只有注释').errors[0]!.reason).toBe('没有读到任何放假日期')
  })

  it('warns about a 上班 day that is a weekday anyway', () => {
    const parsed = parseArrangement(2027, '放假 2027-01-01\n上班 2027-01-04')
    expect(parsed.errors).toEqual([])
    expect(parsed.warnings[0]).toMatchObject({ line: 2, reason: '2027-01-04 本来就是工作日，写为上班不改变什么' })
  })

  it('writes an arrangement back in the same format, which parses to the same days', () => {
    const first = parseArrangement(2027, '放假 2027-02-05~2027-02-11\n放假 2027-01-01\n上班 2027-02-20\n上班 2027-02-21').arrangement
    const lines = formatArrangement(first)
    expect(lines).toEqual(['放假 2027-01-01', '放假 2027-02-05~2027-02-11', '上班 2027-02-20~2027-02-21'])
    expect(parseArrangement(2027, lines.join('\n')).arrangement).toEqual(first)
  })
})
