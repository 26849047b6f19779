// The proposals' part of an officer's work queue (issue #13 `待办`): proposals waiting for the committee, i.e. for
// review (待审查) or, once registered, for assignment to a department (待交办). Numbers and statuses only.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { QueueItem } from '../desk/model.js'
import { STATUS_LABEL, type ProposalStatus } from './model.js'

const WAITING: Record<'pending_review' | 'registered', string> = { pending_review: '待审查', registered: '待交办' }

/** The `limit` proposals waiting longest for the committee, and how many wait in all. Every officer shares them. */
export async function proposalQueue(db: Db, now: Date, limit: number): Promise<{ items: QueueItem[]; total: number }> {
  void now // no deadline of its own: the committee's review has none yet (nothing is overdue)
  const base = db.selectFrom('proposals').where('status', 'in', ['pending_review', 'registered'])
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base.select(['id', 'number', 'status', 'submitted_at', 'review_ready_at', 'reviewed_at']).orderBy(sql`coalesce(review_ready_at, submitted_at)`).orderBy('id').limit(limit).execute(),
  ])
  const items = rows.map((r): QueueItem => {
    const status = r.status as 'pending_review' | 'registered'
    return {
      feature: 'proposal',
      id: r.id,
      number: r.number,
      statusLabel: STATUS_LABEL[status as ProposalStatus],
      reason: WAITING[status] ?? STATUS_LABEL[status as ProposalStatus],
      since: r.review_ready_at ?? r.submitted_at,
      dueAt: null,
      overdue: false,
    }
  })
  return { items, total: Number(count.n) }
}
