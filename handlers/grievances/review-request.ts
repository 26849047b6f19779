// 复核 (issue #13): a worker whose case was declined (不予受理) may ask once, within REVIEW_WINDOW_WORKDAYS working
// days, for another officer to look at it again: `复核 G-2026-0002 理由` (the instruction the decline notice prints).
// The request goes privately to a 主席/副主席 who did not decline it (else another officer), never one who recused;
// they keep the decline or reverse it (the case is accepted with a fresh 办结 deadline), and the worker is told.
import { buildReviewRequestCard } from '../../cards/grievances/notices.js'
import type { BaseContext, MessageContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { REVIEW_DECIDE } from '../../src/grievances/actions.js'
import { FOLLOW_UP_MAX_CHARS, REVIEW_WINDOW_WORKDAYS, STATUS_LABEL, charCount, splitLeadingNumber } from '../../src/grievances/model.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { claimReporterEvent, findOwnGrievance } from '../../src/grievances/reporters.js'
import { listGrievanceEvents, lockGrievance, recordGrievanceEvent, updateGrievance, type Grievance } from '../../src/grievances/store.js'
import { deliver } from '../../src/kit/deliver.js'
import { ROLE_UNION_ADMIN } from '../../src/organisation/model.js'
import { localDate } from '../../src/time.js'
import { caseOfficers, notifyReporter, refreshReviewCard } from './shared.js'
import { notFound } from './worker.js'

const USAGE = '请写上诉求编号和复核理由，例如：复核 G-2026-0002 我有加班记录可以证明'
const NO_REVIEWER = '暂时没有可以复核的工会干部（原处理人以外），请直接联系工会主席。'

/** The officer who declined the case (the last 不予受理 on its history). */
async function declinedBy(ctx: BaseContext, g: Grievance): Promise<string | undefined> {
  return (await listGrievanceEvents(ctx.db, g.id)).filter((e) => e.kind === 'declined').at(-1)?.actorOpenId ?? undefined
}

/** Who reviews: 主席/副主席 who may see the case and did not decline it; else any such officer. */
async function reviewersOf(ctx: BaseContext, g: Grievance): Promise<string[]> {
  const decliner = await declinedBy(ctx, g)
  const { allowed } = await caseOfficers(ctx, g.id)
  const others = allowed.filter((id) => id !== decliner)
  const admins: string[] = []
  for (const id of others) if (await ctx.services.roles.has(id, ROLE_UNION_ADMIN)) admins.push(id)
  return admins.length ? admins : others
}

async function requestReview(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) {
    // As with 补充: nothing typed in a group is taken in; the answer goes privately.
    return void (await deliver(ctx, 'grievance:private-answer', () => ctx.replyPrivately({ text: '申请复核请私聊机器人发送「复核 编号 理由」。' })))
  }
  const parsed = splitLeadingNumber(ctx.argsTyped)
  if (!parsed) return void (await ctx.reply({ text: USAGE }))
  const own = await findOwnGrievance(ctx.db, ctx.actorOpenId, parsed.number)
  if (!own) return void (await ctx.reply({ text: notFound(parsed.number) }))
  const reason = parsed.rest.trim()
  if (charCount(reason) > FOLLOW_UP_MAX_CHARS) return void (await ctx.reply({ text: `复核理由最多 ${FOLLOW_UP_MAX_CHARS} 个字（现在 ${charCount(reason)} 个字）。` }))
  if (own.status !== 'declined') return void (await ctx.reply({ text: `诉求 ${own.number} 当前为「${STATUS_LABEL[own.status]}」，只有「不予受理」的诉求可以申请复核。` }))
  const calendar = ctx.services.calendar
  const now = ctx.now()
  if (own.closedAt && calendar.workdaysBetween(own.closedAt, now) > REVIEW_WINDOW_WORKDAYS) {
    return void (await ctx.reply({ text: `诉求 ${own.number} 不予受理已超过 ${REVIEW_WINDOW_WORKDAYS} 个工作日，不能再申请复核。如有新的情况，请发送「投诉」重新反映。` }))
  }
  const reviewers = await reviewersOf(ctx, own)
  if (reviewers.length === 0) return void (await ctx.reply({ text: NO_REVIEWER }))
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const g = await lockGrievance(trx, own.id)
    if (!g || g.status !== 'declined') return 'state' as const
    const asked = (await listGrievanceEvents(trx, g.id)).some((e) => e.kind === 'review_requested')
    // A re-run of this very event finds its claim and goes on to the (idempotent) sends.
    const fresh = await claimReporterEvent(trx, g.id, ctx.eventId, 'review', localDate(now, ctx.config.timezone))
    if (!fresh) return 'replay' as const
    if (asked) return 'twice' as const
    // No event id and no actor on the history: like the filing, nothing on it leads back to the worker's message.
    await recordGrievanceEvent(trx, { grievanceId: g.id, at: now, kind: 'review_requested', actorOpenId: null, body: reason || null, eventId: null })
    await updateGrievance(trx, g.id, { revision: g.revision + 1 })
    return 'done' as const
  })
  if (outcome === 'state') return void (await ctx.reply({ text: `诉求 ${own.number} 已不是「不予受理」，无需复核。` }))
  if (outcome === 'twice') return void (await ctx.reply({ text: `诉求 ${own.number} 已申请过复核，每件诉求只能申请一次。` }))
  const card = buildReviewRequestCard({ gid: own.id, number: own.number, category: own.category, declineReason: own.declineReason ?? '', workerReason: reason || null })
  for (const openId of reviewers) {
    await deliver(ctx, 'grievance:review-request', () => ctx.sendToUser(openId, { card }, { key: `review-request:${own.id}:${openId}` }), { grievance: own.number })
  }
  await refreshReviewCard(ctx, own.id)
  await ctx.reply({ text: `已收到您对诉求 ${own.number} 的复核申请，将由原处理人以外的工会干部复核，结果会通知您。` })
}

