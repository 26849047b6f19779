// Hardship cases: filing (numbered K-2026-0001 in the filing transaction), the locked row for transition(), the
// step history, the responsible officers and their private cards, and the annual review ledger. Amounts are fen.
import { sql, type Selectable, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { nextInSequence } from '../core/sequences.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { HardshipCasesTable } from './tables.js'
import { HARDSHIP_NUMBER, type HardshipAttachment, type HardshipCase, type HardshipLevel, type HardshipStatus } from './model.js'

export const toCase = (r: Selectable<HardshipCasesTable>): HardshipCase => ({
  id: Number(r.id),
  number: r.number,
  openId: r.open_id,
  name: r.name,
  department: r.department ?? undefined,
  incomeFen: r.income_fen,
  rigidFen: r.rigid_fen,
  householdSize: r.household_size,
  suddenFen: r.sudden_fen,
  level: r.level as HardshipLevel,
  sudden: r.sudden,
  reason: r.reason,
  attachments: JSON.parse(r.attachments) as HardshipAttachment[],
  namePublic: r.name_public,
  status: r.status as HardshipStatus,
  visitNote: r.visit_note ?? undefined,
  visitedOn: r.visited_on ?? undefined,
  decisionNote: r.decision_note ?? undefined,
  paidFen: r.paid_fen ?? undefined,
  paidOn: r.paid_on ?? undefined,
  reviewDueOn: r.review_due_on ?? undefined,
  createdAt: r.created_at,
})

export interface NewCase {
  openId: string
  name: string
  department: string | undefined
  incomeFen: number
  rigidFen: number
  householdSize: number
  suddenFen: number
  level: HardshipLevel
  sudden: boolean
  reason: string
  namePublic: boolean
  filingKey: string
  eventId: string
  at: Date
  /** The local year (the number's). */
  year: number
}

/** Files the application once per filing key (a second click on the same card finds the first). */
export async function fileCase(trx: Transaction<Database>, c: NewCase): Promise<{ created: boolean; case: HardshipCase }> {
  const existing = await trx.selectFrom('hardship_cases').selectAll().where('filing_key', '=', c.filingKey).executeTakeFirst()
  if (existing) return { created: false, case: toCase(existing) }
  const year = c.year
  const number = HARDSHIP_NUMBER.format(year, await nextInSequence(trx, `hardship:${year}`))
  const row = await trx
    .insertInto('hardship_cases')
    .values({
      number,
      open_id: c.openId,
      name: c.name,
      department: c.department ?? null,
      income_fen: c.incomeFen,
      rigid_fen: c.rigidFen,
      household_size: c.householdSize,
      sudden_fen: c.suddenFen,
      level: c.level,
      sudden: c.sudden,
      reason: c.reason,
      name_public: c.namePublic,
      attachments: '[]',
      status: 'applied',
      filing_key: c.filingKey,
      created_at: c.at,
      updated_at: c.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await recordStep(trx, { caseId: Number(row.id), kind: 'applied', eventId: c.eventId, from: undefined, to: 'applied', actor: c.openId, at: c.at })
  return { created: true, case: toCase(row) }
}

export async function findCase(db: Db, id: number): Promise<HardshipCase | undefined> {
  const row = await db.selectFrom('hardship_cases').selectAll().where('id', '=', String(id)).executeTakeFirst()
  return row ? toCase(row) : undefined
}

export async function findCaseByNumber(db: Db, number: string): Promise<HardshipCase | undefined> {
  const row = await db.selectFrom('hardship_cases').selectAll().where('number', '=', number).executeTakeFirst()
  return row ? toCase(row) : undefined
}

export async function casesOf(db: Db, openId: string): Promise<HardshipCase[]> {
  const rows = await db.selectFrom('hardship_cases').selectAll().where('open_id', '=', openId).orderBy('id', 'desc').limit(20).execute()
  return rows.map(toCase)
}

export async function lockCase(trx: Transaction<Database>, id: number): Promise<HardshipCase | undefined> {
  const row = await trx.selectFrom('hardship_cases').selectAll().where('id', '=', String(id)).forUpdate().executeTakeFirst()
  return row ? toCase(row) : undefined
}

export interface CaseChange {
  status?: HardshipStatus
  visitNote?: string
  visitedOn?: string
  decisionNote?: string
  paidFen?: number
  paidOn?: string
  reviewDueOn?: string
  attachments?: HardshipAttachment[]
}

export async function updateCase(db: Db, id: number, c: CaseChange, at: Date): Promise<HardshipCase> {
  const row = await db
    .updateTable('hardship_cases')
    .set({
      updated_at: at,
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.visitNote !== undefined ? { visit_note: c.visitNote } : {}),
      ...(c.visitedOn !== undefined ? { visited_on: c.visitedOn } : {}),
      ...(c.decisionNote !== undefined ? { decision_note: c.decisionNote } : {}),
      ...(c.paidFen !== undefined ? { paid_fen: c.paidFen } : {}),
      ...(c.paidOn !== undefined ? { paid_on: c.paidOn } : {}),
      ...(c.reviewDueOn !== undefined ? { review_due_on: c.reviewDueOn } : {}),
      ...(c.attachments !== undefined ? { attachments: JSON.stringify(c.attachments) } : {}),
    })
    .where('id', '=', String(id))
    .returningAll()
    .executeTakeFirstOrThrow()
  return toCase(row)
}

export async function stepTaken(db: Db, caseId: number, kind: string, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('hardship_events').select('id').where('case_id', '=', String(caseId)).where('kind', '=', kind).where('event_id', '=', eventId).executeTakeFirst()
  return row !== undefined
}

export async function recordStep(
  db: Db,
  e: { caseId: number; kind: string; eventId: string; from: HardshipStatus | undefined; to: HardshipStatus; actor: string; at: Date },
): Promise<void> {
  await db
    .insertInto('hardship_events')
    .values({ case_id: String(e.caseId), kind: e.kind, event_id: e.eventId, from_status: e.from ?? null, to_status: e.to, actor_open_id: e.actor, at: e.at })
    .execute()
}

export async function caseHistory(db: Db, caseId: number): Promise<Array<{ kind: string; at: Date }>> {
  const rows = await db.selectFrom('hardship_events').select(['kind', 'at']).where('case_id', '=', String(caseId)).orderBy('id').execute()
  return rows.map((r) => ({ kind: r.kind, at: r.at }))
}

/**
 * The officers responsible for hardship aid: the chair and vice chairs (主席、副主席); until a chair is set in chat,
 * the officers of UNION_OFFICER_OPEN_IDS (the same bootstrap as the set-up rights).
 */
export async function responsibleOfficers(db: Db, configured: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom('officers').select(['open_id', 'role']).where('role', 'in', ['chair', 'vice_chair']).orderBy('open_id').execute()
  const chairSet = rows.some((r) => r.role === 'chair')
  return [...new Set([...rows.map((r) => r.open_id), ...(chairSet ? [] : configured)])]
}

export async function rememberCard(db: Db, caseId: number, openId: string, messageId: string): Promise<void> {
  await db
    .insertInto('hardship_cards')
    .values({ case_id: String(caseId), open_id: openId, message_id: messageId })
    .onConflict((oc) => oc.columns(['case_id', 'open_id']).doUpdateSet({ message_id: messageId }))
    .execute()
}

export async function cardsOfCase(db: Db, caseId: number): Promise<Array<{ openId: string; messageId: string }>> {
  const rows = await db.selectFrom('hardship_cards').select(['open_id', 'message_id']).where('case_id', '=', String(caseId)).execute()
  return rows.map((r) => ({ openId: r.open_id, messageId: r.message_id }))
}

/** Paid cases whose annual review is due on or before `today` (local date). */
export async function reviewsDue(db: Db, today: string): Promise<HardshipCase[]> {
  const rows = await db.selectFrom('hardship_cases').selectAll().where('status', '=', 'paid').where('review_due_on', '<=', today).orderBy('id').execute()
  return rows.map(toCase)
}

const REVIEW_LEDGER: ClaimLedger = { table: 'hardship_reviews', keyColumns: ['case_id', 'due_on'], unfinished: sql`hardship_reviews.sent_at is null` }

export async function claimReview(db: Db, c: { id: number; dueOn: string }, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REVIEW_LEDGER, { case_id: c.id, due_on: c.dueOn }, { now, leaseMs })) !== undefined
}

export async function markReviewSent(db: Db, c: { id: number; dueOn: string }, now: Date): Promise<void> {
  await db.updateTable('hardship_reviews').set({ sent_at: now }).where('case_id', '=', String(c.id)).where('due_on', '=', c.dueOn).execute()
}
