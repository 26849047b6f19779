// What 困难帮扶 contributes to the 月报 / 季报 (src/digests/figures.ts): cases open now and the aid paid in a period
// (exact fen). Numbers only — never names, reasons or household figures.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'

export interface HardshipFigures {
  /** Applications not yet decided or paid, as they stand when the report is made. */
  open: number
  /** Aid paid on the local days [fromDate, toDate), and its total in fen. */
  paid: number
  paidFen: number
}

export async function hardshipFigures(db: Db, fromDate: string, toDate: string): Promise<HardshipFigures> {
  const r = await db
    .selectFrom('hardship_cases')
    .select([
      sql<number>`count(*) filter (where status in ('applied', 'visited', 'approved', 'published'))::int`.as('open'),
      sql<number>`count(*) filter (where status = 'paid' and paid_on >= ${fromDate} and paid_on < ${toDate})::int`.as('paid'),
      sql<string>`coalesce(sum(paid_fen) filter (where status = 'paid' and paid_on >= ${fromDate} and paid_on < ${toDate}), 0)::bigint::text`.as('fen'),
    ])
    .executeTakeFirstOrThrow()
  return { open: r.open, paid: r.paid, paidFen: Number(r.fen) }
}
