// Reading everything a database holds, for the secret-ballot tests: every row of every table (as JSON text), and
// the transaction ids (xmin) of the rows on both sides of a secret ballot.
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
