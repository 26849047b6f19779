// Foundation tables: the durable event inbox, users seen, officers, the audit log and the chats the bot is in.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Every acknowledged Feishu event is written here before the 200 (group commit). The key de-duplicates Feishu's
  // at-least-once delivery across instances: `msg:<message_id>` for messages (Feishu: de-dup on message_id, which
  // also covers a redelivered event_id), `evt:<event_id>` for everything else. One unique index keeps writes cheap.
  await db.schema
    .createTable('inbox_events')
    .addColumn('dedup_key', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text') // the normalized Update as JSON text; never queried inside, so no jsonb parsing cost
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute()
  await sql`create index inbox_events_pending_idx on inbox_events (lease_until) where status = 'pending'`.execute(db)
  // BRIN: rows arrive in received_at order, and pruning only needs ranges; much cheaper to maintain than a btree.
  await sql`create index inbox_events_received_idx on inbox_events using brin (received_at)`.execute(db)

  await db.schema
    .createTable('users')
    .addColumn('open_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('name_fetched_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('officers')
    .addColumn('open_id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_open_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb')
    .addColumn('event_id', 'text')
    .execute()
  await sql`create index audit_log_subject_idx on audit_log (subject_type, subject_id, at)`.execute(db)

  // Human-readable numbers (G-2026-0007, P-2026-003, A-012): a counter row per series, incremented inside the
  // transaction that creates the record, so a rollback gives the number back and numbers stay gap-free.
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('bot_chats')
    .addColumn('chat_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('added_by', 'text')
    .addColumn('removed_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['bot_chats', 'sequences', 'audit_log', 'officers', 'users', 'inbox_events']) await db.schema.dropTable(t).execute()
}
