// The weekly December reminder that next year's official holiday arrangement is not loaded yet (issue #20): one row
// per ISO week, claimed with a lease before the send and marked sent after it (src/kit/periodic.ts claimOnce).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holiday_reminders')
    // `2027:2026-W49`: the year asked for and the ISO week of the send.
    .addColumn('week', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('holiday_reminders').execute()
}
