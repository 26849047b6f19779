// 困难职工帮扶 (issue #17): applications (only once a worker applies: the self-check stores nothing), their steps
// keyed by the causing event (transition()'s replay check), the responsible officers' private cards, and the
// once-only annual review reminders. Amounts are integer fen.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hardship_cases (
      id bigserial primary key,
      number text not null unique,
      open_id text not null,
      name text not null default '',
      department text,
      income_fen integer not null check (income_fen >= 0),
      rigid_fen integer not null check (rigid_fen >= 0),
      household_size integer not null check (household_size between 1 and 20),
      sudden_fen integer not null check (sudden_fen >= 0),
      level text not null check (level in ('deep', 'relative', 'none')),
      sudden boolean not null,
      reason text not null,
      attachments text not null default '[]',
      name_public boolean not null,
      status text not null check (status in ('applied', 'visited', 'approved', 'rejected', 'published', 'paid')),
      visit_note text,
      visited_on text,
      decision_note text,
      paid_fen integer check (paid_fen > 0),
      paid_on text,
      review_due_on text,
      filing_key text not null unique,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db)
  await sql`create index hardship_cases_open_id on hardship_cases (open_id)`.execute(db)
  await sql`
    create table hardship_events (
      id bigserial primary key,
      case_id bigint not null references hardship_cases (id),
      kind text not null,
      event_id text not null,
      from_status text,
      to_status text not null,
      actor_open_id text not null,
      at timestamptz not null,
      unique (case_id, kind, event_id)
    )`.execute(db)
  await sql`
    create table hardship_cards (
      case_id bigint not null references hardship_cases (id),
      open_id text not null,
      message_id text not null,
      primary key (case_id, open_id)
    )`.execute(db)
  await sql`
    create table hardship_reviews (
      case_id bigint not null references hardship_cases (id),
      due_on text not null,
      claimed_until timestamptz,
      sent_at timestamptz,
      primary key (case_id, due_on)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hardship_reviews', 'hardship_cards', 'hardship_events', 'hardship_cases']) await sql`drop table ${sql.table(t)}`.execute(db)
}
