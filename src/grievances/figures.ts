// The figures the grievance desk contributes to digests and reports: counts, medians and ratings of a period, cases
// by category and by chart bucket, and the committee's lists of open cases. Counts, numbers, categories, statuses
// and times only: never descriptions, names, reasons or answers.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { GrievanceFigures, GrievanceStatus, OpenCase } from './model.js'

/** Counts of one period in one round trip; each sub-select is a range scan on its step's index. */
export async function grievanceFigures(db: Db, from: Date, to: Date): Promise<GrievanceFigures> {
  const r = await sql<{
    filed: number
    accepted: number
    resolved: number
    declined: number
    transferred: number
    median_accept: number | null
    median_resolve: number | null
    satisfied: number
    basically_satisfied: number
    dissatisfied: number
    open_pending: number
    open_accepted: number
  }>`
    select
      (select count(*)::int from grievances where filed_at >= ${from} and filed_at < ${to}) as filed,
      (select count(*)::int from grievances where accepted_at >= ${from} and accepted_at < ${to}) as accepted,
      (select count(*)::int from grievances where resolved_at >= ${from} and resolved_at < ${to}) as resolved,
      (select count(*)::int from grievances where closed_at >= ${from} and closed_at < ${to} and closed_at is not null and status = 'declined') as declined,
      (select count(*)::int from grievances where closed_at >= ${from} and closed_at < ${to} and status = 'transferred') as transferred,
      (select percentile_cont(0.5) within group (order by extract(epoch from accepted_at - filed_at))
         from grievances where accepted_at >= ${from} and accepted_at < ${to})::float8 as median_accept,
      (select percentile_cont(0.5) within group (order by extract(epoch from resolved_at - filed_at))
         from grievances where resolved_at >= ${from} and resolved_at < ${to})::float8 as median_resolve,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'satisfied') as satisfied,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'basically_satisfied') as basically_satisfied,
      (select count(*)::int from grievances where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'dissatisfied') as dissatisfied,
      (select count(*)::int from grievances where status = 'pending') as open_pending,
      (select count(*)::int from grievances where status = 'accepted') as open_accepted`.execute(db)
  const row = r.rows[0]!
  return {
    filed: row.filed,
    accepted: row.accepted,
    resolved: row.resolved,
    declined: row.declined,
    transferred: row.transferred,
    medianAcceptSeconds: row.median_accept === null ? null : Number(row.median_accept),
    medianResolveSeconds: row.median_resolve === null ? null : Number(row.median_resolve),
    rated: { satisfied: row.satisfied, basicallySatisfied: row.basically_satisfied, dissatisfied: row.dissatisfied },
    open: { pending: row.open_pending, accepted: row.open_accepted },
  }
}

/** Cases filed in the period by category (every category that has any). */
export async function grievancesByCategory(db: Db, from: Date, to: Date): Promise<Array<{ category: string; count: number }>> {
  const rows = await db
    .selectFrom('grievances')
    .select(['category', sql<number>`count(*)::int`.as('count')])
    .where('filed_at', '>=', from)
    .where('filed_at', '<', to)
    .groupBy('category')
    .execute()
  return rows.map((r) => ({ category: r.category, count: r.count }))
}

/**
 * Cases filed per bucket and category; `bounds` are ascending instants (n + 1 bounds for n buckets). Returns the
 * bucket index 0…n-1 of each count.
 */
export async function grievancesPerBucket(db: Db, bounds: readonly Date[]): Promise<Array<{ bucket: number; category: string; count: number }>> {
  if (bounds.length < 2) return []
  const first = bounds[0]!
  const last = bounds[bounds.length - 1]!
  // width_bucket against the bound array: 1 for [b0, b1), 2 for [b1, b2), …
  const thresholds = `{${bounds.map((b) => `"${b.toISOString()}"`).join(',')}}`
  const rows = await sql<{ bucket: number; category: string; count: number }>`
    select width_bucket(filed_at, ${thresholds}::timestamptz[]) - 1 as bucket, category, count(*)::int as count
    from grievances where filed_at >= ${first} and filed_at < ${last}
    group by 1, 2`.execute(db)
  return rows.rows.map((r) => ({ bucket: Number(r.bucket), category: r.category, count: r.count }))
}

/**
 * Open cases past a deadline at `now` (most overdue first), at most `limit`, and how many there are in all. These
 * lists go to the committee group: cases someone recused from are left out (they are handled privately).
 */
export async function overdueGrievances(db: Db, now: Date, limit: number): Promise<{ items: OpenCase[]; total: number }> {
  const rows = await sql<{ number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date; total: number }>`
    select number, category, status, filed_at, accept_due_at, resolve_due_at, count(*) over ()::int as total
    from grievances
    where status in ('pending', 'accepted')
      and ((status = 'pending' and accept_due_at < ${now}) or resolve_due_at < ${now})
      and not exists (select 1 from grievance_recusals r where r.grievance_id = grievances.id)
    order by case when status = 'pending' and accept_due_at < ${now} then accept_due_at else resolve_due_at end, id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map(toOpenCase), total: rows.rows[0]?.total ?? 0 }
}

/** Cases waiting for acceptance and still within their accept deadline, oldest first (not the recused-from ones). */
export async function casesAwaitingAcceptance(db: Db, now: Date, limit: number): Promise<{ items: OpenCase[]; total: number }> {
  const rows = await sql<{ number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date; total: number }>`
    select number, category, status, filed_at, accept_due_at, resolve_due_at, count(*) over ()::int as total
    from grievances
    where status = 'pending' and accept_due_at >= ${now}
      and not exists (select 1 from grievance_recusals r where r.grievance_id = grievances.id)
    order by filed_at, id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map(toOpenCase), total: rows.rows[0]?.total ?? 0 }
}

function toOpenCase(r: { number: string; category: string; status: GrievanceStatus; filed_at: Date; accept_due_at: Date; resolve_due_at: Date }): OpenCase {
  return { number: r.number, category: r.category, status: r.status, filedAt: r.filed_at, acceptDueAt: r.accept_due_at, resolveDueAt: r.resolve_due_at }
}
