// charCount (code points, as the input limits count) and daysBetween (calendar days in the zone).
import { describe, expect, it } from 'vitest'
import { charCount } from '../../src/kit/text.js'
import { daysBetween } from '../../src/kit/dates.js'

describe('charCount', () => {
  it.each([
    ['', 0],
    ['工资', 2],
    ['abc', 3],
    ['👍', 1],
    ['𠀀𠀁', 2],
    ['a👍b', 3],
  ])('counts %j as %i', (text, n) => {
    expect(charCount(text)).toBe(n)
    if (/[\u{10000}-\u{10ffff}]/u.test(text)) expect(text.length).toBeGreaterThan(n)
  })
})

describe('daysBetween', () => {
  it('counts calendar days between local dates, negative backwards, across months and leap days', () => {
    expect(daysBetween('2026-03-10', '2026-03-10')).toBe(0)
    expect(daysBetween('2026-03-10', '2026-03-16')).toBe(6)
    expect(daysBetween('2026-03-16', '2026-03-10')).toBe(-6)
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
  })

  it('counts instants by their local date in the zone, not by 24-hour spans', () => {
    // 23:59 and 00:01 the next morning in Shanghai (15:59Z and 16:01Z the same UTC day).
    expect(daysBetween(new Date('2026-03-10T15:59:00Z'), new Date('2026-03-10T16:01:00Z'), 'Asia/Shanghai')).toBe(1)
    expect(daysBetween(new Date('2026-03-10T15:59:00Z'), new Date('2026-03-10T16:01:00Z'), 'UTC')).toBe(0)
    // A DST change in between does not make a day of 23 or 25 hours count differently.
    expect(daysBetween(new Date('2026-03-07T12:00:00Z'), new Date('2026-03-09T12:00:00Z'), 'America/New_York')).toBe(2)
  })
})
