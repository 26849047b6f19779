// The figures activities contribute to digests and reports: the open activities coming up, and what took place
// in a period (held, places taken, check-ins, cancelled).
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { ActivityFigures, UpcomingActivity } from './model.js'

/** Open activities starting in [from, until), soonest first. */
export async function upcomingActivities(db: Db, from: Date, until: Date, limit: number): Promise<UpcomingActivity[]> {
  const rows = await db
    .selectFrom('activities')
    .select(['id', 'number', 'title', 'starts_at', 'signup_deadline', 'capacity', 'confirmed_count'])
    .where('status', '=', 'open')
    .where('starts_at', '>=', from)
    .where('starts_at', '<', until)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: String(r.id), number: r.number, title: r.title, startsAt: r.starts_at, signupDeadline: r.signup_deadline, capacity: r.capacity, confirmed: r.confirmed_count }))
}

/**
 * Activities that took place in the period (ended in it, not cancelled) with their places taken and check-ins,
 * and how many were cancelled in it.
 */
export async function activityFigures(db: Db, from: Date, to: Date): Promise<ActivityFigures> {
  const r = await sql<{ held: number; signed_up: number; attended: number; cancelled: number }>`
    with held as (
      select id from activities where ends_at >= ${from} and ends_at < ${to} and status <> 'cancelled'
    ), places as (
      -- One pass over the held activities' sign-ups (their primary key leads with activity_id).
      select count(*) filter (where s.status = 'confirmed')::int as signed_up,
             count(*) filter (where s.status = 'confirmed' and s.checked_in_at is not null)::int as attended
      from held h join activity_signups s on s.activity_id = h.id
    )
    select (select count(*)::int from held) as held, places.signed_up, places.attended,
      (select count(*)::int from activities where status = 'cancelled' and cancelled_at >= ${from} and cancelled_at < ${to}) as cancelled
    from places`.execute(db)
  const row = r.rows[0]!
  return { held: row.held, signedUp: row.signed_up, attended: row.attended, cancelled: row.cancelled }
}
