// Two small additions of issue #16's QA walk. An anonymous 一般 hazard report reaches the committee after a random
// delay, like anonymous grievance relays (QA F6): `committee_due_at` (when its card may go out) and
// `post_claimed_until` (one instance posts it). Supervision matters' cards are live cards (QA F8): `card_version`
// moves with every change a card shows (steps and the daily overdue flag), so every copy is patched.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table hazard_reports add column committee_due_at timestamptz`.execute(db)
  await sql`alter table hazard_reports add column post_claimed_until timestamptz`.execute(db)
  await sql`update hazard_reports set committee_due_at = reported_at`.execute(db)
  await sql`alter table hazard_reports alter column committee_due_at set not null`.execute(db)
  await sql`create index hazard_reports_unposted on hazard_reports (committee_due_at) where group_message_id is null`.execute(db)
  await sql`alter table supervision_matters add column card_version integer not null default 0`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table supervision_matters drop column card_version`.execute(db)
  await sql`drop index hazard_reports_unposted`.execute(db)
  await sql`alter table hazard_reports drop column post_claimed_until`.execute(db)
  await sql`alter table hazard_reports drop column committee_due_at`.execute(db)
}
