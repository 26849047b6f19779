// What 会员关怀 contributes to the 月报 / 季报 (composed in src/digests/figures.ts): counts and exact totals of the
// care recorded in the period, by kind. Never names or departments of people.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import { CARE_KINDS, type CareFigures, type CareKind } from './model.js'

/** Care recorded with a date in [fromDate, toDate) (local dates, YYYY-MM-DD). */
export async function careFigures(db: Db, fromDate: string, toDate: string): Promise<CareFigures> {
  const rows = await db
    .selectFrom('care_events')
    .select(['kind', sql<number>`count(*)::int`.as('n'), sql<string>`sum(amount_fen)::bigint::text`.as('fen')])
    .where('status', '=', 'recorded')
    .where('occurred_on', '>=', fromDate)
    .where('occurred_on', '<', toDate)
    .groupBy('kind')
    .execute()
  const byKind = CARE_KINDS.map((kind) => rows.find((r) => r.kind === kind))
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .map((r) => ({ kind: r.kind as CareKind, count: r.n, fen: Number(r.fen) }))
  return { count: byKind.reduce((a, b) => a + b.count, 0), totalFen: byKind.reduce((a, b) => a + b.fen, 0), byKind }
}
