// What people do around a submitted proposal: co-sign it (附议, by command or the card's button), withdraw it
// (撤回, the proposer, before 立案) and follow it (关注) to receive its status changes.
import { buildProposalCard } from '../../cards/proposals/proposal.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { COSIGN, FOLLOW } from '../../src/proposals/actions.js'
import { transition as kitTransition } from '../../src/kit/transition.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { COSIGNABLE, REASON_MAX, WITHDRAWABLE, charCount, findNumber } from '../../src/proposals/model.js'
import { lockProposal, updateProposal, type Proposal } from '../../src/proposals/store.js'
import { addCosigner, cosignerOf, listCosigners } from '../../src/proposals/cosigners.js'
import { addFollower, removeFollower } from '../../src/proposals/followers.js'
import { addTimeline, timelineStepOfEvent } from '../../src/proposals/timeline.js'
import { getWindow } from '../../src/proposals/windows.js'
import {
  buildView,
  inState,
  notFound,
  notifyStakeholders,
  numberFrom,
  PROPOSAL_MACHINE,
  refreshCommitteeCard,
  refreshProposalCards,
  requireProposal,
  sendReviewCard,
  sendSafely,
  statusNotice,
  transition,
} from './shared.js'

const SECTION = '职代会提案'
const NOT_REPRESENTATIVE = '抱歉，只有职工代表可以附议提案。'

type CosignResult =
  | { outcome: 'done' | 'replay'; proposal: Proposal; count: number; becameReady: boolean }
  | { outcome: 'already'; proposal: Proposal }

/** Adds the actor as co-signer under the row lock; at the threshold the proposal moves to 待审查. */
async function cosign(ctx: BaseContext, number: string): Promise<CosignResult> {
  const min = ctx.config.proposal.minCosigners
  return ctx.db.transaction().execute(async (trx) => {
    const p = await lockProposal(trx, number)
    if (!p) throw notFound(number)
    const existing = await cosignerOf(trx, p.id, ctx.actorOpenId)
    if (existing) {
      if (existing.eventId !== ctx.eventId) return { outcome: 'already', proposal: p }
      const count = (await listCosigners(trx, p.id)).length
      return { outcome: 'replay', proposal: p, count, becameReady: (await timelineStepOfEvent(trx, p.id, 'review_ready', ctx.eventId)) !== undefined }
    }
    if (p.proposerOpenId === ctx.actorOpenId) throw new UserFacingError('INVALID_INPUT', '不能附议自己提交的提案。请邀请其他职工代表附议。')
    if (!COSIGNABLE.includes(p.status)) throw new UserFacingError('INVALID_STATE', inState(p, '已不能附议。'))
    const window = await getWindow(trx, p.windowId)
    if (window?.closedAt) throw new UserFacingError('INVALID_STATE', `提案 ${p.number} 所在的提案征集已经结束，不能再附议。`)
    const now = ctx.now()
    await addCosigner(trx, p.id, ctx.actorOpenId, now, ctx.eventId)
    await addTimeline(trx, { proposalId: p.id, at: now, kind: 'cosigned', actorOpenId: ctx.actorOpenId, eventId: ctx.eventId })
    const count = (await listCosigners(trx, p.id)).length
    if (p.status === 'collecting' && count >= min) {
      // The threshold is reached: the proposal moves to 待审查 in this same transaction, through the guarded step.
      const r = await kitTransition(
        ctx,
        PROPOSAL_MACHINE,
        {
          step: 'review_ready',
          lock: (t) => lockProposal(t, number),
          missing: () => notFound(number),
          replayed: async (t, row) => (await timelineStepOfEvent(t, row.id, 'review_ready', ctx.eventId)) !== undefined,
          from: ['collecting'],
          refusal: (row) => inState(row, '已不能附议。'),
          apply: (t, row, at) => updateProposal(t, row.id, { status: 'pending_review', reviewReadyAt: at }, at),
          history: async (t, row, _after, at) =>
            void (await addTimeline(t, { proposalId: row.id, at, kind: 'review_ready', actorOpenId: null, detail: { count, from: 'collecting', to: 'pending_review' }, eventId: ctx.eventId })),
          audit: { action: 'proposal.review_ready', detail: () => ({ cosigners: count }) },
        },
        trx,
      )
      return { outcome: 'done', proposal: r.after, count, becameReady: true }
    }
    return { outcome: 'done', proposal: p, count, becameReady: false }
  })
}

/** Notices after a co-signature: the proposer hears of it; at the threshold everyone concerned and the committee. */
async function afterCosign(ctx: BaseContext, r: Extract<CosignResult, { count: number }>): Promise<void> {
  const p = r.proposal
  const min = ctx.config.proposal.minCosigners
  await sendSafely(ctx, 'cosign-proposer', () =>
    ctx.sendToUser(p.proposerOpenId, { text: `【职代会提案】您的提案 ${p.number} 新增 1 名职工代表附议（目前 ${r.count} 人，需要 ${min} 人）。` }, { key: `cosigned:${p.number}:${r.count}` }),
  )
  if (r.becameReady) {
    // The co-signer who completed it was told in the reply or toast.
    await notifyStakeholders(ctx, p, 'ready', statusNotice(p, `已获得 ${min} 名职工代表附议，进入待审查，将由工会提案工作委员会审查。`), [ctx.actorOpenId])
    await sendReviewCard(ctx, p.number)
  } else {
    await refreshProposalCards(ctx, p.id)
    if (p.status === 'pending_review') await refreshCommitteeCard(ctx, p.number)
  }
}

