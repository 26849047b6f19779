// Gap-free numbering: the next value of a named series, taken inside the caller's transaction.
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

/**
 * Increments series `name` and returns the new value. The row stays locked until the transaction ends, so
 * concurrent callers queue; a rolled-back transaction gives its number back (no gaps from races or failures).
 */
export async function nextInSequence(trx: Transaction<Database>, name: string): Promise<number> {
  const row = await sql<{ value: number }>`
    insert into sequences (name, value) values (${name}, 1)
    on conflict (name) do update set value = sequences.value + 1
    returning value`.execute(trx)
  return row.rows[0]!.value
}
