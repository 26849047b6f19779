// Files attached to a 厂务公开 notice (issue #15): what the officer sent the bot after the publish form, kept as the
// Feishu message and file key it came in (no copy of the file is stored); the bot fetches and re-sends each one
// privately on 「查看附件」.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notice_attachments (
      notice_id bigint not null references notices (id),
      seq integer not null,
      message_id text not null,
      file_key text not null,
      file_name text not null,
      added_by text not null,
      added_at timestamptz not null,
      primary key (notice_id, seq),
      unique (notice_id, file_key)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists notice_attachments`.execute(db)
}
