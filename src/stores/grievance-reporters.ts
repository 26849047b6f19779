// The only code that reads who filed a grievance (anonymous ones included): used to relay messages to the worker
// and to answer the worker's own queries. Officer-facing cards, messages, audit entries and logs never call it
// for display; they read src/stores/grievances.ts, where an anonymous case has no reporter at all.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Grievance } from './grievances.js'

type Db = Kysely<Database> | Transaction<Database>

export async function linkReporter(trx: Transaction<Database>, grievanceId: number, openId: string): Promise<void> {
  await trx.insertInto('grievance_reporters').values({ grievance_id: grievanceId, open_id: openId }).execute()
}

/** Where to relay a message about the case: the reporter's open_id (never shown, never logged). */
export async function reporterOf(db: Db, grievanceId: number): Promise<string | undefined> {
  const row = await db.selectFrom('grievance_reporters').select('open_id').where('grievance_id', '=', grievanceId).executeTakeFirst()
  return row?.open_id
}

/** Whether `openId` filed the case (a worker may act only on their own cases). */
export async function isReporterOf(db: Db, grievanceId: number, openId: string): Promise<boolean> {
  return (await reporterOf(db, grievanceId)) === openId
}

/** One of the worker's own cases by number; someone else's case is as absent as a number never issued. */
export async function findOwnGrievance(db: Db, openId: string, number: string): Promise<Grievance | undefined> {
  return db
    .selectFrom('grievances')
    .innerJoin('grievance_reporters', 'grievance_reporters.grievance_id', 'grievances.id')
    .selectAll('grievances')
    .where('grievance_reporters.open_id', '=', openId)
    .where('grievances.number', '=', number)
    .executeTakeFirst()
}

/** The worker's own cases, newest first, and how many there are in all. */
export async function listOwnGrievances(db: Db, openId: string, limit: number): Promise<{ rows: Grievance[]; total: number }> {
  const rows = await db
    .selectFrom('grievances')
    .innerJoin('grievance_reporters', 'grievance_reporters.grievance_id', 'grievances.id')
    .selectAll('grievances')
    .where('grievance_reporters.open_id', '=', openId)
    .orderBy('grievances.filed_at', 'desc')
    .orderBy('grievances.id', 'desc')
    .limit(limit)
    .execute()
  const count = await db
    .selectFrom('grievance_reporters')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('open_id', '=', openId)
    .executeTakeFirstOrThrow()
  return { rows, total: Number(count.n) }
}