async function withdraw(ctx: BaseContext, text: string): Promise<Proposal> {
  const found = findNumber(text)
  if (!found) throw new UserFacingError('INVALID_INPUT', '请写上提案编号和撤回理由，例如：撤回提案 P-2026-003 已与部门沟通解决')
  const reason = found.rest
  if (!reason) throw new UserFacingError('INVALID_INPUT', `请说明撤回理由，例如：撤回提案 ${found.number} 已与部门沟通解决`)
  if (charCount(reason) > REASON_MAX) throw new UserFacingError('INVALID_INPUT', `撤回理由不能超过 ${REASON_MAX} 个字。`)
  const r = await transition(ctx, {
    number: found.number,
    kind: 'withdrawn',
    from: WITHDRAWABLE,
    guard: (p) => {
      if (p.proposerOpenId !== ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '只有提案人本人可以撤回提案。')
    },
    alreadyDone: (p) => p.status === 'withdrawn',
    refusal: (p) => inState(p, '已经立案或审查完毕，不能撤回。如有变化，请联系工会提案工作委员会。'),
    changes: () => ({ status: 'withdrawn', withdrawnAt: ctx.now(), withdrawReason: reason }),
    note: reason,
    audit: 'proposal.withdraw',
  })
  if (r.outcome === 'already') throw new UserFacingError('INVALID_STATE', `提案 ${found.number} 已经撤回。`)
  return r.after
}

/** After the proposer was answered: everyone concerned, the cards (patched live) and the committee's card. */
async function afterWithdraw(ctx: BaseContext, p: Proposal): Promise<void> {
  await notifyStakeholders(ctx, p, 'withdrawn', statusNotice(p, '已由提案人撤回。'), [ctx.actorOpenId])
  await refreshCommitteeCard(ctx, p.number)
}

/** Follows the proposal; its cards show the number of followers, so `refresh` is the caller's (deferred in a click). */
async function follow(ctx: BaseContext, number: string): Promise<{ message: string; refresh: () => Promise<void> }> {
  const p = await requireProposal(ctx.db, number)
  const added = await addFollower(ctx.db, p.id, ctx.actorOpenId, ctx.now())
  const refresh = () => (added ? refreshProposalCards(ctx, p.id) : Promise.resolve())
  const involved = p.proposerOpenId === ctx.actorOpenId || (await cosignerOf(ctx.db, p.id, ctx.actorOpenId)) !== undefined
  if (involved) return { message: `您是提案 ${p.number} 的${p.proposerOpenId === ctx.actorOpenId ? '提案人' : '附议人'}，状态变化时会自动收到通知。`, refresh }
  return { message: added ? `已关注提案 ${p.number}，状态变化时我会私信通知您。` : `您已关注提案 ${p.number}。`, refresh }
}

export function registerProposalSupport(router: BotRouter): void {
  router.command({
    words: ['附议', 'cosign', 'co-sign'],
    roles: ['representative'],
    deniedMessage: NOT_REPRESENTATIVE,
    help: { section: SECTION, usage: '附议 P-2026-003', description: '附议其他代表的提案，也可点提案卡片上的「附议」' },
    async handle(ctx) {
      const number = numberFrom(ctx.argsText, '请写上要附议的提案编号，例如：附议 P-2026-003')
      const r = await cosign(ctx, number)
      if (r.outcome === 'already') return void (await ctx.reply({ text: `您已附议过提案 ${number}，无需重复附议。` }))
      await ctx.reply({ text: `已附议提案 ${number}（目前 ${r.count} 人附议）。${r.becameReady ? '附议人数已达到要求，提案进入待审查。' : ''}` })
      await afterCosign(ctx, r)
    },
  })
  router.action(COSIGN, {
    roles: ['representative'],
    deniedMessage: NOT_REPRESENTATIVE,
    async handle(ctx, { number }) {
      const r = await cosign(ctx, number)
      const card = buildProposalCard(await buildView(ctx, r.proposal))
      if (r.outcome === 'already') return { toast: { type: 'info', content: '您已附议过该提案，无需重复附议。' }, card }
      ctx.defer(() => afterCosign(ctx, r))
      return { toast: { type: 'success', content: r.becameReady ? '已附议，提案进入待审查' : `已附议（目前 ${r.count} 人）` }, card }
    },
  })

  router.command({
    words: ['撤回提案', 'withdraw proposal'],
    help: { section: SECTION, usage: '撤回提案 P-2026-003 理由', description: '提案人在立案前撤回自己的提案' },
    async handle(ctx) {
      const p = await withdraw(ctx, ctx.argsText)
      await ctx.reply({ text: `已撤回提案 ${p.number}。附议人和关注者会收到通知。` })
      await afterWithdraw(ctx, p)
    },
  })

  router.command({
    words: ['关注', '关注提案', 'follow'],
    help: { section: SECTION, usage: '关注 P-2026-003', description: '关注提案，状态变化时收到通知（取消关注 P-2026-003）' },
    async handle(ctx) {
      const r = await follow(ctx, numberFrom(ctx.argsText, '请写上要关注的提案编号，例如：关注 P-2026-003'))
      await ctx.reply({ text: r.message })
      await r.refresh()
    },
  })
  router.command({
    words: ['取消关注', '取消关注提案', 'unfollow'],
    async handle(ctx) {
      const p = await requireProposal(ctx.db, numberFrom(ctx.argsText, '请写上要取消关注的提案编号，例如：取消关注 P-2026-003'))
      const removed = await removeFollower(ctx.db, p.id, ctx.actorOpenId)
      await ctx.reply({ text: removed ? `已取消关注提案 ${p.number}。` : `您没有关注提案 ${p.number}。` })
      if (removed) await refreshProposalCards(ctx, p.id)
    },
  })
  router.action(FOLLOW, {
    async handle(ctx, { number }) {
      const r = await follow(ctx, number)
      ctx.defer(r.refresh)
      return { toast: { type: 'success', content: r.message } }
    },
  })
}
