// Grievance records: cases, their history, the overdue sweep and the reminder's daily key. Officer-facing reads
// live here and never touch grievance_reporters (who filed an anonymous case); see grievance-reporters.ts.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely'
import type { Database } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Machine } from '../kit/transition.js'
import { GRIEVANCE_TRANSITIONS, type Grievance, type GrievanceEvent } from './model.js'
import { withoutRecusals } from './recusals.js'
import type { GrievanceEventKind, GrievanceEventsTable, GrievanceStatus, GrievancesTable, StoredAttachment } from './tables.js'

export type { Grievance, GrievanceEvent }
type Db = Kysely<Database> | Transaction<Database>

/** The one place a `grievances` row becomes a domain object (issue #11 §2: handlers and cards never see rows). */
export function toGrievance(row: Selectable<GrievancesTable>): Grievance {
  return {
    id: row.id,
    number: row.number,
    category: row.category,
    description: row.description,
    attachments: row.attachments,
    anonymous: row.anonymous,
    reporterOpenId: row.reporter_open_id,
    reporterName: row.reporter_name,
    status: row.status,
    assigneeOpenId: row.assignee_open_id,
    declineReason: row.decline_reason,
    resolution: row.resolution,
    satisfaction: row.satisfaction,
    reopenedCount: row.reopened_count,
    filedAt: row.filed_at,
    acceptDueAt: row.accept_due_at,
    resolveDueAt: row.resolve_due_at,
    acceptedAt: row.accepted_at,
    resolvedAt: row.resolved_at,
    ratedAt: row.rated_at,
    closedAt: row.closed_at,
    acceptOverdueAt: row.accept_overdue_at,
    resolveOverdueAt: row.resolve_overdue_at,
    reviewMessageId: row.review_message_id,
    revision: row.revision,
    filingKey: row.filing_key,
    routedTo: row.routed_to,
    timeClass: row.time_class,
    source: row.source,
    registeredBy: row.registered_by,
    escalatedTo: row.escalated_to,
    escalationSummary: row.escalation_summary,
    erasedAt: row.erased_at,
  }
}

export function toGrievanceEvent(row: Selectable<GrievanceEventsTable>): GrievanceEvent {
  return {
    id: row.id,
    grievanceId: row.grievance_id,
    at: row.at,
    kind: row.kind,
    actorOpenId: row.actor_open_id,
    body: row.body,
    detail: row.detail,
    eventId: row.event_id,
  }
}

const mapped = (row: Selectable<GrievancesTable> | undefined): Grievance | undefined => (row ? toGrievance(row) : undefined)

export interface NewGrievance {
  number: string
  category: string
  description: string
  attachments: StoredAttachment[]
  anonymous: boolean
  /** Named cases only. */
  reporterOpenId: string | null
  reporterName: string | null
  filedAt: Date
  acceptDueAt: Date
  resolveDueAt: Date
  /** The filing conversation's draft id: one case per draft, however often 确认 arrives. */
  filingKey: string
}

export async function insertGrievance(trx: Transaction<Database>, g: NewGrievance): Promise<Grievance> {
  const row: Insertable<GrievancesTable> = {
    number: g.number,
    category: g.category,
    description: g.description,
    attachments: JSON.stringify(g.attachments),
    anonymous: g.anonymous,
    reporter_open_id: g.anonymous ? null : g.reporterOpenId,
    reporter_name: g.anonymous ? null : g.reporterName,
    filed_at: g.filedAt,
    accept_due_at: g.acceptDueAt,
    resolve_due_at: g.resolveDueAt,
    filing_key: g.filingKey,
  }
  return toGrievance(await trx.insertInto('grievances').values(row).returningAll().executeTakeFirstOrThrow())
}

export async function findGrievanceByFilingKey(db: Db, filingKey: string): Promise<Grievance | undefined> {
  return mapped(await db.selectFrom('grievances').selectAll().where('filing_key', '=', filingKey).executeTakeFirst())
}

export async function getGrievance(db: Db, id: number): Promise<Grievance | undefined> {
  return mapped(await db.selectFrom('grievances').selectAll().where('id', '=', id).executeTakeFirst())
}

export async function getGrievanceByNumber(db: Db, number: string): Promise<Grievance | undefined> {
  return mapped(await db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirst())
}

/** The case, locked until the transaction ends: state transitions check and change it under this lock. */
export async function lockGrievance(trx: Transaction<Database>, id: number): Promise<Grievance | undefined> {
  return mapped(await trx.selectFrom('grievances').selectAll().where('id', '=', id).forUpdate().executeTakeFirst())
}

