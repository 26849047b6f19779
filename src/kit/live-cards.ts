// Live cards: posted cards kept current with their subject (an activity today; notices, polls later), keyed by
// subject type and id. The feature registers how to render a subject (router.liveCard); the kit keeps the registry
// (table live_cards), coalesces bursts of changes into about one patch per card per second across instances, marks
// cards Feishu refuses for good as gone, and reconciles what a refresh left behind once a minute.
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { BaseContext } from '../dispatch/context.js'
import { errorCode } from '../errors.js'
import { deliver } from './deliver.js'
import type { Card } from '../feishu/card.js'

/** Which live cards a refresh patches: group cards only (every change), or private copies too (phase changes). */
export type RefreshScope = 'shared' | 'all'

/** What a subject's cards should show now. */
export interface RenderedSubject {
  /** Bumped by the feature on every change its cards show; cards with an older rendered_version get patched. */
  version: number
  card: Card
}

/** How a feature's subjects are drawn; registered once per subject type with router.liveCard. */
export interface LiveCardSpec {
  /**
   * The table and columns holding each subject's current version, so the reconcile finds every card behind its
   * subject in one query (identifiers, never user input).
   */
  versions: { table: string; id: string; version: string }
  /** The subject's current version and card; undefined when the subject does not exist. */
  render(ctx: BaseContext, subjectId: string): Promise<RenderedSubject | undefined>
}

export interface NewLiveCard {
  subjectType: string
  subjectId: string
  messageId: string
  chatId: string | undefined
  /** The person a private copy is for; undefined for a shared (group) card. */
  ownerOpenId: string | undefined
  postedAt: Date
  /** The subject's version the posted card shows. */
  renderedVersion: number
}

/**
 * At most about one patch per card per second: Feishu allows 5 QPS per message (docs/feishu-platform.md#rate-limits),
 * and a burst of clicks must not turn into a burst of patches that the group sees flicker.
 */
const REFRESH_SLOT_MS = 1000
/** The refresh slot expires on its own if its holder dies mid-way (the periodic reconcile then catches up). */
const REFRESH_SLOT_TTL_MS = 15_000
const REFRESH_SLOT_ROUNDS = 10

// ---- The registry (live_cards) ----

/**
 * Registers the card and marks gone the live copy it replaces (same chat for a group card, same person for a
 * private copy; security review F6: asking again must not multiply the patches every change causes); returns the
 * replaced message ids. Two registrations racing for the same slot: the unique partial index refuses the second,
 * which then runs again and replaces the first.
 */
export async function trackCard(db: Kysely<Database>, card: NewLiveCard): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        // The same send again (a re-run event gets its message back from Feishu's uuid de-duplication): already
        // registered, and it must not displace a copy posted since.
        if (await trx.selectFrom('live_cards').select('message_id').where('message_id', '=', card.messageId).executeTakeFirst()) return []
        const replaced = await trx
          .updateTable('live_cards')
          .set({ gone_at: card.postedAt })
          .where('subject_type', '=', card.subjectType)
          .where('subject_id', '=', card.subjectId)
          .where('gone_at', 'is', null)
          .where('message_id', '!=', card.messageId)
          .where((eb) => {
            if (card.ownerOpenId === undefined) return eb.and([eb('audience', '=', 'shared'), eb('chat_id', '=', card.chatId ?? '')])
            // Copies from before open_id was recorded are known by their private chat.
            const mine = [eb('open_id', '=', card.ownerOpenId), ...(card.chatId ? [eb('chat_id', '=', card.chatId)] : [])]
            return eb.and([eb('audience', '=', 'private'), eb.or(mine)])
          })
          .returning('message_id')
          .execute()
        await trx
          .insertInto('live_cards')
          .values({
            message_id: card.messageId,
            subject_type: card.subjectType,
            subject_id: card.subjectId,
            chat_id: card.chatId ?? null,
            audience: card.ownerOpenId === undefined ? 'shared' : 'private',
            open_id: card.ownerOpenId ?? null,
            posted_at: card.postedAt,
            refreshed_at: card.postedAt,
            rendered_version: card.renderedVersion,
          })
          .onConflict((oc) => oc.column('message_id').doNothing())
          .execute()
        return replaced.map((r) => r.message_id)
      })
    } catch (err) {
      if (attempt < 3 && (err as { code?: unknown }).code === '23505') continue
      throw err
    }
  }
}

