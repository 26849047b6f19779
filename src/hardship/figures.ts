// What 困难帮扶 could contribute to reports: counts by status and the aid paid in a period (exact fen). Numbers
// only — never names, reasons or household figures. (Not yet shown in the 季报: the committee decides first.)
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'

export async function hardshipFigures(db: Db, fromDate: string, toDate: string): Promise<{ open: number; paid: number; paidFen: number }> {
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
