// The chair answers each 公示 objection on its card: 异议成立 (the person leaves the selected list: the nomination is
// revoked through transition()) or 异议不成立, with a reason; the objector is told privately (through the sealed link
// of src/recognition/objectors.ts), and the review card's counts follow.
import { buildObjectionAnsweredCard, buildObjectionCard } from '../../cards/recognition/nominations.js'
import type { CardActionContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { FIELDS, OBJECTION_ANSWER } from '../../src/recognition/actions.js'
import { ANSWER_REASON_MAX, type ObjectionAnswer } from '../../src/recognition/model.js'
import { objectorOf } from '../../src/recognition/objectors.js'
import { nominationStep } from '../../src/recognition/steps.js'
import { answerObjection, lockObjection, roundById, updateRound } from '../../src/recognition/store.js'
import { refreshReview, viewOf } from './shared.js'

async function answer(ctx: CardActionContext, oid: number) {
  const choice = ctx.formString(FIELDS.answer) as ObjectionAnswer | undefined
  const reason = (ctx.formString(FIELDS.reason) ?? '').trim()
  if (choice !== 'upheld' && choice !== 'not_upheld') throw new UserFacingError('INVALID_INPUT', '请选择异议是否成立。')
  if (!reason) throw new UserFacingError('INVALID_INPUT', '请填写答复理由，理由会告知提出人。')
  if (charCount(reason) > ANSWER_REASON_MAX) throw new UserFacingError('INVALID_INPUT', `理由不能超过 ${ANSWER_REASON_MAX} 个字。`)
  const result = await ctx.db.transaction().execute(async (trx) => {
    const o = await lockObjection(trx, oid)
    if (!o) throw new UserFacingError('NOT_FOUND', '没有找到这条异议。')
    if (o.answer) return { objection: o, done: false }
    const after = await answerObjection(trx, o.id, { answer: choice, reason, by: ctx.actorOpenId, at: ctx.now() })
    if (choice === 'upheld') {
      await nominationStep(ctx, { step: 'revoke', nominationId: o.nomination_id, from: ['selected'], to: 'revoked', refusal: () => '该人员已不在拟当选名单中。' }, trx)
      await updateRound(trx, o.round_id, { bump: true })
    }
    await ctx.audit({ action: 'award.objection.answer', subjectType: 'award_objection', subjectId: String(o.id), detail: { answer: choice } }, trx)
    return { objection: after, done: true }
  })
  const view = await viewOf(ctx, result.objection)
  if (result.done) {
    ctx.defer(async () => {
      const to = await objectorOf(ctx.db, oid)
      if (to) {
        const notice = buildObjectionAnsweredCard({ roundName: view.roundName, roundNumber: view.roundNumber, nomineeName: view.nomineeName, answer: choice, reason })
        await deliver(ctx, 'award:objection-answered', () => ctx.sendToUser(to, { card: notice }, { key: `award-objection-answered:${oid}` }), { objection: oid })
      }
      await refreshReview(ctx, (await roundById(ctx.db, result.objection.round_id))!)
    })
  }
  return { toast: { type: result.done ? ('success' as const) : ('info' as const), content: result.done ? '已答复，并告知提出人。' : '这条异议已答复过。' }, card: buildObjectionCard(view) }
}

export function registerObjectionAnswers(router: BotRouter): void {
  router.action(OBJECTION_ANSWER, { roles: [ROLE_UNION_CHAIR], deniedMessage: '只有工会主席可以答复评选异议。', handle: (ctx, p) => answer(ctx, p.oid) })
}
