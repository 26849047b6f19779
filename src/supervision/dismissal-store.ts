// Dismissal notices' records: the notice, its history, the once-only reminders, and the figures of the reports.
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Machine } from '../kit/transition.js'
import { DISMISSAL_TRANSITIONS, type DismissalEventKind, type DismissalFigures, type DismissalStatus } from './dismissal.js'
import type { DismissalEventsTable, DismissalNoticesTable } from './tables.js'

export type DismissalNotice = Selectable<DismissalNoticesTable>
export type DismissalEvent = Selectable<DismissalEventsTable>

export async function insertNotice(trx: Transaction<Database>, n: Insertable<DismissalNoticesTable>): Promise<DismissalNotice> {
  return trx.insertInto('dismissal_notices').values(n).returningAll().executeTakeFirstOrThrow()
}

export async function noticeSubmittedBy(db: Db, eventId: string): Promise<DismissalNotice | undefined> {
  return db.selectFrom('dismissal_notices').selectAll().where('submit_event_id', '=', eventId).executeTakeFirst()
}

export async function getNotice(db: Db, id: number): Promise<DismissalNotice | undefined> {
  return db.selectFrom('dismissal_notices').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getNoticeByNumber(db: Db, number: string): Promise<DismissalNotice | undefined> {
  return db.selectFrom('dismissal_notices').selectAll().where('number', '=', number).executeTakeFirst()
}

export async function lockNotice(trx: Transaction<Database>, id: number): Promise<DismissalNotice | undefined> {
  return trx.selectFrom('dismissal_notices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateNotice(db: Db, id: number, patch: Updateable<DismissalNoticesTable>): Promise<DismissalNotice> {
  return db.updateTable('dismissal_notices').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function setNoticeGroupMessage(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('dismissal_notices').set({ group_message_id: messageId }).where('id', '=', id).execute()
}

/** Notices under the kit's transition(), audited by number (never the worker's name or the reasons). */
export const DISMISSAL_MACHINE: Machine<DismissalNotice, DismissalStatus> = {
  subject: 'dismissal',
  table: DISMISSAL_TRANSITIONS,
  status: (n) => n.status,
  subjectId: (n) => n.number,
}

export async function recordDismissalEvent(db: Db, e: { noticeId: number; at: Date; kind: DismissalEventKind; actorOpenId: string | null; body?: string | null; eventId: string | null }): Promise<void> {
  await db
    .insertInto('dismissal_events')
    .values({ notice_id: e.noticeId, at: e.at, kind: e.kind, actor_open_id: e.actorOpenId, body: e.body ?? null, event_id: e.eventId })
    .onConflict((oc) => oc.columns(['notice_id', 'event_id', 'kind']).where('event_id', 'is not', null).doNothing())
    .execute()
}

export async function dismissalEventsCausedBy(db: Db, noticeId: number, eventId: string): Promise<DismissalEvent[]> {
  return db.selectFrom('dismissal_events').selectAll().where('notice_id', '=', noticeId).where('event_id', '=', eventId).execute()
}

export async function listDismissalEvents(db: Db, noticeId: number): Promise<DismissalEvent[]> {
  return db.selectFrom('dismissal_events').selectAll().where('notice_id', '=', noticeId).orderBy('id').execute()
}

/** Notices whose opinion (awaiting_opinion) or result (opinion_given) is past its reminder time at `now`. */
export async function noticesToRemind(db: Db, now: Date): Promise<{ opinion: DismissalNotice[]; result: DismissalNotice[] }> {
  const [opinion, result] = await Promise.all([
    db.selectFrom('dismissal_notices').selectAll().where('status', '=', 'awaiting_opinion').where('opinion_due_at', '<', now).orderBy('id').limit(200).execute(),
    db.selectFrom('dismissal_notices').selectAll().where('status', '=', 'opinion_given').where('result_due_at', '<', now).orderBy('id').limit(200).execute(),
  ])
  return { opinion, result }
}

const REMINDER_LEDGER: ClaimLedger = { table: 'dismissal_reminders', keyColumns: ['notice_id', 'kind'], unfinished: sql`dismissal_reminders.sent_at is null` }

/** Each reminder once per notice, across instances and restarts. */
export async function claimDismissalReminder(db: Db, noticeId: number, kind: 'opinion' | 'result', now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { notice_id: noticeId, kind }, { now, leaseMs })) !== undefined
}

export async function markDismissalReminded(db: Db, noticeId: number, kind: 'opinion' | 'result', now: Date): Promise<void> {
  await db.updateTable('dismissal_reminders').set({ sent_at: now }).where('notice_id', '=', noticeId).where('kind', '=', kind).execute()
}

/** Counts for the 月报 / 季报: notices submitted, opinions given (of which objections), results reported in [from, to). */
export async function dismissalFigures(db: Db, from: Date, to: Date): Promise<DismissalFigures> {
  const r = await sql<DismissalFigures>`
    select
      (select count(*)::int from dismissal_notices where submitted_at >= ${from} and submitted_at < ${to}) as "submitted",
      (select count(*)::int from dismissal_notices where opinion_at >= ${from} and opinion_at < ${to}) as "opinions",
      (select count(*)::int from dismissal_notices where opinion = 'object' and opinion_at >= ${from} and opinion_at < ${to}) as "objections",
      (select count(*)::int from dismissal_notices where result_at >= ${from} and result_at < ${to}) as "results"`.execute(db)
  return r.rows[0]!
}
