// Grievance desk (issue #3): cases, who filed them (kept apart, for the relay code only), their history, and
// the daily overdue reminder's idempotency key.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grievances')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    .addColumn('reporter_open_id', 'text')
    .addColumn('reporter_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('assignee_open_id', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('resolution', 'text')
    .addColumn('satisfaction', 'text')
    .addColumn('reopened_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accept_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolve_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('rated_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('accept_overdue_at', 'timestamptz')
    .addColumn('resolve_overdue_at', 'timestamptz')
    .addColumn('review_message_id', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filing_key', 'text', (c) => c.notNull().unique())
    .addCheckConstraint('grievances_status_check', sql`status in ('pending', 'accepted', 'declined', 'resolved', 'closed')`)
    .addCheckConstraint('grievances_satisfaction_check', sql`satisfaction is null or satisfaction in ('satisfied', 'basically_satisfied', 'dissatisfied')`)
    // An anonymous case never names its reporter here; that link lives in grievance_reporters only.
    .addCheckConstraint('grievances_anonymous_check', sql`not anonymous or (reporter_open_id is null and reporter_name is null)`)
    .execute()
  await sql`create index grievances_open_idx on grievances (status, accept_due_at, resolve_due_at) where status in ('pending', 'accepted')`.execute(db)
  await sql`create index grievances_filed_idx on grievances (filed_at)`.execute(db)

  await db.schema
    .createTable('grievance_reporters')
    .addColumn('grievance_id', 'integer', (c) => c.primaryKey().references('grievances.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .execute()
  await sql`create index grievance_reporters_open_id_idx on grievance_reporters (open_id)`.execute(db)

  await db.schema
    .createTable('grievance_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_open_id', 'text')
    .addColumn('body', 'text')
    .addColumn('detail', 'jsonb')
    .addColumn('event_id', 'text')
    .execute()
  await sql`create index grievance_events_case_idx on grievance_events (grievance_id, id)`.execute(db)
  await sql`create unique index grievance_events_cause_idx on grievance_events (grievance_id, event_id, kind) where event_id is not null`.execute(db)

  await db.schema
    .createTable('grievance_reminders')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('case_count', 'integer')
    .addColumn('message_id', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['grievance_reminders', 'grievance_events', 'grievance_reporters', 'grievances']) await db.schema.dropTable(t).execute()
}
