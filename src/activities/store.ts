// Activity records: creating, finding, cancelling and listing activities, and moving their cards through phases.
// Sign-ups are in activity-signups.ts, the registry of posted cards is src/kit/live-cards.ts.
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Machine } from '../kit/transition.js'
import { ACTIVITY_TRANSITIONS, type Activity, type ActivityDetails, type Signup } from './model.js'
import type { ActivitiesTable, ActivityPhase, ActivityStatus, ActivitySignupsTable } from './tables.js'
import { nextInSequence } from '../core/sequences.js'
import { serialNumbers } from '../kit/numbers.js'

export type Db = Kysely<Database> | Transaction<Database>

export type { Activity, Signup }

/** The row as the rest of the bot sees it: camelCase fields, no table types beyond the store. */
export function toActivity(row: Selectable<ActivitiesTable>): Activity {
  return {
    id: row.id,
    seqNo: row.seq_no,
    number: row.number,
    title: row.title,
    description: row.description,
    place: row.place,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    signupDeadline: row.signup_deadline,
    capacity: row.capacity,
    allowCancelAfterDeadline: row.allow_cancel_after_deadline,
    status: row.status,
    cardPhase: row.card_phase,
    confirmedCount: row.confirmed_count,
    waitlistCount: row.waitlist_count,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    createdEventId: row.created_event_id,
    sourceMessageId: row.source_message_id,
    originChatId: row.origin_chat_id,
    cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
    cancelledEventId: row.cancelled_event_id,
    checkinCode: row.checkin_code,
  }
}

export function toSignup(row: Selectable<ActivitySignupsTable>): Signup {
  return {
    activityId: row.activity_id,
    openId: row.open_id,
    status: row.status,
    seq: row.seq,
    signedUpAt: row.signed_up_at,
    confirmedAt: row.confirmed_at,
    promotedAt: row.promoted_at,
    promotionNotifiedAt: row.promotion_notified_at,
    cancelledAt: row.cancelled_at,
    checkedInAt: row.checked_in_at,
    remindedAt: row.reminded_at,
    checkinFailedAttempts: row.checkin_failed_attempts,
  }
}

const mapped = (row: Selectable<ActivitiesTable> | undefined): Activity | undefined => (row ? toActivity(row) : undefined)

export interface NewActivity extends ActivityDetails {
  createdBy: string
  createdAt: Date
  eventId: string
  sourceMessageId: string | undefined
  originChatId: string | undefined
  /** The digits to give at check-in, or undefined when check-in needs no code. */
  checkinCode: string | undefined
}

/** three digits at least, more once past 999; typed as `A-012`, `a012`, `A 12` or just `12`. */
export const ACTIVITY_NUMBER = serialNumbers({ prefix: 'A', digits: 3, maxDigits: 7, bareDigits: true })

export function activityNumber(seqNo: number): string {
  return ACTIVITY_NUMBER.format(seqNo)
}

/** Creates the activity with the next number (inside the caller's transaction, so numbers stay gap-free). */
export async function createActivity(trx: Transaction<Database>, a: NewActivity): Promise<Activity> {
  const seqNo = await nextInSequence(trx, 'activity')
  return trx
    .insertInto('activities')
    .values({
      seq_no: seqNo,
      number: activityNumber(seqNo),
      title: a.title,
      description: a.description,
      place: a.place,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      signup_deadline: a.signupDeadline,
      capacity: a.capacity,
      allow_cancel_after_deadline: a.allowCancelAfterDeadline,
      created_by: a.createdBy,
      created_at: a.createdAt,
      created_event_id: a.eventId,
      source_message_id: a.sourceMessageId ?? null,
      origin_chat_id: a.originChatId ?? null,
      checkin_code: a.checkinCode ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .then(toActivity)
}

export async function findActivity(db: Db, id: string): Promise<Activity | undefined> {
  return db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst().then(mapped)
}

export async function findActivityBySeqNo(db: Db, seqNo: number): Promise<Activity | undefined> {
  return db.selectFrom('activities').selectAll().where('seq_no', '=', seqNo).executeTakeFirst().then(mapped)
}

/** The activity created from a given form card, if any (a second submit of the same form). */
export async function findActivityBySourceMessage(db: Db, messageId: string): Promise<Activity | undefined> {
  return db.selectFrom('activities').selectAll().where('source_message_id', '=', messageId).executeTakeFirst().then(mapped)
}

/** Activities under the kit's transition(): the table of model.ts, audited by number. */
export const ACTIVITY_MACHINE: Machine<Activity, ActivityStatus> = {
  subject: 'activity',
  table: ACTIVITY_TRANSITIONS,
  status: (a) => a.status,
  subjectId: (a) => a.number,
}

/** Locks the activity row for a status change (officer cancel). */
export async function lockActivity(trx: Transaction<Database>, id: string): Promise<Activity | undefined> {
  return trx.selectFrom('activities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst().then(mapped)
}

export async function markActivityCancelled(
  trx: Transaction<Database>,
  id: string,
  by: { openId: string; at: Date; reason: string; eventId: string },
): Promise<void> {
  await trx
    .updateTable('activities')
    .set((eb) => ({
      status: 'cancelled',
      cancelled_at: by.at,
      cancelled_by: by.openId,
      cancel_reason: by.reason || null,
      cancelled_event_id: by.eventId,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/** Activities not cancelled and not yet over, soonest first. */
export async function listUpcomingActivities(db: Db, now: Date, limit: number): Promise<Activity[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('status', '=', 'open')
    .where('ends_at', '>', now)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map(toActivity))
}

/** Open activities whose cards may need to move to another phase (not yet shown as ended). */
export async function activitiesInPlay(db: Db): Promise<Activity[]> {
  return db.selectFrom('activities').selectAll().where('status', '=', 'open').execute().then((rows) => rows.map(toActivity))
}

/** Moves an activity's cards to a new phase (and to status 'ended' after its end); bumps the version. */
export async function setPhase(db: Db, id: string, from: ActivityPhase, to: ActivityPhase): Promise<boolean> {
  const res = await db
    .updateTable('activities')
    .set((eb) => ({ card_phase: to, version: eb('version', '+', 1), ...(to === 'ended' ? { status: 'ended' as const } : {}) }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('card_phase', '=', from)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}
