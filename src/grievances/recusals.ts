// Recusal (回避, issue #13): officers who stepped aside from a case. The desk's queries take the viewer and leave
// out the cases they recused from; cases with any recusal leave the committee group (whose members include the
// recused officer) and are handled privately by the officers who remain.
import { sql, type ExpressionBuilder, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'

/**
 * Records the recusal; false when it was recorded before (a double click, a re-run). Inside the transaction that
 * holds the case's row lock, so "at least one officer remains" is checked against every recusal.
 */
export async function recordRecusal(trx: Transaction<Database>, e: { grievanceId: number; openId: string; at: Date; eventId: string }): Promise<boolean> {
  const row = await trx
    .insertInto('grievance_recusals')
    .values({ grievance_id: e.grievanceId, open_id: e.openId, at: e.at, event_id: e.eventId })
    .onConflict((oc) => oc.columns(['grievance_id', 'open_id']).doNothing())
    .returning('open_id')
    .executeTakeFirst()
  return row !== undefined
}

/** Who recused from the case. */
export async function recusedOfficers(db: Db, grievanceId: number): Promise<string[]> {
  const rows = await db.selectFrom('grievance_recusals').select('open_id').where('grievance_id', '=', grievanceId).orderBy('at').execute()
  return rows.map((r) => r.open_id)
}

export async function hasRecused(db: Db, grievanceId: number, openId: string): Promise<boolean> {
  return (await db.selectFrom('grievance_recusals').select('open_id').where('grievance_id', '=', grievanceId).where('open_id', '=', openId).executeTakeFirst()) !== undefined
}

/** A `where` for queries over `grievances`: the cases `viewer` may see (has not recused from). */
export function visibleTo(viewer: string) {
  return (eb: ExpressionBuilder<Database, 'grievances'>) =>
    eb.not(eb.exists(eb.selectFrom('grievance_recusals as r').select(sql.lit(1).as('one')).whereRef('r.grievance_id', '=', 'grievances.id').where('r.open_id', '=', viewer)))
}

/** A `where` for what goes to the committee group as a whole: cases without any recusal. */
export function withoutRecusals() {
  return (eb: ExpressionBuilder<Database, 'grievances'>) =>
    eb.not(eb.exists(eb.selectFrom('grievance_recusals as r').select(sql.lit(1).as('one')).whereRef('r.grievance_id', '=', 'grievances.id')))
}
