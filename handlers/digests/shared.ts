// What the digest handlers share: gathering one period's figures (src/digests/figures.ts) and turning them into the
// weekly/daily digest card (public or committee version) or the 月报/季报 with its CSV.
import { LIST_LIMIT, buildDigestCard, type CommitteeDetail, type DigestView } from '../../cards/digests/digest.js'
import { buildReportCard } from '../../cards/digests/report.js'
import type { Card } from '../../cards/kit.js'
import type { WorkCalendar } from '../../src/calendar.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { categoryBreakdown, chartData, hasNews, type Audience } from '../../src/digests/model.js'
import { chartWeeks, type Period } from '../../src/digests/periods.js'
import { reportCsv, reportFileName, type ReportView } from '../../src/digests/report.js'
import { isAcceptOverdue } from '../../src/grievances/model.js'
import { committeeFigures, digestFigures, reportFigures } from '../../src/digests/figures.js'
import { daysBetween } from '../../src/kit/dates.js'
import { addDays, localDate } from '../../src/time.js'

/** Upcoming activities shown: those starting within this many days of the digest. */
export const UPCOMING_DAYS = 7
const UPCOMING_LIMIT = 10

export interface BuiltDigest {
  card: Card
  /** False when the period has nothing to tell a public group (the digest is then not posted there). */
  hasNews: boolean
}

/** Builds the weekly or daily digest of `period` for an audience, from the records as they are at ctx.now(). */
export async function buildDigest(ctx: BaseContext, kind: 'weekly' | 'daily', period: Period, audience: Audience): Promise<BuiltDigest> {
  const db = ctx.db
  const now = ctx.now()
  // Due dates of proposals are local dates in TIMEZONE, as the proposal feature keeps them.
  const today = localDate(now, ctx.config.timezone)
  const k = ctx.config.digest.minPublicCount
  // Public grievance figures only for completed weeks (src/digests/model.ts): the weekly digest of a finished week
  // with a chart of finished weeks; a public daily digest gets no grievance figures and no chart at all.
  const isPublic = audience === 'public'
  if (isPublic && kind === 'weekly' && period.partial) throw new Error('a public weekly digest covers a completed week only')
  const weeks = isPublic && kind === 'daily' ? [] : chartWeeks(period.to, ctx.config.digest.timezone).filter((w) => !isPublic || w.complete)
  const bounds = weeks.length ? [...weeks.map((w) => w.from), weeks[weeks.length - 1]!.to] : []
  const { grievances, categories, buckets, proposals, upcoming, casework } = await digestFigures(db, {
    from: period.from,
    to: period.to,
    bounds,
    today,
    upcoming: { from: now, until: new Date(now.getTime() + UPCOMING_DAYS * 86_400_000), limit: UPCOMING_LIMIT },
  })
  const activities = upcoming.map((a) => ({
    id: a.id,
    number: a.number,
    title: a.title,
    startsAt: a.startsAt,
    capacity: a.capacity,
    confirmed: a.confirmed,
    signupOpen: now.getTime() <= a.signupDeadline.getTime(),
  }))
  const view: DigestView = {
    kind,
    audience,
    period,
    generatedAt: now,
    timeZone: ctx.config.digest.timezone,
    grievances,
    minPublicCount: k,
    categories: categoryBreakdown(categories, audience, k),
    chart: chartData(
      weeks.map((w) => w.monday),
      buckets,
      audience,
      k,
    ),
    ...(proposals ? { proposals } : {}),
    activities,
    // Like the grievance figures, mediation and supervision counts are never in a public daily digest.
    ...(isPublic && kind === 'daily' ? {} : { casework }),
    ...(audience === 'committee' ? { committee: await committeeDetail(ctx, now, today) } : {}),
  }
  return { card: buildDigestCard(view), hasNews: hasNews(grievances, proposals?.figures, activities.length, !(isPublic && kind === 'daily'), casework.mediation + casework.supervision) }
}

