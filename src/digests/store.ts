// Records of scheduled digests: subscriptions and the per-period delivery keys. The figures a digest shows are
// each feature's own (src/<feature>/figures.ts), composed in src/digests/figures.ts.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { DigestDeliveryStatus, DigestSubscriptionKind } from './tables.js'

export type Db = Kysely<Database> | Transaction<Database>

// ---- subscriptions ----

export interface Subscription {
  chatId: string
  kind: DigestSubscriptionKind
  createdBy: string
  createdAt: Date
  active: boolean
  disabledAt: Date | null
  disabledReason: string | null
  /** The chat's name as Feishu gave it when the bot was added (user text: escape before showing). */
  chatName: string | null
}

/** Subscribes a chat; 'exists' when already active (nothing changes), 'restored' when it had been stopped. */
export async function subscribe(db: Db, s: { chatId: string; kind: DigestSubscriptionKind; by: string; at: Date }): Promise<'created' | 'restored' | 'exists'> {
  const before = await db.selectFrom('digest_subscriptions').select('disabled_at').where('chat_id', '=', s.chatId).where('kind', '=', s.kind).executeTakeFirst()
  const row = await db
    .insertInto('digest_subscriptions')
    .values({ chat_id: s.chatId, kind: s.kind, created_by: s.by, created_at: s.at })
    .onConflict((oc) =>
      oc
        .columns(['chat_id', 'kind'])
        .doUpdateSet({ created_by: s.by, created_at: s.at, disabled_at: null, disabled_by: null, disabled_reason: null })
        .where('digest_subscriptions.disabled_at', 'is not', null),
    )
    .returning('chat_id')
    .executeTakeFirst()
  if (!row) return 'exists'
  return before ? 'restored' : 'created'
}

/** Stops the chat's active subscriptions of the given kinds; returns the kinds that were active. */
export async function unsubscribe(db: Db, u: { chatId: string; kinds: readonly DigestSubscriptionKind[]; by: string; at: Date }): Promise<DigestSubscriptionKind[]> {
  if (u.kinds.length === 0) return []
  const rows = await db
    .updateTable('digest_subscriptions')
    .set({ disabled_at: u.at, disabled_by: u.by, disabled_reason: 'unsubscribed' })
    .where('chat_id', '=', u.chatId)
    .where('kind', 'in', [...u.kinds])
    .where('disabled_at', 'is', null)
    .returning('kind')
    .execute()
  return rows.map((r) => r.kind)
}

/**
 * Stops every active subscription of a chat Feishu no longer lets the bot post to. Returns the kinds stopped: empty
 * when another instance (or an earlier run) already did, so the committee is told once.
 */
export async function disableChat(db: Db, chatId: string, at: Date): Promise<DigestSubscriptionKind[]> {
  const rows = await db
    .updateTable('digest_subscriptions')
    .set({ disabled_at: at, disabled_by: null, disabled_reason: 'recipient_gone' })
    .where('chat_id', '=', chatId)
    .where('disabled_at', 'is', null)
    .returning('kind')
    .execute()
  return rows.map((r) => r.kind)
}

function subscriptionsQuery(db: Db) {
  return db
    .selectFrom('digest_subscriptions as s')
    .leftJoin('bot_chats as c', 'c.chat_id', 's.chat_id')
    .select(['s.chat_id', 's.kind', 's.created_by', 's.created_at', 's.disabled_at', 's.disabled_reason', 'c.name'])
    .orderBy('s.chat_id')
    .orderBy(sql`case s.kind when 'weekly' then 0 else 1 end`)
}

type SubscriptionRow = { chat_id: string; kind: DigestSubscriptionKind; created_by: string; created_at: Date; disabled_at: Date | null; disabled_reason: string | null; name: string | null }

const toSubscription = (r: SubscriptionRow): Subscription => ({
  chatId: r.chat_id,
  kind: r.kind,
  createdBy: r.created_by,
  createdAt: r.created_at,
  active: r.disabled_at === null,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
  chatName: r.name || null,
})