/** Live cards of the subject that show an older version than `version` (only group cards unless `all`). */
export async function staleCards(db: Db, subjectType: string, subjectId: string, version: number, scope: RefreshScope): Promise<string[]> {
  let query = db
    .selectFrom('live_cards')
    .select('message_id')
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where('rendered_version', '<', version)
    .where('gone_at', 'is', null)
  if (scope === 'shared') query = query.where('audience', '=', 'shared')
  return (await query.execute()).map((r) => r.message_id)
}

async function markRendered(db: Db, messageId: string, version: number, at: Date): Promise<void> {
  await db
    .updateTable('live_cards')
    .set((eb) => ({ rendered_version: sql<number>`greatest(${eb.ref('rendered_version')}, ${version})`, refreshed_at: at }))
    .where('message_id', '=', messageId)
    .execute()
}

/** A patch was tried and failed for a passing reason: the card goes to the back of the reconcile's queue. */
async function markTried(db: Db, messageId: string, at: Date): Promise<void> {
  await db.updateTable('live_cards').set({ refreshed_at: at }).where('message_id', '=', messageId).execute()
}

async function markGone(db: Db, messageId: string, at: Date): Promise<void> {
  await db.updateTable('live_cards').set({ gone_at: at }).where('message_id', '=', messageId).execute()
}

/**
 * Live cards behind their subject's version (a refresh cut short, private copies, phase changes), the ones that
 * have waited longest first, at most `limit` over all subject types: the reconcile's work for one tick.
 */
export async function cardsToReconcile(
  db: Db,
  specs: ReadonlyMap<string, LiveCardSpec>,
  limit: number,
): Promise<Array<{ messageId: string; subjectType: string; subjectId: string }>> {
  const due: Array<{ messageId: string; subjectType: string; subjectId: string; refreshedAt: Date }> = []
  for (const [type, { versions }] of specs) {
    const { rows } = await sql<{ message_id: string; subject_id: string; refreshed_at: Date }>`
      select c.message_id, c.subject_id, c.refreshed_at
      from live_cards c join ${sql.table(versions.table)} s on ${sql.ref(`s.${versions.id}`)}::text = c.subject_id
      where c.subject_type = ${type} and c.gone_at is null and c.rendered_version < ${sql.ref(`s.${versions.version}`)}
      order by c.refreshed_at, c.message_id
      limit ${limit}`.execute(db)
    for (const r of rows) due.push({ messageId: r.message_id, subjectType: type, subjectId: r.subject_id, refreshedAt: r.refreshed_at })
  }
  due.sort((a, b) => a.refreshedAt.getTime() - b.refreshedAt.getTime() || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0))
  return due.slice(0, limit).map(({ messageId, subjectType, subjectId }) => ({ messageId, subjectType, subjectId }))
}

// ---- Keeping cards current ----

/** A card just posted, to be kept current from now on. */
export interface PostedLiveCard {
  messageId: string
  /** The chat it was posted in (a private copy's p2p chat when known). */
  chatId?: string
  /** Whose own copy this is; absent for a shared (group) card. */
  privateFor?: string
  /** The subject's version the posted card shows. */
  version: number
}

/** One bot instance's live cards: the renderers the features registered, and which refresh slots it holds. */
export class LiveCards {
  private readonly specs = new Map<string, LiveCardSpec>()
  /** Subjects whose refresh slot this instance holds right now. */
  private readonly held = new Set<string>()

  constructor(
    /** Most patches one reconcile tick sends; the rest wait for the next tick, oldest first. */
    private readonly reconcileMaxPatches: number,
  ) {}

