// Identity release for anonymous cases (issue #13; GlobaLeaks' custodian model): an officer asks with a reason,
// the worker is asked through the sealed reporter link (the officer never learns who was asked), and only the
// worker's 同意 stores the name the officers' card then shows. A refusal or silence stores nothing that names them.
// One open request per case (a partial unique index); the answer is recorded under the request's row lock.
import type { Selectable, Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { GrievanceIdentityRequestsTable } from './tables.js'

export type IdentityRequest = Selectable<GrievanceIdentityRequestsTable>

/** Records the request; undefined when the case already has one open. */
export async function requestIdentity(
  trx: Transaction<Database>,
  r: { grievanceId: number; requestedBy: string; reason: string; at: Date; eventId: string },
): Promise<IdentityRequest | undefined> {
  if (await openIdentityRequest(trx, r.grievanceId)) return undefined
  return trx
    .insertInto('grievance_identity_requests')
    .values({ grievance_id: r.grievanceId, requested_by: r.requestedBy, reason: r.reason, requested_at: r.at, event_id: r.eventId })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function identityRequestByEvent(db: Db, eventId: string): Promise<IdentityRequest | undefined> {
  return db.selectFrom('grievance_identity_requests').selectAll().where('event_id', '=', eventId).executeTakeFirst()
}

export async function openIdentityRequest(db: Db, grievanceId: number): Promise<IdentityRequest | undefined> {
  return db.selectFrom('grievance_identity_requests').selectAll().where('grievance_id', '=', grievanceId).where('status', '=', 'requested').executeTakeFirst()
}

export async function lockIdentityRequest(trx: Transaction<Database>, id: number): Promise<IdentityRequest | undefined> {
  return trx.selectFrom('grievance_identity_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function answerIdentityRequest(trx: Transaction<Database>, id: number, a: { granted: boolean; at: Date; name: string | null }): Promise<IdentityRequest> {
  return trx
    .updateTable('grievance_identity_requests')
    .set({ status: a.granted ? 'granted' : 'refused', answered_at: a.at, released_name: a.granted ? a.name : null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The name the worker agreed to show, if they ever did. */
export async function releasedIdentity(db: Db, grievanceId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('grievance_identity_requests')
    .select('released_name')
    .where('grievance_id', '=', grievanceId)
    .where('status', '=', 'granted')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row?.released_name ?? undefined
}

/** The case a request is about (to check that the one answering is its reporter); undefined when unknown. */
export async function identityRequestCase(db: Db, id: number): Promise<number | undefined> {
  return (await db.selectFrom('grievance_identity_requests').select('grievance_id').where('id', '=', id).executeTakeFirst())?.grievance_id
}
