// Extension requests of a case's 办结 deadline (issue #13): one open request per case; the decision is recorded on
// the request under its row lock, so a double click or two approvers decide it once.
import type { Selectable, Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { GrievanceExtensionsTable } from './tables.js'

export type Extension = Selectable<GrievanceExtensionsTable>

/** Records the request; undefined when the case already has an open one (or this event recorded it: see byEvent). */
export async function requestExtension(
  trx: Transaction<Database>,
  r: { grievanceId: number; requestedBy: string; workdays: number; reason: string; at: Date; eventId: string },
): Promise<Extension | undefined> {
  const open = await trx.selectFrom('grievance_extensions').select('id').where('grievance_id', '=', r.grievanceId).where('status', '=', 'requested').executeTakeFirst()
  if (open) return undefined
  return trx
    .insertInto('grievance_extensions')
    .values({ grievance_id: r.grievanceId, requested_by: r.requestedBy, workdays: r.workdays, reason: r.reason, requested_at: r.at, event_id: r.eventId })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function extensionByEvent(db: Db, eventId: string): Promise<Extension | undefined> {
  return db.selectFrom('grievance_extensions').selectAll().where('event_id', '=', eventId).executeTakeFirst()
}

export async function openExtension(db: Db, grievanceId: number): Promise<Extension | undefined> {
  return db.selectFrom('grievance_extensions').selectAll().where('grievance_id', '=', grievanceId).where('status', '=', 'requested').executeTakeFirst()
}

export async function lockExtension(trx: Transaction<Database>, id: number): Promise<Extension | undefined> {
  return trx.selectFrom('grievance_extensions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function decideExtension(trx: Transaction<Database>, id: number, d: { approved: boolean; by: string; at: Date; newDueAt: Date | null }): Promise<Extension> {
  return trx
    .updateTable('grievance_extensions')
    .set({ status: d.approved ? 'approved' : 'refused', decided_by: d.by, decided_at: d.at, new_due_at: d.newDueAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}
