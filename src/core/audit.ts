// The audit log of officer actions: who did what to which case, when. Never holds case text or reporter identity.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

export interface AuditEntry {
  actorOpenId: string
  action: string
  subjectType: string
  subjectId: string
  /** Small structured facts (new status, assignee); no free text written by workers. */
  detail?: Record<string, unknown>
  eventId?: string
}

export async function writeAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_open_id: entry.actorOpenId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      event_id: entry.eventId ?? null,
    })
    .execute()
}

export async function auditTrail(db: Kysely<Database>, subjectType: string, subjectId: string) {
  return db.selectFrom('audit_log').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute()
}
