// The registry of every posted sign-up card (message_id per chat) and which version of its activity it shows, so
// each change can be patched into every copy and nothing is left behind.
import { sql } from 'kysely'
import type { Db } from './activities.js'

export async function registerCard(
  db: Db,
  card: { messageId: string; activityId: string; chatId: string | undefined; shared: boolean; postedAt: Date; renderedVersion: number },
): Promise<void> {
  await db
    .insertInto('activity_cards')
    .values({
      message_id: card.messageId,
      activity_id: card.activityId,
      chat_id: card.chatId ?? null,
      shared: card.shared,
      posted_at: card.postedAt,
      rendered_version: card.renderedVersion,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute()
}

/** Live cards of the activity that show an older version than `version` (only group cards unless `all`). */
export async function staleCards(db: Db, activityId: string, version: number, scope: 'shared' | 'all'): Promise<Array<{ messageId: string }>> {
  let query = db
    .selectFrom('activity_cards')
    .select('message_id')
    .where('activity_id', '=', activityId)
    .where('rendered_version', '<', version)
    .where('gone_at', 'is', null)
  if (scope === 'shared') query = query.where('shared', '=', true)
  const rows = await query.execute()
  return rows.map((r) => ({ messageId: r.message_id }))
}

export async function markCardRendered(db: Db, messageId: string, version: number): Promise<void> {
  await db
    .updateTable('activity_cards')
    .set((eb) => ({ rendered_version: sql<number>`greatest(${eb.ref('rendered_version')}, ${version})` }))
    .where('message_id', '=', messageId)
    .execute()
}

export async function markCardGone(db: Db, messageId: string, at: Date): Promise<void> {
  await db.updateTable('activity_cards').set({ gone_at: at }).where('message_id', '=', messageId).execute()
}

/** Activities with at least one live card behind (a refresh that was cut short: crash, Redis down, API error). */
export async function activitiesWithStaleCards(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('activity_cards as c')
    .innerJoin('activities as a', 'a.id', 'c.activity_id')
    .select('a.id')
    .distinct()
    .where('c.gone_at', 'is', null)
    .whereRef('c.rendered_version', '<', 'a.version')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}
