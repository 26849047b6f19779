// Mediation records: cases, their history, sessions, the agreement's confirmations and the once-only reminders.
// Reads for the committee's members and the parties both come from here; nothing here decides who may see what.
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Machine } from '../kit/transition.js'
import { CLOCK_STATUSES, MEDIATION_TRANSITIONS, type MediationEventKind, type MediationStatus, type Signatory } from './model.js'
import type { MediationCasesTable, MediationEventsTable, MediationReminderKind, MediationSessionsTable } from './tables.js'

export type MediationCase = Selectable<MediationCasesTable>
export type MediationEvent = Selectable<MediationEventsTable>
export type MediationSession = Selectable<MediationSessionsTable>

export async function insertCase(trx: Transaction<Database>, c: Insertable<MediationCasesTable>): Promise<MediationCase> {
  return trx.insertInto('mediation_cases').values(c).returningAll().executeTakeFirstOrThrow()
}

export async function findCaseByFilingKey(db: Db, key: string): Promise<MediationCase | undefined> {
  return db.selectFrom('mediation_cases').selectAll().where('filing_key', '=', key).executeTakeFirst()
}

export async function getCase(db: Db, id: number): Promise<MediationCase | undefined> {
  return db.selectFrom('mediation_cases').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getCaseByNumber(db: Db, number: string): Promise<MediationCase | undefined> {
  return db.selectFrom('mediation_cases').selectAll().where('number', '=', number).executeTakeFirst()
}

/** A worker's open case from a given grievance (a second application from it is refused). */
export async function openCaseFromGrievance(db: Db, grievanceId: number): Promise<MediationCase | undefined> {
  return db.selectFrom('mediation_cases').selectAll().where('grievance_id', '=', grievanceId).where('status', 'in', [...CLOCK_STATUSES]).executeTakeFirst()
}

export async function lockCase(trx: Transaction<Database>, id: number): Promise<MediationCase | undefined> {
  return trx.selectFrom('mediation_cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateCase(db: Db, id: number, patch: Updateable<MediationCasesTable>): Promise<MediationCase> {
  return db.updateTable('mediation_cases').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** Cases under the kit's transition(): audited by case number only (never facts, names or terms). */
export const MEDIATION_MACHINE: Machine<MediationCase, MediationStatus> = {
  subject: 'mediation',
  table: MEDIATION_TRANSITIONS,
  status: (c) => c.status,
  subjectId: (c) => c.number,
}

export async function recordEvent(
  db: Db,
  e: { caseId: number; at: Date; kind: MediationEventKind; actorOpenId: string | null; body?: string | null; detail?: Record<string, unknown>; eventId: string | null },
): Promise<boolean> {
  const inserted = await db
    .insertInto('mediation_events')
    .values({ case_id: e.caseId, at: e.at, kind: e.kind, actor_open_id: e.actorOpenId, body: e.body ?? null, detail: e.detail ? JSON.stringify(e.detail) : null, event_id: e.eventId })
    .onConflict((oc) => oc.columns(['case_id', 'event_id', 'kind']).where('event_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function eventsCausedBy(db: Db, caseId: number, eventId: string): Promise<MediationEvent[]> {
  return db.selectFrom('mediation_events').selectAll().where('case_id', '=', caseId).where('event_id', '=', eventId).execute()
}

export async function listEvents(db: Db, caseId: number): Promise<MediationEvent[]> {
  return db.selectFrom('mediation_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute()
}

export async function setGroupMessage(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('mediation_cases').set({ group_message_id: messageId }).where('id', '=', id).execute()
}

// ---- sessions ----

export async function insertSession(db: Db, s: Insertable<MediationSessionsTable>): Promise<MediationSession | undefined> {
  return db.insertInto('mediation_sessions').values(s).onConflict((oc) => oc.column('event_id').doNothing()).returningAll().executeTakeFirst()
}

export async function sessionByEvent(db: Db, eventId: string): Promise<MediationSession | undefined> {
  return db.selectFrom('mediation_sessions').selectAll().where('event_id', '=', eventId).executeTakeFirst()
}

export async function listSessions(db: Db, caseId: number): Promise<MediationSession[]> {
  return db.selectFrom('mediation_sessions').selectAll().where('case_id', '=', caseId).orderBy('held_on').orderBy('id').execute()
}

// ---- confirmations of the agreement ----

export interface Confirmation {
  party: Signatory
  openId: string
  at: Date
}

export async function listConfirmations(db: Db, caseId: number): Promise<Confirmation[]> {
  const rows = await db.selectFrom('mediation_confirmations').selectAll().where('case_id', '=', caseId).orderBy('confirmed_at').execute()
  return rows.map((r) => ({ party: r.party, openId: r.open_id, at: r.confirmed_at }))
}

/** Records one signatory's confirmation; false when that party had already confirmed. */
export async function addConfirmation(trx: Transaction<Database>, c: { caseId: number; party: Signatory; openId: string; at: Date; eventId: string }): Promise<boolean> {
  const r = await trx
    .insertInto('mediation_confirmations')
    .values({ case_id: c.caseId, party: c.party, open_id: c.openId, confirmed_at: c.at, event_id: c.eventId })
    .onConflict((oc) => oc.columns(['case_id', 'party']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** A new draft (after 退回修改) needs everyone's confirmation again. */
export async function clearConfirmations(trx: Transaction<Database>, caseId: number): Promise<void> {
  await trx.deleteFrom('mediation_confirmations').where('case_id', '=', caseId).execute()
}

// ---- lists ----

/** Cases in which a person is a party (applicant or employer's representative), newest first. */
export async function casesOfParty(db: Db, openId: string, limit = 20): Promise<MediationCase[]> {
  return db
    .selectFrom('mediation_cases')
    .selectAll()
    .where((eb) => eb.or([eb('applicant_open_id', '=', openId), eb('employer_open_id', '=', openId)]))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Cases whose 15-day clock runs (no agreement yet), oldest first. */
export async function casesWithRunningClock(db: Db, limit = 200): Promise<MediationCase[]> {
  return db.selectFrom('mediation_cases').selectAll().where('status', 'in', [...CLOCK_STATUSES]).orderBy('applied_on').orderBy('id').limit(limit).execute()
}

/** Final agreements whose performance date has come (on or before `today`). */
export async function agreementsDueForPerformance(db: Db, today: string, limit = 200): Promise<MediationCase[]> {
  return db.selectFrom('mediation_cases').selectAll().where('status', '=', 'agreed').where('perform_on', '<=', today).orderBy('perform_on').orderBy('id').limit(limit).execute()
}

// ---- reminders (claimOnce) ----

const REMINDER_LEDGER: ClaimLedger = { table: 'mediation_reminders', keyColumns: ['case_id', 'kind'], unfinished: sql`mediation_reminders.sent_at is null` }

export async function claimReminder(db: Db, caseId: number, kind: MediationReminderKind, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { case_id: caseId, kind }, { now, leaseMs })) !== undefined
}

export async function markReminderSent(db: Db, caseId: number, kind: MediationReminderKind, now: Date): Promise<void> {
  await db.updateTable('mediation_reminders').set({ sent_at: now }).where('case_id', '=', caseId).where('kind', '=', kind).execute()
}
