// Shared by the fault drills (test/drills/): building and delivering Feishu envelopes to any address
// (a bot, a load balancer, a child process), counting what reached the fake Open API, a deterministic shuffle,
// database snapshots, and the rate check over the fake's request log.
import { sql, type Kysely } from 'kysely'
import { expect } from 'vitest'
import type { FakeOpenApi, RecordedRequest } from '../../devtools/fake-open-api.js'
import { postToBot, type CardActionInput, type Envelope, type FeishuEventBuilder, type MessageEventInput } from '../../devtools/feishu-events.js'
import type { Database } from '../../src/db/schema.js'

export const messageIdOf = (env: Envelope): string => (env.event.message as { message_id: string }).message_id

/** A message envelope whose chat the fake knows, so replies to it are filed under that chat. */
export function messageEnvelope(events: FeishuEventBuilder, fake: FakeOpenApi, input: MessageEventInput): Envelope {
  const env = events.message(input)
  fake.inboundChats.set(messageIdOf(env), input.chatId)
  return env
}

/** A private message from `openId` in their p2p chat (`oc_p2p_<openId>`, as the feature tests name it). */
export function p2pMessage(events: FeishuEventBuilder, fake: FakeOpenApi, openId: string, text: string, extra: Partial<MessageEventInput> = {}): Envelope {
  return messageEnvelope(events, fake, { sender: openId, chatId: `oc_p2p_${openId}`, chatType: 'p2p', text, ...extra })
}

export function cardClick(events: FeishuEventBuilder, input: CardActionInput): Envelope {
  return events.cardAction(input)
}

export const pathOf = (env: Envelope): string => (env.header.event_type === 'card.action.trigger' ? '/feishu/cards' : '/feishu/events')

/**
 * Delivers an envelope to `baseUrl` as Feishu would: freshly encrypted and signed each time (new IV, timestamp and
 * nonce), same event_id and message_id. Returns the HTTP status and body.
 */
export function deliver(baseUrl: string, events: FeishuEventBuilder, env: Envelope): Promise<{ status: number; body: any }> {
  return postToBot(baseUrl, pathOf(env), events.encode(env))
}

/** A deterministic shuffle (mulberry32), so an interleaving that fails can be replayed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Count of rows in a table (optionally filtered by a raw SQL condition). */
export async function count(db: Kysely<Database>, table: string, where = 'true'): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(db)
  return Number(r.rows[0]!.n)
}

/** Every inbox row with one of these de-duplication keys, by key. */
export async function inboxRows(db: Kysely<Database>, keys: string[]) {
  const rows = await db.selectFrom('inbox_events').select(['dedup_key', 'status', 'attempts', 'last_error']).where('dedup_key', 'in', keys).execute()
  return new Map(rows.map((r) => [r.dedup_key, r]))
}

export const dedupKeyOf = (env: Envelope): string =>
  env.header.event_type === 'im.message.receive_v1' ? `msg:${messageIdOf(env)}` : `evt:${env.header.event_id}`

/**
 * Who a request to the Open API counts against in Feishu's per-recipient limits (5/s to one user, 5/s in one
 * group): `user:<open_id>` or `chat:<chat_id>` for sends, the chat of the message replied to for replies.
 * Undefined for calls without a recipient limit (tokens, patches, contact lookups).
 */
export function recipientOf(fake: FakeOpenApi, r: RecordedRequest): string | undefined {
  if (r.method !== 'POST') return undefined
  if (r.path === '/open-apis/im/v1/messages') {
    const b = (r.body ?? {}) as { receive_id?: string }
    return r.query.receive_id_type === 'open_id' ? `user:${b.receive_id}` : `chat:${b.receive_id}`
  }
  const reply = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/)
  if (reply) {
    const parent = reply[1]!
    return `chat:${fake.inboundChats.get(parent) ?? fake.messages.find((m) => m.messageId === parent)?.chatId ?? parent}`
  }
  return undefined
}

/** The most requests any one recipient got within any `windowMs` (half-open) window, and which recipient. */
export function busiestWindow(fake: FakeOpenApi, requests: RecordedRequest[], windowMs = 1000): { key: string; count: number; times: number[] } {
  const byKey = new Map<string, number[]>()
  for (const r of requests) {
    const key = recipientOf(fake, r)
    if (!key) continue
    byKey.set(key, [...(byKey.get(key) ?? []), r.at])
  }
  let worst = { key: '', count: 0, times: [] as number[] }
  for (const [key, times] of byKey) {
    const sorted = [...times].sort((x, y) => x - y)
    let lo = 0
    for (let hi = 0; hi < sorted.length; hi++) {
      while (sorted[hi]! - sorted[lo]! >= windowMs) lo++
      if (hi - lo + 1 > worst.count) worst = { key, count: hi - lo + 1, times: sorted.slice(lo, hi + 1) }
    }
  }
  return worst
}

/** The most of `times` (ms) within any half-open window of `windowMs`: rate checks over any clock's times. */
export function busiestSpan(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  let lo = 0
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++
    most = Math.max(most, hi - lo + 1)
  }
  return most
}

/** Polls an async condition (a database row, a count) until it holds; for state the fake cannot signal. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check().catch(() => undefined)
    if (v) return v
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Asserts every status is 200 (Feishu considers anything else undelivered). */
export function expectAll200(results: Array<{ status: number; body?: unknown }>, what: string): void {
  const bad = results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)
  expect(bad, `${what}: non-200 answers`).toEqual([])
}
