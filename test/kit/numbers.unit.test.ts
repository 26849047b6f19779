// The case numbers of src/kit/numbers.ts: the displayed formats stay as they were, typed numbers are read leniently
// (full-width, lower case, spaces, missing or odd dashes) and found in free text; other prefixes are not mistaken.
import { describe, expect, it } from 'vitest'
import { declaredPrefixes, findAnyNumber, serialNumbers, yearlyNumbers } from '../../src/kit/numbers.js'
import { GRIEVANCE_NUMBER, parseGrievanceNumber, splitLeadingNumber } from '../../src/grievances/model.js'
import { PROPOSAL_NUMBER, findNumber } from '../../src/proposals/model.js'
import { ACTIVITY_NUMBER, activityNumber } from '../../src/activities/store.js'

describe('formats', () => {
  it('pads grievances to 4, proposals and activities to 3 digits, and grows past them', () => {
    expect(GRIEVANCE_NUMBER.format(2026, 7)).toBe('G-2026-0007')
    expect(GRIEVANCE_NUMBER.format(2026, 12345)).toBe('G-2026-12345')
    expect(PROPOSAL_NUMBER.format(2026, 3)).toBe('P-2026-003')
    expect(PROPOSAL_NUMBER.format(2026, 1000)).toBe('P-2026-1000')
    expect(activityNumber(12)).toBe('A-012')
    expect(activityNumber(1234)).toBe('A-1234')
  })

  it('picks numbers as the bot writes them out of its messages', () => {
    expect('已受理 G-2026-0007。'.match(GRIEVANCE_NUMBER.displayed)?.[0]).toBe('G-2026-0007')
    expect('提案 P-2026-1000 已立案'.match(PROPOSAL_NUMBER.displayed)?.[0]).toBe('P-2026-1000')
    expect('已发布 A-012'.match(ACTIVITY_NUMBER.displayed)?.[0]).toBe('A-012')
    expect('g-2026-7'.match(GRIEVANCE_NUMBER.displayed)).toBeNull()
  })
})

describe('lenient parse', () => {
  it.each([
    ['G-2026-0007', 'G-2026-0007'],
    ['g-2026-0007', 'G-2026-0007'],
    ['g-2026-7', 'G-2026-0007'],
    ['G2026-7', 'G-2026-0007'],
    ['G2026-0007', 'G-2026-0007'],
    ['G20260007', 'G-2026-0007'],
    [' G - 2026 - 7 ', 'G-2026-0007'],
    ['Ｇ－２０２６－０００７', 'G-2026-0007'],
    ['ｇ２０２６—７', 'G-2026-0007'],
    ['G_2026_7', 'G-2026-0007'],
    ['G.2026.7', 'G-2026-0007'],
    ['G-2026-123456', 'G-2026-123456'],
  ])('reads grievance %j as %s', (typed, number) => {
    expect(parseGrievanceNumber(typed)).toBe(number)
  })

  it.each(['', 'G', 'G-2026', 'G-2026-0', 'G-2026-0000', 'G-1999-0001', 'G-26-7', 'G-2026-1234567', 'P-2026-003', 'G-2026-7 x', 'xG-2026-7'])(
    'refuses %j as a grievance number',
    (typed) => {
      expect(parseGrievanceNumber(typed)).toBeUndefined()
    },
  )

  it.each([
    ['P-2026-003', 'P-2026-003'],
    ['p2026003', 'P-2026-003'],
    ['Ｐ－２０２６－００３', 'P-2026-003'],
    ['P 2026 3', 'P-2026-003'],
  ])('reads proposal %j as %s', (typed, number) => {
    expect(PROPOSAL_NUMBER.parse(typed)).toBe(number)
  })

  it.each([
    ['A-012', 12],
    ['a012', 12],
    ['A 12', 12],
    ['12', 12],
    ['０１２', 12],
    ['Ａ－１２', 12],
    ['a-0000012', 12],
  ])('reads activity %j as sequence %i', (typed, seq) => {
    expect(ACTIVITY_NUMBER.parseSeq(typed)).toBe(seq)
  })

  it.each(['', 'A', 'A-0', 'B-012', 'A-12345678', 'A-012x'])('refuses %j as an activity number', (typed) => {
    expect(ACTIVITY_NUMBER.parseSeq(typed)).toBeUndefined()
  })
})

