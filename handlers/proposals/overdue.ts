// Overdue proposals: past the due date without an answer, the department contact is reminded once per working
// day (from 09:00 in TIMEZONE), and the first time the committee is told and the step goes on the timeline.
import { buildDepartmentCard } from '../../cards/proposals/work.js'
import type { PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { overdueProposals } from '../../src/proposals/store.js'
import { claimReminder, recordReminder } from '../../src/proposals/reminders.js'
import { addTimeline } from '../../src/proposals/timeline.js'
import { daysBetween } from '../../src/kit/dates.js'
import { MORNING, workdayFrom } from '../../src/kit/periodic.js'
import { buildView, committeeCardFor, refreshCommitteeCard, refreshProposalCards, requireProposal, sendSafely } from './shared.js'
import { URGE } from '../../src/proposals/actions.js'
import { getDepartment } from '../../src/organisation/departments.js'
import { isOverdue } from '../../src/proposals/model.js'
import { localDate } from '../../src/time.js'

/** Reminders go out from this local time on (src/kit/periodic.ts), so nobody is messaged at night. */
export const REMINDER_FROM = MORNING
/** A claimed reminder not marked sent within this time (crash, Feishu down) may be sent by a later run. */
const REMINDER_CLAIM_MS = 5 * 60_000

async function remindOverdue(ctx: PeriodicContext): Promise<void> {
  // Working days only (holidays and weekends per the Chinese calendar): a reminder on a day off helps nobody.
  const day = workdayFrom(ctx.runAt, ctx.services.calendar, ctx.config.timezone, REMINDER_FROM)
  if (!day) return
  for (const { proposal: p, contactOpenId } of await overdueProposals(ctx.db, day)) {
    // The claimed key in Postgres makes it once a day across ticks, instances and restarts; the send's uuid is keyed
    // by proposal and day too, so a crash between send and record (the claim lapses) cannot post twice.
    if (!(await claimReminder(ctx.db, { proposalId: p.id, day, now: ctx.runAt, leaseMs: REMINDER_CLAIM_MS, recipientOpenId: contactOpenId }))) continue
    const view = await buildView(ctx, p)
    const card = buildDepartmentCard(view, { reminder: { daysOverdue: daysBetween(p.dueDate ?? day, day) } })
    await sendSafely(ctx, 'overdue-reminder', () => ctx.sendToUser(contactOpenId, { card }, { key: `overdue:${p.id}:${day}` }))
    await recordReminder(ctx.db, { proposalId: p.id, day, at: ctx.now(), recipientOpenId: contactOpenId })
    ctx.log.info({ proposal: p.number, day }, 'proposal overdue reminder sent')
    // First reminder of this handling round: the timeline and the committee learn it is overdue.
    const first = await addTimeline(ctx.db, {
      proposalId: p.id,
      at: ctx.now(),
      kind: 'overdue',
      actorOpenId: null,
      detail: { department: view.departmentName ?? '', dueDate: p.dueDate },
      eventId: `overdue:${p.reopenCount}`,
    })
    if (first) {
      await sendSafely(ctx, 'overdue-committee', async () =>
        (await ctx.sendToCommittee({ text: `【职代会提案】提案 ${p.number} 已超过办理期限（${p.dueDate}）仍未答复，已提醒承办部门联系人，之后每个工作日提醒一次。` }, { key: `overdue-committee:${p.id}:${p.reopenCount}` })) ?? { messageId: '' },
      )
      await refreshCommitteeCard(ctx, p.number)
    }
  }
}

export function registerProposalOverdue(router: BotRouter): void {
  router.periodic({ name: 'proposal.overdue', run: remindOverdue })
}

/**
 * 催办 (issue #13): an officer reminds the department of an overdue proposal from the committee's card. Recorded on
 * the timeline (keyed by the local day, so twice the same day is one reminder) and audited; the contact gets the
 * reminder card with the answer form; the proposer, co-signers and followers see it on the timeline.
 */
export function registerProposalUrge(router: BotRouter): void {
  router.action(URGE, {
    roles: ['officer'],
    async handle(ctx, { number }) {
      const p = await requireProposal(ctx.db, number)
      const today = localDate(ctx.now(), ctx.config.timezone)
      if (p.status !== 'in_progress' || !isOverdue(p.status, p.dueDate, today)) {
        return { toast: { type: 'warning', content: `提案 ${p.number} 当前没有超期，无需催办。` }, card: await committeeCardFor(ctx, p) }
      }
      const dept = p.departmentId ? await getDepartment(ctx.db, p.departmentId) : undefined
      if (!dept) return { toast: { type: 'warning', content: '该提案没有承办部门。' }, card: await committeeCardFor(ctx, p) }
      const fresh = await addTimeline(ctx.db, {
        proposalId: p.id,
        at: ctx.now(),
        kind: 'urged',
        actorOpenId: ctx.actorOpenId,
        detail: { department: dept.name, departmentId: dept.id },
        eventId: `urge:${p.reopenCount}:${today}`,
      })
      if (!fresh) return { toast: { type: 'info', content: '今天已经催办过了，明天可以再次催办。' }, card: await committeeCardFor(ctx, p) }
      await ctx.audit({ action: 'proposal.urge', subjectType: 'proposal', subjectId: p.number, detail: { department: dept.id } })
      ctx.defer(async () => {
        const view = await buildView(ctx, p)
        const card = buildDepartmentCard(view, { reminder: { daysOverdue: daysBetween(p.dueDate ?? today, today) } })
        await sendSafely(ctx, 'urge', () => ctx.sendToUser(dept.contactOpenId, { card }, { key: `urge:${p.id}:${p.reopenCount}:${today}` }))
        await refreshProposalCards(ctx, p.id)
      })
      return { toast: { type: 'success', content: '已催办，承办部门联系人将收到提醒。' }, card: await committeeCardFor(ctx, p) }
    },
  })
}
