// Learning hours are exact: typed hours become whole minutes (no floating point), and minutes are written back as
// hours people read; anything that is not whole minutes, or out of range, is refused.
import { describe, expect, it } from 'vitest'
import { formatHours, parseHours } from '../../src/learning/model.js'

describe('hours as typed are exact minutes', () => {
  it('reads hours and minutes, refuses what is not whole minutes', () => {
    expect(parseHours('1.5')).toBe(90)
    expect(parseHours('２小时')).toBe(120)
    expect(parseHours('0.25')).toBe(15)
    expect(parseHours('90分钟')).toBe(90)
    expect(parseHours('0.1')).toBe(6)
    for (const bad of ['0', '0.01', '1.333', '-1', 'abc', '101', '1e3', '']) expect(parseHours(bad), bad).toBeUndefined()
    expect(formatHours(90)).toBe('1.5 学时')
    expect(formatHours(15)).toBe('0.25 学时')
    expect(formatHours(7)).toBe('0 学时 7 分钟')
    expect(formatHours(210)).toBe('3.5 学时')
    expect(formatHours(6000)).toBe('100 学时')
    expect(parseHours('100')).toBe(6000)
    expect(parseHours('6001分钟')).toBeUndefined()
  })
})

