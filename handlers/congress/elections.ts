// Elections of representatives by constituency (选区) on the poll engine (secret ballot, one vote each):
// `选举 发起 第一选区 @候选人… [应选 N]` (the chair, in the group where the card goes) opens the vote for the
// constituency's workers; `选举 结束 V-003` closes it. Valid when at least two thirds of the constituency's workers
// voted; a candidate is elected with more than half of ALL of them (上海市职工代表大会条例第十五条; ELECTION_TURNOUT,
// ELECTION_WIN_SHARE); the winners become representatives of the constituency for the term (CONGRESS_TERM).
// `选区 设置 第一选区 一车间 二车间` says which departments make up a constituency; `选区` lists them.
import { buildConstituenciesCard } from '../../cards/congress/meeting.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { createElection, findElection, listConstituencies, setConstituency } from '../../src/congress/election-store.js'
import { ELECTION_LIMITS } from '../../src/congress/elections.js'
import { eligibleCount } from '../../src/polls/eligibility.js'
import { createPoll, findPollBySourceMessage } from '../../src/polls/store.js'
import { closePoll, finishClosing } from '../polls/close.js'
import { pollFromArgs, postPollCard } from '../polls/shared.js'
import { SECTION, requireChair } from './shared.js'

const USAGE = '「选举 发起 第一选区 @候选人甲 @候选人乙 应选 1」「选举 结束 V-003」'

export function registerCongressElections(router: BotRouter): void {
  router.command({
    words: ['选举', '代表选举'],
    roles: ['officer'],
    takesText: true,
    help: { section: SECTION, usage: '选举 发起 选区 @候选人… 应选 N | 结束 V-003', description: '按选区选举职工代表：无记名投票，三分之二以上选区职工参加有效，过全体选区职工半数当选（主席操作）' },
    async handle(ctx) {
      await requireChair(ctx)
      const [sub = '', ...rest] = withoutMentions(ctx).split(/\s+/)
      if (sub === '发起') return startElection(ctx, rest)
      if (sub === '结束') {
        const { poll } = await pollFromArgs(ctx, rest.join(' '), '选举 结束 V-003')
        if (poll.kind !== 'election') throw new UserFacingError('INVALID_INPUT', `${poll.number} 不是代表选举。`)
        const r = await closePoll(ctx, poll, ctx.actorOpenId)
        await ctx.reply({ text: r.outcome === 'done' ? `${poll.number} 选举已结束，结果已公布在选举卡片上。` : `${poll.number} 选举已经结束了。` })
        if (r.outcome !== 'already') await finishClosing(ctx, poll.id)
        return
      }
      throw new UserFacingError('INVALID_INPUT', `请这样发送：${USAGE}。`)
    },
  })

  router.command({
    words: ['选区'],
    roles: ['officer'],
    takesText: true,
    help: { section: SECTION, usage: '选区 设置 第一选区 一车间 二车间', description: '设置选区由哪些部门组成（未设置的选区即同名部门）；发送「选区」查看' },
    async handle(ctx) {
      const [sub = '', name = '', ...departments] = tidyText(ctx.argsTyped).split(' ')
      if (sub === '设置') {
        await requireChair(ctx)
        if (!name || departments.length === 0) throw new UserFacingError('INVALID_INPUT', '请写上选区和它包含的部门，如：选区 设置 第一选区 一车间 二车间')
        if ([name, ...departments].some((d) => charCount(d) > ELECTION_LIMITS.constituency)) throw new UserFacingError('INVALID_INPUT', `选区和部门名称不能超过 ${ELECTION_LIMITS.constituency} 个字`)
        await ctx.db.transaction().execute(async (trx) => {
          await setConstituency(trx, name, [...new Set(departments)], { openId: ctx.actorOpenId, at: ctx.now() })
          await ctx.audit({ action: 'election.constituency', subjectType: 'constituency', subjectId: name, detail: { departments: departments.length } }, trx)
        })
      } else if (sub) throw new UserFacingError('INVALID_INPUT', '用法：「选区」查看，「选区 设置 第一选区 一车间 二车间」设置。')
      await ctx.reply({ card: buildConstituenciesCard(await listConstituencies(ctx.db)) })
    },
  })
}

/** The text as typed, each @-mention taken out (the candidates come from the mentions themselves). */
function withoutMentions(ctx: MessageContext): string {
  let out = ctx.argsTyped
  for (const m of ctx.mentions) out = out.split(`@${m.name || '用户'}`).join(' ')
  return tidyText(out)
}

async function startElection(ctx: MessageContext, words: string[]): Promise<void> {
  if (!ctx.isGroup) throw new UserFacingError('INVALID_INPUT', `请在要发布选举的群里发送，并 @ 每位候选人：${USAGE}。`)
  const text = words.join(' ')
  const seatsMatch = /应选\s*(\d{1,2})\s*[名人]?/.exec(text)
  const constituency = tidyText(text.replace(/应选\s*\d{1,2}\s*[名人]?/, '')).split(' ')[0] ?? ''
  const candidates = [...new Map(ctx.mentions.filter((m) => m.openId).map((m) => [m.openId!, { openId: m.openId!, name: m.name || '候选人' }])).values()]
  const seats = seatsMatch ? Number(seatsMatch[1]) : 1
  if (!constituency) throw new UserFacingError('INVALID_INPUT', `请写上选区，如：${USAGE}。`)
  if (charCount(constituency) > ELECTION_LIMITS.constituency) throw new UserFacingError('INVALID_INPUT', `选区名称不能超过 ${ELECTION_LIMITS.constituency} 个字`)
  if (candidates.length === 0) throw new UserFacingError('INVALID_INPUT', `请 @ 每位候选人，如：${USAGE}。`)
  if (candidates.length > ELECTION_LIMITS.maxCandidates) throw new UserFacingError('INVALID_INPUT', `候选人最多 ${ELECTION_LIMITS.maxCandidates} 位`)
  if (seats < 1 || seats > Math.min(ELECTION_LIMITS.maxSeats, candidates.length)) throw new UserFacingError('INVALID_INPUT', `应选人数须在 1 到候选人数（${candidates.length}）之间`)
  const source = `event:${ctx.eventId}`
  let poll = await findPollBySourceMessage(ctx.db, source)
  if (!poll) {
    const audience = { audience: 'electorate' as const, audienceValue: constituency, meetingId: undefined }
    if (((await eligibleCount(ctx.db, audience)) ?? 0) === 0) {
      throw new UserFacingError('INVALID_STATE', '这个选区还没有登记在册的职工：请先用「选区 设置 选区 部门…」说明它包含哪些部门（会员的部门），或核对选区名称。')
    }
    poll = await ctx.db.transaction().execute(async (trx) => {
      const p = await createPoll(trx, {
        kind: 'election',
        title: `${constituency}职工代表选举`,
        options: candidates.map((c) => c.name),
        multiple: seats > 1,
        anonymous: true,
        ...audience,
        closesAt: undefined,
        resultsLive: false,
        freeQuestion: undefined,
        status: 'open',
        createdBy: ctx.actorOpenId,
        createdAt: ctx.now(),
        eventId: ctx.eventId,
        sourceMessageId: source,
        originChatId: ctx.chatId,
      })
      await createElection(trx, { pollId: p.id, constituency, seats, term: ctx.config.congress.term, candidates })
      await ctx.audit({ action: 'election.start', subjectType: 'poll', subjectId: p.number, detail: { candidates: candidates.length, seats } }, trx)
      return p
    })
  } else if (!(await findElection(ctx.db, poll.id))) return
  await postPollCard(ctx, poll, { chatId: ctx.chatId })
}
