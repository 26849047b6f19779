// Mass sends (issue #18): a message to thousands of people privately goes out through a durable queue, one row per
// recipient, so it keeps within Feishu's 50 messages/s per app (docs/feishu-platform.md#rate-limits), survives a
// restart, and is shared by every instance without sending anyone twice (rows claimed with FOR UPDATE SKIP LOCKED
// under a lease on Postgres's clock; src/kit/mass-send.ts). Recipients are open_ids of people on the member roll:
// nothing here is more than the members table already holds, and no message text is stored.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mass_sends')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // The feature's subject ('notice', …) whose registered sender draws each message (router.massSend).
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // Who asked for it: gets the progress and the final summary.
    .addColumn('owner_open_id', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('sending').check(sql`status in ('sending', 'done')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('mass_sends_subject_key', ['subject_type', 'subject_id'])
    .execute()
  await db.schema
    .createTable('mass_send_recipients')
    .addColumn('send_id', 'bigint', (c) => c.notNull().references('mass_sends.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    // pending → sent, or gone (Feishu refused for good: left the company, blocked the bot).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'gone')`))
    // Claimed by an instance until then (Postgres's clock); a lapsed claim is taken again, with the same uuid.
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('claimed_by', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'timestamptz')
    .addPrimaryKeyConstraint('mass_send_recipients_pk', ['send_id', 'open_id'])
    .execute()
  await sql`create index mass_send_recipients_pending_idx on mass_send_recipients (send_id, claimed_until) where status = 'pending'`.execute(db)
  await sql`create index mass_sends_sending_idx on mass_sends (created_at) where status = 'sending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mass_send_recipients').execute()
  await db.schema.dropTable('mass_sends').execute()
}
