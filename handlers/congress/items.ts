// The congress's votes: `表决 添加 <事项>` (chair) adds a secret-ballot item 赞成/反对/弃权 on the poll engine;
// `表决 开始 V-002` or the card's 开始表决 opens it, only with two thirds of the term's representatives present;
// only checked-in representatives vote; `表决 结束 V-002` closes it: it passes when 赞成 > half of ALL the term's
// representatives (上海市职工代表大会条例; CONGRESS_QUORUM, CONGRESS_PASS_SHARE).
import type { BaseContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { TransitionRefusedError, transition } from '../../src/kit/transition.js'
import { ITEM_TITLE_MAX } from '../../src/congress/model.js'
import { bumpMeeting, findMeeting, presentCount } from '../../src/congress/store.js'
import { POLL_OPEN } from '../../src/polls/actions.js'
import { CONGRESS_OPTIONS, quorumNeeded, quorumReached, type Poll } from '../../src/polls/model.js'
import { POLL_MACHINE, createPoll, findPoll, findPollBySourceMessage, lockPoll, markPollOpened } from '../../src/polls/store.js'
import { closePoll, finishClosing } from '../polls/close.js'
import { pollFromArgs, postPollCard, refreshPollCards } from '../polls/shared.js'
import { SECTION, refreshMeetingCards, requireChair, requireOpenMeeting } from './shared.js'

export function registerCongressItems(router: BotRouter): void {
  router.command({
    words: ['表决'],
    roles: ['officer'],
    takesText: true,
    help: { section: SECTION, usage: '表决 添加 事项 | 开始 V-002 | 结束 V-002', description: '职代会表决事项：无记名投票 赞成/反对/弃权（主席操作）' },
    async handle(ctx) {
      const [sub = '', ...rest] = ctx.argsTyped.trim().split(/\s+/)
      await requireChair(ctx)
      if (sub === '添加') return addItem(ctx, rest.join(' '))
      if (sub === '开始') {
        const { poll } = await pollFromArgs(ctx, rest.join(' '), '表决 开始 V-002')
        await ctx.reply({ text: await openItem(ctx, itemOf(poll)) })
        return
      }
      if (sub === '结束') {
        const { poll } = await pollFromArgs(ctx, rest.join(' '), '表决 结束 V-002')
        const r = await closePoll(ctx, itemOf(poll), ctx.actorOpenId)
        if (r.outcome !== 'already') await finishClosing(ctx, poll.id)
        await ctx.reply({ text: r.outcome === 'done' ? `${poll.number} 表决已结束，结果已公布在表决卡片和会议卡片上。` : `${poll.number} 表决已经结束了。` })
        return
      }
      throw new UserFacingError('INVALID_INPUT', '请这样发送：「表决 添加 集体合同草案」「表决 开始 V-002」「表决 结束 V-002」。')
    },
  })

  router.action(POLL_OPEN, {
    async handle(ctx, { id }): Promise<CardActionResult> {
      const poll = await findPoll(ctx.db, id)
      if (!poll) return { toast: { type: 'error', content: '没有找到该表决事项' } }
      await requireChair(ctx)
      try {
        return { toast: { type: 'success', content: await openItem(ctx, itemOf(poll)) } }
      } catch (err) {
        if (err instanceof TransitionRefusedError) return { toast: { type: 'warning', content: err.userMessage } }
        throw err
      }
    },
  })
}

function itemOf(poll: Poll): Poll {
  if (poll.kind !== 'congress') throw new UserFacingError('INVALID_INPUT', `${poll.number} 不是职代会表决事项；普通投票请用「结束投票 ${poll.number}」。`)
  return poll
}

async function addItem(ctx: MessageContext, typed: string): Promise<void> {
  const m = await requireOpenMeeting(ctx)
  const title = tidyText(typed)
  if (!title) throw new UserFacingError('INVALID_INPUT', '请写上表决事项，如：表决 添加 集体合同草案')
  if (charCount(title) > ITEM_TITLE_MAX) throw new UserFacingError('INVALID_INPUT', `表决事项不能超过 ${ITEM_TITLE_MAX} 个字`)
  // A re-run of this message finds the item it created (its source is the event).
  const source = `event:${ctx.eventId}`
  let poll = await findPollBySourceMessage(ctx.db, source)
  if (!poll) {
    poll = await ctx.db.transaction().execute(async (trx) => {
      const p = await createPoll(trx, {
        kind: 'congress',
        title,
        options: [...CONGRESS_OPTIONS],
        multiple: false,
        anonymous: true,
        audience: 'meeting',
        audienceValue: undefined,
        closesAt: undefined,
        resultsLive: false,
        freeQuestion: undefined,
        status: 'draft',
        createdBy: ctx.actorOpenId,
        createdAt: ctx.now(),
        eventId: ctx.eventId,
        sourceMessageId: source,
        originChatId: m.chatId ?? ctx.chatId,
        meetingId: m.id,
      })
      await bumpMeeting(trx, m.id)
      await ctx.audit({ action: 'congress.item.add', subjectType: 'poll', subjectId: p.number, detail: { meeting: m.number } }, trx)
      return p
    })
  }
  const chatId = m.chatId ?? ctx.chatId
  await postPollCard(ctx, poll, chatId === ctx.chatId && !ctx.isGroup ? { chatId, privateFor: ctx.actorOpenId } : { chatId })
  await refreshMeetingCards(ctx, m.id)
  if (chatId !== ctx.chatId) await ctx.reply({ text: `已添加表决事项 ${poll.number}，表决卡片已发到会议群。` })
}

/** Opens the item to the vote; refused while fewer than the quorum are present. Returns what to say. */
async function openItem(ctx: BaseContext, poll: Poll): Promise<string> {
  const meeting = poll.meetingId ? await findMeeting(ctx.db, poll.meetingId) : undefined
  if (!meeting || meeting.status !== 'open') throw new UserFacingError('INVALID_STATE', '会议已闭会，不能再表决。')
  const quorum = ctx.config.congress.quorum
  const r = await transition(ctx, POLL_MACHINE, {
    step: 'open',
    lock: (trx) => lockPoll(trx, poll.id),
    missing: () => new UserFacingError('NOT_FOUND', '没有找到该表决事项'),
    replayed: async (_trx, p) => p.openedEventId === ctx.eventId,
    from: ['draft'],
    already: (p) => p.status === 'open',
    refusal: (p) => `${p.number} 已经表决结束了。`,
    guard: async (_p, trx) => {
      const present = await presentCount(trx, meeting.id)
      if (!quorumReached(present, meeting.expected, quorum)) {
        throw new TransitionRefusedError('open', `到会 ${present} / 应到 ${meeting.expected}，未达到法定人数（至少 ${quorumNeeded(meeting.expected, quorum)} 人），不能开始表决。`)
      }
    },
    apply: async (trx, p, at) => {
      await bumpMeeting(trx, meeting.id)
      return markPollOpened(trx, p.id, { at, eventId: ctx.eventId })
    },
    audit: { action: 'congress.item.open', detail: () => ({ meeting: meeting.number }) },
  })
  await refreshPollCards(ctx, poll.id, 'all')
  await refreshMeetingCards(ctx, meeting.id)
  return r.outcome === 'already' ? `${poll.number} 已经在表决中。` : `${poll.number} 开始表决`
}
