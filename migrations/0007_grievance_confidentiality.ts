// Grievance confidentiality (security review F7, F8, F15): the sealed traces of a reporter's own actions, kept
// apart like grievance_reporters, and the delay queue that relays an anonymous reporter's actions to the committee.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Where a reporter's attachments came from: Feishu's message-resource API needs the message id to fetch the
  // original, and the message API names its sender, so these ids are read only by the relay code
  // (src/grievances/reporters.ts), never by officer views. grievances.attachments keeps kind and key only.
  await db.schema
    .createTable('grievance_attachment_sources')
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('grievance_attachment_sources_pk', ['grievance_id', 'file_key'])
    .execute()

  // The Feishu events of a reporter's own actions (filing, 补充, rating): a re-run of the event is recognised here,
  // not in grievance_events, whose event ids would lead through inbox_events to the reporter's messages. The
  // local day (no time) counts the person's filings and 补充 for the daily caps.
  await db.schema
    .createTable('grievance_reporter_events')
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('grievance_reporter_events_pk', ['grievance_id', 'event_id', 'kind'])
    .execute()
  await sql`create index grievance_reporter_events_day_idx on grievance_reporter_events (day, kind)`.execute(db)

  // An anonymous reporter's 补充 and rating wait here for a random delay before the committee hears of them, so
  // the moment an officer sees them says nothing about when, or by whom, they were sent. No creation time is kept.
  // A delivery is claimed with a lease (claimed_until) and sent with a uuid derived from the row id.
  await db.schema
    .createTable('grievance_relays')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('follow_up', 'rated')`))
    .addColumn('body', 'text')
    .addColumn('detail', 'jsonb')
    .addColumn('deliver_after', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .execute()
  await sql`create index grievance_relays_due_idx on grievance_relays (deliver_after) where delivered_at is null`.execute(db)

  // Existing records: attachment message ids move to the sealed table, and reporter events lose their event ids.
  await sql`
    insert into grievance_attachment_sources (grievance_id, file_key, message_id)
    select g.id, a->>'key', a->>'messageId' from grievances g, jsonb_array_elements(g.attachments) a
    where a ? 'messageId' and a->>'key' is not null
    on conflict do nothing`.execute(db)
  await sql`update grievances set attachments = (select coalesce(jsonb_agg(a - 'messageId'), '[]'::jsonb) from jsonb_array_elements(attachments) a)
    where attachments::text like '%messageId%'`.execute(db)
  await sql`update grievance_events set event_id = null where kind in ('filed', 'follow_up', 'rated', 'reopened') and actor_open_id is null`.execute(db)
  // first_seen_at is kept to the day: a precise first sighting of a first-time user dates their first filing.
  await sql`update users set first_seen_at = date_trunc('day', first_seen_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['grievance_relays', 'grievance_reporter_events', 'grievance_attachment_sources']) await db.schema.dropTable(t).execute()
}
