// Security review F6 and F14 for activities. Cards: one live private copy per (activity, person) and one live shared
// copy per (activity, chat), so repeating 「活动 A-012」 cannot multiply the patches every change causes; and the
// reconcile takes the cards that waited longest first. Check-in: an optional per-activity code shown at the venue,
// with a count of wrong tries per person.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Whose private copy this is (null for shared cards, and for private copies registered before this migration,
  // which are told apart by their p2p chat_id).
  await sql`alter table activity_cards add column open_id text`.execute(db)
  // When the bot last posted or tried to patch the card: the reconcile patches the longest-waiting cards first
  // and carries the rest to its next tick.
  await sql`alter table activity_cards add column refreshed_at timestamptz`.execute(db)
  await sql`update activity_cards set refreshed_at = posted_at`.execute(db)
  await sql`alter table activity_cards alter column refreshed_at set not null`.execute(db)

  // Copies registered before: keep the newest live card per (activity, chat, kind), mark the others gone.
  await sql`
    update activity_cards c set gone_at = now()
    where c.gone_at is null and c.chat_id is not null and exists (
      select 1 from activity_cards n
      where n.activity_id = c.activity_id and n.chat_id = c.chat_id and n.shared = c.shared and n.gone_at is null
        and (n.posted_at, n.message_id) > (c.posted_at, c.message_id))`.execute(db)
  await sql`create unique index activity_cards_one_shared_per_chat on activity_cards (activity_id, chat_id) where shared and gone_at is null`.execute(db)
  await sql`create unique index activity_cards_one_private_per_person on activity_cards (activity_id, open_id) where not shared and gone_at is null`.execute(db)
  await sql`create index activity_cards_live_refreshed_idx on activity_cards (refreshed_at, message_id) where gone_at is null`.execute(db)

  // Null: check-in needs no code (as before). Otherwise the digits shown at the venue.
  await sql`alter table activities add column checkin_code text`.execute(db)
  await sql`alter table activity_signups add column checkin_failed_attempts integer not null default 0`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table activity_signups drop column checkin_failed_attempts`.execute(db)
  await sql`alter table activities drop column checkin_code`.execute(db)
  await sql`drop index if exists activity_cards_live_refreshed_idx`.execute(db)
  await sql`drop index if exists activity_cards_one_private_per_person`.execute(db)
  await sql`drop index if exists activity_cards_one_shared_per_chat`.execute(db)
  await sql`alter table activity_cards drop column refreshed_at`.execute(db)
  await sql`alter table activity_cards drop column open_id`.execute(db)
}
