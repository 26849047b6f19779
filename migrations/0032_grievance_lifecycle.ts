// The second half of the grievance lifecycle (issue #13): time-limit classes (一般 / 复杂), offline cases (who
// registered it and how it came in), escalation (已转办 and to whom, with the summary the worker takes along),
// identity-release requests for anonymous cases (the GlobaLeaks custodian model: the worker decides), and the
// mark of a case whose text was erased (retention, or the worker's own 删除诉求).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('grievances')
    .addColumn('time_class', 'text', (c) => c.notNull().defaultTo('general'))
    // null: filed by the worker in chat; else 当面 / 电话 / 来信, registered by an officer (登记诉求).
    .addColumn('source', 'text')
    .addColumn('registered_by', 'text')
    .addColumn('escalated_to', 'text')
    .addColumn('escalation_summary', 'text')
    .addColumn('erased_at', 'timestamptz')
    .execute()
  await sql`alter table grievances drop constraint grievances_status_check`.execute(db)
  await sql`alter table grievances add constraint grievances_status_check check (status in ('pending', 'accepted', 'declined', 'resolved', 'closed', 'transferred'))`.execute(db)
  await sql`alter table grievances add constraint grievances_time_class_check check (time_class in ('general', 'complex'))`.execute(db)
  await sql`alter table grievances add constraint grievances_source_check check (source is null or source in ('in_person', 'phone', 'letter'))`.execute(db)
  // The retention sweep looks for ended cases not yet erased, by when they ended.
  await sql`create index grievances_retention_idx on grievances (closed_at) where erased_at is null and closed_at is not null`.execute(db)

  await db.schema
    .createTable('grievance_identity_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('requested'))
    .addColumn('answered_at', 'timestamptz')
    // Set only when the worker agreed: the name they agreed to show (nothing before).
    .addColumn('released_name', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addCheckConstraint('grievance_identity_requests_status_check', sql`status in ('requested', 'granted', 'refused')`)
    .execute()
  await sql`create unique index grievance_identity_requests_one_open on grievance_identity_requests (grievance_id) where status = 'requested'`.execute(db)

  // Once-only ledger of the retention sweep: one row per local day (src/kit/periodic.ts claimOnce).
  await db.schema
    .createTable('grievance_retention_runs')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .addColumn('erased', 'integer')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grievance_retention_runs').execute()
  await db.schema.dropTable('grievance_identity_requests').execute()
  await sql`drop index if exists grievances_retention_idx`.execute(db)
  await sql`alter table grievances drop constraint grievances_source_check`.execute(db)
  await sql`alter table grievances drop constraint grievances_time_class_check`.execute(db)
  await sql`alter table grievances drop constraint grievances_status_check`.execute(db)
  await sql`alter table grievances add constraint grievances_status_check check (status in ('pending', 'accepted', 'declined', 'resolved', 'closed'))`.execute(db)
  for (const c of ['erased_at', 'escalation_summary', 'escalated_to', 'registered_by', 'source', 'time_class']) await db.schema.alterTable('grievances').dropColumn(c).execute()
}