/** Cases under the kit's transition(): the table of model.ts, audited by case number (never text or reporter). */
export const GRIEVANCE_MACHINE: Machine<Grievance, GrievanceStatus> = {
  subject: 'grievance',
  table: GRIEVANCE_TRANSITIONS,
  status: (g) => g.status,
  subjectId: (g) => g.number,
}

export async function updateGrievance(trx: Db, id: number, patch: Updateable<GrievancesTable>): Promise<Grievance> {
  return toGrievance(await trx.updateTable('grievances').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow())
}

export interface NewGrievanceEvent {
  grievanceId: number
  at: Date
  kind: GrievanceEventKind
  /** The officer who acted; null for the reporter (never recorded) and for the system. */
  actorOpenId: string | null
  body?: string | null
  detail?: Record<string, unknown>
  eventId: string | null
}

/** Adds a history entry; false when this event already recorded this kind of entry for the case (a re-run). */
export async function recordGrievanceEvent(db: Db, e: NewGrievanceEvent): Promise<boolean> {
  const inserted = await db
    .insertInto('grievance_events')
    .values({
      grievance_id: e.grievanceId,
      at: e.at,
      kind: e.kind,
      actor_open_id: e.actorOpenId,
      body: e.body ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      event_id: e.eventId,
    })
    .onConflict((oc) => oc.columns(['grievance_id', 'event_id', 'kind']).where('event_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

/** History entries a given Feishu event caused on a case (to recognise a re-run of an action already applied). */
export async function eventsCausedBy(db: Db, grievanceId: number, eventId: string): Promise<GrievanceEvent[]> {
  return (await db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', grievanceId).where('event_id', '=', eventId).execute()).map(toGrievanceEvent)
}

export async function listGrievanceEvents(db: Db, grievanceId: number): Promise<GrievanceEvent[]> {
  return (await db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', grievanceId).orderBy('id').execute()).map(toGrievanceEvent)
}

export async function setReviewMessage(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('grievances').set({ review_message_id: messageId }).where('id', '=', id).execute()
}

/** Cases whose review card never reached the committee (group not configured, bot removed, Feishu down). */
export async function grievancesWithoutReviewCard(db: Db, filedBefore: Date, limit = 20): Promise<Grievance[]> {
  const rows = await db
    .selectFrom('grievances')
    .selectAll()
    .where('review_message_id', 'is', null)
    .where('filed_at', '<', filedBefore)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(toGrievance)
}

/**
 * Marks open cases that have just passed a deadline (once per deadline) and returns their ids, so their cards
 * can be re-drawn with the overdue flag.
 */
export async function flagNewlyOverdue(db: Db, now: Date): Promise<number[]> {
  const accept = await db
    .updateTable('grievances')
    .set({ accept_overdue_at: now })
    .where('status', '=', 'pending')
    .where('accept_due_at', '<', now)
    .where('accept_overdue_at', 'is', null)
    .returning('id')
    .execute()
  const resolve = await db
    .updateTable('grievances')
    .set({ resolve_overdue_at: now })
    .where('status', 'in', ['pending', 'accepted'])
    .where('resolve_due_at', '<', now)
    .where('resolve_overdue_at', 'is', null)
    .returning('id')
    .execute()
  return [...new Set([...accept, ...resolve].map((r) => r.id))]
}

/** Open cases past a deadline at `now`, oldest deadline first. */
export async function listOverdueGrievances(db: Db, now: Date): Promise<Grievance[]> {
  const rows = await db
    .selectFrom('grievances')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('accept_due_at', '<', now)]),
        eb.and([eb('status', 'in', ['pending', 'accepted']), eb('resolve_due_at', '<', now)]),
      ]),
    )
    // The reminder goes to the committee group, which includes officers who recused: their cases are not listed.
    .where(withoutRecusals())
    .orderBy('accept_due_at')
    .orderBy('id')
    .execute()
  return rows.map(toGrievance)
}

/**
 * Claims the reminder of local day `day` for this run: true when nobody has sent it and no other run holds a
 * live claim. A claim that was not followed by markReminderSent (a crash, Feishu down) lapses after leaseMs.
 */
export async function claimReminderDay(db: Db, day: string, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { day }, { now, leaseMs })) !== undefined
}

/** One committee reminder per local day; sent_at marks it done. */
const REMINDER_LEDGER: ClaimLedger = { table: 'grievance_reminders', keyColumns: ['day'], unfinished: sql`grievance_reminders.sent_at is null` }

export async function markReminderSent(db: Db, day: string, now: Date, caseCount: number, messageId: string | null): Promise<void> {
  await db.updateTable('grievance_reminders').set({ sent_at: now, case_count: caseCount, message_id: messageId }).where('day', '=', day).execute()
}
