// Recognition of model workers (issue #17, 评先评优): award rounds, nominations with co-signers, the committee's
// selection, 公示 with objections (an anonymous objector's link kept apart, like grievance_reporters), and the archive.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table award_rounds (
      id serial primary key,
      number text not null unique,
      year integer not null,
      name text not null,
      places integer not null check (places between 1 and 100),
      nominators text not null check (nominators in ('officers', 'representatives', 'members')),
      cosigners integer not null default 0 check (cosigners between 0 and 50),
      deadline text not null check (deadline ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      status text not null default 'nominating' check (status in ('nominating', 'reviewing', 'publicity', 'final')),
      publicity_from timestamptz,
      publicity_until timestamptz,
      publicity_chats jsonb not null default '[]'::jsonb,
      review_message_id text,
      revision integer not null default 0,
      created_by text not null,
      created_at timestamptz not null,
      created_event_id text not null unique,
      finalised_at timestamptz
    )`.execute(db)
  // Every step of a round or a nomination, keyed by the event that took it (transition()'s replay check).
  await sql`
    create table award_steps (
      id bigserial primary key,
      subject text not null check (subject in ('round', 'nomination')),
      subject_id integer not null,
      kind text not null,
      event_id text not null,
      actor_open_id text,
      at timestamptz not null,
      unique (subject, subject_id, kind, event_id)
    )`.execute(db)
  await sql`
    create table award_nominations (
      id serial primary key,
      round_id integer not null references award_rounds (id) on delete cascade,
      nominee_open_id text not null,
      nominee_name text not null,
      department text,
      story text not null,
      photo_key text,
      nominated_by text not null,
      status text not null check (status in ('cosigning', 'nominated', 'selected', 'not_selected', 'revoked')),
      created_at timestamptz not null,
      filing_key text not null unique,
      unique (round_id, nominee_open_id)
    )`.execute(db)
  await sql`
    create table award_cosigners (
      nomination_id integer not null references award_nominations (id) on delete cascade,
      open_id text not null,
      at timestamptz not null,
      primary key (nomination_id, open_id)
    )`.execute(db)
  // An objection during 公示. Anonymous ones name nobody here, and keep only the day they were raised (a precise
  // time would match the objector's message in Feishu); the link to the objector is in award_objectors alone.
  await sql`
    create table award_objections (
      id serial primary key,
      round_id integer not null references award_rounds (id) on delete cascade,
      nomination_id integer not null references award_nominations (id) on delete cascade,
      anonymous boolean not null,
      objector_open_id text,
      objector_name text,
      body text not null,
      raised_on text not null,
      filing_key text not null unique,
      answer text check (answer is null or answer in ('upheld', 'not_upheld')),
      answer_reason text,
      answered_by text,
      answered_at timestamptz,
      check (not anonymous or (objector_open_id is null and objector_name is null))
    )`.execute(db)
  await sql`create index award_objections_round on award_objections (round_id)`.execute(db)
  // Sealed, like grievance_reporters: read only by src/recognition/objectors.ts, to tell the objector the answer.
  await sql`
    create table award_objectors (
      objection_id integer primary key references award_objections (id) on delete cascade,
      open_id text not null
    )`.execute(db)
  // The chair's reminder that a round's 公示 is over (finalise, or answer what is still open): once per round.
  await sql`
    create table award_reminders (
      round_id integer primary key references award_rounds (id) on delete cascade,
      claimed_until timestamptz,
      sent_at timestamptz
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['award_reminders', 'award_objectors', 'award_objections', 'award_cosigners', 'award_nominations', 'award_steps', 'award_rounds']) await sql`drop table ${sql.table(t)}`.execute(db)
}
