// Dismissal notices (issue #16; 《工会法》第二十二条第二款, 《劳动合同法》第四十三条: the employer notifies the union of
// the reasons in advance, the union gives its opinion, the employer studies it and notifies the union of the result
// in writing). One row per notice `D-YYYY-NNN`, its history, and the once-only reminders. The worker's name and the
// reasons are confidential: they are shown to the union's officers and HR only (never in the group, logs or audit).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dismissal_notices (
      id serial primary key,
      number text not null unique,
      department_id integer not null references proposal_departments(id),
      hr_open_id text not null,
      worker_name text not null,
      worker_department text not null default '',
      reasons text not null,
      ground text not null,
      planned_on text,
      status text not null default 'awaiting_opinion',
      revision integer not null default 0,
      submitted_at timestamptz not null,
      opinion_due_at timestamptz not null,
      opinion text,
      opinion_text text,
      opinion_by text,
      opinion_at timestamptz,
      result_due_at timestamptz,
      result text,
      result_on text,
      result_note text,
      result_by text,
      result_at timestamptz,
      group_message_id text,
      submit_event_id text not null unique
    )`.execute(db)
  await sql`create index dismissal_notices_open on dismissal_notices (status) where status <> 'closed'`.execute(db)
  await sql`
    create table dismissal_events (
      id bigserial primary key,
      notice_id integer not null references dismissal_notices(id),
      at timestamptz not null,
      kind text not null,
      actor_open_id text,
      body text,
      event_id text
    )`.execute(db)
  await sql`create unique index dismissal_events_once on dismissal_events (notice_id, event_id, kind) where event_id is not null`.execute(db)
  await sql`
    create table dismissal_reminders (
      notice_id integer not null references dismissal_notices(id),
      kind text not null,
      claimed_until timestamptz,
      sent_at timestamptz,
      primary key (notice_id, kind)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['dismissal_reminders', 'dismissal_events', 'dismissal_notices']) await sql`drop table ${sql.table(t)}`.execute(db)
}
