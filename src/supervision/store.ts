// Supervision records: matters, their history and the daily chase ledger of overdue replies.
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Machine } from '../kit/transition.js'
import { SUPERVISION_TRANSITIONS, type SupervisionEventKind, type SupervisionStatus } from './model.js'
import type { SupervisionEventsTable, SupervisionMattersTable } from './tables.js'

export type SupervisionMatter = Selectable<SupervisionMattersTable>
export type SupervisionEvent = Selectable<SupervisionEventsTable>

export async function insertMatter(trx: Transaction<Database>, m: Insertable<SupervisionMattersTable>): Promise<SupervisionMatter> {
  return trx.insertInto('supervision_matters').values(m).returningAll().executeTakeFirstOrThrow()
}

export async function matterOpenedBy(db: Db, eventId: string): Promise<SupervisionMatter | undefined> {
  return db.selectFrom('supervision_matters').selectAll().where('open_event_id', '=', eventId).executeTakeFirst()
}

export async function getMatter(db: Db, id: number): Promise<SupervisionMatter | undefined> {
  return db.selectFrom('supervision_matters').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getMatterByNumber(db: Db, number: string): Promise<SupervisionMatter | undefined> {
  return db.selectFrom('supervision_matters').selectAll().where('number', '=', number).executeTakeFirst()
}

export async function lockMatter(trx: Transaction<Database>, id: number): Promise<SupervisionMatter | undefined> {
  return trx.selectFrom('supervision_matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Every step's change; the live cards' version moves with it (migrations/0041). */
export async function updateMatter(db: Db, id: number, patch: Updateable<SupervisionMattersTable>): Promise<SupervisionMatter> {
  return db.updateTable('supervision_matters').set({ ...patch, card_version: sql`card_version + 1` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** A change the cards show without a step (the overdue flag): the live cards' version moves, the revision stays. */
export async function bumpCardVersion(db: Db, id: number): Promise<void> {
  await db.updateTable('supervision_matters').set({ card_version: sql`card_version + 1` }).where('id', '=', id).execute()
}

export async function setGroupMessage(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('supervision_matters').set({ group_message_id: messageId }).where('id', '=', id).execute()
}

/** Matters under the kit's transition(), audited by number. */
export const SUPERVISION_MACHINE: Machine<SupervisionMatter, SupervisionStatus> = {
  subject: 'supervision',
  table: SUPERVISION_TRANSITIONS,
  status: (m) => m.status,
  subjectId: (m) => m.number,
}

export async function recordEvent(db: Db, e: { matterId: number; at: Date; kind: SupervisionEventKind; actorOpenId: string | null; body?: string | null; eventId: string | null }): Promise<void> {
  await db
    .insertInto('supervision_events')
    .values({ matter_id: e.matterId, at: e.at, kind: e.kind, actor_open_id: e.actorOpenId, body: e.body ?? null, event_id: e.eventId })
    .onConflict((oc) => oc.columns(['matter_id', 'event_id', 'kind']).where('event_id', 'is not', null).doNothing())
    .execute()
}

export async function eventsCausedBy(db: Db, matterId: number, eventId: string): Promise<SupervisionEvent[]> {
  return db.selectFrom('supervision_events').selectAll().where('matter_id', '=', matterId).where('event_id', '=', eventId).execute()
}

export async function listEvents(db: Db, matterId: number): Promise<SupervisionEvent[]> {
  return db.selectFrom('supervision_events').selectAll().where('matter_id', '=', matterId).orderBy('id').execute()
}

/** Matters awaiting a reply past their deadline at `now`, most overdue first. */
export async function overdueMatters(db: Db, now: Date, limit = 200): Promise<SupervisionMatter[]> {
  return db.selectFrom('supervision_matters').selectAll().where('status', '=', 'awaiting_reply').where('reply_due_at', '<', now).orderBy('reply_due_at').orderBy('id').limit(limit).execute()
}

const CHASE_LEDGER: ClaimLedger = { table: 'supervision_chases', keyColumns: ['matter_id', 'day'], unfinished: sql`supervision_chases.sent_at is null` }

export async function claimChase(db: Db, matterId: number, day: string, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, CHASE_LEDGER, { matter_id: matterId, day }, { now, leaseMs })) !== undefined
}

export async function markChased(db: Db, matterId: number, day: string, now: Date): Promise<void> {
  await db.updateTable('supervision_chases').set({ sent_at: now }).where('matter_id', '=', matterId).where('day', '=', day).execute()
}
