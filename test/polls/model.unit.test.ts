// The pure rules of polls and the congress (issue #15): the quorum at exactly two thirds, the pass rule at exactly
// half of all the representatives, percentages, and reading the options typed one per line.
import { describe, expect, it } from 'vitest'
import { POLL_NUMBER, computeResults, parseOptions, passNeeded, passes, percentText, quorumNeeded, quorumReached } from '../../src/polls/model.js'

const TWO_THIRDS = { num: 2, den: 3 }
const HALF = { num: 1, den: 2 }

describe('the quorum (two thirds of the term present)', () => {
  it('is reached at exactly two thirds and not one below', () => {
    expect(quorumReached(4, 6, TWO_THIRDS)).toBe(true)
    expect(quorumReached(3, 6, TWO_THIRDS)).toBe(false)
    expect(quorumReached(66, 99, TWO_THIRDS)).toBe(true)
    expect(quorumReached(65, 99, TWO_THIRDS)).toBe(false)
    // 2/3 of 100 is 66.67: 67 needed.
    expect(quorumReached(67, 100, TWO_THIRDS)).toBe(true)
    expect(quorumReached(66, 100, TWO_THIRDS)).toBe(false)
    expect(quorumNeeded(100, TWO_THIRDS)).toBe(67)
    expect(quorumNeeded(6, TWO_THIRDS)).toBe(4)
    expect(quorumReached(0, 0, TWO_THIRDS)).toBe(false)
  })
})

describe('the pass rule (赞成 > half of ALL representatives)', () => {
  it('fails at exactly half and passes one above; counts all, not those present', () => {
    expect(passes(3, 6, HALF)).toBe(false)
    expect(passes(4, 6, HALF)).toBe(true)
    expect(passes(50, 100, HALF)).toBe(false)
    expect(passes(51, 100, HALF)).toBe(true)
    // Odd: 3 of 5 is more than 2.5.
    expect(passes(3, 5, HALF)).toBe(true)
    expect(passes(2, 5, HALF)).toBe(false)
    expect(passNeeded(6, HALF)).toBe(4)
    expect(passNeeded(5, HALF)).toBe(3)
    expect(passNeeded(100, HALF)).toBe(51)
    expect(passes(0, 0, HALF)).toBe(false)
  })
})

describe('results', () => {
  it('gives shares of the ballots to a tenth of a percent', () => {
    const r = computeResults(['甲', '乙', '丙'], new Map([[0, 2], [2, 1]]), 3, 10, false)
    expect(r.options.map((o) => [o.votes, percentText(o.permille)])).toEqual([[2, '66.7%'], [0, '0.0%'], [1, '33.3%']])
    expect(computeResults(['甲', '乙'], new Map(), 0, undefined, true).options.map((o) => o.permille)).toEqual([0, 0])
  })
})

describe('options typed one per line', () => {
  it('drops empty lines and list markers, refuses too few, too many, too long and duplicates', () => {
    expect(parseOptions('1. 甲\n\n- 乙\n  丙  ')).toEqual({ options: ['甲', '乙', '丙'] })
    expect(parseOptions('甲')).toEqual({ error: '请至少填写 2 个选项，每行一个' })
    expect(parseOptions(Array.from({ length: 21 }, (_, i) => `选项${i}`).join('\n'))).toEqual({ error: '选项最多 20 个' })
    expect(parseOptions(`甲\n${'长'.repeat(61)}`)).toEqual({ error: '每个选项不能超过 60 个字' })
    expect(parseOptions('甲\n甲')).toEqual({ error: '有重复的选项，请修改' })
  })
})

describe('V- numbers', () => {
  it('are read as people type them', () => {
    expect(POLL_NUMBER.parse('v-1')).toBe('V-001')
    expect(POLL_NUMBER.parse('Ｖ００７')).toBe('V-007')
    expect(POLL_NUMBER.find('帮我看看v012的结果')?.number).toBe('V-012')
  })
})
