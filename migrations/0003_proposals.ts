// Congress proposals (职代会提案): representatives, departments, collection windows, proposals with their
// co-signers, followers, timeline and overdue reminders. Status, window, department, due date, answer class,
// satisfaction and one timestamp per transition are plain columns so the digest (issue #6) can count them.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Worker representatives (职工代表); removal keeps the row (removed_at) so past proposals still name them.
  await db.schema
    .createTable('proposal_representatives')
    .addColumn('open_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'text')
    .execute()

  // Responsible departments (承办部门) and the contact person who answers for each.
  await db.schema
    .createTable('proposal_departments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('contact_open_id', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('removed_at', 'timestamptz')
    .execute()
  await sql`create index proposal_departments_contact_idx on proposal_departments (contact_open_id) where removed_at is null`.execute(db)

  // Collection windows (提案征集, one per congress session 届次); at most one open at a time.
  await db.schema
    .createTable('proposal_windows')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .execute()
  await sql`create unique index proposal_windows_one_open on proposal_windows ((true)) where closed_at is null`.execute(db)

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('window_id', 'integer', (c) => c.notNull().references('proposal_windows.id'))
    .addColumn('proposer_open_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The conversation turn that created it: a re-run of that event finds the proposal instead of filing twice.
    .addColumn('created_event_id', 'text', (c) => c.unique())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('review_ready_at', 'timestamptz')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewed_by', 'text')
    .addColumn('review_reason', 'text')
    .addColumn('department_id', 'integer', (c) => c.references('proposal_departments.id'))
    .addColumn('assigned_at', 'timestamptz')
    .addColumn('assigned_by', 'text')
    .addColumn('due_date', 'date')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_by', 'text')
    .addColumn('answer_text', 'text')
    .addColumn('answer_class', 'text')
    .addColumn('rated_at', 'timestamptz')
    .addColumn('satisfaction', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdraw_reason', 'text')
    .addColumn('committee_message_id', 'text')
    .addColumn('department_message_id', 'text')
    .addColumn('rating_message_id', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('proposals_year_seq_key', ['year', 'seq'])
    .execute()
  await sql`create index proposals_window_status_idx on proposals (window_id, status)`.execute(db)
  await sql`create index proposals_proposer_idx on proposals (proposer_open_id)`.execute(db)
  await sql`create index proposals_due_idx on proposals (due_date) where status = 'in_progress'`.execute(db)

  await db.schema
    .createTable('proposal_cosigners')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addPrimaryKeyConstraint('proposal_cosigners_pkey', ['proposal_id', 'open_id'])
    .execute()
  await sql`create index proposal_cosigners_open_id_idx on proposal_cosigners (open_id)`.execute(db)

  await db.schema
    .createTable('proposal_followers')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('followed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_followers_pkey', ['proposal_id', 'open_id'])
    .execute()

  // Every step of every proposal, shown on its card. (kind, event_id) is unique per proposal so a re-run of the
  // causing event finds its own step and does not write it twice.
  await db.schema
    .createTable('proposal_timeline')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_open_id', 'text')
    .addColumn('note', 'text')
    .addColumn('detail', 'jsonb')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('proposal_timeline_event_key', ['proposal_id', 'kind', 'event_id'])
    .execute()

  // One overdue reminder per proposal and local day: the idempotency key of the daily periodic task.
  await db.schema
    .createTable('proposal_reminders')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipient_open_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_reminders_pkey', ['proposal_id', 'day'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['proposal_reminders', 'proposal_timeline', 'proposal_followers', 'proposal_cosigners', 'proposals', 'proposal_windows', 'proposal_departments', 'proposal_representatives']) {
    await db.schema.dropTable(t).execute()
  }
}
