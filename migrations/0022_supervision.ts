// Labour-law supervision (issue #16, 工会法第二十二、二十三条): matters with the union's 意见书 to a department, the
// department's reply and its deadline, the history, the once-a-day chase of overdue replies, and hazard reports.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table supervision_matters (
      id serial primary key,
      number text not null unique,
      type text not null check (type in ('wages', 'overtime', 'safety', 'women_minors', 'dismissal', 'rules')),
      department_id integer not null references proposal_departments (id),
      contact_open_id text not null,
      facts text not null,
      opinion text not null,
      grievance_numbers jsonb not null default '[]'::jsonb,
      status text not null default 'awaiting_reply' check (status in ('awaiting_reply', 'replied', 'closed')),
      opened_by text not null,
      opened_at timestamptz not null,
      reply_due_at timestamptz not null,
      replied_at timestamptz,
      reply text,
      reply_on_time boolean,
      reply_accepted boolean,
      outcome text,
      closed_at timestamptz,
      group_message_id text,
      revision integer not null default 0,
      open_event_id text not null unique
    )`.execute(db)
  await sql`create index supervision_open on supervision_matters (status, reply_due_at) where status <> 'closed'`.execute(db)
  await sql`
    create table supervision_events (
      id bigserial primary key,
      matter_id integer not null references supervision_matters (id),
      at timestamptz not null,
      kind text not null,
      actor_open_id text,
      body text,
      event_id text
    )`.execute(db)
  await sql`create unique index supervision_events_once on supervision_events (matter_id, event_id, kind) where event_id is not null`.execute(db)
  await sql`
    create table supervision_chases (
      matter_id integer not null references supervision_matters (id),
      day text not null,
      claimed_until timestamptz,
      sent_at timestamptz,
      primary key (matter_id, day)
    )`.execute(db)
  // A worker's hazard report (隐患, 工会法第二十三条), anonymous like a grievance: an anonymous one keeps no reporter.
  await sql`
    create table hazard_reports (
      id serial primary key,
      number text not null unique,
      description text not null,
      major boolean not null,
      anonymous boolean not null,
      reporter_open_id text,
      reporter_name text,
      reported_at timestamptz not null,
      group_message_id text,
      urgent_sent_at timestamptz,
      filing_key text not null unique,
      check (not anonymous or (reporter_open_id is null and reporter_name is null))
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hazard_reports', 'supervision_chases', 'supervision_events', 'supervision_matters']) await sql`drop table ${sql.table(t)}`.execute(db)
}
