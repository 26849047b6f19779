// Award rounds, nominations, co-signers, steps and objections as kept in Postgres (officer views: an anonymous
// objection names nobody here). Functions take `db` or a transaction first; rows are mapped to the model's views.
import { sql, type Selectable, type Transaction } from 'kysely'
import { nextInSequence } from '../core/sequences.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Database, Db } from '../db/schema.js'
import { ROUND_NUMBER, type ArchiveEntry, type NominationStatus, type NominationView, type Nominators, type ObjectionAnswer, type RoundStatus, type RoundView } from './model.js'
import type { AwardNominationsTable, AwardObjectionsTable, AwardRoundsTable } from './tables.js'

export type Round = Selectable<AwardRoundsTable>
export type Nomination = Selectable<AwardNominationsTable>
export type Objection = Selectable<AwardObjectionsTable>

export const roundView = (r: Round): RoundView => ({
  id: r.id,
  number: r.number,
  name: r.name,
  places: r.places,
  nominators: r.nominators,
  cosigners: r.cosigners,
  deadline: r.deadline,
  status: r.status,
  publicityUntil: r.publicity_until ?? undefined,
  revision: r.revision,
})

export const nominationView = (n: Nomination, cosigned = 0): NominationView => ({
  id: n.id,
  nomineeName: n.nominee_name,
  department: n.department ?? undefined,
  story: n.story,
  hasPhoto: n.photo_key !== null,
  photoKey: n.photo_key ?? undefined,
  status: n.status,
  cosigned,
})

// ---- rounds ----

