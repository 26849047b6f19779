// Once-only periodic work (reminders, digests): claim a key in Postgres with a lease before doing the work, mark it
// done after, so it happens once across scheduler ticks, instances and restarts; and "from 09:00 local on working
// days", the hour at which the bot may start messaging people.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import { localParts, zonedInstant } from '../time.js'

type Db = Kysely<Database> | Transaction<Database>

/** The local time reminders and digests go out from: officers and workers have started their day. */
export const MORNING = '09:00'

/**
 * A table that records one piece of once-only work per row (`digest_deliveries`, `grievance_reminders`,
 * `proposal_reminders`). It has the key columns, a `claimed_until` lease and some way to tell a finished row.
 */
export interface ClaimLedger {
  table: string
  /** Columns of the row's unique key, in the order of their unique constraint. */
  keyColumns: readonly string[]
  /** True for a row that was claimed but not finished (written against the table's own name). */
  unfinished: RawBuilder<unknown>
  /** Column counting the claims taken (1 for the first), when the table keeps one. */
  attemptsColumn?: string
  /** Column set to the claim's time on every claim, when the table keeps one. */
  claimedAtColumn?: string
}

export interface Claim {
  /** 1 for the first claim of the key, more when earlier claims lapsed (tables without a count say 1). */
  attempt: number
}

/**
 * Claims `key` for `leaseMs` from `now`: inserts the row, or takes over an unfinished row whose lease has lapsed
 * (the instance that held it crashed, or Feishu was down). Undefined when another run holds the key or it is done.
 * `values` are extra columns for a new row. The caller does the work, then marks the row finished in its own terms;
 * work that sends derives its idempotency uuid from the same key, so a resend after a lapsed lease (inside Feishu's
 * 1-hour uuid window, docs/feishu-platform.md) is still one message.
 */
export async function claimOnce(
  db: Db,
  ledger: ClaimLedger,
  key: Readonly<Record<string, string | number>>,
  opts: { now: Date; leaseMs: number; values?: Readonly<Record<string, unknown>> },
): Promise<Claim | undefined> {
  const until = new Date(opts.now.getTime() + opts.leaseMs)
  const values: Record<string, unknown> = { ...opts.values }
  for (const c of ledger.keyColumns) {
    if (!(c in key)) throw new Error(`claimOnce: key column ${c} missing for ${ledger.table}`)
    values[c] = key[c]
  }
  values.claimed_until = until
  if (ledger.claimedAtColumn) values[ledger.claimedAtColumn] = opts.now
  const columns = Object.keys(values)
  const table = sql.table(ledger.table)
  const updates = [sql`claimed_until = excluded.claimed_until`]
  if (ledger.claimedAtColumn) updates.push(sql`${sql.ref(ledger.claimedAtColumn)} = excluded.${sql.ref(ledger.claimedAtColumn)}`)
  if (ledger.attemptsColumn) updates.push(sql`${sql.ref(ledger.attemptsColumn)} = ${sql.ref(`${ledger.table}.${ledger.attemptsColumn}`)} + 1`)
  const attempts = ledger.attemptsColumn ? sql.ref(ledger.attemptsColumn) : sql.lit(1)
  const res = await sql<{ attempt: number }>`
    insert into ${table} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(columns.map((c) => values[c]))})
    on conflict (${sql.join(ledger.keyColumns.map((c) => sql.ref(c)))}) do update set ${sql.join(updates)}
      where ${ledger.unfinished} and ${sql.ref(`${ledger.table}.claimed_until`)} < ${opts.now}
    returning ${attempts} as attempt`.execute(db)
  const row = res.rows[0]
  return row ? { attempt: Number(row.attempt) } : undefined
}

/**
 * The local date of `now` when it is a working day (Chinese calendar, src/calendar.ts) and `now` is at or after
 * `time` there; undefined before that time, and all day on weekends and holidays.
 */
export function workdayFrom(now: Date, calendar: { isWorkday(date: string): boolean }, timeZone: string, time: string = MORNING): string | undefined {
  const date = localParts(now, timeZone).date
  if (!calendar.isWorkday(date)) return undefined
  return now.getTime() >= zonedInstant(date, time, timeZone).getTime() ? date : undefined
}
