// 厂务公开 notices (issue #15, first part): the notices and every version of them (a correction is a new version,
// never a silent edit), who is asked to confirm reading and who did, the once-only read reminder, and workers'
// opinions with the department's reply (浙江省企业民主管理条例 Art. 19–23: management answers within 30 days).
// An anonymous opinion has no column that names its author, and no table links it to one (docs/democracy.md).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notices')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // N-012: seq_no from nextInSequence('notice'), number is its display form.
    .addColumn('seq_no', 'integer', (c) => c.notNull().unique())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    // The current version's text; every version (the first included) is in notice_revisions.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    // chats: posted to group chats (chat_ids); members: sent to every member privately.
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('chats', 'members')`))
    .addColumn('chat_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('confirm_reading', 'boolean', (c) => c.notNull())
    // Null: opinions are not invited.
    .addColumn('opinions_until', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('published').check(sql`status in ('published', 'withdrawn')`))
    .addColumn('read_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Bumped by every change the live cards show (src/kit/live-cards.ts).
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_event_id', 'text', (c) => c.notNull())
    // The form card it was created from: a second submit of the same form finds it.
    .addColumn('source_message_id', 'text', (c) => c.unique())
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by', 'text')
    .addColumn('withdraw_reason', 'text')
    .addColumn('withdrawn_event_id', 'text')
    .execute()
  await sql`create index notices_category_idx on notices (status, category, created_at)`.execute(db)

  await db.schema
    .createTable('notice_revisions')
    .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    // What the officer says was corrected (null for the first version).
    .addColumn('change_note', 'text')
    .addColumn('by_open_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_revisions_pk', ['notice_id', 'revision'])
    .execute()

  // Who is asked to confirm reading (the members at publication) and who did. Department as it was then.
  await db.schema
    .createTable('notice_recipients')
    .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_id', 'open_id'])
    .execute()
  await db.schema
    .createTable('notice_reads')
    .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('open_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_reads_pk', ['notice_id', 'open_id'])
    .execute()
  // Once-only work (src/kit/periodic.ts claimOnce): the read reminder of a notice (kind 'read-reminder', ref the
  // notice id), the committee's card of an opinion (kind 'opinion-card', ref the opinion id) and the committee's
  // note that an opinion's reply is overdue (kind 'reply-overdue', ref the opinion id).
  await db.schema
    .createTable('notice_deliveries')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('notice_deliveries_pk', ['kind', 'ref'])
    .execute()
  await db.schema
    .createTable('notice_opinions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('notice_id', 'bigint', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    // 意见 3 of N-012: seq from nextInSequence('notice-opinion:<notice id>').
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    // Named opinions only; an anonymous one has no author anywhere (checked).
    .addColumn('author_open_id', 'text')
    .addColumn('author_name', 'text')
    // The local date only: a precise time could be matched with Feishu's message times.
    .addColumn('submitted_on', 'text', (c) => c.notNull())
    // Random per conversation (never a Feishu id): a re-run of the submitting turn finds the opinion.
    .addColumn('filing_key', 'text', (c) => c.notNull().unique())
    // When the committee's card may be posted (anonymous ones after a random delay), and the card once posted.
    .addColumn('committee_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('committee_message_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received').check(sql`status in ('received', 'forwarded', 'answered')`))
    .addColumn('department', 'text')
    .addColumn('contact_open_id', 'text')
    // Written by the officer who forwards it: the only part of an opinion shown publicly.
    .addColumn('public_summary', 'text')
    .addColumn('forwarded_by', 'text')
    .addColumn('forwarded_at', 'timestamptz')
    .addColumn('forwarded_event_id', 'text')
    .addColumn('reply_due_at', 'timestamptz')
    .addColumn('reply', 'text')
    .addColumn('replied_by', 'text')
    .addColumn('replied_at', 'timestamptz')
    .addColumn('replied_event_id', 'text')
    .addUniqueConstraint('notice_opinions_seq_uq', ['notice_id', 'seq'])
    .addCheckConstraint('notice_opinions_anonymous_has_no_author', sql`not anonymous or (author_open_id is null and author_name is null)`)
    .execute()
  await sql`create index notice_opinions_due_idx on notice_opinions (committee_due_at) where committee_message_id is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notice_opinions', 'notice_deliveries', 'notice_reads', 'notice_recipients', 'notice_revisions', 'notices']) await db.schema.dropTable(t).execute()
}
