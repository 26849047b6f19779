// What the grievance handlers share: drawing a case's committee card from the records, posting and patching it,
// and relaying a message to the reporter (the one place handlers resolve who filed a case).
import { ANONYMOUS_LABEL, buildClosedReviewCard, buildRestrictedReviewCard, buildReviewCard, type CaseFacts, type HistoryEntry } from '../../cards/grievances/review.js'
import type { Card } from '../../cards/kit.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { WorkCalendar } from '../../src/calendar.js'
import { localDate } from '../../src/time.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import type { OutgoingContent } from '../../src/feishu/outbound.js'
import { SATISFACTION_LABEL, isAcceptOverdue, isResolveOverdue } from '../../src/grievances/model.js'
import type { Satisfaction } from '../../src/grievances/tables.js'
import { reporterOf } from '../../src/grievances/reporters.js'
import { recusedOfficers } from '../../src/grievances/recusals.js'
import { openExtension } from '../../src/grievances/extensions.js'
import { openIdentityRequest, releasedIdentity } from '../../src/grievances/identity.js'
import { committeeMembers } from '../../src/organisation/store.js'
import { getGrievance, listGrievanceEvents, setReviewMessage, type Grievance, type GrievanceEvent } from '../../src/grievances/store.js'

/** How the reporter appears to officers: their name for named cases, 匿名职工 otherwise. */
export function reporterLabel(g: Grievance): string {
  if (g.anonymous) return ANONYMOUS_LABEL
  return g.reporterName ?? '实名职工（未能读取姓名）'
}

/** Display names of officers, looked up together (cached in `users`; a card answer has only 3 seconds). */
async function officerNames(ctx: BaseContext, openIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(openIds)]
  const names = await Promise.all(ids.map((id) => ctx.nameOf(id).catch(() => undefined)))
  return new Map(ids.map((id, i) => [id, names[i] ?? '工会干部']))
}

/** History entries as officers see them: officers by name, the reporter as on the card. */
export function officerHistory(g: Grievance, events: GrievanceEvent[], names: Map<string, string>): HistoryEntry[] {
  return events.map((e) => {
    const actor = e.actorOpenId ? (names.get(e.actorOpenId) ?? '工会干部') : e.kind === 'reopened' || e.kind === 'filed' || e.kind === 'follow_up' || e.kind === 'rated' ? reporterLabel(g) : '系统'
    return { at: e.at, actor, kind: e.kind, ...(e.body ? { text: e.body } : {}), ...historyTarget(e, names) }
  })
}

function historyTarget(e: GrievanceEvent, names: Map<string, string>): { target?: string } {
  const detail = e.detail ?? {}
  if (e.kind === 'assigned' && typeof detail.assignee === 'string') return { target: names.get(detail.assignee) ?? '工会干部' }
  if (e.kind === 'rated' && typeof detail.rating === 'string') return { target: SATISFACTION_LABEL[detail.rating as Satisfaction] ?? '' }
  return {}
}

/** What a card shows in place of an erased case's text (retention, 删除诉求). */
export const ERASED_TEXT = '（内容已按保存期限或职工要求删除）'

/** The facts every card about the case shows. */
export function caseFacts(g: Grievance, timeZone: string, calendar: WorkCalendar): CaseFacts {
  return {
    id: g.id,
    number: g.number,
    category: g.category,
    status: g.status,
    description: g.erasedAt ? ERASED_TEXT : g.description,
    attachments: g.attachments,
    anonymous: g.anonymous,
    filedAt: g.filedAt,
    acceptDueAt: g.acceptDueAt,
    resolveDueAt: g.resolveDueAt,
    acceptEstimated: calendar.isEstimated(localDate(g.acceptDueAt, timeZone)),
    resolveEstimated: calendar.isEstimated(localDate(g.resolveDueAt, timeZone)),
    satisfaction: g.satisfaction,
    reopenedCount: g.reopenedCount,
    timeZone,
  }
}

