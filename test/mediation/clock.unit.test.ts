// The mediation clocks as pure date logic: the 15-day period of 劳动争议调解仲裁法第十四条 in calendar days (month
// ends, leap years, holidays not skipped), the one-year arbitration limit of 第二十七条, and typed dates.
import { describe, expect, it } from 'vitest'
import { arbitrationDeadline, draftAgreement, mediationClock, median, parseTypedDate, reminderDue, MEDIATION_NUMBER, MEDIATION_TRANSITIONS } from '../../src/mediation/model.js'
import { canMove } from '../../src/kit/transition.js'

const CFG = { periodDays: 15, reminderDay: 12 }

describe('the 15-day clock (calendar days, Art. 14)', () => {
  it('counts from the day after the application; the last day is the application date + 15', () => {
    const c = mediationClock('2026-04-07', '2026-04-07', CFG)
    expect(c).toMatchObject({ lastDay: '2026-04-22', arbitrationOpenOn: '2026-04-23', reminderOn: '2026-04-19', day: 0, daysLeft: 15, expired: false })
    expect(mediationClock('2026-04-07', '2026-04-22', CFG)).toMatchObject({ day: 15, daysLeft: 0, expired: false })
    expect(mediationClock('2026-04-07', '2026-04-23', CFG)).toMatchObject({ day: 16, daysLeft: 0, expired: true })
  })

  it('runs across month and year ends', () => {
    expect(mediationClock('2026-01-25', '2026-01-25', CFG).lastDay).toBe('2026-02-09')
    expect(mediationClock('2026-12-20', '2026-12-20', CFG).lastDay).toBe('2027-01-04')
    expect(mediationClock('2026-04-30', '2026-05-01', CFG)).toMatchObject({ lastDay: '2026-05-15', day: 1 })
  })

  it('runs through February in leap and common years', () => {
    expect(mediationClock('2028-02-20', '2028-02-20', CFG).lastDay).toBe('2028-03-06') // 2028-02-29 exists
    expect(mediationClock('2027-02-20', '2027-02-20', CFG).lastDay).toBe('2027-03-07')
    expect(mediationClock('2028-02-14', '2028-02-14', CFG).lastDay).toBe('2028-02-29')
  })

  it('does not skip statutory holidays: the 国庆 week counts day by day', () => {
    // 2026-09-28 + 15 = 2026-10-13, although 10-01..10-07 are holidays (working-day limits would differ).
    const c = mediationClock('2026-09-28', '2026-10-05', CFG)
    expect(c).toMatchObject({ lastDay: '2026-10-13', day: 7, daysLeft: 8 })
    // Spring Festival 2026 (02-15..02-23): still calendar days.
    expect(mediationClock('2026-02-10', '2026-02-10', CFG).lastDay).toBe('2026-02-25')
  })

  it('is never 30 days (the repealed 1993 rule)', () => {
    expect(mediationClock('2026-04-01', '2026-04-01', CFG).lastDay).not.toBe('2026-05-01')
    expect(mediationClock('2026-04-01', '2026-04-17', CFG).expired).toBe(true)
  })

  it('the day-12 reminder is due from day 12 until the period ends', () => {
    const on = (today: string) => reminderDue(mediationClock('2026-04-07', today, CFG), today)
    expect(on('2026-04-18')).toBe(false)
    expect(on('2026-04-19')).toBe(true)
    expect(on('2026-04-22')).toBe(true)
    expect(on('2026-04-23')).toBe(false)
  })
})

describe('the one-year arbitration limit (Art. 27)', () => {
  it('ends on the corresponding day one year later', () => {
    expect(arbitrationDeadline('2026-03-10')).toBe('2027-03-10')
    expect(arbitrationDeadline('2025-12-31')).toBe('2026-12-31')
    expect(arbitrationDeadline('2026-01-31')).toBe('2027-01-31')
  })

  it('a 29 February ends on 28 February of a common year, and stays 29 in a leap one', () => {
    expect(arbitrationDeadline('2024-02-29')).toBe('2025-02-28')
    expect(arbitrationDeadline('2027-02-28')).toBe('2028-02-28')
    expect(arbitrationDeadline('2027-03-01')).toBe('2028-03-01')
  })

  it('ignores holidays (the shown date is the safe, earlier one)', () => {
    expect(arbitrationDeadline('2025-10-01')).toBe('2026-10-01')
  })
})

describe('typed dates', () => {
  const today = '2026-04-07'
  it('reads the usual forms', () => {
    for (const t of ['2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日', '２０２６年３月５日', '3月5日', '3月5号', ' 2026-3-5 ']) expect(parseTypedDate(t, today), t).toBe('2026-03-05')
    expect(parseTypedDate('今天', today)).toBe('2026-04-07')
    expect(parseTypedDate('昨天', today)).toBe('2026-04-06')
    expect(parseTypedDate('前天', '2026-03-01')).toBe('2026-02-27')
  })
  it('a month and day later than today means last year', () => {
    expect(parseTypedDate('12月30日', today)).toBe('2025-12-30')
  })
  it('refuses impossible dates and other text', () => {
    for (const t of ['2026-02-30', '2027-02-29', '13月1日', '上个月', '', '2026']) expect(parseTypedDate(t, today), t).toBeUndefined()
    expect(parseTypedDate('2028-02-29', today)).toBe('2028-02-29')
  })
})

describe('numbers, transitions, the agreement', () => {
  it('formats and reads M-YYYY-NNN', () => {
    expect(MEDIATION_NUMBER.format(2026, 7)).toBe('M-2026-007')
    expect(MEDIATION_NUMBER.parse('m2026-7')).toBe('M-2026-007')
    expect(MEDIATION_NUMBER.find('请看 M－2026－012 的进展')?.number).toBe('M-2026-012')
  })
  it('allows only the declared moves', () => {
    expect(canMove(MEDIATION_TRANSITIONS, 'applied', 'accepted')).toBe(true)
    expect(canMove(MEDIATION_TRANSITIONS, 'applied', 'agreed')).toBe(false)
    expect(canMove(MEDIATION_TRANSITIONS, 'agreed', 'withdrawn')).toBe(false)
    expect(canMove(MEDIATION_TRANSITIONS, 'failed', 'accepted')).toBe(false)
  })
  it('drafts the agreement from the case fields, with the payment-order sentence for the Art. 16 kinds', () => {
    const base = { number: 'M-2026-001', applicantName: '李四', employerName: '钱经理', otherParty: '生产部', mediatorName: '孙调解', facts: '三个月加班费未付', request: '补发加班费', terms: '公司补发加班费 3000 元', performOn: '2026-05-01', draftedOn: '2026-04-10' }
    const wages = draftAgreement({ ...base, claimKind: 'wages' })
    for (const s of ['M-2026-001', '李四', '钱经理', '生产部', '孙调解', '三个月加班费未付', '补发加班费', '公司补发加班费 3000 元', '2026-05-01 前履行完毕', '支付令']) expect(wages).toContain(s)
    expect(draftAgreement({ ...base, claimKind: 'other', performOn: null })).not.toContain('支付令')
  })
  it('median', () => {
    expect(median([])).toBeNull()
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})
