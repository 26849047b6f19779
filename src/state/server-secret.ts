// Secrets the bot generates for itself and keeps in Postgres, so every instance on one database agrees on them
// without configuration (the state-key secret when STATE_KEY_SECRET is unset; security review F2).
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

/** Name of the secret that keys person entries in the state store (src/state/person-key.ts). */
export const STATE_KEY_SECRET_NAME = 'state-key'

/**
 * The secret called `name`, created (256 random bits) by whichever instance asks first. Insert-if-absent, then
 * read: two instances starting at once both end up with the row that won.
 */
export async function serverSecret(db: Kysely<Database>, name: string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()
  return row.value
}