export function registerGrievanceReview(router: BotRouter): void {
  router.command({
    words: ['复核', '申请复核'],
    takesText: true,
    help: { section: '维权诉求', usage: '复核 编号 理由', description: `对「不予受理」不服，${REVIEW_WINDOW_WORKDAYS} 个工作日内可申请一次复核` },
    handle: requestReview,
  })

  router.action(REVIEW_DECIDE, {
    roles: ['officer'],
    deniedMessage: '抱歉，只有工会干部可以复核诉求。',
    async handle(ctx, { gid, decision }) {
      const reverse = decision === 'reverse'
      const r = await ctx.db.transaction().execute(async (trx) => {
        const g = await lockGrievance(trx, gid)
        if (!g || (await hasRecused(trx, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        const events = await listGrievanceEvents(trx, gid)
        const decided = events.find((e) => e.kind === 'review_upheld' || e.kind === 'review_reversed')
        if (decided) return { outcome: decided.eventId === ctx.eventId ? ('replay' as const) : ('already' as const), g, decision: decided.kind === 'review_reversed' ? 'reverse' : 'uphold' }
        if (!events.some((e) => e.kind === 'review_requested')) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        if (events.filter((e) => e.kind === 'declined').at(-1)?.actorOpenId === ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '复核须由原处理人以外的干部进行。')
        const now = ctx.now()
        await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: reverse ? 'review_reversed' : 'review_upheld', actorOpenId: ctx.actorOpenId, body: null, eventId: ctx.eventId })
        await ctx.audit({ action: reverse ? 'grievance.review.reverse' : 'grievance.review.uphold', subjectType: 'grievance', subjectId: g.number, detail: { from: g.status, to: reverse ? 'accepted' : g.status } }, trx)
        const after = reverse
          ? await updateGrievance(trx, gid, {
              status: 'accepted',
              accepted_at: now,
              closed_at: null,
              resolve_due_at: ctx.services.calendar.deadlineAfter(now, ctx.config.grievance.resolveWorkdays),
              resolve_overdue_at: null,
              revision: g.revision + 1,
            })
          : await updateGrievance(trx, gid, { revision: g.revision + 1 })
        return { outcome: 'done' as const, g: after, decision }
      })
      const card = buildReviewRequestCard({ gid, number: r.g.number, category: r.g.category, declineReason: r.g.declineReason ?? '', workerReason: null, decided: r.decision as 'uphold' | 'reverse' })
      if (r.outcome === 'already') return { toast: { type: 'info', content: '该复核申请已经处理过了。' }, card }
      ctx.defer(async () => {
        const g = r.g
        const text =
          r.decision === 'reverse'
            ? `经复核，您的诉求 ${g.number} 已重新受理（状态：${STATUS_LABEL.accepted}），办结期限 ${localDate(g.resolveDueAt, ctx.config.timezone)}。`
            : `经复核，您的诉求 ${g.number} 维持不予受理。如有新的情况，可以发送「投诉」重新反映。`
        await notifyReporter(ctx, g, { text }, `review-decided`)
        await refreshReviewCard(ctx, g.id)
      })
      return { toast: { type: 'success', content: reverse ? '已撤销不予受理，诉求重新受理，已告知职工' : '已维持不予受理，已告知职工' }, card }
    },
  })
}
