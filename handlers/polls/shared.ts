// What the poll handlers share: finding a poll by its number, what its card may show (results only when closed,
// or live for a named poll that asked for it; the too-few rule), posting and refreshing the live vote cards.
import { buildPollCard, buildPollReplacedCard, type PollCardView } from '../../cards/polls/poll.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { Db } from '../../src/db/schema.js'
import { UserFacingError } from '../../src/errors.js'
import type { LiveCardSpec, RefreshScope } from '../../src/kit/live-cards.js'
import { findMeeting, presentCount } from '../../src/congress/store.js'
import { eligibleCount } from '../../src/polls/eligibility.js'
import { POLL_NUMBER, computeResults, passNeeded, passes, quorumReached, type Poll, type PollResults } from '../../src/polls/model.js'
import { countsOf, findPoll, findPollBySeq } from '../../src/polls/store.js'
import type { Config } from '../../src/config.js'
import { findElection } from '../../src/congress/election-store.js'
import { electionOutcome, type ElectionView } from '../../src/congress/elections.js'

export const SECTION = '投票'

/** The poll named by the first word of the arguments; a polite error with the usage otherwise. */
export async function pollFromArgs(ctx: BaseContext, args: string, usage: string): Promise<{ poll: Poll; rest: string }> {
  const [first = '', ...rest] = args.trim().split(/\s+/)
  const seq = first ? POLL_NUMBER.parseSeq(first) : undefined
  if (seq === undefined) throw new UserFacingError('INVALID_INPUT', `请写上投票编号，如：${usage}。`)
  const poll = await findPollBySeq(ctx.db, seq)
  if (!poll) throw new UserFacingError('NOT_FOUND', `没有找到投票 ${POLL_NUMBER.format(seq)}，请核对编号。`)
  return { poll, rest: rest.join(' ') }
}

/** The figures of the poll now; `tooFew` for an ordinary anonymous poll below the minimum. */
export async function resultsOf(db: Db, config: Config, poll: Poll): Promise<PollResults> {
  const counts = await countsOf(db, poll)
  const eligible = poll.status === 'closed' ? poll.eligibleCount : await eligibleCount(db, poll)
  const hide = poll.kind === 'poll' && poll.anonymous && poll.votedCount < config.polls.minPublishedBallots
  const results = computeResults(poll.options, counts, poll.votedCount, eligible, hide)
  return poll.audience === 'all' && eligible !== undefined ? { ...results, eligibleBasis: 'roster' } : results
}

/** Whether the card may show figures: after closing; while open only a named poll's live results. */
export function mayShowResults(poll: Poll): boolean {
  return poll.status === 'closed' || (poll.status === 'open' && poll.resultsLive && !poll.anonymous)
}

export async function cardViewOf(ctx: BaseContext, poll: Poll): Promise<PollCardView> {
  const view: PollCardView = { poll }
  if (mayShowResults(poll)) view.results = await resultsOf(ctx.db, ctx.config, poll)
  if (poll.kind === 'election') {
    const e = await electionViewOf(ctx, poll, view.results)
    if (e) view.election = e
  }
  if (poll.kind === 'congress' && poll.meetingId) {
    const m = await findMeeting(ctx.db, poll.meetingId)
    if (m) {
      const share = ctx.config.congress.passShare
      const yes = view.results?.options[0]?.votes ?? 0
      view.congress = {
        expected: m.expected,
        passShare: share,
        passNeeded: passNeeded(m.expected, share),
        quorumMet: quorumReached(await presentCount(ctx.db, m.id), m.expected, ctx.config.congress.quorum),
        ...(poll.status === 'closed' ? { passed: passes(yes, m.expected, share) } : {}),
      }
    }
  }
  return view
}

/** An election's part of its card: the constituency, seats, rules, and once closed who is elected. */
export async function electionViewOf(ctx: BaseContext, poll: Poll, results?: PollResults): Promise<ElectionView | undefined> {
  const e = await findElection(ctx.db, poll.id)
  if (!e) return undefined
  const eligible = (poll.status === 'closed' ? poll.eligibleCount : await eligibleCount(ctx.db, poll)) ?? 0
  const rules = { turnout: ctx.config.congress.electionTurnout, winShare: ctx.config.congress.electionWinShare }
  const view: ElectionView = { constituency: e.constituency, seats: e.seats, term: e.term, eligible, ...rules }
  if (poll.status === 'closed' && results) view.outcome = electionOutcome(results.options.map((o) => o.votes), results.ballots, eligible, e.seats, rules)
  return view
}

/** Live cards of subject type 'poll': the vote card as the poll is now. */
export const POLL_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'polls', id: 'id', version: 'version' },
  async render(ctx, pollId) {
    const poll = await findPoll(ctx.db, pollId)
    return poll ? { version: poll.version, card: buildPollCard(await cardViewOf(ctx, poll), ctx.config.timezone) } : undefined
  },
}

/** Posts the vote card to a chat (shared) or to a person (their own copy) and keeps it current. */
export async function postPollCard(ctx: BaseContext, poll: Poll, to: { chatId: string; privateFor?: string }): Promise<string> {
  const card = buildPollCard(await cardViewOf(ctx, poll), ctx.config.timezone)
  const sent = await ctx.sendToChat(to.chatId, { card }, { key: `poll-card:${poll.id}:${to.chatId}` })
  await ctx.liveCards.track('poll', poll.id, { messageId: sent.messageId, chatId: to.chatId, ...(to.privateFor ? { privateFor: to.privateFor } : {}), version: poll.version }, buildPollReplacedCard(poll))
  return sent.messageId
}

export function refreshPollCards(ctx: BaseContext, pollId: string, scope: RefreshScope = 'shared'): Promise<void> {
  return ctx.liveCards.refresh('poll', pollId, scope)
}
