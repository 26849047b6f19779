// The delay queue of an anonymous reporter's 补充 and ratings (security review F7): enqueued with a random
// delivery time, claimed once with a lease, delivered by the grievance.relays periodic task and then deleted.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { GrievanceRelay } from './model.js'
import type { GrievanceRelaysTable, RelayKind } from './tables.js'

export type { GrievanceRelay }

function toRelay(row: Selectable<GrievanceRelaysTable>): GrievanceRelay {
  return {
    id: row.id,
    grievanceId: row.grievance_id,
    kind: row.kind,
    body: row.body,
    detail: row.detail,
    deliverAfter: row.deliver_after,
    claimedUntil: row.claimed_until,
    deliveredAt: row.delivered_at,
  }
}
type Db = Kysely<Database> | Transaction<Database>

export async function enqueueRelay(trx: Db, r: { grievanceId: number; kind: RelayKind; body?: string | null; detail?: Record<string, unknown>; deliverAfter: Date }): Promise<void> {
  await trx
    .insertInto('grievance_relays')
    .values({ grievance_id: r.grievanceId, kind: r.kind, body: r.body ?? null, detail: r.detail ? JSON.stringify(r.detail) : null, deliver_after: r.deliverAfter })
    .execute()
}

/**
 * Claims relays due at `now` that nobody else holds (SKIP LOCKED: two instances never take the same row); a claim
 * not followed by deleteRelay (a crash, Feishu down) lapses after leaseMs and a later run delivers it.
 */
export async function claimDueRelays(db: Db, now: Date, leaseMs: number, limit = 50): Promise<GrievanceRelay[]> {
  const until = new Date(now.getTime() + leaseMs)
  const res = await sql<Selectable<GrievanceRelaysTable>>`
    update grievance_relays set claimed_until = ${until}
    where id in (
      select id from grievance_relays
      where delivered_at is null and deliver_after <= ${now} and (claimed_until is null or claimed_until < ${now})
      order by deliver_after, id limit ${limit}
      for update skip locked)
    returning *`.execute(db)
  return res.rows.map(toRelay)
}

/** A delivered relay leaves nothing behind: its content is on the case's history now. */
export async function deleteRelay(db: Db, id: string): Promise<void> {
  await db.deleteFrom('grievance_relays').where('id', '=', id).execute()
}

/** Relays of a case still waiting (tests, and the worker's own view could use it). */
export async function pendingRelays(db: Db, grievanceId: number): Promise<GrievanceRelay[]> {
  return (await db.selectFrom('grievance_relays').selectAll().where('grievance_id', '=', grievanceId).orderBy('id').execute()).map(toRelay)
}