/** The committee's review card for the case as it is now (deadlines flagged against ctx.now()). */
export async function renderReviewCard(ctx: BaseContext, g: Grievance): Promise<Card> {
  const now = ctx.now()
  const events = await listGrievanceEvents(ctx.db, g.id)
  // Officers who recused are not offered for assignment (and the assignment refuses them).
  const recused = new Set(await recusedOfficers(ctx.db, g.id))
  const officerIds = (await ctx.services.roles.officerOpenIds()).filter((id) => !recused.has(id))
  const pending = await openExtension(ctx.db, g.id)
  const actorIds = events.flatMap((e) => [e.actorOpenId, typeof e.detail?.assignee === 'string' ? e.detail.assignee : null]).filter((x): x is string => !!x)
  const names = await officerNames(ctx, [...officerIds, ...actorIds, ...(g.assigneeOpenId ? [g.assigneeOpenId] : [])])
  const calendar = ctx.services.calendar
  return buildReviewCard({
    ...caseFacts(g, ctx.config.timezone, ctx.services.calendar),
    reporterLabel: reporterLabel(g),
    acceptedAt: g.acceptedAt,
    resolvedAt: g.resolvedAt,
    closedAt: g.closedAt,
    ...(g.routedTo ? { routedTo: g.routedTo } : {}),
    ...(pending ? { extensionPending: pending.workdays } : {}),
    ...(g.assigneeOpenId ? { assigneeOpenId: g.assigneeOpenId, assigneeName: names.get(g.assigneeOpenId) ?? '工会干部' } : {}),
    declineReason: g.declineReason,
    resolution: g.resolution,
    ...(isAcceptOverdue(g, now) ? { acceptOverdueDays: calendar.workdaysBetween(g.acceptDueAt, now) } : {}),
    ...(isResolveOverdue(g, now) ? { resolveOverdueDays: calendar.workdaysBetween(g.resolveDueAt, now) } : {}),
    history: officerHistory(g, events, names),
    officers: officerIds.map((id) => ({ openId: id, name: names.get(id) ?? id })),
    revision: g.revision,
    timeClass: g.timeClass,
    ...(g.source ? { source: g.source } : {}),
    ...(g.escalatedTo ? { escalatedTo: g.escalatedTo } : {}),
    ...(g.escalationSummary ? { escalationSummary: g.escalationSummary } : {}),
    ...(await identityView(ctx, g)),
  })
}

/** The identity-release state an anonymous case's card shows: nothing names the reporter before their 同意. */
async function identityView(ctx: BaseContext, g: Grievance): Promise<{ identity?: { pending: boolean; releasedName?: string } }> {
  if (!g.anonymous) return {}
  const released = await releasedIdentity(ctx.db, g.id)
  const pending = (await openIdentityRequest(ctx.db, g.id)) !== undefined
  if (!released && !pending) return {}
  return { identity: { pending, ...(released ? { releasedName: released } : {}) } }
}

/** Ended cases (不予受理, 已结案): their card in the committee group collapses to one line (issue #13). */
const ENDED: readonly Grievance['status'][] = ['declined', 'closed', 'transferred']

/**
 * The case's card as the committee group shows it: the full review card while the case is open, one line once it
 * has ended (the full card stays one click away, privately). `messageId` is the card being drawn: only the
 * committee's own copy collapses, never an officer's private copy.
 */
export async function renderCardFor(ctx: BaseContext, g: Grievance, messageId: string | undefined): Promise<Card> {
  // The group includes whoever recused: its copy keeps the number only once anyone has (issue #13).
  if (messageId && messageId === g.reviewMessageId && (await recusedOfficers(ctx.db, g.id)).length > 0) return buildRestrictedReviewCard(g)
  if (messageId && messageId === g.reviewMessageId && ENDED.includes(g.status)) {
    return buildClosedReviewCard({ id: g.id, number: g.number, category: g.category, status: g.status, closedAt: g.closedAt, timeZone: ctx.config.timezone })
  }
  return renderReviewCard(ctx, g)
}

