// The figures the proposal desk contributes to digests and reports: steps taken in a period, the current collection
// window by status, and the committee's list of overdue proposals. Counts, numbers, statuses and dates only.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { OverdueProposal, ProposalFigures, WindowStatusCounts } from './model.js'

/** Proposal steps taken in the period: submitted (征集), registered (立案) or not, answered (答复), rated. */
export async function proposalFigures(db: Db, from: Date, to: Date): Promise<ProposalFigures> {
  const r = await sql<{ submitted: number; registered: number; rejected: number; answered: number; satisfied: number; basic: number; unsatisfied: number }>`
    select
      (select count(*)::int from proposals where submitted_at >= ${from} and submitted_at < ${to}) as submitted,
      (select count(*)::int from proposals where reviewed_at >= ${from} and reviewed_at < ${to} and status <> 'rejected') as registered,
      (select count(*)::int from proposals where reviewed_at >= ${from} and reviewed_at < ${to} and status = 'rejected') as rejected,
      (select count(*)::int from proposals where answered_at >= ${from} and answered_at < ${to}) as answered,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'satisfied') as satisfied,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'basically_satisfied') as basic,
      (select count(*)::int from proposals where rated_at >= ${from} and rated_at < ${to} and satisfaction = 'dissatisfied') as unsatisfied`.execute(db)
  const row = r.rows[0]!
  return {
    submitted: row.submitted,
    registered: row.registered,
    rejected: row.rejected,
    answered: row.answered,
    rated: { satisfied: row.satisfied, basic: row.basic, unsatisfied: row.unsatisfied },
  }
}

/** The current (or else the latest) collection window and its proposals by status; undefined without any window. */
export async function latestWindowCounts(db: Db, today: string): Promise<WindowStatusCounts | undefined> {
  const w = await db
    .selectFrom('proposal_windows')
    .select(['id', 'name', 'closed_at'])
    .orderBy(sql`closed_at is null`, 'desc')
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!w) return undefined
  const rows = await sql<{ status: string; n: number; overdue: number }>`
    select status, count(*)::int as n, count(*) filter (where status = 'in_progress' and due_date < ${today}::date)::int as overdue
    from proposals where window_id = ${w.id} group by status`.execute(db)
  const byStatus: Record<string, number> = {}
  let total = 0
  let overdue = 0
  for (const r of rows.rows) {
    byStatus[r.status] = r.n
    total += r.n
    overdue += r.overdue
  }
  return { windowId: w.id, windowName: w.name, open: w.closed_at === null, byStatus, total, overdue }
}

/** 办理中 proposals past their due date (a local date before `today`), oldest due first, and the total. */
export async function overdueProposalList(db: Db, today: string, limit: number): Promise<{ items: OverdueProposal[]; total: number }> {
  const rows = await sql<{ number: string; department: string | null; due: string; total: number }>`
    select p.number, d.name as department, to_char(p.due_date, 'YYYY-MM-DD') as due, count(*) over ()::int as total
    from proposals p left join proposal_departments d on d.id = p.department_id
    where p.status = 'in_progress' and p.due_date < ${today}::date
    order by p.due_date, p.id
    limit ${limit}`.execute(db)
  return { items: rows.rows.map((r) => ({ number: r.number, department: r.department ?? '', dueDate: r.due })), total: rows.rows[0]?.total ?? 0 }
}