describe('find in text', () => {
  it.each([
    ['提案 帮我查一下p-2026-12的进展，谢谢', 'P-2026-012', '提案 帮我查一下', '的进展，谢谢'],
    ['提案P 2026 3号', 'P-2026-003', '提案', '号'],
    ['撤回提案 Ｐ－２０２６－００３ 已解决', 'P-2026-003', '撤回提案 ', ' 已解决'],
    ['㍿P-2026-3，后', 'P-2026-003', '㍿', '，后'],
  ])('finds the proposal number in %j', (text, number, before, after) => {
    expect(PROPOSAL_NUMBER.find(text)).toMatchObject({ number, before, after })
  })

  it('keeps the rest of the text around a proposal number as the reason', () => {
    expect(findNumber('撤回提案 P-2026-003 已与部门沟通解决')).toEqual({ number: 'P-2026-003', rest: '撤回提案 已与部门沟通解决' })
    expect(findNumber('P-2026-003号：已解决')).toEqual({ number: 'P-2026-003', rest: '已解决' })
    // As before the kit: the reason is NFKC-folded.
    expect(findNumber('撤回 Ｐ－２０２６－００３ 原因，已解决')).toEqual({ number: 'P-2026-003', rest: '撤回 原因,已解决' })
  })

  it('does not find a number inside a Latin word, with an impossible year, or of another kind', () => {
    expect(PROPOSAL_NUMBER.find('stop2026-003')).toBeUndefined()
    expect(PROPOSAL_NUMBER.find('电话 p-1234-5678')).toBeUndefined()
    expect(PROPOSAL_NUMBER.find('诉求 G-2026-0007')).toBeUndefined()
    expect(GRIEVANCE_NUMBER.find('提案 P-2026-003')).toBeUndefined()
  })

  it('skips an impossible number and finds the next one', () => {
    expect(GRIEVANCE_NUMBER.find('G-1999-1 或 G-2026-2')?.number).toBe('G-2026-0002')
  })

  it('finds activities only with their prefix', () => {
    expect(ACTIVITY_NUMBER.find('签到 a-12 好的')?.number).toBe('A-012')
    expect(ACTIVITY_NUMBER.find('签到 12')).toBeUndefined()
  })

  it('splits a leading grievance number from the rest, keeping the rest as typed', () => {
    expect(splitLeadingNumber('G-2026-0007 具体情况：\n上周又加班了')).toEqual({ number: 'G-2026-0007', rest: '具体情况：\n上周又加班了' })
    expect(splitLeadingNumber('g2026-7补充')).toEqual({ number: 'G-2026-0007', rest: '补充' })
    expect(splitLeadingNumber('g-2026-7')).toEqual({ number: 'G-2026-0007', rest: '' })
    expect(splitLeadingNumber('补充 G-2026-0007')).toBeUndefined()
    expect(splitLeadingNumber('G-2026-12345678 x')).toBeUndefined()
  })
})

describe('registry', () => {
  it('knows the prefixes the features declared and finds the earliest number of any kind', () => {
    expect(declaredPrefixes()).toEqual(expect.arrayContaining(['A', 'G', 'P']))
    expect(findAnyNumber('关于 P-2026-003 和 G-2026-0007')).toMatchObject({ prefix: 'P', number: 'P-2026-003' })
    expect(findAnyNumber('没有编号')).toBeUndefined()
  })

  it('lets a later feature declare its prefix, and refuses a prefix declared differently', () => {
    const mediation = yearlyNumbers({ prefix: 'M', digits: 3, maxDigits: 5 })
    expect(mediation.parse('m-2026-4')).toBe('M-2026-004')
    expect(declaredPrefixes()).toContain('M')
    // The same declaration again (a module evaluated twice) is harmless; a different one is a bug.
    expect(() => yearlyNumbers({ prefix: 'M', digits: 3, maxDigits: 5 })).not.toThrow()
    expect(() => yearlyNumbers({ prefix: 'G', digits: 3, maxDigits: 6 })).toThrow(/already declared/)
    expect(() => serialNumbers({ prefix: 'N1', digits: 3, maxDigits: 5 })).toThrow(/capital letters/)
  })
})
