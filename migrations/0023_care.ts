// 会员关怀 (issue #17): care events with exact amounts in fen (integers, never floats), the roster of birthdays and
// retirement dates the union imports, and the once-only reminders the day before (claimOnce, src/kit/periodic.ts).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table care_events (
      id bigserial primary key,
      open_id text not null,
      name text not null default '',
      department text,
      kind text not null check (kind in ('birthday', 'marriage', 'birth', 'hospital', 'retirement', 'death_member', 'death_relative', 'festival')),
      amount_fen integer not null check (amount_fen > 0),
      gift text,
      occurred_on text not null check (occurred_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      year integer not null,
      status text not null check (status in ('recorded', 'pending', 'refused')),
      over_cap text,
      recorded_by text not null,
      decided_by text,
      decided_at timestamptz,
      approval_message_id text,
      event_id text not null unique,
      created_at timestamptz not null
    )`.execute(db)
  await sql`create index care_events_person_year on care_events (open_id, kind, year)`.execute(db)
  await sql`create index care_events_year on care_events (year, status)`.execute(db)
  await sql`
    create table care_roster (
      open_id text primary key,
      name text not null default '',
      department text,
      birthday text check (birthday ~ '^[0-9]{2}-[0-9]{2}$'),
      retires_on text check (retires_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      imported_by text not null,
      imported_at timestamptz not null
    )`.execute(db)
  await sql`
    create table care_reminders (
      kind text not null,
      open_id text not null,
      on_date text not null,
      claimed_until timestamptz,
      sent_at timestamptz,
      primary key (kind, open_id, on_date)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table care_reminders`.execute(db)
  await sql`drop table care_roster`.execute(db)
  await sql`drop table care_events`.execute(db)
}
