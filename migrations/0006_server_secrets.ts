// Secrets the bot generates once and shares between its instances through the database (security review F2):
// the key of the HMAC that hides open_ids in Redis key names, when STATE_KEY_SECRET is not configured.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // No row is written here: a database cloned from a migrated one (tests, staging copies) gets a secret of its own
  // when its first bot starts (src/state/server-secret.ts).
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('server_secrets').execute()
}