/**
 * Working days strictly after each local date up to and including today (as WorkCalendar.workdaysBetween counts),
 * walking the calendar once for the whole list: a long-overdue case would otherwise cost a walk of its own.
 */
function workdaysSince(calendar: WorkCalendar, dates: readonly string[], today: string): Map<string, number> {
  const out = new Map<string, number>()
  const oldest = [...dates].sort()[0]
  if (!oldest) return out
  let n = 0
  for (let d = today; d >= oldest; d = addDays(d, -1)) {
    out.set(d, n)
    if (calendar.isWorkday(d)) n++
  }
  return out
}

/** Overdue grievances and proposals and cases waiting for acceptance, as they stand at `now`. */
async function committeeDetail(ctx: BaseContext, now: Date, today: string): Promise<CommitteeDetail> {
  const calendar = ctx.services.calendar
  const { overdueGrievances: overdue, awaitingAcceptance: awaiting, overdueProposals: proposals, overdueSupervision: supervision } = await committeeFigures(ctx.db, now, today, LIST_LIMIT)
  const items = overdue.items.map((g) => {
    const deadline = isAcceptOverdue({ status: g.status, acceptDueAt: g.acceptDueAt, resolveDueAt: g.resolveDueAt }, now) ? ('accept' as const) : ('resolve' as const)
    return { number: g.number, category: g.category, status: g.status, deadline, dueAt: deadline === 'accept' ? g.acceptDueAt : g.resolveDueAt }
  })
  const localToday = localDate(now, calendar.timeZone)
  const since = workdaysSince(calendar, items.map((i) => localDate(i.dueAt, calendar.timeZone)), localToday)
  return {
    overdueGrievances: { total: overdue.total, items: items.map((i) => ({ ...i, overdueDays: since.get(localDate(i.dueAt, calendar.timeZone)) ?? 0 })) },
    awaitingAcceptance: { total: awaiting.total, items: awaiting.items.map((g) => ({ number: g.number, category: g.category, filedAt: g.filedAt, acceptDueAt: g.acceptDueAt })) },
    overdueProposals: { total: proposals.total, items: proposals.items.map((p) => ({ ...p, daysOverdue: daysBetween(p.dueDate, today) })) },
    overdueSupervision: {
      total: supervision.total,
      items: supervision.items.map((m) => ({ number: m.number, department: m.departmentName, dueAt: m.replyDueAt, overdueDays: Math.max(1, calendar.workdaysBetween(m.replyDueAt, now)) })),
    },
  }
}

export interface BuiltReport {
  view: ReportView
  card: Card
  csv: Buffer
  fileName: string
}

/** The 月报 / 季报 of a period (committee figures: every category by name). */
export async function buildReport(ctx: BaseContext, period: Period, opts: { csvSentTo?: 'private' } = {}): Promise<BuiltReport> {
  const db = ctx.db
  const now = ctx.now()
  const days = { from: period.firstDay, until: addDays(period.lastDay, 1) }
  const { grievances, categories, proposals, activities, mediation, supervision, care, learning, democracy, hardship, notices } = await reportFigures(db, {
    from: period.from,
    to: period.to,
    today: localDate(now, ctx.config.timezone),
    timeZone: ctx.config.digest.timezone,
    now,
    mediation: { periodDays: ctx.config.mediation.periodDays, timeZone: ctx.config.timezone },
    days,
    passShare: ctx.config.congress.passShare,
  })
  const view: ReportView = {
    kind: period.kind === 'quarterly' ? 'quarterly' : 'monthly',
    period,
    generatedAt: now,
    timeZone: ctx.config.digest.timezone,
    grievances,
    categories: categoryBreakdown(categories, 'committee'),
    ...(proposals ? { proposals } : {}),
    activities,
    mediation,
    supervision,
    ...(care && care.count > 0 ? { care } : {}),
    learning,
    ...(democracy ? { democracy } : {}),
    ...(hardship ? { hardship } : {}),
    ...(notices ? { notices } : {}),
  }
  return { view, card: buildReportCard(view, opts), csv: reportCsv(view), fileName: reportFileName(view) }
}
