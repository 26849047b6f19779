// The learning organisation (issue #17, 学习型组织): learning hours of 培训 / 讲座 / 读书会 activities (credited by
// check-in), hours imported for outside training, and the 职工书屋 (books, loans with a once-only reminder, reading
// check-ins). Hours are whole minutes (integers), never floats.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // An activity that carries learning hours: everyone checked in (activity_signups.checked_in_at) is credited.
  await sql`
    create table learning_activities (
      activity_id bigint primary key references activities (id) on delete cascade,
      kind text not null check (kind in ('培训', '讲座', '读书会')),
      minutes integer not null check (minutes between 1 and 6000),
      set_by text not null,
      set_at timestamptz not null
    )`.execute(db)
  // Hours credited by an officer's import (outside training): one row per person and line of the file.
  await sql`
    create table learning_credits (
      id bigserial primary key,
      open_id text not null,
      on_date text not null check (on_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      minutes integer not null check (minutes between 1 and 6000),
      source text not null,
      imported_by text not null,
      import_event_id text not null,
      at timestamptz not null
    )`.execute(db)
  await sql`create index learning_credits_person on learning_credits (open_id, on_date)`.execute(db)
  await sql`create index learning_credits_date on learning_credits (on_date)`.execute(db)

  await sql`
    create table library_books (
      id serial primary key,
      title text not null unique,
      author text,
      copies integer not null default 1 check (copies between 1 and 1000),
      added_at timestamptz not null
    )`.execute(db)
  await sql`
    create table library_loans (
      id serial primary key,
      book_id integer not null references library_books (id) on delete cascade,
      open_id text not null,
      borrowed_on text not null,
      due_on text not null,
      returned_on text,
      created_event_id text not null unique
    )`.execute(db)
  await sql`create index library_loans_open on library_loans (due_on) where returned_on is null`.execute(db)
  // The return reminder (the day before the return date), once: claimOnce of src/kit/periodic.ts.
  await sql`
    create table library_reminders (
      loan_id integer primary key references library_loans (id) on delete cascade,
      claimed_until timestamptz,
      sent_at timestamptz
    )`.execute(db)
  await sql`
    create table reading_checkins (
      id bigserial primary key,
      open_id text not null,
      day text not null,
      book text not null,
      note text,
      at timestamptz not null,
      unique (open_id, day)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reading_checkins', 'library_reminders', 'library_loans', 'library_books', 'learning_credits', 'learning_activities']) await sql`drop table ${sql.table(t)}`.execute(db)
}
