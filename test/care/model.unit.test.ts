// The caps of 会员关怀 as pure rules: every kind's default (Anhui's rule) takes exactly its cap and refuses one fen
// above it, per event and per year; cap settings are read exactly; a bad setting stops the start.
import { describe, expect, it } from 'vitest'
import { CARE_KINDS, DEFAULT_CARE_CAPS, checkCap, fenDecimal, formatYuan, parseCap, parseCareKind } from '../../src/care/model.js'
import { loadConfig } from '../../src/config.js'

describe('care caps', () => {
  it('takes every kind exactly at its per-event cap and refuses one fen above', () => {
    for (const kind of CARE_KINDS) {
      const cap = DEFAULT_CARE_CAPS[kind]
      expect(checkCap(cap, cap.perEventFen, 0), kind).toEqual({ ok: true })
      expect(checkCap(cap, cap.perEventFen + 1, 0), kind).toMatchObject({ ok: false, which: 'event', capFen: cap.perEventFen })
    }
  })

  it('counts the yearly cap with what was already given', () => {
    const festival = DEFAULT_CARE_CAPS.festival
    expect(checkCap(festival, 1, 1500_00 - 1)).toEqual({ ok: true })
    expect(checkCap(festival, 1, 1500_00)).toMatchObject({ ok: false, which: 'year', capFen: 1500_00, usedFen: 1500_00 })
    expect(checkCap(DEFAULT_CARE_CAPS.hospital, 1000_00, 50_000_00)).toEqual({ ok: true }) // no yearly cap
  })

  it('has the Anhui figures as defaults', () => {
    expect(Object.fromEntries(CARE_KINDS.map((k) => [k, [DEFAULT_CARE_CAPS[k].perEventFen / 100, (DEFAULT_CARE_CAPS[k].yearlyFen ?? 0) / 100]]))).toEqual({
      birthday: [300, 300],
      marriage: [600, 0],
      birth: [600, 0],
      hospital: [1000, 0],
      retirement: [1000, 1000],
      death_member: [2000, 0],
      death_relative: [1000, 0],
      festival: [1500, 1500],
    })
  })

  it('reads cap settings exactly and refuses bad ones at start', () => {
    expect(parseCap('299.99/600')).toEqual({ perEventFen: 29999, yearlyFen: 60000 })
    expect(parseCap('800')).toEqual({ perEventFen: 80000, yearlyFen: undefined })
    expect(parseCap('800/')).toEqual({ perEventFen: 80000, yearlyFen: undefined })
    for (const bad of ['', 'abc', '1/2/3', '0', '100.001']) expect(parseCap(bad), bad).toBeUndefined()
    expect(loadConfig({ CARE_CAP_HOSPITAL: '800/1200' }).care.caps.hospital).toEqual({ perEventFen: 80000, yearlyFen: 120000 })
    expect(() => loadConfig({ CARE_CAP_HOSPITAL: 'lots' })).toThrow(/CARE_CAP_HOSPITAL/)
    expect(() => loadConfig({ CARE_OVER_CAP: 'maybe' })).toThrow(/CARE_OVER_CAP/)
    expect(() => loadConfig({ HARDSHIP_DIBAO_MONTHLY: '-3' })).toThrow(/HARDSHIP_DIBAO_MONTHLY/)
    expect(loadConfig({}).hardship.dibaoMonthlyFen).toBeUndefined()
    expect(loadConfig({ HARDSHIP_DIBAO_MONTHLY: '1165.5' }).hardship.dibaoMonthlyFen).toBe(116550)
  })

  it('writes money exactly and reads the kinds people type', () => {
    expect(formatYuan(123456789)).toBe('1,234,567.89')
    expect(formatYuan(150000)).toBe('1,500')
    expect(fenDecimal(1)).toBe('0.01')
    expect(fenDecimal(150000)).toBe('1500.00')
    expect(parseCareKind('亲属去世')).toBe('death_relative')
    expect(parseCareKind('去世')).toBe('death_member')
    expect(parseCareKind('中秋')).toBe('festival')
    expect(parseCareKind('跳舞')).toBeUndefined()
  })
})
