// The grievance deadline sweep, every scheduler minute: re-draws cards of cases that just passed a deadline
// (flagged once, kept in Postgres), reminds the committee once per working day (from 09:00, TIMEZONE) of every
// overdue case until it is handled, and posts review cards that never reached the committee group.
import { buildOverdueReminderCard, buildOverdueSummaryCard, type ReminderItem } from '../../cards/grievances/notices.js'
import type { PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { errorCode } from '../../src/errors.js'
import { isAcceptOverdue } from '../../src/grievances/model.js'
import { claimReminderDay, flagNewlyOverdue, grievancesWithoutReviewCard, listOverdueGrievances, markReminderSent } from '../../src/grievances/store.js'
import { MORNING, workdayFrom } from '../../src/kit/periodic.js'
import { localDate } from '../../src/time.js'
import { postReviewCard, refreshReviewCard } from './shared.js'

/** Local time from which the day's reminder goes out (officers start work; src/kit/periodic.ts). */
export const REMINDER_FROM = MORNING
/** A claimed reminder not marked sent within this time (crash, Feishu down) may be sent by a later run. */
const REMINDER_CLAIM_MS = 5 * 60_000
/** A review card still missing this long after filing is posted again (the filing itself tried first). */
const REPOST_AFTER_MS = 60_000

export function registerGrievanceDeadlines(router: BotRouter): void {
  router.periodic({
    name: 'grievance.deadlines',
    async run(ctx) {
      await repostMissingCards(ctx)
      await flagOverdue(ctx)
      await remindCommittee(ctx)
    },
  })
}

async function repostMissingCards(ctx: PeriodicContext): Promise<void> {
  if (!(await ctx.committeeChatId())) return
  for (const g of await grievancesWithoutReviewCard(ctx.db, new Date(ctx.runAt.getTime() - REPOST_AFTER_MS))) await postReviewCard(ctx, g)
}

async function flagOverdue(ctx: PeriodicContext): Promise<void> {
  const ids = await flagNewlyOverdue(ctx.db, ctx.runAt)
  for (const id of ids) await refreshReviewCard(ctx, id)
  if (ids.length) ctx.log.info({ task: ctx.taskName, cases: ids.length }, 'grievances flagged overdue')
}

async function remindCommittee(ctx: PeriodicContext): Promise<void> {
  const tz = ctx.config.timezone
  const day = workdayFrom(ctx.runAt, ctx.services.calendar, tz, REMINDER_FROM)
  if (!day) return
  if (!(await ctx.committeeChatId())) return
  const overdue = await listOverdueGrievances(ctx.db, ctx.runAt)
  if (overdue.length === 0) return
  if (!(await claimReminderDay(ctx.db, day, ctx.runAt, REMINDER_CLAIM_MS))) return
  const calendar = ctx.services.calendar
  const items: ReminderItem[] = []
  for (const g of overdue) {
    const deadline = isAcceptOverdue(g, ctx.runAt) ? 'accept' : 'resolve'
    const dueAt = deadline === 'accept' ? g.acceptDueAt : g.resolveDueAt
    const assigneeName = g.assigneeOpenId ? ((await ctx.nameOf(g.assigneeOpenId)) ?? '工会干部') : undefined
    items.push({ number: g.number, category: g.category, status: g.status, deadline, dueAt, overdueDays: calendar.workdaysBetween(dueAt, ctx.runAt), estimated: calendar.isEstimated(localDate(dueAt, tz)), ...(assigneeName ? { assigneeName } : {}) })
  }
  try {
    // Keyed by the day: a re-run after a lapsed claim posts the same message at most once (Feishu uuid).
    // Many overdue cases: one summary instead of a line for each (GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD, issue #13).
    const build = items.length > ctx.config.grievance.overdueSummaryThreshold ? buildOverdueSummaryCard : buildOverdueReminderCard
    const sent = await ctx.sendToCommittee({ card: build({ day, items, timeZone: tz }) }, { key: `overdue-reminder:${day}` })
    await markReminderSent(ctx.db, day, ctx.runAt, items.length, sent?.messageId ?? null)
    ctx.log.info({ task: ctx.taskName, day, cases: items.length }, 'grievance overdue reminder sent')
  } catch (err) {
    // The claim lapses and a later run tries again.
    ctx.log.warn({ task: ctx.taskName, day, code: errorCode(err) }, 'grievance overdue reminder not sent')
  }
}
