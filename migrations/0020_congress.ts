// The workers' congress's meetings (issue #15): the term's representatives on the roll (应到), their check-in
// (到会), the items voted on (polls of kind 'congress', secret ballots on the same engine) and the once-only
// reminder to report to the upper union.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table congress_meetings (
      id bigserial primary key,
      seq_no integer not null unique,
      number text not null unique,
      title text not null,
      term text,
      status text not null check (status in ('open', 'closed')),
      expected_count integer not null,
      chat_id text,
      version integer not null default 1,
      created_by text not null,
      created_at timestamptz not null,
      created_event_id text not null unique,
      closed_at timestamptz,
      closed_by text,
      closed_event_id text,
      report_due_on text
    )`.execute(db)
  // At most one open meeting at a time: 签到 and 表决 添加 need no meeting number.
  await sql`create unique index congress_one_open on congress_meetings ((true)) where status = 'open'`.execute(db)
  await sql`
    create table congress_roll (
      meeting_id bigint not null references congress_meetings (id),
      open_id text not null,
      name text not null default '',
      checked_in boolean not null default false,
      recorded_by text,
      primary key (meeting_id, open_id)
    )`.execute(db)
  await sql`alter table polls add column meeting_id bigint references congress_meetings (id)`.execute(db)
  await sql`
    create table congress_reminders (
      meeting_id bigint primary key references congress_meetings (id),
      claimed_until timestamptz not null,
      sent_at timestamptz
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table congress_reminders`.execute(db)
  await sql`alter table polls drop column meeting_id`.execute(db)
  await sql`drop table congress_roll`.execute(db)
  await sql`drop table congress_meetings`.execute(db)
}
