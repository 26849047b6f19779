// Scheduled digests (issue #6): subscriptions per chat, one delivery key per (chat, kind, period) that makes each
// digest go out once across instances and restarts, and the indexes that keep digest queries fast on a long
// history (every "in the period" count is a range scan on the timestamp of that step).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A chat's subscription to the weekly or daily digest. Unsubscribing or losing the chat keeps the row (who,
  // when, why), so 订阅列表 and the committee can tell what happened; subscribing again re-activates it.
  await db.schema
    .createTable('digest_subscriptions')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('weekly', 'daily')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_by', 'text')
    // 'unsubscribed' (an officer's 取消订阅) or 'recipient_gone' (Feishu refused: the bot was removed, …).
    .addColumn('disabled_reason', 'text')
    .addPrimaryKeyConstraint('digest_subscriptions_pk', ['chat_id', 'kind'])
    .execute()
  await sql`create index digest_subscriptions_active_idx on digest_subscriptions (kind, created_at) where disabled_at is null`.execute(db)

  // The idempotency key of a scheduled digest: claimed (with a lease) before the send, marked once Feishu has
  // the message. A claim whose lease lapsed without a mark (crash, Feishu down) is taken over by a later tick of
  // the same day, which sends with the same uuid, so Feishu de-duplicates a message that did go out.
  await db.schema
    .createTable('digest_deliveries')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('claimed', 'sent', 'skipped', 'failed')`))
    .addColumn('audience', 'text')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('message_id', 'text')
    // Why it was skipped or failed: 'nothing_to_report', 'recipient_gone', a Feishu code…
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('digest_deliveries_pk', ['chat_id', 'kind', 'period'])
    .execute()

  // Counting "accepted / resolved / rated / declined in the period" without reading every case: partial indexes
  // (most cases never reach some steps) on the step's timestamp. filed_at is indexed by 0002 already; the chart
  // reads (filed_at, category) from this one without touching the table.
  await sql`create index digest_grievances_filed_category_idx on grievances (filed_at, category)`.execute(db)
  await sql`create index digest_grievances_accepted_idx on grievances (accepted_at) include (filed_at) where accepted_at is not null`.execute(db)
  await sql`create index digest_grievances_resolved_idx on grievances (resolved_at) include (filed_at) where resolved_at is not null`.execute(db)
  await sql`create index digest_grievances_rated_idx on grievances (rated_at) include (satisfaction) where rated_at is not null`.execute(db)
  await sql`create index digest_grievances_closed_idx on grievances (closed_at) include (status) where closed_at is not null`.execute(db)
  // Cases waiting for acceptance, oldest first (the committee digest lists them).
  await sql`create index digest_grievances_pending_idx on grievances (filed_at) where status = 'pending'`.execute(db)

  await sql`create index digest_proposals_submitted_idx on proposals (submitted_at)`.execute(db)
  await sql`create index digest_proposals_reviewed_idx on proposals (reviewed_at) include (status) where reviewed_at is not null`.execute(db)
  await sql`create index digest_proposals_answered_idx on proposals (answered_at) where answered_at is not null`.execute(db)
  await sql`create index digest_proposals_rated_idx on proposals (rated_at) include (satisfaction) where rated_at is not null`.execute(db)

  // Activities held in a period (by their end); upcoming ones use activities_status_start_idx from 0004, and the
  // sign-ups of an activity its primary key.
  await sql`create index digest_activities_ends_idx on activities (ends_at) include (status)`.execute(db)
  await sql`create index digest_activities_cancelled_idx on activities (cancelled_at) where status = 'cancelled'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of [
    'digest_activities_cancelled_idx',
    'digest_activities_ends_idx',
    'digest_proposals_rated_idx',
    'digest_proposals_answered_idx',
    'digest_proposals_reviewed_idx',
    'digest_proposals_submitted_idx',
    'digest_grievances_pending_idx',
    'digest_grievances_closed_idx',
    'digest_grievances_rated_idx',
    'digest_grievances_resolved_idx',
    'digest_grievances_accepted_idx',
    'digest_grievances_filed_category_idx',
  ]) {
    await sql`drop index if exists ${sql.raw(i)}`.execute(db)
  }
  await db.schema.dropTable('digest_deliveries').execute()
  await db.schema.dropTable('digest_subscriptions').execute()
}
