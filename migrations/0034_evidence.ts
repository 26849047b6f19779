// Evidence (issue #13, and #17's documents and photos): every image or file a person sends the bot as part of a case
// (a grievance and its 补充, hardship documents, a department's answer to a proposal, a nomination's photo) is fetched
// with the message-resource API and re-uploaded by the bot under a neutral name (src/kit/evidence.ts). One row per
// item. The source message id (Feishu resolves it to the sender) is kept only until the re-upload exists, then
// erased; a failed fetch keeps the row with its attempts and next try, so the reference is never lost.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evidence')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // The feature's subject ('grievance', 'hardship', 'proposal_answer', 'nomination') and its id.
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // 1, 2, … within the subject: the neutral name (附件2.pdf) and the order officers see.
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'file')`))
    // What Feishu gave for the person's message: the key stays (it alone names nobody), the message id goes at ready.
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('source_message_id', 'text')
    // The original name, only where the feature may keep it (never for anonymous cases); the extension always.
    .addColumn('original_name', 'text')
    .addColumn('extension', 'text')
    // pending → ready (re-uploaded) | refused (too large, refused type) | failed (gave up after the attempts).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'ready', 'refused', 'failed')`))
    .addColumn('refusal', 'text')
    .addColumn('bot_key', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ready_at', 'timestamptz')
    .addUniqueConstraint('evidence_source_key', ['subject_type', 'subject_id', 'source_key'])
    .execute()
  await sql`create index evidence_subject_idx on evidence (subject_type, subject_id, ordinal)`.execute(db)
  await sql`create index evidence_pending_idx on evidence (next_attempt_at) where status = 'pending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence').execute()
}
