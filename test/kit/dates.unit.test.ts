// The one reader of typed dates (src/kit/dates.ts readTypedDate): the forms people write (QA F17), impossible dates
// refused, a year-less date only where a year is given.
import { describe, expect, it } from 'vitest'
import { readTypedDate } from '../../src/kit/dates.js'

describe('readTypedDate', () => {
  it('reads 年月日 with or without spaces, full-width digits, and the ASCII forms', () => {
    for (const typed of ['2024年5月1日', '2024年5月 1 日', '2024 年 5 月 1 日', '２０２４年５月１日', '2024-05-01', '2024/5/1', '2024.5.1', '2024年05月01', '２０２４－０５－０１', '2024-05-01 +0800']) {
      expect(readTypedDate(typed), typed).toBe('2024-05-01')
    }
  })

  it('refuses impossible or partial dates', () => {
    for (const typed of ['2024年13月1日', '2023年2月29日', '2024年5月', '5月1日', '二〇二四年五月一日', '20240501', '']) expect(readTypedDate(typed), typed).toBeUndefined()
    expect(readTypedDate('2024年2月29日')).toBe('2024-02-29')
  })

  it('takes a year-less date in the year given', () => {
    expect(readTypedDate('2月6日', { year: 2027 })).toBe('2027-02-06')
    expect(readTypedDate('2-6', { year: 2027 })).toBe('2027-02-06')
    expect(readTypedDate('2月30日', { year: 2027 })).toBeUndefined()
  })
})
