// The union's organisation kept in chat (issue #20): officers' roles, settings (the committee group, the set-up
// lock), one-time setup codes and their attempts, and the members of the special committees.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Rows from before keep working as 委员 (the 'officer' role is any row of the table, whatever its role).
  await db.schema
    .alterTable('officers')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('chair', 'vice_chair', 'member')`))
    .execute()

  // Small named values every instance reads (committee_chat_id, setup). set_by null = seeded from the environment.
  await db.schema
    .createTable('organisation_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text')
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The row 初始化 locks (FOR UPDATE) so attempts are counted one at a time across instances; value = locked until.
  await db.insertInto('organisation_settings').values({ key: 'setup', value: null }).execute()

  // Salted hashes of the codes printed at start (one per start until a chair exists); never the code itself.
  await db.schema
    .createTable('organisation_setup_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Every 初始化 attempt, keyed by its event (a re-run answers the same), dated by the bot's clock for the lock.
  await db.schema
    .createTable('organisation_setup_attempts')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('wrong', 'locked', 'done', 'already')`))
    .execute()
  await db.schema.createIndex('organisation_setup_attempts_at').on('organisation_setup_attempts').column('at').execute()

  await db.schema
    .createTable('organisation_committee_members')
    .addColumn('committee', 'text', (c) => c.notNull())
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('organisation_committee_members_pk', ['committee', 'open_id'])
    .execute()
  await db.schema.createIndex('organisation_committee_members_open_id').on('organisation_committee_members').column('open_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['organisation_committee_members', 'organisation_setup_attempts', 'organisation_setup_codes', 'organisation_settings']) await db.schema.dropTable(t).execute()
  await db.schema.alterTable('officers').dropColumn('role').execute()
}