  define(subjectType: string, spec: LiveCardSpec): void {
    if (this.specs.has(subjectType)) throw new Error(`live card "${subjectType}" registered twice`)
    this.specs.set(subjectType, spec)
  }

  private spec(subjectType: string): LiveCardSpec {
    const spec = this.specs.get(subjectType)
    if (!spec) throw new Error(`live card "${subjectType}" is not registered`)
    return spec
  }

  /**
   * Registers a posted card. The copy it replaces (same chat, or same person) is marked gone and patched once
   * with `replacedNotice`: without that a stale copy would go on showing old buttons; one patch per new copy keeps
   * the cost of asking again constant (security review F6). Callers refresh afterwards: a change between
   * rendering and registering would otherwise stay unshown.
   */
  async track(ctx: BaseContext, subjectType: string, subjectId: string, posted: PostedLiveCard, replacedNotice: Card): Promise<void> {
    this.spec(subjectType)
    const replaced = await trackCard(ctx.db, {
      subjectType,
      subjectId,
      messageId: posted.messageId,
      chatId: posted.chatId,
      ownerOpenId: posted.privateFor,
      postedAt: ctx.now(),
      renderedVersion: posted.version,
    })
    for (const messageId of replaced) {
      try {
        await ctx.patchCard(messageId, replacedNotice)
      } catch (err) {
        // Best effort: the old copy is already out of the registry; at worst it keeps showing what it showed.
        ctx.log.warn({ subjectType, subjectId, messageId, code: errorCode(err) }, 'replaced live card not patched')
      }
    }
  }

  /**
   * Brings every posted card of the subject up to date, coalescing bursts across all instances: whoever takes the
   * refresh slot (a key in the state store) patches, then keeps the slot for the rest of the second and looks
   * again; everyone else just leaves their change to the slot holder. After giving the slot back the holder looks
   * once more, so a change whose owner found the slot taken is never left unshown. If the state store is down, the
   * periodic reconcile patches within a minute.
   */
  async refresh(ctx: BaseContext, subjectType: string, subjectId: string, scope: RefreshScope = 'shared'): Promise<void> {
    const spec = this.spec(subjectType)
    const slot = `${subjectType}:${subjectId}`
    // This instance holds the slot: its holder looks again after letting go, which is after this change committed.
    // (Saves a state-store round trip per click during a rush.)
    if (this.held.has(slot)) return
    // `activity-cards:<id>` for activities, the key the refresh used before the kit existed (rolling deploys).
    const key = `${subjectType}-cards:${subjectId}`
    const token = randomUUID()
    try {
      if (!(await ctx.services.state.setIfAbsent(key, token, REFRESH_SLOT_TTL_MS))) return
    } catch (err) {
      ctx.log.warn({ subjectType, subjectId, code: errorCode(err) }, 'live card refresh skipped: state store unavailable')
      return
    }
    this.held.add(slot)
    const failed = new Set<string>()
    try {
      // A bounded number of rounds, well inside the slot's TTL; a longer rush continues through the look-again below.
      for (let round = 0; round < REFRESH_SLOT_ROUNDS; round++) {
        const patchedAt = await this.patchStale(ctx, spec, subjectType, subjectId, failed, scope)
        if (patchedAt === undefined) break
        // Keep the slot a full second after the patches went out, so the next patch (ours or another instance's)
        // comes a second later at the earliest. Wall-clock spacing of API calls, hence Date.now, not ctx.now().
        await new Promise((r) => setTimeout(r, Math.max(0, REFRESH_SLOT_MS - (Date.now() - patchedAt))))
      }
    } finally {
      await ctx.services.state.deleteIfEquals(key, token).catch(() => false)
      this.held.delete(slot)
    }
    const now = await spec.render(ctx, subjectId)
    if (now && (await staleCards(ctx.db, subjectType, subjectId, now.version, scope)).some((m) => !failed.has(m))) {
      await this.refresh(ctx, subjectType, subjectId, scope)
    }
  }