/**
 * Posts the case's review card to the committee group and remembers it. Failures are logged, not thrown: the
 * filing stands, and the deadline sweep posts cards that never arrived.
 */
export async function postReviewCard(ctx: BaseContext, g: Grievance): Promise<void> {
  try {
    const sent = await ctx.sendToCommittee({ card: await renderReviewCard(ctx, g) }, { key: `review-card:${g.id}` })
    if (sent) await setReviewMessage(ctx.db, g.id, sent.messageId)
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, grievance: g.number, code: errorCode(err) }, 'grievance review card not posted')
  }
}

/** The officers who may see the case: every officer but those who recused from it. */
export async function caseOfficers(ctx: BaseContext, grievanceId: number): Promise<{ allowed: string[]; recused: string[] }> {
  const recused = await recusedOfficers(ctx.db, grievanceId)
  const allowed = (await ctx.services.roles.officerOpenIds()).filter((id) => !recused.includes(id))
  return { allowed, recused }
}

/**
 * Tells the officers about a case: the committee group as a rule; each officer who may see the case privately once
 * anyone recused from it (the group includes them). Keys are per case and event, so a re-run sends nothing twice.
 * Refusals of a private send are logged by deliver() and skipped; the group send's errors propagate as before.
 */
export async function sendToCaseOfficers(ctx: BaseContext, g: Grievance, content: OutgoingContent, key: string): Promise<{ messageId: string } | undefined> {
  const { allowed, recused } = await caseOfficers(ctx, g.id)
  if (recused.length === 0) return ctx.sendToCommittee(content, { key })
  for (const openId of allowed) {
    await deliver(ctx, 'grievance:case-officer', () => ctx.sendToUser(openId, content, { key: `${key}:${openId}` }), { grievance: g.number })
  }
  return undefined
}

/**
 * A case routed by its category (GRIEVANCE_ROUTES) also goes to the special committee's members who are officers,
 * privately, each once (its 待办 then lists it for them until someone takes it on). Recused officers are not among
 * them. Members who are not officers could not act on the card, so they get nothing (the chair makes them officers).
 */
export async function sendToRoutedCommittee(ctx: BaseContext, g: Grievance): Promise<void> {
  if (!g.routedTo) return
  const { allowed } = await caseOfficers(ctx, g.id)
  const members = (await committeeMembers(ctx.db, g.routedTo)).filter((id) => allowed.includes(id))
  if (members.length === 0) return
  const card = await renderReviewCard(ctx, g)
  for (const openId of members) {
    await deliver(ctx, 'grievance:routed', () => ctx.sendToUser(openId, { card }, { key: `routed:${g.id}:${openId}` }), { grievance: g.number })
  }
}

/** Re-draws the committee card after a change (unless `exceptMessageId` was just answered with it). */
export async function refreshReviewCard(ctx: BaseContext, grievanceId: number, exceptMessageId?: string): Promise<void> {
  const g = await getGrievance(ctx.db, grievanceId)
  if (!g?.reviewMessageId || g.reviewMessageId === exceptMessageId) return
  try {
    await ctx.patchCard(g.reviewMessageId, await renderCardFor(ctx, g, g.reviewMessageId))
  } catch (err) {
    // The card stays as it was until the next change; the records are right either way.
    ctx.log.warn({ eventId: ctx.eventId, grievance: g.number, code: errorCode(err) }, 'grievance review card not updated')
  }
}

/**
 * Sends the reporter a message about their case, resolving them through the relay link (anonymous cases too).
 * A reporter Feishu can no longer reach (left the company, outside the app's range) is logged by case number
 * only; other failures propagate so the event is retried (sends are de-duplicated by their uuid).
 */
export async function notifyReporter(ctx: BaseContext, g: Grievance, content: OutgoingContent, key: string): Promise<boolean> {
  const openId = await reporterOf(ctx.db, g.id)
  if (!openId) return false
  return (await deliver(ctx, 'grievance:reporter', () => ctx.sendToUser(openId, content, { key: `${key}:${g.id}` }), { grievance: g.number })).sent
}
