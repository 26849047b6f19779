// Union members (会员): applications, approvals, imports and how membership ended (离职/转出), with every step kept
// in member_events (the replay check of transition() and the history; nothing is ever deleted).
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table members (
      open_id text primary key,
      name text not null default '',
      department text,
      status text not null check (status in ('applied', 'member', 'refused', 'left', 'transferred')),
      source text not null check (source in ('application', 'import')),
      applied_at timestamptz,
      joined_on text check (joined_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      ended_on text check (ended_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      end_reason text,
      decided_by text,
      refusal_reason text,
      application_message_id text,
      updated_at timestamptz not null
    )`.execute(db)
  await sql`create index members_status on members (status)`.execute(db)
  await sql`
    create table member_events (
      id bigserial primary key,
      open_id text not null references members (open_id),
      kind text not null,
      event_id text not null,
      from_status text,
      to_status text not null,
      actor_open_id text,
      at timestamptz not null,
      unique (open_id, kind, event_id)
    )`.execute(db)
  // Representatives keep their table (proposals read it unchanged); each gets a constituency (选区/代表团) and a term (届次).
  await sql`alter table proposal_representatives add column constituency text, add column term text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table proposal_representatives drop column constituency, drop column term`.execute(db)
  await sql`drop table member_events`.execute(db)
  await sql`drop table members`.execute(db)
}