/** A chat's subscriptions, active and stopped. */
export async function chatSubscriptions(db: Db, chatId: string): Promise<Subscription[]> {
  return (await subscriptionsQuery(db).where('s.chat_id', '=', chatId).execute()).map(toSubscription)
}

/** Every active subscription, for the officers' overview in private chat. */
export async function activeSubscriptions(db: Db, limit = 100): Promise<Subscription[]> {
  return (await subscriptionsQuery(db).where('s.disabled_at', 'is', null).limit(limit).execute()).map(toSubscription)
}

export async function chatName(db: Db, chatId: string): Promise<string | undefined> {
  const row = await db.selectFrom('bot_chats').select('name').where('chat_id', '=', chatId).executeTakeFirst()
  return row?.name || undefined
}

// ---- delivery keys ----

export interface DeliveryKey {
  chatId: string
  kind: DigestSubscriptionKind
  period: string
}

/**
 * Chats whose `kind` digest of `period` is still to be sent at `now`: subscribed before it was due, no key that is
 * finished (sent, skipped, failed) and no live claim.
 */
export async function chatsDue(db: Db, kind: DigestSubscriptionKind, period: string, dueAt: Date, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('digest_subscriptions as s')
    .select('s.chat_id')
    .where('s.kind', '=', kind)
    .where('s.disabled_at', 'is', null)
    .where('s.created_at', '<=', dueAt)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('digest_deliveries as d')
            .select('d.chat_id')
            .whereRef('d.chat_id', '=', 's.chat_id')
            .where('d.kind', '=', kind)
            .where('d.period', '=', period)
            .where((eb) => eb.or([eb('d.status', '<>', 'claimed'), eb('d.claimed_until', '>=', now)])),
        ),
      ),
    )
    .orderBy('s.chat_id')
    .execute()
  return rows.map((r) => r.chat_id)
}

/**
 * Claims the delivery of one digest for this run, in one transaction: the subscription must still be active
 * (locked, so an unsubscribe or a second instance waits), and the key must be new or a claim whose lease has lapsed.
 * Returns the attempt number, or undefined when someone else has it or it is done.
 */
export async function claimDelivery(db: Kysely<Database>, key: DeliveryKey, now: Date, leaseMs: number): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('digest_subscriptions')
      .select('chat_id')
      .where('chat_id', '=', key.chatId)
      .where('kind', '=', key.kind)
      .where('disabled_at', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!active) return undefined
    const claim = await claimOnce(trx, DELIVERY_LEDGER, { chat_id: key.chatId, kind: key.kind, period: key.period }, { now, leaseMs, values: { status: 'claimed' } })
    return claim?.attempt
  })
}

/** One digest per (chat, kind, period); any status but 'claimed' is final. */
const DELIVERY_LEDGER: ClaimLedger = {
  table: 'digest_deliveries',
  keyColumns: ['chat_id', 'kind', 'period'],
  unfinished: sql`digest_deliveries.status = 'claimed'`,
  attemptsColumn: 'attempts',
  claimedAtColumn: 'claimed_at',
}

/** Records how a claimed delivery ended; later ticks leave a finished key alone. */
export async function finishDelivery(
  db: Db,
  key: DeliveryKey,
  f: { status: Exclude<DigestDeliveryStatus, 'claimed'>; at: Date; audience?: 'public' | 'committee'; messageId?: string | null; outcome?: string | null },
): Promise<void> {
  await db
    .updateTable('digest_deliveries')
    .set({ status: f.status, finished_at: f.at, audience: f.audience ?? null, message_id: f.messageId ?? null, outcome: f.outcome ?? null })
    .where('chat_id', '=', key.chatId)
    .where('kind', '=', key.kind)
    .where('period', '=', key.period)
    .execute()
}

export async function getDelivery(db: Db, key: DeliveryKey) {
  return db.selectFrom('digest_deliveries').selectAll().where('chat_id', '=', key.chatId).where('kind', '=', key.kind).where('period', '=', key.period).executeTakeFirst()
}
