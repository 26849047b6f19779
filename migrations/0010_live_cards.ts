// Live cards (issue #11 §3): one registry of posted cards kept current with their subject, keyed by subject type and
// id, so activities now and notices, polls and shared proposal cards later use one mechanism. activity_cards' rows
// move into live_cards; activity_cards stays as a read-only view over the activity rows, so operators' queries and
// reports written against it keep working (nothing in the bot writes through it). The subject is not a foreign
// key any more (it can be any table): activities are never deleted (cancelling sets a status), so losing the
// cascade loses nothing. The indexes keep the security review's F6 rules: one live shared card per (subject, chat),
// one live private copy per (subject, person), and the reconcile's longest-waiting-first order.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table live_cards (
      message_id text primary key,
      subject_type text not null,
      subject_id text not null,
      chat_id text,
      -- 'shared': a group card, patched on every change (coalesced); 'private': one person's copy, caught up by the
      -- reconcile and on phase changes (docs/feishu-platform.md#rate-limits).
      audience text not null check (audience in ('shared', 'private')),
      -- Whose private copy this is; null for shared cards (and for private copies from before 0008).
      open_id text,
      posted_at timestamptz not null,
      -- The subject's version the card shows; the subject's own version column says what it should show.
      rendered_version integer not null,
      -- When the bot last posted or tried to patch it: the capped reconcile takes the oldest first.
      refreshed_at timestamptz not null,
      -- No longer patched: Feishu refuses it for good, or a newer copy for the same chat or person replaced it.
      gone_at timestamptz
    )`.execute(db)
  await sql`
    insert into live_cards (message_id, subject_type, subject_id, chat_id, audience, open_id, posted_at, rendered_version, refreshed_at, gone_at)
    select message_id, 'activity', activity_id::text, chat_id, case when shared then 'shared' else 'private' end, open_id,
           posted_at, rendered_version, refreshed_at, gone_at
    from activity_cards`.execute(db)
  await sql`drop table activity_cards`.execute(db)
  await sql`create index live_cards_subject_idx on live_cards (subject_type, subject_id)`.execute(db)
  await sql`create unique index live_cards_one_shared_per_chat on live_cards (subject_type, subject_id, chat_id) where audience = 'shared' and gone_at is null`.execute(db)
  await sql`create unique index live_cards_one_private_per_person on live_cards (subject_type, subject_id, open_id) where audience = 'private' and gone_at is null`.execute(db)
  await sql`create index live_cards_live_refreshed_idx on live_cards (refreshed_at, message_id) where gone_at is null`.execute(db)
  // activity_id stays text here (Kysely reads bigint as a string anyway): a cast in the view could be evaluated on
  // another subject type's ids when a query's condition is pushed below the view's filter.
  await sql`
    create view activity_cards as
    select message_id, subject_id as activity_id, chat_id, open_id, audience = 'shared' as shared, posted_at,
           rendered_version, refreshed_at, gone_at
    from live_cards where subject_type = 'activity'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view activity_cards`.execute(db)
  await sql`
    create table activity_cards (
      message_id text primary key,
      activity_id bigint not null references activities (id) on delete cascade,
      chat_id text,
      shared boolean not null default true,
      posted_at timestamptz not null,
      rendered_version integer not null,
      gone_at timestamptz,
      open_id text,
      refreshed_at timestamptz not null
    )`.execute(db)
  await sql`
    insert into activity_cards (message_id, activity_id, chat_id, shared, posted_at, rendered_version, gone_at, open_id, refreshed_at)
    select message_id, subject_id::bigint, chat_id, audience = 'shared', posted_at, rendered_version, gone_at, open_id, refreshed_at
    from live_cards where subject_type = 'activity'`.execute(db)
  await sql`drop table live_cards`.execute(db)
  await sql`create index activity_cards_activity_idx on activity_cards (activity_id)`.execute(db)
  await sql`create unique index activity_cards_one_shared_per_chat on activity_cards (activity_id, chat_id) where shared and gone_at is null`.execute(db)
  await sql`create unique index activity_cards_one_private_per_person on activity_cards (activity_id, open_id) where not shared and gone_at is null`.execute(db)
  await sql`create index activity_cards_live_refreshed_idx on activity_cards (refreshed_at, message_id) where gone_at is null`.execute(db)
}
