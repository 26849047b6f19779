// Sign-ups: places and waitlist (only ever changed by the two functions in migrations/0004_activities.ts, one
// statement under the activity's row lock each, so capacity holds whatever the concurrency and however many
// instances run), check-in, a person's own activities, reminders and promotion notices.
import { timingSafeEqual } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { SignupStatus } from './tables.js'
import { toActivity, toSignup, type Activity, type Db, type Signup } from './store.js'

export type SignUpOutcome = 'confirmed' | 'waitlisted' | 'already_confirmed' | 'already_waitlisted' | 'closed' | 'cancelled' | 'ended' | 'not_found'

export interface SignUpResult {
  outcome: SignUpOutcome
  /** Place on the waitlist (1 = next to move up) for waitlisted outcomes; 0 otherwise. */
  position: number
  confirmed: number
  waitlisted: number
}

/**
 * Takes a place or a waitlist slot for each (openId, now), in the order given: one statement, one lock, one commit
 * for the whole batch (see migrations/0004_activities.ts). Results come back in the same order.
 */
export async function signUpBatch(db: Db, activityId: string, items: Array<{ openId: string; now: Date }>): Promise<SignUpResult[]> {
  const { rows } = await sql<{ idx: number; outcome: SignUpOutcome; queue_position: number; places_taken: number; waitlist_length: number }>`
    select * from activity_sign_up_batch(${activityId}::bigint, ${items.map((i) => i.openId)}::text[], ${items.map((i) => i.now.toISOString())}::timestamptz[])`.execute(db)
  const byIdx = new Map(rows.map((r) => [r.idx, r]))
  return items.map((_, i) => {
    const r = byIdx.get(i + 1)
    if (!r) throw new Error('activity_sign_up_batch returned too few rows')
    return { outcome: r.outcome, position: r.queue_position, confirmed: r.places_taken, waitlisted: r.waitlist_length }
  })
}

/**
 * Group commit for sign-ups, per activity: while one batch is being committed, the clicks that arrive wait and go
 * together in the next. A rush is then bounded by CPU rather than by one disk flush per click under the row lock,
 * and within an instance the order of arrival is the order of service. One per bot instance.
 */
export class SignUpQueue {
  private readonly waiting = new Map<string, Array<{ openId: string; now: Date; resolve: (r: SignUpResult) => void; reject: (e: unknown) => void }>>()

  constructor(private readonly maxBatch = 500) {}

  signUp(db: Db, activityId: string, openId: string, now: Date): Promise<SignUpResult> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(activityId)
      if (queue) return void queue.push({ openId, now, resolve, reject })
      this.waiting.set(activityId, [{ openId, now, resolve, reject }])
      // Let the other callbacks already parsed in this tick join the first batch.
      setImmediate(() => void this.drain(db, activityId))
    })
  }

  private async drain(db: Db, activityId: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(activityId)!
      if (queue.length === 0) {
        this.waiting.delete(activityId)
        return
      }
      const batch = queue.splice(0, this.maxBatch)
      try {
        const results = await signUpBatch(db, activityId, batch)
        batch.forEach((b, i) => b.resolve(results[i]!))
      } catch (err) {
        for (const b of batch) b.reject(err)
      }
    }
  }
}

export type CancelOutcome = 'cancelled_confirmed' | 'cancelled_waitlisted' | 'not_signed_up' | 'locked' | 'cancelled' | 'ended' | 'not_found'

export interface CancelResult {
  outcome: CancelOutcome
  /** People moved up from the waitlist into the freed place, first come first served. */
  promoted: string[]
  confirmed: number
  waitlisted: number
}

/** Gives back openId's place or waitlist slot and promotes the first waitlisted people (one atomic statement). */
export async function cancelSignup(db: Db, activityId: string, openId: string, now: Date): Promise<CancelResult> {
  const { rows } = await sql<{ outcome: CancelOutcome; promoted: string[]; places_taken: number; waitlist_length: number }>`
    select * from activity_cancel_signup(${activityId}::bigint, ${openId}, ${now}::timestamptz)`.execute(db)
  const r = rows[0]!
  return { outcome: r.outcome, promoted: r.promoted ?? [], confirmed: r.places_taken, waitlisted: r.waitlist_length }
}

export async function findSignup(db: Db, activityId: string, openId: string): Promise<Signup | undefined> {
  const row = await db.selectFrom('activity_signups').selectAll().where('activity_id', '=', activityId).where('open_id', '=', openId).executeTakeFirst()
  return row ? toSignup(row) : undefined
}

/** Records a confirmed participant's arrival once; undefined when they are not confirmed. */
export async function checkIn(db: Db, activityId: string, openId: string, now: Date): Promise<'checked_in' | 'already' | 'not_confirmed'> {
  const updated = await db
    .updateTable('activity_signups')
    .set({ checked_in_at: now })
    .where('activity_id', '=', activityId)
    .where('open_id', '=', openId)
    .where('status', '=', 'confirmed')
    .where('checked_in_at', 'is', null)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 1) return 'checked_in'
  const s = await findSignup(db, activityId, openId)
  return s?.status === 'confirmed' && s.checkedInAt ? 'already' : 'not_confirmed'
}

export type CodedCheckIn =
  | { result: 'checked_in' | 'already' | 'not_confirmed' }
  /** A wrong code was counted; `left` more tries (0: no more). */
  | { result: 'wrong_code'; left: number }
  /** No tries left: refused without looking at the code. */
  | { result: 'locked' }

/**
 * Check-in with the venue's code: the person's row is locked, so concurrent tries are counted one by one. Only a
 * confirmed participant's code is looked at (nobody else learns whether a guess was right), and each person has
 * `maxAttempts` wrong tries per activity, kept across cancelling and signing up again.
 */
