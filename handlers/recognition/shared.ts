// What recognition's handlers share: the help section, finding a round by the number typed, who may nominate,
// the chair's open_ids (objections go to them alone), and the committee's review card drawn and patched.
import { buildReviewCard } from '../../cards/recognition/rounds.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { isMember } from '../../src/organisation/members.js'
import { ROUND_NUMBER } from '../../src/recognition/model.js'
import type { ObjectionView } from '../../src/recognition/model.js'
import { findRound, listNominations, nominationById, nominationView, objectionCounts, roundById, roundView, updateRound, type Objection, type Round } from '../../src/recognition/store.js'

export const SECTION = '评先评优'

/** The round a text names (`PX-2026-01`, `px2026 1`); a polite refusal when there is none. */
export async function roundFromText(ctx: BaseContext, text: string, usage: string): Promise<{ round: Round; rest: string }> {
  const found = ROUND_NUMBER.find(text)
  if (!found) throw new UserFacingError('INVALID_INPUT', `请写上评选编号，例如：${usage}`)
  const round = await findRound(ctx.db, found.number)
  if (!round) throw new UserFacingError('NOT_FOUND', `没有找到评选 ${found.number}，请核对编号。`)
  return { round, rest: `${found.before} ${found.after}`.replace(/\s+/g, ' ').trim() }
}

/** Whether `openId` may nominate in this round (officers always may: they organise it). */
export async function mayNominate(ctx: BaseContext, round: Round, openId: string): Promise<boolean> {
  if (await ctx.isOfficer(openId)) return true
  if (round.nominators === 'representatives') return ctx.hasRole('representative', openId)
  if (round.nominators === 'members') return isMember(ctx.db, openId)
  return false
}

/**
 * The chair (主席), who alone receives objections; before a chair is set in chat, the configured officers hold the
 * chair's rights (the bootstrap of src/organisation), so they receive them.
 */
export async function chairOpenIds(ctx: BaseContext): Promise<string[]> {
  const chairs = await ctx.db.selectFrom('officers').select('open_id').where('role', '=', 'chair').orderBy('open_id').execute()
  return chairs.length ? chairs.map((c) => c.open_id) : [...ctx.config.union.officerOpenIds]
}

export async function reviewCardOf(ctx: BaseContext, round: Round) {
  const [nominations, objections] = await Promise.all([listNominations(ctx.db, round.id), objectionCounts(ctx.db, round.id)])
  return buildReviewCard({ round: roundView(round), nominations: nominations.map((n) => nominationView(n, n.cosigned)), objections, timeZone: ctx.config.timezone })
}

/** Posts the review card to the committee group (first time) or patches it (a nomination came, a step was taken). */
export async function refreshReview(ctx: BaseContext, round: Round): Promise<void> {
  const card = await reviewCardOf(ctx, round)
  if (round.review_message_id) {
    await deliver(ctx, 'award:review-patch', () => ctx.patchCard(round.review_message_id!, card), { round: round.number })
    return
  }
  const sent = await deliver(ctx, 'award:review', () => ctx.sendToCommittee({ card }, { key: `award-review:${round.id}` }), { round: round.number })
  if (sent.sent && sent.value) await updateRound(ctx.db, round.id, { reviewMessageId: sent.value.messageId })
}

/** What the chair's objection card shows (an anonymous objection's has no name: the row holds none). */
export async function viewOf(ctx: BaseContext, o: Objection): Promise<ObjectionView> {
  const round = await roundById(ctx.db, o.round_id)
  const nomination = await nominationById(ctx.db, o.nomination_id)
  return {
    id: o.id,
    roundNumber: round?.number ?? '',
    roundName: round?.name ?? '',
    nomineeName: nomination?.nominee_name ?? '',
    anonymous: o.anonymous,
    objectorName: o.objector_name ?? undefined,
    body: o.body,
    raisedOn: o.raised_on,
    answer: o.answer ?? undefined,
    answerReason: o.answer_reason ?? undefined,
  }
}
