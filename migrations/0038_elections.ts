// Elections of representatives by constituency (选区, issue #15) on the poll engine: a poll of kind 'election' whose
// voters are the constituency's workers (audience 'electorate'), its candidates (the options) with their open_ids,
// the seats to fill, and which departments make up each constituency. 上海市职工代表大会条例第十五条: valid when at
// least two thirds of the constituency's workers vote; a candidate needs more than half of ALL of them.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table polls drop constraint if exists polls_kind_check`.execute(db)
  await sql`alter table polls add constraint polls_kind_check check (kind in ('poll', 'congress', 'election'))`.execute(db)
  await sql`alter table polls drop constraint if exists polls_audience_check`.execute(db)
  await sql`alter table polls add constraint polls_audience_check check (audience in ('all', 'members', 'representatives', 'department', 'constituency', 'meeting', 'electorate'))`.execute(db)
  // A department belongs to one constituency; a constituency with no row here is the department of that name.
  await sql`
    create table constituency_departments (
      department text primary key,
      constituency text not null,
      set_by text not null,
      set_at timestamptz not null
    )`.execute(db)
  await sql`create index constituency_departments_constituency on constituency_departments (constituency)`.execute(db)
  await sql`
    create table elections (
      poll_id bigint primary key references polls (id),
      constituency text not null,
      seats integer not null check (seats >= 1),
      term text,
      -- Set once the winners were made representatives (the closing's once-only work).
      applied_at timestamptz
    )`.execute(db)
  // The candidates, in the ballot's order (option_no): who they are, so the winners can become representatives.
  await sql`
    create table election_candidates (
      poll_id bigint not null references polls (id),
      option_no integer not null,
      open_id text not null,
      name text not null,
      primary key (poll_id, option_no),
      unique (poll_id, open_id)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists election_candidates`.execute(db)
  await sql`drop table if exists elections`.execute(db)
  await sql`drop table if exists constituency_departments`.execute(db)
  await sql`alter table polls drop constraint if exists polls_audience_check`.execute(db)
  await sql`alter table polls add constraint polls_audience_check check (audience in ('all', 'members', 'representatives', 'department', 'constituency', 'meeting'))`.execute(db)
  await sql`alter table polls drop constraint if exists polls_kind_check`.execute(db)
  await sql`alter table polls add constraint polls_kind_check check (kind in ('poll', 'congress'))`.execute(db)
}
