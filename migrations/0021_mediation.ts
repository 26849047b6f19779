// Labour-dispute mediation (issue #16, 劳动争议调解仲裁法): cases, their history, the mediation sessions (调解会),
// the agreement's confirmations by both parties and the mediator, and the once-only reminders' ledger.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table mediation_cases (
      id serial primary key,
      number text not null unique,
      applicant_open_id text not null,
      applicant_name text not null default '',
      grievance_id integer references grievances (id),
      facts text not null,
      request text not null,
      reasons text not null,
      knew_on text not null check (knew_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      other_party text not null,
      employer_open_id text,
      mediator_open_id text,
      status text not null default 'applied' check (status in ('applied', 'accepted', 'agreement', 'agreed', 'failed', 'declined', 'withdrawn')),
      applied_at timestamptz not null,
      applied_on text not null check (applied_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      accepted_at timestamptz,
      agreed_at timestamptz,
      closed_at timestamptz,
      decline_reason text,
      outcome_note text,
      terms text,
      perform_on text check (perform_on is null or perform_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      claim_kind text check (claim_kind is null or claim_kind in ('wages', 'injury_medical', 'compensation', 'other')),
      agreement_text text,
      group_message_id text,
      revision integer not null default 0,
      filing_key text not null unique
    )`.execute(db)
  await sql`create index mediation_cases_open on mediation_cases (status, applied_on) where status in ('applied', 'accepted', 'agreement')`.execute(db)
  await sql`create index mediation_cases_applicant on mediation_cases (applicant_open_id)`.execute(db)
  await sql`
    create table mediation_events (
      id bigserial primary key,
      case_id integer not null references mediation_cases (id),
      at timestamptz not null,
      kind text not null,
      actor_open_id text,
      body text,
      detail jsonb,
      event_id text
    )`.execute(db)
  await sql`create unique index mediation_events_once on mediation_events (case_id, event_id, kind) where event_id is not null`.execute(db)
  await sql`
    create table mediation_sessions (
      id serial primary key,
      case_id integer not null references mediation_cases (id),
      held_on text not null check (held_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      held_at text not null default '',
      place text not null,
      attendees text not null default '',
      summary text not null default '',
      created_by text not null,
      created_at timestamptz not null,
      event_id text not null unique
    )`.execute(db)
  await sql`
    create table mediation_confirmations (
      case_id integer not null references mediation_cases (id),
      party text not null check (party in ('applicant', 'employer', 'mediator')),
      open_id text not null,
      confirmed_at timestamptz not null,
      event_id text not null,
      primary key (case_id, party)
    )`.execute(db)
  // One row per case and reminder (day 12, the end of the 15 days, the performance date): claimOnce's ledger.
  await sql`
    create table mediation_reminders (
      case_id integer not null references mediation_cases (id),
      kind text not null check (kind in ('day_reminder', 'period_over', 'perform')),
      claimed_until timestamptz,
      sent_at timestamptz,
      primary key (case_id, kind)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['mediation_reminders', 'mediation_confirmations', 'mediation_sessions', 'mediation_events', 'mediation_cases']) await sql`drop table ${sql.table(t)}`.execute(db)
}
