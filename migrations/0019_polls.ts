// Polls and secret ballots (issue #15). Who voted (poll_voters) and what was voted (poll_tallies and
// poll_free_answers for anonymous polls) are kept apart with nothing that joins them: no foreign key between them,
// no shared id, no timestamp, no per-ballot row whose order follows the votes (docs/democracy.md#secret-ballots).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table polls (
      id bigserial primary key,
      seq_no integer not null unique,
      number text not null unique,
      kind text not null default 'poll' check (kind in ('poll', 'congress')),
      title text not null,
      options jsonb not null,
      multiple boolean not null,
      anonymous boolean not null,
      audience text not null check (audience in ('all', 'members', 'representatives', 'department', 'constituency', 'meeting')),
      audience_value text,
      closes_at timestamptz,
      results_live boolean not null default false,
      free_question text,
      status text not null check (status in ('draft', 'open', 'closed')),
      voted_count integer not null default 0,
      eligible_count integer,
      version integer not null default 1,
      created_by text not null,
      created_at timestamptz not null,
      created_event_id text not null,
      source_message_id text unique,
      origin_chat_id text,
      opened_at timestamptz,
      opened_event_id text,
      closed_at timestamptz,
      closed_by text,
      closed_event_id text
    )`.execute(db)
  await sql`create index polls_open_closing on polls (closes_at) where status = 'open'`.execute(db)
  // One row per person who voted: the one-vote-each check (primary key). No time, no ballot id. 'sealed' is
  // rewritten for every voter of the poll at once (sealVotes), so no voter row keeps the transaction id it shares
  // with the tally row its vote changed.
  await sql`
    create table poll_voters (
      poll_id bigint not null references polls (id),
      open_id text not null,
      sealed boolean not null default false,
      primary key (poll_id, open_id)
    )`.execute(db)
  // Anonymous polls: counts only, one row per option, incremented in place; no row per ballot.
  await sql`
    create table poll_tallies (
      poll_id bigint not null references polls (id),
      option_no integer not null,
      votes integer not null default 0,
      primary key (poll_id, option_no)
    )`.execute(db)
  // Anonymous polls' free-text answers: one array per poll, each answer inserted at a random position.
  await sql`
    create table poll_free_answers (
      poll_id bigint primary key references polls (id),
      answers jsonb not null default '[]'::jsonb
    )`.execute(db)
  // Named (实名) polls: who voted what, changeable until closing.
  await sql`
    create table poll_named_ballots (
      poll_id bigint not null references polls (id),
      open_id text not null,
      choices jsonb not null,
      answer text,
      changed_at timestamptz not null,
      primary key (poll_id, open_id)
    )`.execute(db)
  // Once-only closing work (results to the committee, free-text answers): src/kit/periodic.ts claimOnce.
  await sql`
    create table poll_closings (
      poll_id bigint primary key references polls (id),
      claimed_until timestamptz not null,
      done_at timestamptz
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['poll_closings', 'poll_named_ballots', 'poll_free_answers', 'poll_tallies', 'poll_voters', 'polls']) await sql`drop table ${sql.table(t)}`.execute(db)
}
