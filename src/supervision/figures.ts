// The figures labour-law supervision contributes to the 月报 / 季报 and the committee digest: matters opened,
// replies (on time), matters closed, replies overdue now, and the overdue list (numbers, departments, days). Never
// facts, opinions or replies.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import { dismissalFigures } from './dismissal-store.js'
import type { SupervisionFigures } from './model.js'

export async function supervisionFigures(db: Db, from: Date, to: Date, now: Date): Promise<SupervisionFigures> {
  const r = await sql<Omit<SupervisionFigures, 'dismissals'>>`
    select
      (select count(*)::int from supervision_matters where opened_at >= ${from} and opened_at < ${to}) as "opened",
      (select count(*)::int from supervision_events where kind = 'replied' and at >= ${from} and at < ${to}) as "replied",
      (select count(*)::int from supervision_matters where replied_at >= ${from} and replied_at < ${to} and reply_on_time) as "repliedOnTime",
      (select count(*)::int from supervision_matters where closed_at >= ${from} and closed_at < ${to}) as "closed",
      (select count(*)::int from supervision_matters where status = 'awaiting_reply' and reply_due_at < ${now}) as "overdueNow"`.execute(db)
  return { ...r.rows[0]!, dismissals: await dismissalFigures(db, from, to) }
}

export interface OverdueMatter {
  number: string
  departmentName: string
  replyDueAt: Date
}

/** Matters whose reply is overdue at `now`, most overdue first (the committee digest's list). */
export async function overdueSupervision(db: Db, now: Date, limit: number): Promise<{ items: OverdueMatter[]; total: number }> {
  const base = db
    .selectFrom('supervision_matters')
    .innerJoin('proposal_departments', 'proposal_departments.id', 'supervision_matters.department_id')
    .where('supervision_matters.status', '=', 'awaiting_reply')
    .where('supervision_matters.reply_due_at', '<', now)
  const [rows, total] = await Promise.all([
    base.select(['supervision_matters.number', 'proposal_departments.name', 'supervision_matters.reply_due_at']).orderBy('supervision_matters.reply_due_at').limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map((r) => ({ number: r.number, departmentName: r.name, replyDueAt: r.reply_due_at })), total: Number(total.n) }
}