  /** Patches the cards showing an older version; returns when the patches went out, or undefined if none was due. */
  private async patchStale(ctx: BaseContext, spec: LiveCardSpec, subjectType: string, subjectId: string, failed: Set<string>, scope: RefreshScope): Promise<number | undefined> {
    const subject = await spec.render(ctx, subjectId)
    if (!subject) return undefined
    const cards = (await staleCards(ctx.db, subjectType, subjectId, subject.version, scope)).filter((m) => !failed.has(m))
    if (cards.length === 0) return undefined
    const patchedAt = Date.now()
    await Promise.all(
      cards.map(async (messageId) => {
        if (!(await this.patchOne(ctx, subjectType, subjectId, messageId, subject))) failed.add(messageId)
      }),
    )
    return patchedAt
  }

  /** Patches one card to the subject's current state and records the outcome; false when the patch failed. */
  private async patchOne(ctx: BaseContext, subjectType: string, subjectId: string, messageId: string, subject: RenderedSubject): Promise<boolean> {
    try {
      const patched = await deliver(ctx, `${subjectType}:card-patch`, () => ctx.patchCard(messageId, subject.card), { subjectType, subjectId, messageId })
      // Recalled, older than 14 days (230031), bot removed (230002): Feishu will never accept a patch again.
      if (!patched.sent) {
        await markGone(ctx.db, messageId, ctx.now())
        return false
      }
      await markRendered(ctx.db, messageId, subject.version, ctx.now())
      return true
    } catch (err) {
      await markTried(ctx.db, messageId, ctx.now())
      ctx.log.warn({ subjectType, subjectId, messageId, code: errorCode(err) }, 'live card patch failed')
      return false
    }
  }

  /**
   * One reconcile tick: brings up to reconcileMaxPatches cards up to date, the ones that waited longest first (a
   * patched or failed card goes to the back of the queue, so none is starved). Patches of different subjects go
   * out together; the outbound's rate limiter paces them in the patches' lower-priority share.
   */
  async reconcile(ctx: BaseContext): Promise<void> {
    const due = await cardsToReconcile(ctx.db, this.specs, this.reconcileMaxPatches)
    const rendered = new Map<string, Promise<RenderedSubject | undefined>>()
    const renderOnce = (subjectType: string, subjectId: string) => {
      const slot = `${subjectType}:${subjectId}`
      if (!rendered.has(slot)) rendered.set(slot, this.spec(subjectType).render(ctx, subjectId))
      return rendered.get(slot)!
    }
    await Promise.all(
      due.map(async ({ subjectType, subjectId, messageId }) => {
        const subject = await renderOnce(subjectType, subjectId)
        if (subject) await this.patchOne(ctx, subjectType, subjectId, messageId, subject)
      }),
    )
  }

  /** The same operations bound to one handler context (ctx.liveCards). */
  for(ctx: BaseContext): LiveCardsOf {
    return {
      track: (subjectType, subjectId, posted, replacedNotice) => this.track(ctx, subjectType, subjectId, posted, replacedNotice),
      refresh: (subjectType, subjectId, scope) => this.refresh(ctx, subjectType, subjectId, scope),
      reconcile: () => this.reconcile(ctx),
    }
  }
}

/** What a handler sees as ctx.liveCards. */
export interface LiveCardsOf {
  track(subjectType: string, subjectId: string, posted: PostedLiveCard, replacedNotice: Card): Promise<void>
  refresh(subjectType: string, subjectId: string, scope?: RefreshScope): Promise<void>
  reconcile(): Promise<void>
}

/** The group cards ever posted for a subject (replaced ones too), oldest first: e.g. to ask Feishu who read them. */
export async function sharedCardsOf(db: Db, subjectType: string, subjectId: string): Promise<Array<{ messageId: string; chatId: string; postedAt: Date }>> {
  const rows = await db.selectFrom('live_cards').select(['message_id', 'chat_id', 'posted_at']).where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).where('audience', '=', 'shared').orderBy('posted_at').orderBy('message_id').execute()
  return rows.map((r) => ({ messageId: r.message_id, chatId: r.chat_id ?? '', postedAt: r.posted_at }))
}
