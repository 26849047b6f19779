// Users the bot knows by name (fetched once from the contact API, refreshed weekly). A message or click alone
// records nothing: a row (and its first_seen_at) created by a first message would date a first-time user's
// anonymous filing (security review F8). first_seen_at is kept to the day for the same reason.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

const NAME_REFRESH_MS = 7 * 24 * 3600 * 1000

export class UserDirectory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly fetchName: (openId: string) => Promise<string | undefined>,
  ) {}

  /** Records a user's display name when one is known (a mention, a contact); without a name, nothing is kept. */
  async seen(openId: string, name?: string): Promise<void> {
    if (!name) return
    await this.db
      .insertInto('users')
      .values({ open_id: openId, name, name_fetched_at: new Date(), first_seen_at: sql`date_trunc('day', now())` })
      .onConflict((oc) => oc.column('open_id').doUpdateSet({ name, name_fetched_at: new Date() }))
      .execute()
  }

  /** The user's display name, or undefined when Feishu will not tell us (outside the contacts range). */
  async nameOf(openId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select(['name', 'name_fetched_at']).where('open_id', '=', openId).executeTakeFirst()
    const fresh = row?.name_fetched_at && Date.now() - new Date(row.name_fetched_at).getTime() < NAME_REFRESH_MS
    if (row?.name && fresh) return row.name
    let name: string | undefined
    try {
      name = await this.fetchName(openId)
    } catch {
      return row?.name ?? undefined
    }
    await this.db
      .insertInto('users')
      .values({ open_id: openId, name: name ?? row?.name ?? null, name_fetched_at: new Date(), first_seen_at: sql`date_trunc('day', now())` })
      .onConflict((oc) => oc.column('open_id').doUpdateSet({ name: sql`coalesce(excluded.name, users.name)`, name_fetched_at: new Date() }))
      .execute()
    return name ?? row?.name ?? undefined
  }
}
