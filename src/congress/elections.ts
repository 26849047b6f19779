// Elections of representatives by constituency (选区, issue #15) on the poll engine: the rules of
// 上海市职工代表大会条例第十五条 (北京、浙江 alike; /work/shared/union/PRACTICE.md) as integer arithmetic, and the
// view the election card draws. No I/O.
//   - valid only when at least ELECTION_TURNOUT (default 2/3) of the constituency's workers voted — exactly two
//     thirds is enough;
//   - a candidate is elected with MORE than ELECTION_WIN_SHARE (default 1/2) of ALL the constituency's workers —
//     not of those who voted; exactly half is not enough;
//   - with more such candidates than seats, the most votes win; a tie for the last seat elects neither (另行选举).
import type { Share } from '../polls/model.js'

export const ELECTION_LIMITS = { constituency: 30, maxCandidates: 20, maxSeats: 19 } as const

/** At least `turnout` of the electorate voted (exactly two thirds is enough). */
export function turnoutReached(ballots: number, eligible: number, turnout: Share): boolean {
  return eligible > 0 && ballots * turnout.den >= turnout.num * eligible
}

/** Fewest ballots that make the election valid. */
export function turnoutNeeded(eligible: number, turnout: Share): number {
  return Math.ceil((turnout.num * eligible) / turnout.den)
}

/** Fewest votes that elect: the smallest integer strictly above `share` of ALL the electorate. */
export function votesToWin(eligible: number, share: Share): number {
  return Math.floor((share.num * eligible) / share.den) + 1
}

export interface ElectionOutcome {
  valid: boolean
  /** Option numbers elected, most votes first. */
  elected: number[]
  /** Candidates above the line but tied for the last seat: not elected. */
  tied: number[]
}

/** Who is elected from the votes per option (index → votes). */
export function electionOutcome(votes: readonly number[], ballots: number, eligible: number, seats: number, rules: { turnout: Share; winShare: Share }): ElectionOutcome {
  if (!turnoutReached(ballots, eligible, rules.turnout)) return { valid: false, elected: [], tied: [] }
  const need = votesToWin(eligible, rules.winShare)
  const above = votes.map((v, i) => ({ i, v })).filter((c) => c.v >= need).sort((a, b) => b.v - a.v || a.i - b.i)
  if (above.length <= seats) return { valid: true, elected: above.map((c) => c.i), tied: [] }
  const cut = above[seats - 1]!.v
  const tiedAtCut = above.filter((c) => c.v === cut)
  if (above[seats]!.v !== cut) return { valid: true, elected: above.slice(0, seats).map((c) => c.i), tied: [] }
  return { valid: true, elected: above.filter((c) => c.v > cut).map((c) => c.i), tied: tiedAtCut.map((c) => c.i) }
}

/** What the election card adds to the vote card. */
export interface ElectionView {
  constituency: string
  seats: number
  term: string | undefined
  /** The constituency's workers now (while open) or at closing (frozen). */
  eligible: number
  turnout: Share
  winShare: Share
  /** Once closed. */
  outcome?: ElectionOutcome
}
