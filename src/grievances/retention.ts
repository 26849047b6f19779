// Retention (issue #13): an ended case's text, attachments and every trace of its reporter are erased after
// GRIEVANCE_RETENTION_DAYS, or earlier when the worker asks (删除诉求). What stays is what reports count: number,
// category, status, dates, time class, source, escalation target and rating. A real overwrite and DELETE, in one
// transaction under the case's row lock; tested by reading the tables (test/grievances/retention.test.ts).
import { sql, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { eraseEvidence } from '../kit/evidence.js'
import type { ClaimLedger } from '../kit/periodic.js'
import type { GrievanceStatus } from './model.js'

/** Statuses in which a case has ended and may be erased. */
export const ERASABLE: readonly GrievanceStatus[] = ['declined', 'closed', 'transferred']

/**
 * Overwrites the case's text and deletes its reporter link, attachment sources, reporter events, relays and the
 * bot's re-uploaded copies of its attachments (the evidence rows: src/kit/evidence.ts).
 */
export async function eraseGrievance(trx: Transaction<Database>, id: number, now: Date): Promise<void> {
  await trx
    .updateTable('grievances')
    .set({ description: '', attachments: '[]', reporter_open_id: null, reporter_name: null, decline_reason: null, resolution: null, escalation_summary: null, erased_at: now })
    .where('id', '=', id)
    .execute()
  await trx.updateTable('grievance_events').set({ body: null, detail: null }).where('grievance_id', '=', id).execute()
  await trx.updateTable('grievance_extensions').set({ reason: '' }).where('grievance_id', '=', id).execute()
  await trx.updateTable('grievance_identity_requests').set({ reason: '', released_name: null }).where('grievance_id', '=', id).execute()
  await trx.deleteFrom('grievance_relays').where('grievance_id', '=', id).execute()
  await trx.deleteFrom('grievance_attachment_sources').where('grievance_id', '=', id).execute()
  await trx.deleteFrom('grievance_reporter_events').where('grievance_id', '=', id).execute()
  await trx.deleteFrom('grievance_reporters').where('grievance_id', '=', id).execute()
  await eraseEvidence(trx, { type: 'grievance', id })
}

/** Ended cases whose end is older than `before` and not yet erased, oldest first (the retention index). */
export async function casesDueForErasure(db: Db, before: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('grievances')
    .select('id')
    .where('erased_at', 'is', null)
    .where('closed_at', 'is not', null)
    .where('closed_at', '<', before)
    .where('status', 'in', [...ERASABLE])
    .orderBy('closed_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** One retention sweep per local day (claimOnce): done_at marks it finished. */
export const RETENTION_LEDGER: ClaimLedger = { table: 'grievance_retention_runs', keyColumns: ['day'], unfinished: sql`grievance_retention_runs.done_at is null` }

export async function markRetentionDone(db: Db, day: string, now: Date, erased: number): Promise<void> {
  await db.updateTable('grievance_retention_runs').set({ done_at: now, erased }).where('day', '=', day).execute()
}
