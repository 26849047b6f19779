// Officers with their roles, the committee group and the special committees' members, as kept in Postgres.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { OfficerRole } from './model.js'

const COMMITTEE_CHAT = 'committee_chat_id'
const WEBHOOK_CHALLENGE = 'webhook_challenge_seen_at'

// ---- the webhook's URL verification ----

/**
 * Feishu sent the URL verification (challenge) and the bot answered it: the request URL in the console reaches this
 * installation. Kept so `npm run doctor` can say whether that step of the Feishu set-up was done.
 */
export async function recordWebhookChallenge(db: Db, at: Date): Promise<void> {
  await db
    .insertInto('organisation_settings')
    .values({ key: WEBHOOK_CHALLENGE, value: at.toISOString(), set_by: null, set_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at.toISOString(), set_at: at }))
    .execute()
}

export async function webhookChallengeSeenAt(db: Db): Promise<Date | undefined> {
  const row = await db.selectFrom('organisation_settings').select('value').where('key', '=', WEBHOOK_CHALLENGE).executeTakeFirst()
  return row?.value ? new Date(row.value) : undefined
}

// ---- the committee group ----

/** The committee group as stored: set in chat (`设为委员会群`, setBy an open_id) or seeded from UNION_ADMIN_CHAT_ID. */
export async function committeeChatSetting(db: Db): Promise<{ chatId: string; setBy: string | null } | undefined> {
  const row = await db.selectFrom('organisation_settings').select(['value', 'set_by']).where('key', '=', COMMITTEE_CHAT).executeTakeFirst()
  return row?.value ? { chatId: row.value, setBy: row.set_by } : undefined
}

/**
 * The one accessor of the committee group (review cards, reminders, the committee digest): the stored value, else
 * the configured one (a database not yet seeded). Read each time, so every instance follows a change at once.
 */
export async function committeeChatId(db: Db, configured: string | undefined): Promise<string | undefined> {
  return (await committeeChatSetting(db))?.chatId ?? configured
}

/**
 * At start: UNION_ADMIN_CHAT_ID seeds the stored value, and keeps it in step while nobody has set one in chat;
 * once the chair has chosen a group in chat, that choice wins over the environment.
 */
export async function seedCommitteeChat(db: Db, configured: string | undefined): Promise<void> {
  if (!configured) return
  await db
    .insertInto('organisation_settings')
    .values({ key: COMMITTEE_CHAT, value: configured, set_by: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: configured, set_at: sql`now()` }).where('organisation_settings.set_by', 'is', null))
    .execute()
}

export async function setCommitteeChat(db: Db, chatId: string, by: string, at: Date): Promise<void> {
  await db
    .insertInto('organisation_settings')
    .values({ key: COMMITTEE_CHAT, value: chatId, set_by: by, set_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: chatId, set_by: by, set_at: at }))
    .execute()
}

// ---- officers ----

export interface StoredOfficer {
  openId: string
  role: OfficerRole
  addedBy: string | null
  addedAt: Date
}

export async function chairExists(db: Db): Promise<boolean> {
  return (await db.selectFrom('officers').select('open_id').where('role', '=', 'chair').limit(1).executeTakeFirst()) !== undefined
}

export async function officerRole(db: Db, openId: string): Promise<OfficerRole | undefined> {
  return (await db.selectFrom('officers').select('role').where('open_id', '=', openId).executeTakeFirst())?.role
}

export async function listOfficers(db: Db): Promise<StoredOfficer[]> {
  const rows = await db.selectFrom('officers').select(['open_id', 'role', 'added_by', 'added_at']).orderBy(sql`case role when 'chair' then 0 when 'vice_chair' then 1 else 2 end`).orderBy('added_at').orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, role: r.role, addedBy: r.added_by, addedAt: r.added_at }))
}

/** The open_ids of the chairs, rows locked: a removal or hand-over counts them in the same transaction. */
export async function lockChairs(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('officers').select('open_id').where('role', '=', 'chair').forUpdate().execute()
  return rows.map((r) => r.open_id)
}

/** Adds an officer or changes their role; tells which happened (a re-run of the same event finds 'same'). */
export async function upsertOfficer(db: Db, o: { openId: string; role: OfficerRole; by: string; at: Date }): Promise<'added' | 'changed' | 'same'> {
  const before = await db.selectFrom('officers').select('role').where('open_id', '=', o.openId).forUpdate().executeTakeFirst()
  if (before?.role === o.role) return 'same'
  await db
    .insertInto('officers')
    .values({ open_id: o.openId, role: o.role, added_by: o.by, added_at: o.at })
    .onConflict((oc) => oc.column('open_id').doUpdateSet({ role: o.role }))
    .execute()
  return before ? 'changed' : 'added'
}

export async function removeOfficer(db: Db, openId: string): Promise<boolean> {
  const r = await db.deleteFrom('officers').where('open_id', '=', openId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

// ---- committees ----

export async function isCommitteeMember(db: Db, committee: string, openId: string): Promise<boolean> {
  const row = await db.selectFrom('organisation_committee_members').select('open_id').where('committee', '=', committee).where('open_id', '=', openId).executeTakeFirst()
  return row !== undefined
}

export async function committeeMembers(db: Db, committee: string): Promise<string[]> {
  const rows = await db.selectFrom('organisation_committee_members').select('open_id').where('committee', '=', committee).orderBy('added_at').orderBy('open_id').execute()
  return rows.map((r) => r.open_id)
}

/** Every committee that has members, with them (in the order they were added). */
export async function listCommittees(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('organisation_committee_members').select(['committee', 'open_id']).orderBy('committee').orderBy('added_at').orderBy('open_id').execute()
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.committee, [...(out.get(r.committee) ?? []), r.open_id])
  return out
}

export async function addCommitteeMember(db: Db, m: { committee: string; openId: string; by: string; at: Date }): Promise<boolean> {
  const r = await db
    .insertInto('organisation_committee_members')
    .values({ committee: m.committee, open_id: m.openId, added_by: m.by, added_at: m.at })
    .onConflict((oc) => oc.columns(['committee', 'open_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function removeCommitteeMember(db: Db, committee: string, openId: string): Promise<boolean> {
  const r = await db.deleteFrom('organisation_committee_members').where('committee', '=', committee).where('open_id', '=', openId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