export async function createRound(
  trx: Transaction<Database>,
  r: { year: number; name: string; places: number; nominators: Nominators; cosigners: number; deadline: string; chats: string[]; by: string; at: Date; eventId: string },
): Promise<Round> {
  const existing = await trx.selectFrom('award_rounds').selectAll().where('created_event_id', '=', r.eventId).executeTakeFirst()
  if (existing) return existing
  const seq = await nextInSequence(trx, `award:${r.year}`)
  return trx
    .insertInto('award_rounds')
    .values({
      number: ROUND_NUMBER.format(r.year, seq),
      year: r.year,
      name: r.name,
      places: r.places,
      nominators: r.nominators,
      cosigners: r.cosigners,
      deadline: r.deadline,
      publicity_chats: JSON.stringify(r.chats),
      created_by: r.by,
      created_at: r.at,
      created_event_id: r.eventId,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findRound(db: Db, number: string): Promise<Round | undefined> {
  return db.selectFrom('award_rounds').selectAll().where('number', '=', number).executeTakeFirst()
}

export async function roundById(db: Db, id: number): Promise<Round | undefined> {
  return db.selectFrom('award_rounds').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockRound(trx: Transaction<Database>, id: number): Promise<Round | undefined> {
  return trx.selectFrom('award_rounds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateRound(
  db: Db,
  id: number,
  c: Partial<{ status: RoundStatus; publicityFrom: Date; publicityUntil: Date; chats: string[]; reviewMessageId: string; finalisedAt: Date; bump: boolean }>,
): Promise<Round> {
  return db
    .updateTable('award_rounds')
    .set((eb) => ({
      ...(c.status ? { status: c.status } : {}),
      ...(c.publicityFrom ? { publicity_from: c.publicityFrom } : {}),
      ...(c.publicityUntil ? { publicity_until: c.publicityUntil } : {}),
      ...(c.chats ? { publicity_chats: JSON.stringify(c.chats) } : {}),
      ...(c.reviewMessageId ? { review_message_id: c.reviewMessageId } : {}),
      ...(c.finalisedAt ? { finalised_at: c.finalisedAt } : {}),
      ...(c.bump ? { revision: eb('revision', '+', 1) } : {}),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Rounds still in progress (newest first), for `评选` without a number. */
export async function listActiveRounds(db: Db, limit = 20): Promise<Round[]> {
  return db.selectFrom('award_rounds').selectAll().where('status', '!=', 'final').orderBy('id', 'desc').limit(limit).execute()
}

// ---- steps (transition()'s replay check and history) ----

export async function stepTaken(db: Db, subject: 'round' | 'nomination', id: number, kind: string, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('award_steps').select('id').where('subject', '=', subject).where('subject_id', '=', id).where('kind', '=', kind).where('event_id', '=', eventId).executeTakeFirst()
  return row !== undefined
}

export async function recordStep(db: Db, s: { subject: 'round' | 'nomination'; id: number; kind: string; eventId: string; actor: string; at: Date }): Promise<void> {
  await db
    .insertInto('award_steps')
    .values({ subject: s.subject, subject_id: s.id, kind: s.kind, event_id: s.eventId, actor_open_id: s.actor || null, at: s.at })
    .onConflict((oc) => oc.columns(['subject', 'subject_id', 'kind', 'event_id']).doNothing())
    .execute()
}

// ---- nominations ----

/** Files a nomination once per filing key (a repeated 确认 finds it); undefined when the nominee is already nominated. */
export async function createNomination(
  trx: Transaction<Database>,
  n: { roundId: number; nomineeOpenId: string; nomineeName: string; department: string | undefined; story: string; photoKey: string | undefined; by: string; status: NominationStatus; at: Date; filingKey: string },
): Promise<{ nomination: Nomination; created: boolean } | undefined> {
  const again = await trx.selectFrom('award_nominations').selectAll().where('filing_key', '=', n.filingKey).executeTakeFirst()
  if (again) return { nomination: again, created: false }
  const row = await trx
    .insertInto('award_nominations')
    .values({
      round_id: n.roundId,
      nominee_open_id: n.nomineeOpenId,
      nominee_name: n.nomineeName,
      department: n.department ?? null,
      story: n.story,
      photo_key: n.photoKey ?? null,
      nominated_by: n.by,
      status: n.status,
      created_at: n.at,
      filing_key: n.filingKey,
    })
    .onConflict((oc) => oc.columns(['round_id', 'nominee_open_id']).doNothing())
    .returningAll()
    .executeTakeFirst()
  return row ? { nomination: row, created: true } : undefined
}

export async function nominationById(db: Db, id: number): Promise<Nomination | undefined> {
  return db.selectFrom('award_nominations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockNomination(trx: Transaction<Database>, id: number): Promise<Nomination | undefined> {
  return trx.selectFrom('award_nominations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function setNominationStatus(db: Db, id: number, status: NominationStatus): Promise<Nomination> {
  return db.updateTable('award_nominations').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** A round's nominations with their co-signers counted, in the order they came. */
export async function listNominations(db: Db, roundId: number): Promise<Array<Nomination & { cosigned: number }>> {
  const rows = await db
    .selectFrom('award_nominations as n')
    .selectAll('n')
    .select((eb) => eb.selectFrom('award_cosigners as c').select((e) => e.fn.countAll<string>().as('k')).whereRef('c.nomination_id', '=', 'n.id').as('cosigned'))
    .where('n.round_id', '=', roundId)
    .orderBy('n.id')
    .execute()
  return rows.map((r) => ({ ...r, cosigned: Number(r.cosigned ?? 0) }))
}

/** Adds a co-signer (once); the number of co-signers afterwards, or undefined when they had signed already. */
export async function addCosigner(trx: Transaction<Database>, nominationId: number, openId: string, at: Date): Promise<number | undefined> {
  const r = await trx.insertInto('award_cosigners').values({ nomination_id: nominationId, open_id: openId, at }).onConflict((oc) => oc.columns(['nomination_id', 'open_id']).doNothing()).executeTakeFirst()
  if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return undefined
  return countCosigners(trx, nominationId)
}

export async function countCosigners(db: Db, nominationId: number): Promise<number> {
  const row = await db.selectFrom('award_cosigners').select((eb) => eb.fn.countAll<string>().as('n')).where('nomination_id', '=', nominationId).executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- objections (officer side: never the objector of an anonymous one) ----

export async function objectionById(db: Db, id: number): Promise<Objection | undefined> {
  return db.selectFrom('award_objections').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockObjection(trx: Transaction<Database>, id: number): Promise<Objection | undefined> {
  return trx.selectFrom('award_objections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listObjections(db: Db, roundId: number): Promise<Objection[]> {
  return db.selectFrom('award_objections').selectAll().where('round_id', '=', roundId).orderBy('id').execute()
}

export async function answerObjection(db: Db, id: number, a: { answer: ObjectionAnswer; reason: string; by: string; at: Date }): Promise<Objection> {
  return db.updateTable('award_objections').set({ answer: a.answer, answer_reason: a.reason, answered_by: a.by, answered_at: a.at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function objectionCounts(db: Db, roundId: number): Promise<{ total: number; unanswered: number }> {
  const row = await db
    .selectFrom('award_objections')
    .select((eb) => [eb.fn.countAll<string>().as('total'), sql<string>`count(*) filter (where answer is null)`.as('open')])
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow()
  return { total: Number(row.total), unanswered: Number(row.open) }
}

// ---- the chair's reminder when 公示 is over ----

const REMINDER_LEDGER: ClaimLedger = { table: 'award_reminders', keyColumns: ['round_id'], unfinished: sql`award_reminders.sent_at is null` }

/** Rounds whose 公示 ended before `now` and that are not final yet. */
export async function publicityOver(db: Db, now: Date): Promise<Round[]> {
  return db.selectFrom('award_rounds').selectAll().where('status', '=', 'publicity').where('publicity_until', '<', now).orderBy('id').execute()
}

export async function claimRoundReminder(db: Db, roundId: number, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { round_id: roundId }, { now, leaseMs })) !== undefined
}

export async function markRoundReminded(db: Db, roundId: number, now: Date): Promise<void> {
  await db.updateTable('award_reminders').set({ sent_at: now }).where('round_id', '=', roundId).execute()
}

// ---- the archive ----

/** The awardees of rounds finalised in `year` (the round's year), by round and nomination order. */
export async function archive(db: Db, year: number): Promise<ArchiveEntry[]> {
  const rows = await db
    .selectFrom('award_nominations as n')
    .innerJoin('award_rounds as r', 'r.id', 'n.round_id')
    .select(['r.number', 'r.name', 'n.nominee_name', 'n.department', 'n.story'])
    .where('r.year', '=', year)
    .where('r.status', '=', 'final')
    .where('n.status', '=', 'selected')
    .orderBy('r.id')
    .orderBy('n.id')
    .execute()
  return rows.map((r) => ({ roundNumber: r.number, roundName: r.name, nomineeName: r.nominee_name, department: r.department ?? undefined, story: r.story }))
}
