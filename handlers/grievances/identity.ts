// Identity release for anonymous cases (issue #13; GlobaLeaks' custodian model). An officer asks with a reason on
// the case's card; the request goes to the worker through the sealed reporter link (the officer is never told
// whom it reached), and only the worker's 同意 stores the name the officers' cards then show. A refusal or silence
// stores nothing that names them. Every request and answer is on the history and audited; the answer's audit row
// names no actor (the reporter is never recorded), and its history entry has no event id (like the filing).
import { buildIdentityAnsweredCard, buildIdentityRequestCard } from '../../cards/grievances/worker.js'
import { FORM_FIELDS } from '../../cards/grievances/review.js'
import { writeAudit } from '../../src/core/audit.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { IDENTITY_ANSWER, IDENTITY_REQUEST } from '../../src/grievances/actions.js'
import { answerIdentityRequest, identityRequestByEvent, identityRequestCase, lockIdentityRequest, requestIdentity } from '../../src/grievances/identity.js'
import { OFFICER_TEXT_MAX_CHARS, STATUS_LABEL, charCount } from '../../src/grievances/model.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { isReporterOf, reporterOf } from '../../src/grievances/reporters.js'
import { lockGrievance, recordGrievanceEvent, updateGrievance } from '../../src/grievances/store.js'
import { isOpening, openStepForm } from './forms.js'
import { notifyReporter, refreshReviewCard, renderCardFor, sendToCaseOfficers } from './shared.js'

const DENIED = '抱歉，只有工会干部可以处理诉求。'

export function registerGrievanceIdentity(router: BotRouter): void {
  router.action(IDENTITY_REQUEST, {
    roles: ['officer'],
    deniedMessage: DENIED,
    async handle(ctx, { gid, rev }) {
      if (isOpening(ctx)) return openStepForm(ctx, gid, rev, 'identity')
      const reason = (ctx.formString(FORM_FIELDS.identityReason) ?? '').trim()
      if (!reason) throw new UserFacingError('INVALID_INPUT', '请先填写请求理由。')
      if (charCount(reason) > OFFICER_TEXT_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `请求理由最多 ${OFFICER_TEXT_MAX_CHARS} 个字。`)
      const r = await ctx.db.transaction().execute(async (trx) => {
        const g = await lockGrievance(trx, gid)
        if (!g || (await hasRecused(trx, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        const done = await identityRequestByEvent(trx, ctx.eventId)
        if (done) return { g, rid: done.id, replay: true }
        if (g.revision !== rev) throw new UserFacingError('INVALID_STATE', `该诉求刚有新的处理（当前：${STATUS_LABEL[g.status]}），请在最新的卡片上操作。`)
        if (!g.anonymous) throw new UserFacingError('INVALID_STATE', '本案是实名诉求，反映人的姓名已在卡片上。')
        if (g.status === 'transferred' || g.erasedAt) throw new UserFacingError('INVALID_STATE', `该诉求当前为「${STATUS_LABEL[g.status]}」，不能再请求公开身份。`)
        // An anonymous case registered offline has nobody on Feishu to ask (the same words for every such case).
        if (!(await reporterOf(trx, gid))) throw new UserFacingError('INVALID_STATE', '本案没有可以联系的反映人（线下匿名登记），无法请求公开身份。')
        const now = ctx.now()
        const x = await requestIdentity(trx, { grievanceId: gid, requestedBy: ctx.actorOpenId, reason, at: now, eventId: ctx.eventId })
        if (!x) throw new UserFacingError('INVALID_STATE', '本案已有一个公开身份的请求在等待反映人答复。')
        await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: 'identity_requested', actorOpenId: ctx.actorOpenId, body: reason, eventId: ctx.eventId })
        await ctx.audit({ action: 'grievance.identity.request', subjectType: 'grievance', subjectId: g.number, detail: { request: x.id } }, trx)
        return { g: await updateGrievance(trx, gid, { revision: g.revision + 1 }), rid: x.id, replay: false }
      })
      const g = r.g
      ctx.defer(async () => {
        await notifyReporter(ctx, g, { card: buildIdentityRequestCard({ rid: r.rid, number: g.number, reason }) }, `identity-request:${r.rid}`)
        await refreshReviewCard(ctx, g.id, ctx.action.messageId)
      })
      return { toast: { type: 'success', content: '已把请求转给反映人；其同意之前，任何人都看不到其身份。' }, card: await renderCardFor(ctx, g, ctx.action.messageId) }
    },
  })

  router.action(IDENTITY_ANSWER, {
    async handle(ctx, { rid, answer }) {
      const granted = answer === 'agree'
      // Only the reporter may answer; anyone else learns nothing, not even that the request exists.
      const probe = await identityRequestCase(ctx.db, rid)
      if (probe === undefined || !(await isReporterOf(ctx.db, probe, ctx.actorOpenId))) return { toast: { type: 'warning', content: MESSAGES.actionUnknown } }
      const name = granted ? ((await ctx.nameOf(ctx.actorOpenId).catch(() => undefined)) ?? '（未能读取姓名的职工）') : null
      const r = await ctx.db.transaction().execute(async (trx) => {
        const g = await lockGrievance(trx, probe)
        const x = await lockIdentityRequest(trx, rid)
        if (!g || !x) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        if (x.status !== 'requested') return { g, granted: x.status === 'granted', already: true }
        const now = ctx.now()
        await answerIdentityRequest(trx, rid, { granted, at: now, name })
        await recordGrievanceEvent(trx, { grievanceId: g.id, at: now, kind: 'identity_answered', actorOpenId: null, detail: { granted }, eventId: null })
        // No actor: the audit row must not lead back to the reporter (a refusal least of all).
        await writeAudit(trx, { actorOpenId: '', action: 'grievance.identity.answer', subjectType: 'grievance', subjectId: g.number, detail: { request: rid, granted } })
        return { g: await updateGrievance(trx, g.id, { revision: g.revision + 1 }), granted, already: false }
      })
      const card = buildIdentityAnsweredCard({ number: r.g.number, granted: r.granted })
      if (r.already) return { toast: { type: 'info', content: '您已经答复过了。' }, card }
      const g = r.g
      ctx.defer(async () => {
        const text = r.granted ? `诉求 ${g.number} 的反映人同意公开身份，姓名已显示在案件卡片上。` : `诉求 ${g.number} 的反映人没有同意公开身份，请继续按匿名诉求处理。`
        await sendToCaseOfficers(ctx, g, { text }, `identity-answer:${rid}`)
        await refreshReviewCard(ctx, g.id)
      })
      return { toast: { type: 'success', content: r.granted ? '已同意，谢谢您' : '已答复：不同意公开' }, card }
    },
  })
}
