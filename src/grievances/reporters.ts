// The only code that reads who filed a grievance (anonymous ones included): used to relay messages to the worker
// and to answer the worker's own queries. Officer-facing cards, messages, audit entries and logs never call it
// for display; they read src/grievances/store.ts, where an anonymous case has no reporter at all. The reporter's
// other traces live under the same rule: where their attachments came from (message ids, which Feishu's message
// API resolves to the sender) and the Feishu events of their own actions (re-run detection, daily caps).
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { GrievanceReporterEventsTable } from './tables.js'
import { toGrievance, type Grievance } from './store.js'

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
  const row = await db
    .selectFrom('grievances')
    .innerJoin('grievance_reporters', 'grievance_reporters.grievance_id', 'grievances.id')
    .selectAll('grievances')
    .where('grievance_reporters.open_id', '=', openId)
    .where('grievances.number', '=', number)
    .executeTakeFirst()
  return row ? toGrievance(row) : undefined
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
  return { rows: rows.map(toGrievance), total: Number(count.n) }
}

/** Remembers which message carried each attachment (needed to fetch the original later; sealed like the link). */
export async function sealAttachmentSources(trx: Db, grievanceId: number, sources: Array<{ key: string; messageId: string }>): Promise<void> {
  if (sources.length === 0) return
  await trx
    .insertInto('grievance_attachment_sources')
    .values(sources.map((s) => ({ grievance_id: grievanceId, file_key: s.key, message_id: s.messageId })))
    .onConflict((oc) => oc.columns(['grievance_id', 'file_key']).doNothing())
    .execute()
}

/** The message an attachment came from, to fetch the original (message-resource API); undefined when unknown. */
export async function attachmentSource(db: Db, grievanceId: number, fileKey: string): Promise<string | undefined> {
  const row = await db.selectFrom('grievance_attachment_sources').select('message_id').where('grievance_id', '=', grievanceId).where('file_key', '=', fileKey).executeTakeFirst()
  return row?.message_id
}

/** The messages several attachments came from, by key (a relayed anonymous 补充's evidence, at delivery). */
export async function attachmentSources(db: Db, grievanceId: number, fileKeys: readonly string[]): Promise<Map<string, string>> {
  if (fileKeys.length === 0) return new Map()
  const rows = await db.selectFrom('grievance_attachment_sources').select(['file_key', 'message_id']).where('grievance_id', '=', grievanceId).where('file_key', 'in', [...fileKeys]).execute()
  return new Map(rows.map((r) => [r.file_key, r.message_id]))
}

type ReporterEventKind = GrievanceReporterEventsTable['kind']

/**
 * Records that the reporter's Feishu event did `kind` on the case; false when it already had (a re-run of the
 * same event). `day` is the local date only.
 */
export async function claimReporterEvent(trx: Db, grievanceId: number, eventId: string, kind: ReporterEventKind, day: string): Promise<boolean> {
  const row = await trx
    .insertInto('grievance_reporter_events')
    .values({ grievance_id: grievanceId, event_id: eventId, kind, day })
    .onConflict((oc) => oc.columns(['grievance_id', 'event_id', 'kind']).doNothing())
    .returning('kind')
    .executeTakeFirst()
  return row !== undefined
}

/** Whether the reporter's event already did `kind` on the case. */
export async function reporterEventDone(db: Db, grievanceId: number, eventId: string, kind: ReporterEventKind): Promise<boolean> {
  const row = await db.selectFrom('grievance_reporter_events').select('kind').where('grievance_id', '=', grievanceId).where('event_id', '=', eventId).where('kind', '=', kind).executeTakeFirst()
  return row !== undefined
}

/** How many times `openId` did `kind` (filing, 补充) on local day `day`, over all their cases (daily caps). */
export async function countReporterEventsOnDay(db: Db, openId: string, kind: ReporterEventKind, day: string): Promise<number> {
  const row = await db
    .selectFrom('grievance_reporter_events')
    .innerJoin('grievance_reporters', 'grievance_reporters.grievance_id', 'grievance_reporter_events.grievance_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('grievance_reporters.open_id', '=', openId)
    .where('grievance_reporter_events.kind', '=', kind)
    .where('grievance_reporter_events.day', '=', day)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