export async function checkInWithCode(
  db: Kysely<Database>,
  activityId: string,
  openId: string,
  now: Date,
  code: { expected: string; given: string; maxAttempts: number },
): Promise<CodedCheckIn> {
  return db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('activity_signups').selectAll().where('activity_id', '=', activityId).where('open_id', '=', openId).forUpdate().executeTakeFirst()
    if (!s || s.status !== 'confirmed') return { result: 'not_confirmed' as const }
    if (s.checked_in_at) return { result: 'already' as const }
    if (s.checkin_failed_attempts >= code.maxAttempts) return { result: 'locked' as const }
    const match = code.given.length === code.expected.length && timingSafeEqual(Buffer.from(code.given), Buffer.from(code.expected))
    if (!match) {
      await trx.updateTable('activity_signups').set({ checkin_failed_attempts: s.checkin_failed_attempts + 1 }).where('activity_id', '=', activityId).where('open_id', '=', openId).execute()
      return { result: 'wrong_code' as const, left: code.maxAttempts - s.checkin_failed_attempts - 1 }
    }
    await trx.updateTable('activity_signups').set({ checked_in_at: now }).where('activity_id', '=', activityId).where('open_id', '=', openId).execute()
    return { result: 'checked_in' as const }
  })
}

export interface MyActivityRow {
  activity: Activity
  status: SignupStatus
  seq: string
  checkedInAt: Date | null
  position: number
}

/** The person's current sign-ups (activities not over, cancelled ones included so they see it) and positions. */
export async function mySignups(db: Db, openId: string, now: Date, limit: number): Promise<MyActivityRow[]> {
  const rows = await db
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .selectAll('a')
    .select(['s.status as signup_status', 's.seq as signup_seq', 's.checked_in_at as signup_checked_in_at'])
    .select((eb) =>
      eb
        .selectFrom('activity_signups as w')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('w.activity_id', '=', 's.activity_id')
        .where('w.status', '=', 'waitlisted')
        .whereRef('w.seq', '<=', 's.seq')
        .as('signup_position'),
    )
    .where('s.open_id', '=', openId)
    .where('s.status', 'in', ['confirmed', 'waitlisted'])
    .where('a.ends_at', '>', now)
    .orderBy('a.starts_at')
    .limit(limit)
    .execute()
  return rows.map(({ signup_status, signup_seq, signup_checked_in_at, signup_position, ...activity }) => ({
    activity: toActivity(activity),
    status: signup_status,
    seq: signup_seq,
    checkedInAt: signup_checked_in_at,
    position: signup_status === 'waitlisted' ? Number(signup_position ?? 0) : 0,
  }))
}

/** Activities the person checked in to that started within [from, to) (e.g. this calendar year). */
export async function attendedBetween(db: Db, openId: string, from: Date, to: Date): Promise<Array<{ activity: Activity; checkedInAt: Date }>> {
  const rows = await db
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .selectAll('a')
    .select('s.checked_in_at as signup_checked_in_at')
    .where('s.open_id', '=', openId)
    .where('s.checked_in_at', 'is not', null)
    .where('a.starts_at', '>=', from)
    .where('a.starts_at', '<', to)
    .orderBy('a.starts_at')
    .execute()
  return rows.map(({ signup_checked_in_at, ...activity }) => ({ activity: toActivity(activity), checkedInAt: signup_checked_in_at! }))
}

/** Everyone holding a place or waiting for one, in queue order (the roster, cancellation notices). */
export async function activeSignups(db: Db, activityId: string): Promise<Signup[]> {
  return db
    .selectFrom('activity_signups')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', 'in', ['confirmed', 'waitlisted'])
    .orderBy('seq')
    .execute()
    .then((rows) => rows.map(toSignup))
}

// --- periodic work ----------------------------------------------------------------------------------------------

/**
 * Locks up to `limit` confirmed participants due a reminder: activity open and starting within 24 h. SKIP LOCKED
 * lets another instance's tick take other rows at the same time; the caller marks them in the same transaction.
 */
export async function lockDueReminders(trx: Transaction<Database>, now: Date, windowMs: number, limit: number) {
  return trx
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .select(['s.activity_id', 's.open_id', 's.seq', 'a.number', 'a.starts_at'])
    .where('s.status', '=', 'confirmed')
    .where('s.reminded_at', 'is', null)
    .where('a.status', '=', 'open')
    .where('a.starts_at', '>', now)
    .where('a.starts_at', '<=', new Date(now.getTime() + windowMs))
    .orderBy('a.starts_at')
    .limit(limit)
    .forUpdate('s')
    .skipLocked()
    .execute()
}

export async function markReminded(trx: Db, activityId: string, openId: string, at: Date): Promise<void> {
  await trx.updateTable('activity_signups').set({ reminded_at: at }).where('activity_id', '=', activityId).where('open_id', '=', openId).execute()
}

/** People moved up from the waitlist whose notice has not gone out (a crash between promotion and notice). */
export async function unnotifiedPromotions(db: Db, promotedBefore: Date, limit: number) {
  return db
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .select(['s.activity_id', 's.open_id', 's.seq'])
    .where('s.status', '=', 'confirmed')
    .where('s.promoted_at', 'is not', null)
    .where('s.promoted_at', '<', promotedBefore)
    .where('s.promotion_notified_at', 'is', null)
    .where('a.status', '=', 'open')
    .limit(limit)
    .execute()
}

export async function markPromotionNotified(db: Db, activityId: string, openId: string, at: Date): Promise<void> {
  await db
    .updateTable('activity_signups')
    .set({ promotion_notified_at: at })
    .where('activity_id', '=', activityId)
    .where('open_id', '=', openId)
    .where('status', '=', 'confirmed')
    .execute()
}
