// Closing polls: `结束投票 V-001` (its creator or the chair) closes early, the minute task closes at the closing
// time; both through transition() (once, whoever comes first). After closing, once only across instances
// (claimOnce, poll_closings): every card shows the results, and the committee gets the figures and the free-text
// answers (anonymous ones without names). The minute task also seals open anonymous polls (src/polls/store.ts).
// `投票名单 V-001` sends officers the CSV of who voted what in a named poll.
import { buildPollClosingCard } from '../../cards/polls/poll.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { toCsv } from '../../src/kit/csv.js'
import { deliver } from '../../src/kit/deliver.js'
import { claimOnce } from '../../src/kit/periodic.js'
import { TransitionRefusedError, transition, type TransitionResult } from '../../src/kit/transition.js'
import { bumpMeeting } from '../../src/congress/store.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { eligibleCount } from '../../src/polls/eligibility.js'
import type { Poll } from '../../src/polls/model.js'
import {
  POLL_CLOSINGS_LEDGER,
  POLL_MACHINE,
  closingsPending,
  findPoll,
  freeAnswersOf,
  lockPoll,
  markClosingDone,
  markPollClosed,
  namedBallotsOf,
  pollsDue,
  pollsToSeal,
  sealVotes,
} from '../../src/polls/store.js'
import { formatDateTime } from '../../src/time.js'
import { SECTION, electionViewOf, pollFromArgs, resultsOf } from './shared.js'
import { applyWinners, findElection } from '../../src/congress/election-store.js'

/** A closing claim lapses after this (the instance died mid-way); the next minute's task takes it over. */
const CLOSING_LEASE_MS = 5 * 60_000

export function registerPollClose(router: BotRouter): void {
  router.command({
    words: ['结束投票', 'close poll'],
    help: { section: SECTION, usage: '结束投票 V-001', description: '提前结束投票并公布结果（发起人或主席）' },
    async handle(ctx) {
      const { poll } = await pollFromArgs(ctx, ctx.argsText, '结束投票 V-001')
      await mayClose(ctx, poll)
      const r = await closePoll(ctx, poll, ctx.actorOpenId)
      await ctx.reply({ text: r.outcome === 'done' ? `${poll.number} 已结束，结果已公布在投票卡片上。` : `${poll.number} 已经结束了。` })
      if (r.outcome !== 'already') await finishClosing(ctx, poll.id)
    },
  })

  router.command({
    words: ['投票名单', 'poll ballots'],
    roles: ['officer'],
    help: { section: SECTION, usage: '投票名单 V-001', description: '实名投票：私信获取谁投了什么的 CSV 文件（匿名投票没有名单）' },
    async handle(ctx) {
      const { poll } = await pollFromArgs(ctx, ctx.argsText, '投票名单 V-001')
      if (poll.anonymous) throw new UserFacingError('INVALID_STATE', `${poll.number} 是无记名投票：只记录谁投过票，不记录谁投了什么，所以没有名单。`)
      const tz = ctx.config.timezone
      const ballots = await namedBallotsOf(ctx.db, poll.id)
      const rows: string[][] = []
      for (const [i, b] of ballots.entries()) {
        rows.push([String(i + 1), (await ctx.nameOf(b.openId)) ?? '', b.openId, b.choices.map((c) => poll.options[c] ?? '').join('；'), b.answer ?? '', formatDateTime(b.changedAt, tz)])
      }
      const csv = toCsv([['序号', '姓名', 'open_id', '选择', '意见', '投票时间'], ...rows])
      await ctx.sendFileToUser(ctx.actorOpenId, `投票名单-${poll.number}.csv`, csv, { key: `poll-csv:${poll.id}` })
      if (ctx.isGroup) await ctx.reply({ text: `${poll.number} 的实名名单已私信发给您。` })
      ctx.log.info({ eventId: ctx.eventId, poll: poll.number, count: ballots.length }, 'poll ballots sent')
    },
  })

  router.periodic({
    name: 'polls',
    async run(ctx) {
      for (const id of await pollsDue(ctx.db, ctx.now())) {
        const poll = await findPoll(ctx.db, id)
        if (poll) await closePoll(ctx, poll, 'system').catch((err: unknown) => (err instanceof TransitionRefusedError ? undefined : Promise.reject(err)))
      }
      for (const id of await pollsToSeal(ctx.db)) await sealVotes(ctx.db, id)
      for (const id of await closingsPending(ctx.db)) await finishClosing(ctx, id)
    },
  })
}

/** The creator, or the chair (主席), may close a poll; for anyone else a polite refusal. */
async function mayClose(ctx: BaseContext, poll: Poll): Promise<void> {
  if (poll.createdBy === ctx.actorOpenId || (await ctx.hasRole(ROLE_UNION_CHAIR))) return
  throw new UserFacingError('FORBIDDEN_ROLE', `只有发起人或工会主席可以结束 ${poll.number}。`)
}

