// "From 09:00 local on working days" (workdayFrom in src/kit/periodic.ts) over the Chinese holiday calendar.
import { describe, expect, it } from 'vitest'
import { WorkCalendar } from '../../src/calendar.js'
import { MORNING, workdayFrom } from '../../src/kit/periodic.js'

const calendar = new WorkCalendar('Asia/Shanghai')
const tz = 'Asia/Shanghai'
const local = (s: string) => new Date(`${s}+08:00`)

describe('workdayFrom', () => {
  it('is the local date from 09:00 on a working day, and nothing before', () => {
    expect(MORNING).toBe('09:00')
    // Monday 2026-10-12.
    expect(workdayFrom(local('2026-10-12T08:59:59'), calendar, tz)).toBeUndefined()
    expect(workdayFrom(local('2026-10-12T09:00:00'), calendar, tz)).toBe('2026-10-12')
    expect(workdayFrom(local('2026-10-12T23:59:00'), calendar, tz)).toBe('2026-10-12')
  })

  it('uses the local date in the zone, not the server UTC date', () => {
    // 01:30Z on Tuesday is 09:30 Tuesday in Shanghai; 15:30Z on Monday is already 23:30 Monday there.
    expect(workdayFrom(new Date('2026-10-13T01:30:00Z'), calendar, tz)).toBe('2026-10-13')
    expect(workdayFrom(new Date('2026-10-12T00:30:00Z'), calendar, tz)).toBeUndefined()
  })

  it('is nothing on weekends and public holidays, and counts make-up working days (调休)', () => {
    expect(workdayFrom(local('2026-10-10T10:00:00'), calendar, tz)).toBe('2026-10-10') // Saturday, 国庆 make-up day
    expect(workdayFrom(local('2026-10-11T10:00:00'), calendar, tz)).toBeUndefined() // Sunday
    expect(workdayFrom(local('2026-10-01T10:00:00'), calendar, tz)).toBeUndefined() // 国庆节
    expect(calendar.isWorkday('2026-10-10')).toBe(true)
  })

  it('takes another time of day', () => {
    expect(workdayFrom(local('2026-10-12T13:59:00'), calendar, tz, '14:00')).toBeUndefined()
    expect(workdayFrom(local('2026-10-12T14:00:00'), calendar, tz, '14:00')).toBe('2026-10-12')
  })
})
