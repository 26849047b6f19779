// Extensions of a case's 办结 deadline (issue #13; 12345/12351 practice, 《信访工作条例》第三十二条): an officer
// asks on the case's card (working days and a reason), a 主席/副主席 who may see the case decides on a private card;
// on approval the deadline moves and the worker is told the new date (not the reason). Every step is on the case's
// history and audited; one open request per case.
import { buildExtensionRequestCard } from '../../cards/grievances/notices.js'
import { FORM_FIELDS } from '../../cards/grievances/review.js'
import type { BaseContext, CardActionContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { EXTEND_DECIDE, EXTEND_REQUEST } from '../../src/grievances/actions.js'
import { decideExtension, lockExtension, openExtension, requestExtension, type Extension } from '../../src/grievances/extensions.js'
import { EXTENSION_WORKDAYS, OFFICER_TEXT_MAX_CHARS, STATUS_LABEL, charCount } from '../../src/grievances/model.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { eventsCausedBy, getGrievance, lockGrievance, recordGrievanceEvent, updateGrievance, type Grievance } from '../../src/grievances/store.js'
import { deliver } from '../../src/kit/deliver.js'
import { ROLE_UNION_ADMIN } from '../../src/organisation/model.js'
import { localDate } from '../../src/time.js'
import { caseOfficers, notifyReporter, refreshReviewCard, renderCardFor } from './shared.js'
import { isOpening, openStepForm } from './forms.js'

const DENIED = '抱歉，只有工会干部可以处理诉求。'
const DECIDERS_ONLY = '抱歉，只有工会主席、副主席可以审批延期。'
const NO_APPROVER = '目前没有可以审批延期的主席或副主席（您本人以外、未回避本案的）。请联系工会主席。'

/** Who may decide a request: 主席/副主席 among the officers who may see the case, not the one who asked. */
async function approversOf(ctx: BaseContext, grievanceId: number, requester: string): Promise<string[]> {
  const { allowed } = await caseOfficers(ctx, grievanceId)
  const out: string[] = []
  for (const id of allowed) if (id !== requester && (await ctx.services.roles.has(id, ROLE_UNION_ADMIN))) out.push(id)
  return out
}

async function requestCard(ctx: BaseContext, x: Extension, g: Grievance) {
  const newDueAt = x.new_due_at ?? ctx.services.calendar.deadlineAfter(g.resolveDueAt, x.workdays)
  return buildExtensionRequestCard({
    xid: x.id,
    number: g.number,
    category: g.category,
    requesterName: (await ctx.nameOf(x.requested_by)) ?? '工会干部',
    workdays: x.workdays,
    reason: x.reason,
    currentDueAt: g.resolveDueAt,
    newDueAt,
    timeZone: ctx.config.timezone,
    ...(x.status !== 'requested' ? { decided: { approved: x.status === 'approved', deciderName: (x.decided_by ? await ctx.nameOf(x.decided_by) : undefined) ?? '工会主席' } } : {}),
  })
}

function readRequest(ctx: CardActionContext): { workdays: number; reason: string } {
  const workdays = Number(ctx.formString(FORM_FIELDS.extendDays) ?? ctx.action.option ?? '')
  if (!(EXTENSION_WORKDAYS as readonly number[]).includes(workdays)) throw new UserFacingError('INVALID_INPUT', '请选择延长几个工作日。')
  const reason = (ctx.formString(FORM_FIELDS.extendReason) ?? '').trim()
  if (!reason) throw new UserFacingError('INVALID_INPUT', '请先填写延期理由。')
  if (charCount(reason) > OFFICER_TEXT_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `延期理由最多 ${OFFICER_TEXT_MAX_CHARS} 个字。`)
  return { workdays, reason }
}

export function registerGrievanceExtensions(router: BotRouter): void {
  router.action(EXTEND_REQUEST, {
    roles: ['officer'],
    deniedMessage: DENIED,
    async handle(ctx, { gid, rev }) {
      if (isOpening(ctx)) return openStepForm(ctx, gid, rev, 'extend')
      const input = readRequest(ctx)
      const r = await ctx.db.transaction().execute(async (trx) => {
        const g = await lockGrievance(trx, gid)
        if (!g || (await hasRecused(trx, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        if ((await eventsCausedBy(trx, gid, ctx.eventId)).some((e) => e.kind === 'extension_requested')) return { g, replay: true }
        if (g.revision !== rev) throw new UserFacingError('INVALID_STATE', `该诉求刚有新的处理（当前：${STATUS_LABEL[g.status]}），请在最新的卡片上操作。`)
        if (g.status !== 'accepted') throw new UserFacingError('INVALID_STATE', `该诉求当前为「${STATUS_LABEL[g.status]}」，只有处理中的诉求可以申请延期。`)
        if ((await approversOf(ctx, gid, ctx.actorOpenId)).length === 0) throw new UserFacingError('INVALID_STATE', NO_APPROVER)
        const now = ctx.now()
        const x = await requestExtension(trx, { grievanceId: gid, requestedBy: ctx.actorOpenId, workdays: input.workdays, reason: input.reason, at: now, eventId: ctx.eventId })
        if (!x) throw new UserFacingError('INVALID_STATE', '本案已有延期申请在等待审批。')
        await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: 'extension_requested', actorOpenId: ctx.actorOpenId, body: input.reason, detail: { workdays: input.workdays }, eventId: ctx.eventId })
        await ctx.audit({ action: 'grievance.extend.request', subjectType: 'grievance', subjectId: g.number, detail: { workdays: input.workdays } }, trx)
        return { g: await updateGrievance(trx, gid, { revision: g.revision + 1 }), replay: false }
      })
      const g = r.g
      ctx.defer(async () => {
        const x = await openExtension(ctx.db, g.id)
        if (!x) return
        const card = await requestCard(ctx, x, g)
        for (const openId of await approversOf(ctx, g.id, x.requested_by)) {
          await deliver(ctx, 'grievance:extension-request', () => ctx.sendToUser(openId, { card }, { key: `extension:${x.id}:${openId}` }), { grievance: g.number })
        }
        await refreshReviewCard(ctx, g.id, ctx.action.messageId)
      })
      return { toast: { type: 'success', content: '已提交延期申请，等待主席审批' }, card: await renderCardFor(ctx, g, ctx.action.messageId) }
    },
  })

  router.action(EXTEND_DECIDE, {
    roles: [ROLE_UNION_ADMIN],
    deniedMessage: DECIDERS_ONLY,
    async handle(ctx, { xid, approve }) {
      const approved = approve === 'yes'
      const r = await ctx.db.transaction().execute(async (trx) => {
        const x = await lockExtension(trx, xid)
        if (!x) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        const g = await lockGrievance(trx, x.grievance_id)
        if (!g || (await hasRecused(trx, g.id, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        if (x.status !== 'requested') {
          const mine = (await eventsCausedBy(trx, g.id, ctx.eventId)).some((e) => e.kind === 'extended' || e.kind === 'extension_refused')
          return { outcome: mine ? ('replay' as const) : ('already' as const), x, g }
        }
        if (x.requested_by === ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '不能审批自己提出的延期申请。')
        if (approved && g.status !== 'accepted') throw new UserFacingError('INVALID_STATE', `该诉求当前为「${STATUS_LABEL[g.status]}」，已无需延期。`)
        const now = ctx.now()
        const newDueAt = approved ? ctx.services.calendar.deadlineAfter(g.resolveDueAt, x.workdays) : null
        const decided = await decideExtension(trx, xid, { approved, by: ctx.actorOpenId, at: now, newDueAt })
        await recordGrievanceEvent(trx, {
          grievanceId: g.id,
          at: now,
          kind: approved ? 'extended' : 'extension_refused',
          actorOpenId: ctx.actorOpenId,
          body: null,
          detail: { workdays: x.workdays, ...(newDueAt ? { dueAt: newDueAt.toISOString() } : {}) },
          eventId: ctx.eventId,
        })
        await ctx.audit({ action: approved ? 'grievance.extend.approve' : 'grievance.extend.refuse', subjectType: 'grievance', subjectId: g.number, detail: { workdays: x.workdays } }, trx)
        // The deadline sweep flags the case again if the new date passes too.
        const after = await updateGrievance(trx, g.id, { ...(newDueAt ? { resolve_due_at: newDueAt, resolve_overdue_at: null } : {}), revision: g.revision + 1 })
        return { outcome: 'done' as const, x: decided, g: after }
      })
      const card = await requestCard(ctx, r.x, r.g)
      if (r.outcome === 'already') return { toast: { type: 'info', content: '该延期申请已经审批过了。' }, card }
      ctx.defer(async () => {
        const { g, x } = r
        const due = x.new_due_at ? localDate(x.new_due_at, ctx.config.timezone) : ''
        if (x.status === 'approved') {
          // The worker hears the new date, in bot words only (the reason is the officers').
          await notifyReporter(ctx, g, { text: `您的诉求 ${g.number} 情况较复杂，经工会批准，办结期限延长至 ${due}。工会会继续处理并及时告诉您进展。` }, `extended:${x.id}`)
        }
        const told = x.status === 'approved' ? `诉求 ${g.number} 的延期申请已获批准，新的办结期限：${due}。` : `诉求 ${g.number} 的延期申请未获批准，办结期限不变。`
        await deliver(ctx, 'grievance:extension-decided', () => ctx.sendToUser(x.requested_by, { text: told }, { key: `extension-decided:${x.id}` }), { grievance: g.number })
        await refreshReviewCard(ctx, g.id)
      })
      return { toast: { type: 'success', content: approved ? '已同意延期，已告知职工新的期限' : '已不同意延期' }, card }
    },
  })
}

