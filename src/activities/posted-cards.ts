// The registry of every posted sign-up card (message_id per chat) and which version of its activity it shows, so
// each change can be patched into every copy and nothing is left behind. At most one live copy per (activity,
// chat) for group cards and per (activity, person) for private ones (security review F6: repeating 「活动 A-012」
// must not multiply the patches every change causes); a newer copy replaces the older one.
import { sql, type Kysely } from 'kysely'
import { isUniqueViolation } from '../db/errors.js'
import type { Database } from '../db/schema.js'
import type { Db } from './store.js'

export interface NewCard {
  messageId: string
  activityId: string
  chatId: string | undefined
  /** The person a private copy is for; undefined for a shared (group) card. */
  ownerOpenId: string | undefined
  postedAt: Date
  renderedVersion: number
}

/**
 * Registers the card and marks gone the live copy it replaces (same chat for a group card, same person for a
 * private copy); returns the replaced message ids. Two registrations racing for the same slot: the unique partial
 * index refuses the second, which then runs again and replaces the first.
 */
export async function registerCard(db: Kysely<Database>, card: NewCard): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        // The same send again (a re-run event gets its message back from Feishu's uuid de-duplication): already
        // registered, and it must not displace a copy posted since.
        if (await trx.selectFrom('activity_cards').select('message_id').where('message_id', '=', card.messageId).executeTakeFirst()) return []
        const replaced = await trx
          .updateTable('activity_cards')
          .set({ gone_at: card.postedAt })
          .where('activity_id', '=', card.activityId)
          .where('gone_at', 'is', null)
          .where('message_id', '!=', card.messageId)
          .where((eb) => {
            if (card.ownerOpenId === undefined) return eb.and([eb('shared', '=', true), eb('chat_id', '=', card.chatId ?? '')])
            // Copies from before open_id was recorded are known by their private chat.
            const mine = [eb('open_id', '=', card.ownerOpenId), ...(card.chatId ? [eb('chat_id', '=', card.chatId)] : [])]
            return eb.and([eb('shared', '=', false), eb.or(mine)])
          })
          .returning('message_id')
          .execute()
        await trx
          .insertInto('activity_cards')
          .values({
            message_id: card.messageId,
            activity_id: card.activityId,
            chat_id: card.chatId ?? null,
            open_id: card.ownerOpenId ?? null,
            shared: card.ownerOpenId === undefined,
            posted_at: card.postedAt,
            refreshed_at: card.postedAt,
            rendered_version: card.renderedVersion,
          })
          .onConflict((oc) => oc.column('message_id').doNothing())
          .execute()
        return replaced.map((r) => r.message_id)
      })
    } catch (err) {
      if (attempt < 3 && isUniqueViolation(err)) continue
      throw err
    }
  }
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

export async function markCardRendered(db: Db, messageId: string, version: number, at: Date): Promise<void> {
  await db
    .updateTable('activity_cards')
    .set((eb) => ({ rendered_version: sql<number>`greatest(${eb.ref('rendered_version')}, ${version})`, refreshed_at: at }))
    .where('message_id', '=', messageId)
    .execute()
}

/** A patch was tried and failed for a passing reason: the card goes to the back of the reconcile's queue. */
export async function markCardTried(db: Db, messageId: string, at: Date): Promise<void> {
  await db.updateTable('activity_cards').set({ refreshed_at: at }).where('message_id', '=', messageId).execute()
}

export async function markCardGone(db: Db, messageId: string, at: Date): Promise<void> {
  await db.updateTable('activity_cards').set({ gone_at: at }).where('message_id', '=', messageId).execute()
}

/**
 * Live cards behind their activity's version (a refresh cut short, private copies, phase changes), the ones that
 * have waited longest first, at most `limit`: the reconcile's work for one tick; the rest waits for the next.
 */
export async function cardsToReconcile(db: Db, limit: number): Promise<Array<{ messageId: string; activityId: string }>> {
  const rows = await db
    .selectFrom('activity_cards as c')
    .innerJoin('activities as a', 'a.id', 'c.activity_id')
    .select(['c.message_id', 'c.activity_id'])
    .where('c.gone_at', 'is', null)
    .whereRef('c.rendered_version', '<', 'a.version')
    .orderBy('c.refreshed_at')
    .orderBy('c.message_id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ messageId: r.message_id, activityId: r.activity_id }))
}
