// Congress meeting records: the meeting, its roll (应到, 到会), check-in, closing, and the report reminder's ledger.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { nextInSequence } from '../core/sequences.js'
import { MEETING_NUMBER, type Meeting, type MeetingStatus, type RollEntry } from './model.js'
import type { CongressMeetingsTable } from './tables.js'

export function toMeeting(r: Selectable<CongressMeetingsTable>): Meeting {
  return {
    id: String(r.id),
    number: r.number,
    title: r.title,
    term: r.term ?? undefined,
    status: r.status as MeetingStatus,
    expected: r.expected_count,
    chatId: r.chat_id ?? undefined,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    createdEventId: r.created_event_id,
    closedAt: r.closed_at ?? undefined,
    closedEventId: r.closed_event_id ?? undefined,
    reportDueOn: r.report_due_on ?? undefined,
  }
}

/** The current term's representatives: those of CONGRESS_TERM when set, else every active one. */
export async function termRepresentatives(db: Db, term: string | undefined): Promise<Array<{ openId: string; name: string }>> {
  let q = db.selectFrom('proposal_representatives').select(['open_id', 'name']).where('removed_at', 'is', null)
  if (term) q = q.where('term', '=', term)
  return (await q.orderBy('open_id').execute()).map((r) => ({ openId: r.open_id, name: r.name }))
}

export async function createMeeting(
  trx: Transaction<Database>,
  m: { title: string; term: string | undefined; roll: Array<{ openId: string; name: string }>; createdBy: string; at: Date; eventId: string; chatId: string | undefined },
): Promise<Meeting> {
  const seq = await nextInSequence(trx, 'congress_meeting')
  const row = await trx
    .insertInto('congress_meetings')
    .values({
      seq_no: seq,
      number: MEETING_NUMBER.format(seq),
      title: m.title,
      term: m.term ?? null,
      status: 'open',
      expected_count: m.roll.length,
      chat_id: m.chatId ?? null,
      created_by: m.createdBy,
      created_at: m.at,
      created_event_id: m.eventId,
      closed_at: null,
      closed_by: null,
      closed_event_id: null,
      report_due_on: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  if (m.roll.length) await trx.insertInto('congress_roll').values(m.roll.map((r) => ({ meeting_id: row.id, open_id: r.openId, name: r.name }))).execute()
  return toMeeting(row)
}

export async function findMeeting(db: Db, id: string): Promise<Meeting | undefined> {
  const r = await db.selectFrom('congress_meetings').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toMeeting(r) : undefined
}

export async function findMeetingByEvent(db: Db, eventId: string): Promise<Meeting | undefined> {
  const r = await db.selectFrom('congress_meetings').selectAll().where('created_event_id', '=', eventId).executeTakeFirst()
  return r ? toMeeting(r) : undefined
}

export async function findOpenMeeting(db: Db): Promise<Meeting | undefined> {
  const r = await db.selectFrom('congress_meetings').selectAll().where('status', '=', 'open').executeTakeFirst()
  return r ? toMeeting(r) : undefined
}

/** The open meeting, else the one closed last (minutes asked for after closing). */
export async function latestMeeting(db: Db): Promise<Meeting | undefined> {
  const r = await db.selectFrom('congress_meetings').selectAll().orderBy('seq_no', 'desc').limit(1).executeTakeFirst()
  return r ? toMeeting(r) : undefined
}

export async function lockMeeting(trx: Transaction<Database>, id: string): Promise<Meeting | undefined> {
  const r = await trx.selectFrom('congress_meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  return r ? toMeeting(r) : undefined
}

export async function rollOf(db: Db, meetingId: string): Promise<RollEntry[]> {
  const rows = await db.selectFrom('congress_roll').select(['open_id', 'name', 'checked_in']).where('meeting_id', '=', meetingId).orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, name: r.name, checkedIn: r.checked_in }))
}

export async function presentCount(db: Db, meetingId: string): Promise<number> {
  const r = await db.selectFrom('congress_roll').select((eb) => eb.fn.countAll().as('n')).where('meeting_id', '=', meetingId).where('checked_in', '=', true).executeTakeFirstOrThrow()
  return Number(r.n)
}

export type CheckInOutcome = 'done' | 'already' | 'not_on_roll' | 'closed'

/** Marks a representative present (by themselves, or recorded by an officer) and bumps the meeting's version. */
export async function checkIn(db: Kysely<Database>, meetingId: string, openId: string, recordedBy: string | undefined): Promise<CheckInOutcome> {
  return db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, meetingId)
    if (!m || m.status !== 'open') return 'closed'
    const entry = await trx.selectFrom('congress_roll').select('checked_in').where('meeting_id', '=', meetingId).where('open_id', '=', openId).executeTakeFirst()
    if (!entry) return 'not_on_roll'
    if (entry.checked_in) return 'already'
    await trx.updateTable('congress_roll').set({ checked_in: true, recorded_by: recordedBy ?? null }).where('meeting_id', '=', meetingId).where('open_id', '=', openId).execute()
    await trx.updateTable('congress_meetings').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', meetingId).execute()
    // Items waiting for the quorum say whether it is reached: their cards move with the roll.
    await trx.updateTable('polls').set((eb) => ({ version: eb('version', '+', 1) })).where('meeting_id', '=', meetingId).where('status', '=', 'draft').execute()
    return 'done'
  })
}

/** Something the meeting card shows changed (an item added, opened, closed): its cards are patched. */
export async function bumpMeeting(db: Db, meetingId: string): Promise<void> {
  await db.updateTable('congress_meetings').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', meetingId).execute()
}

export async function markMeetingClosed(trx: Transaction<Database>, id: string, c: { by: string; at: Date; eventId: string; reportDueOn: string }): Promise<Meeting> {
  const r = await trx
    .updateTable('congress_meetings')
    .set((eb) => ({ status: 'closed', closed_at: c.at, closed_by: c.by, closed_event_id: c.eventId, report_due_on: c.reportDueOn, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toMeeting(r)
}

/** Closed meetings whose report reminder has not gone out. */
export async function remindersDue(db: Db): Promise<Meeting[]> {
  const rows = await db
    .selectFrom('congress_meetings')
    .leftJoin('congress_reminders', 'congress_reminders.meeting_id', 'congress_meetings.id')
    .selectAll('congress_meetings')
    .where('congress_meetings.status', '=', 'closed')
    .where('congress_reminders.sent_at', 'is', null)
    .orderBy('congress_meetings.id')
    .execute()
  return rows.map(toMeeting)
}

export const CONGRESS_REMINDERS_LEDGER = { table: 'congress_reminders', keyColumns: ['meeting_id'], unfinished: sql`congress_reminders.sent_at is null` } as const

export async function markReminderSent(db: Db, meetingId: string, at: Date): Promise<void> {
  await db.updateTable('congress_reminders').set({ sent_at: at }).where('meeting_id', '=', meetingId).execute()
}
