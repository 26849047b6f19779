// Conversation drafts in Postgres (issue #14): what a worker typed survives a restart of the memory store, a Redis
// flush, an interruption by another command and — for 继续 — the draft's expiry. Each row is keyed by personKey
// (never the open_id) and its payload sealed with AES-256-GCM under a key derived from the state-key secret, so a
// reader of the table alone (with STATE_KEY_SECRET kept outside the database) reads neither who nor what.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

/** What a row holds, sealed: the conversation state and, for a kept row, the text typed after it expired. */
export interface DraftPayload {
  state: Record<string, unknown>
  text?: string
}

export interface StoredDraft {
  flow: string
  payload: DraftPayload
  savedAt: Date
  liveUntil: Date
}

/** The slot of the live draft (the one the state store holds too). */
export const LIVE_SLOT = 'live'
/** Text typed just after the draft expired, with that draft (继续 / 放弃). */
export const KEPT_SLOT = 'kept'
/** A draft put aside by another command, one per flow (继续刚才的…). */
export const pausedSlot = (flow: string): string => `paused:${flow}`

export class ConversationDrafts {
  private readonly key: Buffer

  constructor(
    private readonly db: Kysely<Database>,
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('conversation-drafts', 'utf8').digest()
  }

  async save(personKey: string, slot: string, flow: string, payload: DraftPayload, liveSeconds: number, purgeSeconds: number): Promise<void> {
    const now = this.now()
    const row = {
      flow,
      sealed: this.seal(payload),
      saved_at: new Date(now),
      live_until: new Date(now + liveSeconds * 1000),
      purge_after: new Date(now + Math.max(liveSeconds, purgeSeconds) * 1000),
    }
    await this.db
      .insertInto('conversation_drafts')
      .values({ person_key: personKey, slot, ...row })
      .onConflict((oc) => oc.columns(['person_key', 'slot']).doUpdateSet(row))
      .execute()
  }

  /** The draft in `slot`; undefined when none, past its purge time, or unreadable (another secret: dropped). */
  async get(personKey: string, slot: string): Promise<StoredDraft | undefined> {
    const row = await this.db
      .selectFrom('conversation_drafts')
      .select(['flow', 'sealed', 'saved_at', 'live_until', 'purge_after'])
      .where('person_key', '=', personKey)
      .where('slot', '=', slot)
      .executeTakeFirst()
    if (!row || new Date(row.purge_after).getTime() <= this.now()) return undefined
    const payload = this.unseal(row.sealed)
    if (!payload) {
      await this.delete(personKey, slot)
      return undefined
    }
    return { flow: row.flow, payload, savedAt: new Date(row.saved_at), liveUntil: new Date(row.live_until) }
  }

  /** The flows of the person's paused drafts still within their time, newest first. */
  async pausedFlows(personKey: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversation_drafts')
      .select(['flow'])
      .where('person_key', '=', personKey)
      .where('slot', 'like', 'paused:%')
      .where('live_until', '>', new Date(this.now()))
      .orderBy('saved_at', 'desc')
      .execute()
    return rows.map((r) => r.flow)
  }

  async delete(personKey: string, slot: string): Promise<void> {
    await this.db.deleteFrom('conversation_drafts').where('person_key', '=', personKey).where('slot', '=', slot).execute()
  }

  /** Deletes every row past its purge time (the hourly task); returns how many went. */
  async purge(): Promise<number> {
    const result = await this.db.deleteFrom('conversation_drafts').where('purge_after', '<=', new Date(this.now())).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  private seal(payload: DraftPayload): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
  }

  private unseal(sealed: string): DraftPayload | undefined {
    try {
      const buf = Buffer.from(sealed, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12))
      decipher.setAuthTag(buf.subarray(12, 28))
      const json = Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8')
      const value = JSON.parse(json) as DraftPayload
      return value && typeof value.state === 'object' ? value : undefined
    } catch {
      return undefined
    }
  }
}