/** Closes the poll (once; a second close is 'already'), freezes who could vote, and seals an anonymous poll. */
export async function closePoll(ctx: BaseContext, poll: Poll, by: string): Promise<TransitionResult<Poll>> {
  const r = await transition(ctx, POLL_MACHINE, {
    step: 'close',
    lock: (trx) => lockPoll(trx, poll.id),
    missing: () => new UserFacingError('NOT_FOUND', '没有找到该投票'),
    replayed: async (_trx, p) => p.closedEventId === ctx.eventId,
    from: ['open'],
    already: (p) => p.status === 'closed',
    refusal: (p) => (p.status === 'draft' ? `${p.number} 还没有开始表决。` : `${p.number} 已经结束了。`),
    apply: async (trx, p, at) => {
      // The meeting card lists its items' results: its version moves with the item.
      if (p.meetingId) await bumpMeeting(trx, p.meetingId)
      return markPollClosed(trx, p.id, { by, at, eventId: ctx.eventId, eligible: await eligibleCount(trx, p) })
    },
    audit: { action: 'poll.close', detail: (_b, a) => ({ ballots: a.votedCount, by: by === 'system' ? 'closing time' : 'early' }) },
  })
  if (r.after.anonymous) await sealVotes(ctx.db, r.after.id)
  return r
}

/**
 * What follows a closing, once across instances: the cards (group and private copies) show the results; the
 * committee gets the figures and answers of an ordinary poll; a congress item's meeting card is patched.
 */
export async function finishClosing(ctx: BaseContext, pollId: string): Promise<void> {
  const claim = await claimOnce(ctx.db, POLL_CLOSINGS_LEDGER, { poll_id: pollId }, { now: ctx.now(), leaseMs: CLOSING_LEASE_MS })
  if (!claim) return
  const poll = await findPoll(ctx.db, pollId)
  if (!poll || poll.status !== 'closed') return
  await ctx.liveCards.refresh('poll', poll.id, 'all')
  if (poll.kind === 'poll') {
    const results = await resultsOf(ctx.db, ctx.config, poll)
    const answers: Array<{ name?: string; text: string }> = []
    for (const a of await freeAnswersOf(ctx.db, poll)) answers.push(a.openId ? { name: (await ctx.nameOf(a.openId)) ?? '', text: a.text } : { text: a.text })
    await deliver(ctx, 'poll:closing', () => ctx.sendToCommittee({ card: buildPollClosingCard({ poll, results, answers }, ctx.config.timezone) }, { key: `poll-closing:${poll.id}` }), { poll: poll.number })
    // Every answer, also those the card had no room for, as a file for whoever started the poll.
    if (answers.length) {
      const rows = answers.map((a, i) => (poll.anonymous ? [String(i + 1), a.text] : [String(i + 1), a.name ?? '', a.text]))
      const csv = toCsv([poll.anonymous ? ['序号', '意见（匿名，顺序已随机打乱）'] : ['序号', '姓名', '意见'], ...rows])
      await deliver(ctx, 'poll:answers-file', () => ctx.sendFileToUser(poll.createdBy, `投票意见-${poll.number}.csv`, csv, { key: `poll-answers:${poll.id}` }), { poll: poll.number })
    }
  } else if (poll.kind === 'election') {
    await applyElection(ctx, poll)
  } else if (poll.meetingId) {
    await ctx.liveCards.refresh('congress', poll.meetingId, 'all')
  }
  await markClosingDone(ctx.db, poll.id, ctx.now())
  ctx.log.info({ poll: poll.number }, 'poll closing published')
}

/**
 * A closed election: the winners become representatives of the constituency for the term (once: the election
 * row's applied_at), and whoever started it hears the result.
 */
async function applyElection(ctx: BaseContext, poll: Poll): Promise<void> {
  const e = await findElection(ctx.db, poll.id)
  const view = await electionViewOf(ctx, poll, await resultsOf(ctx.db, ctx.config, poll))
  if (!e || !view?.outcome) return
  const winners = view.outcome.elected.map((i) => e.candidates.find((c) => c.optionNo === i)).filter((c) => c !== undefined)
  const applied = await ctx.db.transaction().execute(async (trx) => {
    const done = await applyWinners(trx, poll.id, winners, { constituency: e.constituency, term: e.term, by: poll.createdBy, at: ctx.now() })
    if (done) await ctx.audit({ action: 'election.apply', subjectType: 'poll', subjectId: poll.number, detail: { valid: view.outcome!.valid, elected: winners.length } }, trx)
    return done
  })
  if (!applied) return
  const text = !view.outcome.valid
    ? `选举 ${poll.number} 无效：参加人数未达到选区职工的三分之二，须重新选举。`
    : winners.length
      ? `选举 ${poll.number} 已结束：${winners.length} 人当选，已登记为该选区的职工代表（发送「投票 ${poll.number}」查看结果）。`
      : `选举 ${poll.number} 已结束：无人当选，须另行选举。`
  await deliver(ctx, 'election:result', () => ctx.sendToUser(poll.createdBy, { text }, { key: `election-result:${poll.id}` }), { poll: poll.number })
}
