// Voting on the card: a button (single choice) or the checked boxes and 提交 (multiple choice), with the optional
// free-text answer. Answers are toasts only — never a card in the callback answer, which Feishu would show to the
// whole group — and nothing about the ballot is logged.
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { charCount } from '../../src/kit/text.js'
import { FREE_ANSWER_FIELD, POLL_VOTE, optionField } from '../../src/polls/actions.js'
import { mayVote } from '../../src/polls/eligibility.js'
import { POLL_LIMITS, audienceText } from '../../src/polls/model.js'
import { castVote, findPoll } from '../../src/polls/store.js'
import { findElection } from '../../src/congress/election-store.js'
import { refreshPollCards } from './shared.js'

const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardActionResult => ({ toast: { type, content } })

export function registerPollVote(router: BotRouter): void {
  router.action(POLL_VOTE, { handle: (ctx, { id, option }) => vote(ctx, id, option) })
}

function checked(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1'
}

async function vote(ctx: CardActionContext, id: string, option: number): Promise<CardActionResult> {
  const poll = await findPoll(ctx.db, id)
  if (!poll) return toast('error', '没有找到该投票')
  const what = poll.kind === 'congress' ? '表决' : poll.kind === 'election' ? '选举' : '投票'
  if (poll.status === 'closed' || (poll.closesAt && ctx.now() >= poll.closesAt)) return toast('warning', `${what}已结束`)
  if (poll.status === 'draft') return toast('warning', '表决尚未开始')
  if (!(await mayVote(ctx.db, poll, ctx.actorOpenId))) return toast('warning', `本次${what}仅限${audienceText(poll)}参加`)
  const form = ctx.action.formValue
  const choices = option >= 0 ? [option] : poll.options.map((_, i) => i).filter((i) => checked(form[optionField(i)]))
  if (choices.length === 0) return toast('warning', '请至少勾选一项，再点提交')
  if (choices.some((c) => c >= poll.options.length) || (!poll.multiple && choices.length !== 1)) return toast('error', '该按钮已失效，请重新获取投票卡片。')
  if (poll.kind === 'election') {
    // 应选 N 名: a ballot names at most N candidates (more would spoil it).
    const seats = (await findElection(ctx.db, poll.id))?.seats ?? 1
    if (choices.length > seats) return toast('warning', `本次应选 ${seats} 名，最多勾选 ${seats} 人`)
  }
  const rawAnswer = poll.freeQuestion && typeof form[FREE_ANSWER_FIELD] === 'string' ? (form[FREE_ANSWER_FIELD] as string).trim() : ''
  if (charCount(rawAnswer) > POLL_LIMITS.freeAnswer) return toast('warning', `意见不能超过 ${POLL_LIMITS.freeAnswer} 个字，请删减后再提交`)
  const r = await castVote(ctx.db, { pollId: poll.id, openId: ctx.actorOpenId, choices, answer: rawAnswer || undefined, now: ctx.now() })
  switch (r.outcome) {
    case 'voted':
      ctx.defer(() => refreshPollCards(ctx, poll.id))
      return toast('success', '已投票')
    case 'changed':
      if (poll.resultsLive) ctx.defer(() => refreshPollCards(ctx, poll.id))
      return toast('success', '已改投')
    case 'same':
      return toast('info', '您已投票')
    case 'already':
      return toast('info', `您已投过票，无记名${what}投出后不能更改`)
    case 'closed':
      return toast('warning', `${what}已结束`)
    case 'not_open':
      return toast('warning', '表决尚未开始')
    case 'not_found':
      return toast('error', '没有找到该投票')
  }
}
