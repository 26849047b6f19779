// The election rules of 上海市职工代表大会条例第十五条 at their edges: valid at exactly two thirds of the constituency's
// workers, not one below; elected only above half of ALL of them (exactly half fails); ties for the last seat.
import { describe, expect, it } from 'vitest'
import { electionOutcome, turnoutNeeded, turnoutReached, votesToWin } from '../../src/congress/elections.js'

const rules = { turnout: { num: 2, den: 3 }, winShare: { num: 1, den: 2 } }

describe('election rules', () => {
  it('is valid at exactly two thirds of the electorate, not below', () => {
    expect(turnoutReached(4, 6, rules.turnout)).toBe(true)
    expect(turnoutReached(3, 6, rules.turnout)).toBe(false)
    expect(turnoutNeeded(6, rules.turnout)).toBe(4)
    expect(turnoutNeeded(7, rules.turnout)).toBe(5)
    expect(turnoutReached(0, 0, rules.turnout)).toBe(false)
  })

  it('elects only above half of ALL the electorate, not of the ballots', () => {
    expect(votesToWin(6, rules.winShare)).toBe(4)
    expect(votesToWin(7, rules.winShare)).toBe(4)
    // 6 workers, 4 voted: 3 votes are a majority of the ballots but exactly half of all — not elected.
    expect(electionOutcome([3, 1], 4, 6, 1, rules)).toEqual({ valid: true, elected: [], tied: [] })
    expect(electionOutcome([4, 0], 4, 6, 1, rules)).toEqual({ valid: true, elected: [0], tied: [] })
    expect(electionOutcome([3, 0], 3, 6, 1, rules)).toEqual({ valid: false, elected: [], tied: [] })
  })

  it('fills the seats by most votes; a tie for the last seat elects neither of the tied', () => {
    expect(electionOutcome([9, 8, 7], 10, 10, 2, rules)).toEqual({ valid: true, elected: [0, 1], tied: [] })
    expect(electionOutcome([9, 7, 7], 10, 10, 2, rules)).toEqual({ valid: true, elected: [0], tied: [1, 2] })
    expect(electionOutcome([6, 6], 10, 10, 1, rules)).toEqual({ valid: true, elected: [], tied: [0, 1] })
    expect(electionOutcome([6, 6], 10, 10, 2, rules)).toEqual({ valid: true, elected: [0, 1], tied: [] })
  })
})
