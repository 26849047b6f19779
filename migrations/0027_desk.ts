// The officers' desk, second round (issue #13): a version on proposals for their live cards (every posted copy is
// patched when it changes), the committee a grievance was routed to, extensions of its deadline, and recusals on grievances (an officer who is the subject of, or related to, a case
// steps aside and from then on sees nothing of it).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Bumped by every change a proposal card shows (status, co-signers, followers, timeline): src/kit/live-cards.ts.
  await db.schema.alterTable('proposals').addColumn('card_version', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  await db.schema
    .createTable('grievance_recusals')
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addPrimaryKeyConstraint('grievance_recusals_pk', ['grievance_id', 'open_id'])
    .execute()
  // The special committee a case was routed to at filing (GRIEVANCE_ROUTES), kept: a later change of the setting
  // does not move cases already filed.
  await db.schema.alterTable('grievances').addColumn('routed_to', 'text').execute()
  // Extensions of a case's 办结 deadline (issue #13): asked for by an officer with a reason, decided by the chair.
  await db.schema
    .createTable('grievance_extensions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('workdays', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('requested'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('new_due_at', 'timestamptz')
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .execute()
  // One open request per case at a time.
  await sql`create unique index grievance_extensions_one_open on grievance_extensions (grievance_id) where status = 'requested'`.execute(db)
  // The desk's lists filter by viewer: "cases this officer has not recused from" is an anti-join on this index.
  await sql`create index grievance_recusals_by_officer on grievance_recusals (open_id, grievance_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grievance_extensions').execute()
  await db.schema.dropTable('grievance_recusals').execute()
  await db.schema.alterTable('grievances').dropColumn('routed_to').execute()
  await db.schema.alterTable('proposals').dropColumn('card_version').execute()
}
