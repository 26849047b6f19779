// Conversation drafts kept in Postgres (issue #14, "never lose what was typed"): the live draft mirrored from the
// state store (so a restart of the memory store or a Redis flush loses nothing), drafts put aside by another command
// (继续刚才的…), and text typed just after a draft expired (继续 at the exact step). Sealed, keyed by personKey.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_drafts')
    // HMAC of the open_id (src/state/person-key.ts), never the open_id.
    .addColumn('person_key', 'text', (c) => c.notNull())
    // 'live' | 'kept' | 'paused:<flow>'
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('flow', 'text', (c) => c.notNull())
    // AES-256-GCM of the JSON payload under a key derived from the state-key secret (src/state/drafts.ts).
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull())
    // Until then the draft is in progress; after it, expired (the 24 h 「…已超时」 window).
    .addColumn('live_until', 'timestamptz', (c) => c.notNull())
    // The hourly purge deletes the row after this, whatever happened.
    .addColumn('purge_after', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_drafts_pk', ['person_key', 'slot'])
    .execute()
  await db.schema.createIndex('conversation_drafts_purge').on('conversation_drafts').column('purge_after').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversation_drafts').execute()
}
