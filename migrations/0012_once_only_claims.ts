// Overdue proposal reminders take the lease-based claim of src/kit/periodic.ts like the grievance reminders and the
// digests: a row is claimed (claimed_until) before the send and marked sent after it, so a crash in between lapses
// and is retried with the same uuid instead of the reminder being lost or sent twice. Existing rows are all sent.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table proposal_reminders add column claimed_until timestamptz`.execute(db)
  await sql`alter table proposal_reminders alter column sent_at drop not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from proposal_reminders where sent_at is null`.execute(db)
  await sql`alter table proposal_reminders alter column sent_at set not null`.execute(db)
  await sql`alter table proposal_reminders drop column claimed_until`.execute(db)
}
