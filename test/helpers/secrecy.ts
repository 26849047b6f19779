// Reading everything a database, the logs, the delivered messages and Redis hold, for the secrecy and confidentiality
// tests: every row of every table, the transaction ids (xmin) of a secret ballot, and the scans for a person's traces.
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import type { TestBot } from '../rig/test-bot.js'

/** Every table of the schema and its rows, each row as its JSON text. */
export async function everyRow(t: TestBot): Promise<Map<string, string[]>> {
  const db = t.bot.services.db
  const { rows: tables } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const out = new Map<string, string[]>()
  for (const { table_name } of tables) {
    const { rows } = await sql<{ r: unknown }>`select to_jsonb(x) as r from ${sql.table(table_name)} x`.execute(db)
    out.set(table_name, rows.map((r) => JSON.stringify(r.r)))
  }
  return out
}

/** Transaction ids of the rows of a table for one poll. */
export async function xminsOf(t: TestBot, table: 'poll_voters' | 'poll_tallies' | 'poll_free_answers', pollId: string): Promise<string[]> {
  const { rows } = await sql<{ x: string }>`select xmin::text as x from ${sql.table(table)} where poll_id = ${pollId}`.execute(t.bot.services.db)
  return rows.map((r) => r.x)
}

export async function columnsOf(t: TestBot, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table} order by column_name`.execute(t.bot.services.db)
  return rows.map((r) => r.column_name)
}

// The confidentiality scans (anonymous grievances, opinions, objections…): one person's traces — their open_id, the
// ids of the events and messages they sent and of the messages sent to them — searched for in every text column,
// log line, message to anyone else, and Redis key and value.

/** Names each place where a trace was found: `<where> contains <trace>`. */
export type Findings = (where: string, text: string) => string[]

/** The traces that tie a person to what they did; `extra` adds what the test collected (event and message ids). */
export function tracesOf(t: TestBot, openId: string, extra: string[] = []): string[] {
  const sentToThem = t.fake.messages.filter((m) => m.receiveId === openId || m.chatId === `oc_p2p_${openId}`).map((m) => m.messageId)
  return [openId, `on_${openId}`, `oc_p2p_${openId}`, ...extra, ...sentToThem]
}

/** A Findings over traces read afresh at each call (messages keep arriving during a test). */
export function findingsOf(traces: () => string[]): Findings {
  return (where, text) =>
    traces()
      .filter((s) => text.includes(s))
      .map((s) => `${where} contains ${s}`)
}

/**
 * Every text-like column of every table, except the sealed tables named. inbox_events keeps each event's id and its
 * de-duplication key for INBOX_RETENTION_HOURS (Feishu redelivers for hours; README lists this residual link): hits
 * there come back apart as `inboxHits`, so a test can check the search does find ids.
 */
export async function scanTables(t: TestBot, findings: Findings, sealed: readonly string[] = []): Promise<{ found: string[]; inboxHits: string[]; columns: number }> {
  const db = t.bot.services.db
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
    order by c.table_name, c.column_name`.execute(db)
  const found: string[] = []
  const inboxHits: string[] = []
  for (const { table_name, column_name } of columns) {
    if (sealed.includes(table_name)) continue
    const { rows } = await sql<{ v: string | null }>`select ${sql.ref(column_name)}::text as v from ${sql.table(table_name)}`.execute(db)
    const hits = findings(`${table_name}.${column_name}`, rows.map((r) => r.v ?? '').join('\n'))
    if (table_name === 'inbox_events' && (column_name === 'event_id' || column_name === 'dedup_key')) inboxHits.push(...hits)
    else found.push(...hits)
  }
  return { found, inboxHits, columns: columns.length }
}

/** The intake's one line per event (src/intake) carries the Feishu event id and nothing about a case. */
export const GENERIC_LOG_LINES = ['event handled', 'card action answered']

/** Every log line (JSON, as pino writes it); the generic per-event lines may carry their event id and nothing else. */
export function scanLogs(lines: readonly string[], findings: Findings, onGeneric?: (where: string, rest: string) => void): string[] {
  const found: string[] = []
  for (const [i, line] of lines.entries()) {
    const entry = JSON.parse(line) as { msg?: string; eventId?: string }
    const where = `log line ${i} (${String(entry.msg)})`
    if (GENERIC_LOG_LINES.includes(entry.msg ?? '')) {
      const { eventId: _allowed, ...rest } = entry
      const text = JSON.stringify(rest)
      onGeneric?.(where, text)
      found.push(...findings(where, text))
    } else found.push(...findings(where, line))
  }
  return found
}

/** Every message and card (with its patches) sent to anyone but the person, as they were delivered. */
export function scanMessagesToOthers(t: TestBot, openId: string, findings: Findings): { found: string[]; others: typeof t.fake.messages } {
  const others = t.fake.messages.filter((m) => m.receiveId !== openId && m.chatId !== `oc_p2p_${openId}`)
  const found = others.flatMap((m) => findings(`message ${m.messageId} (${m.msgType})`, JSON.stringify({ content: m.content, patches: m.patches, receiveId: m.receiveId, chatId: m.chatId, replyTo: m.replyTo })))
  return { found, others }
}

/** Every Redis key of the test's namespace with its value, whatever its type. */
export async function redisEntries(redisUrl: string, namespace: string): Promise<Array<[key: string, value: string]>> {
  const redis = new Redis(redisUrl)
  try {
    const out: Array<[string, string]> = []
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) {
        const type = await redis.type(key)
        const value =
          type === 'string' ? await redis.get(key)
          : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
          : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
          : type === 'set' ? JSON.stringify(await redis.smembers(key))
          : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'))
          : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
          : ''
        out.push([key, value ?? ''])
      }
    } while (cursor !== '0')
    return out
  } finally {
    redis.disconnect()
  }
}

/** Every Redis key and value of the test's namespace, searched. */
export async function scanRedis(redisUrl: string, namespace: string, findings: Findings): Promise<string[]> {
  return (await redisEntries(redisUrl, namespace)).flatMap(([key, value]) => [...findings(`redis key ${key}`, key), ...findings(`redis value of ${key}`, value)])
}
