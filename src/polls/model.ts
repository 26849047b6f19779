// Polls and secret ballots (issue #15): the poll as the cards see it, its numbers (V-001), who may vote, the
// status table, and the pure rules of the results (percentages, the too-few-ballots rule, the congress's pass rule).
import { serialNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'

/** V-001: polls and the congress's items share one sequence (one engine). */
export const POLL_NUMBER = serialNumbers({ prefix: 'V', digits: 3, maxDigits: 7 })
export const pollNumber = (seq: number): string => POLL_NUMBER.format(seq)

export type PollStatus = 'draft' | 'open' | 'closed'
/** draft: a congress item not yet put to the vote; polls open at once. */
export const POLL_TRANSITIONS: TransitionTable<PollStatus> = { draft: ['open'], open: ['closed'], closed: [] }

export const AUDIENCES = ['all', 'members', 'representatives', 'department', 'constituency', 'meeting', 'electorate'] as const
export type Audience = (typeof AUDIENCES)[number]
export const AUDIENCE_LABEL: Record<Audience, string> = {
  all: '全体职工',
  members: '工会会员',
  representatives: '职工代表',
  department: '部门',
  constituency: '选区',
  meeting: '已签到的职工代表',
  electorate: '选区职工',
}

export const POLL_LIMITS = { title: 100, option: 60, minOptions: 2, maxOptions: 20, freeQuestion: 100, freeAnswer: 500, audienceValue: 30 } as const

/** The congress's items: always these three, secret, single choice. */
export const CONGRESS_OPTIONS = ['赞成', '反对', '弃权'] as const

export interface Poll {
  id: string
  seqNo: number
  number: string
  kind: 'poll' | 'congress' | 'election'
  title: string
  options: string[]
  multiple: boolean
  anonymous: boolean
  audience: Audience
  audienceValue: string | undefined
  closesAt: Date | undefined
  resultsLive: boolean
  freeQuestion: string | undefined
  status: PollStatus
  votedCount: number
  eligibleCount: number | undefined
  version: number
  createdBy: string
  createdAt: Date
  createdEventId: string
  originChatId: string | undefined
  closedAt: Date | undefined
  closedEventId: string | undefined
  openedEventId: string | undefined
  meetingId: string | undefined
}

/** Who may vote, in words: 全体职工, 工会会员, 职工代表, 部门：生产部, 选区：第一选区. */
export function audienceText(p: Pick<Poll, 'audience' | 'audienceValue'>): string {
  if ((p.audience === 'department' || p.audience === 'constituency') && p.audienceValue) return `${AUDIENCE_LABEL[p.audience]}「${p.audienceValue}」`
  if (p.audience === 'electorate' && p.audienceValue) return `选区「${p.audienceValue}」的职工`
  return AUDIENCE_LABEL[p.audience]
}

export interface OptionResult {
  option: string
  votes: number
  /** Share of the ballots cast, in whole tenths of a percent (one decimal shown). */
  permille: number
}

export interface PollResults {
  /** Ballots cast (people who voted). */
  ballots: number
  /** People who could vote; undefined when the audience has no list (全体职工) and no members are on the roll. */
  eligible: number | undefined
  /** 'roster': 全体职工 has no list, so `eligible` is the members on the roll (non-members may vote too). */
  eligibleBasis?: 'roster'
  options: OptionResult[]
  /** An anonymous poll with fewer ballots than the minimum publishes no figures (POLL_MIN_PUBLISHED_BALLOTS). */
  tooFew: boolean
}

/** Shares of the ballots (a multiple-choice poll's shares may add up to more than 100 %). */
export function computeResults(options: readonly string[], counts: ReadonlyMap<number, number>, ballots: number, eligible: number | undefined, hide: boolean): PollResults {
  return {
    ballots,
    eligible,
    tooFew: hide,
    options: options.map((option, i) => {
      const votes = counts.get(i) ?? 0
      return { option, votes, permille: ballots === 0 ? 0 : Math.round((votes * 1000) / ballots) }
    }),
  }
}

/** "37.5%" from tenths of a percent. */
export function percentText(permille: number): string {
  return `${(permille / 10).toFixed(1)}%`
}

export interface Share {
  num: number
  den: number
}

/** The quorum: present ≥ num/den of all (exactly two thirds is enough), in integers. */
export function quorumReached(present: number, expected: number, quorum: Share): boolean {
  return expected > 0 && present * quorum.den >= quorum.num * expected
}

/** Fewest present that make the quorum. */
export function quorumNeeded(expected: number, quorum: Share): number {
  return Math.ceil((quorum.num * expected) / quorum.den)
}

/** An item passes when 赞成 > num/den of ALL the term's representatives (exactly half fails). */
export function passes(yes: number, expected: number, share: Share): boolean {
  return expected > 0 && yes * share.den > share.num * expected
}

/** Fewest 赞成 that pass: the smallest integer strictly above num/den of all. */
export function passNeeded(expected: number, share: Share): number {
  return Math.floor((share.num * expected) / share.den) + 1
}

/** Reads the options typed one per line: trimmed, empty lines and list markers dropped, duplicates refused. */
export function parseOptions(text: string): { options: string[] } | { error: string } {
  const options = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:\d{1,2}[.、)）]|[-*•·])\s*/, '').trim())
    .filter(Boolean)
  if (options.length < POLL_LIMITS.minOptions) return { error: `请至少填写 ${POLL_LIMITS.minOptions} 个选项，每行一个` }
  if (options.length > POLL_LIMITS.maxOptions) return { error: `选项最多 ${POLL_LIMITS.maxOptions} 个` }
  const long = options.find((o) => Array.from(o).length > POLL_LIMITS.option)
  if (long) return { error: `每个选项不能超过 ${POLL_LIMITS.option} 个字` }
  if (new Set(options).size !== options.length) return { error: '有重复的选项，请修改' }
  return { options }
}

/** What polls and the congress contribute to the 月报 / 季报 (src/polls/figures.ts). */
export interface DemocracyFigures {
  /** Ordinary polls closed in the period, and the ballots cast in them. */
  polls: number
  ballots: number
  /** Congress meetings closed in the period, their items voted on, and how many passed. */
  meetings: number
  items: number
  passed: number
}
