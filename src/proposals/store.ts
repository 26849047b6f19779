// Records of congress proposals themselves (the other records of the desk have their own files here:
// representatives, departments, windows, cosigners, followers, timeline, reminders). Functions take `db` or a
// transaction first; no logic beyond SQL.
import { sql, type Selectable, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { ProposalsTable } from './tables.js'
import type { ProposalStatus } from './model.js'

/** Re-exported for the handlers that name it next to the proposal records. */
export type { Db }

export interface Proposal {
  id: number
  number: string
  year: number
  seq: number
  windowId: number
  proposerOpenId: string
  title: string
  content: string
  category: string
  status: ProposalStatus
  submittedAt: Date
  reviewReadyAt: Date | null
  reviewedAt: Date | null
  reviewReason: string | null
  departmentId: number | null
  assignedAt: Date | null
  dueDate: string | null
  answeredAt: Date | null
  answerText: string | null
  answerClass: string | null
  ratedAt: Date | null
  satisfaction: string | null
  reopenCount: number
  closedAt: Date | null
  withdrawnAt: Date | null
  withdrawReason: string | null
  committeeMessageId: string | null
  departmentMessageId: string | null
  ratingMessageId: string | null
  /** What its live cards are drawn from (src/kit/live-cards.ts): bumped by every change a card shows. */
  cardVersion: number
}

/** A 'YYYY-MM-DD' parameter compared with a `date` column. */
const asDate = (day: string) => sql<Date>`${day}::date`

/** node-postgres reads a `date` as local midnight; its local parts are the stored date. */
function dateString(d: Date | null): string | null {
  if (!d) return null
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

function toProposal(r: Selectable<ProposalsTable>): Proposal {
  return {
    id: r.id,
    number: r.number,
    year: r.year,
    seq: r.seq,
    windowId: r.window_id,
    proposerOpenId: r.proposer_open_id,
    title: r.title,
    content: r.content,
    category: r.category,
    status: r.status as ProposalStatus,
    submittedAt: r.submitted_at,
    reviewReadyAt: r.review_ready_at,
    reviewedAt: r.reviewed_at,
    reviewReason: r.review_reason,
    departmentId: r.department_id,
    assignedAt: r.assigned_at,
    dueDate: dateString(r.due_date),
    answeredAt: r.answered_at,
    answerText: r.answer_text,
    answerClass: r.answer_class,
    ratedAt: r.rated_at,
    satisfaction: r.satisfaction,
    reopenCount: r.reopen_count,
    closedAt: r.closed_at,
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
    committeeMessageId: r.committee_message_id,
    departmentMessageId: r.department_message_id,
    ratingMessageId: r.rating_message_id,
    cardVersion: r.card_version,
  }
}

export type NewProposal = Pick<Proposal, 'number' | 'year' | 'seq' | 'windowId' | 'proposerOpenId' | 'title' | 'content' | 'category' | 'status'> & {
  /** The event that created it (a re-run finds it: findProposalByEvent). */
  eventId: string
  at: Date
}

export async function insertProposal(trx: Transaction<Database>, p: NewProposal): Promise<Proposal> {
  const row = await trx
    .insertInto('proposals')
    .values({
      number: p.number,
      year: p.year,
      seq: p.seq,
      window_id: p.windowId,
      proposer_open_id: p.proposerOpenId,
      title: p.title,
      content: p.content,
      category: p.category,
      status: p.status,
      created_event_id: p.eventId,
      submitted_at: p.at,
      review_ready_at: p.status === 'pending_review' ? p.at : null,
      updated_at: p.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toProposal(row)
}

export async function findProposalByEvent(db: Db, eventId: string): Promise<Proposal | undefined> {
  const row = await db.selectFrom('proposals').selectAll().where('created_event_id', '=', eventId).executeTakeFirst()
  return row ? toProposal(row) : undefined
}

export async function findProposal(db: Db, number: string): Promise<Proposal | undefined> {
  const row = await db.selectFrom('proposals').selectAll().where('number', '=', number).executeTakeFirst()
  return row ? toProposal(row) : undefined
}

export async function getProposal(db: Db, id: number): Promise<Proposal | undefined> {
  const row = await db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toProposal(row) : undefined
}

/** Locks the proposal's row until the transaction ends: transitions check the current status under it. */
export async function lockProposal(trx: Transaction<Database>, number: string): Promise<Proposal | undefined> {
  const row = await trx.selectFrom('proposals').selectAll().where('number', '=', number).forUpdate().executeTakeFirst()
  return row ? toProposal(row) : undefined
}

export type ProposalChanges = Partial<{
  status: ProposalStatus
  reviewReadyAt: Date
  reviewedAt: Date
  reviewedBy: string
  reviewReason: string | null
  departmentId: number
  assignedAt: Date
  assignedBy: string
  dueDate: string
  answeredAt: Date | null
  answeredBy: string | null
  answerText: string | null
  answerClass: string | null
  ratedAt: Date
  satisfaction: string
  reopenCount: number
  closedAt: Date
  withdrawnAt: Date
  withdrawReason: string
  committeeMessageId: string
  departmentMessageId: string
  ratingMessageId: string
}>

const COLUMN: Record<keyof ProposalChanges, keyof ProposalsTable> = {
  status: 'status',
  reviewReadyAt: 'review_ready_at',
  reviewedAt: 'reviewed_at',
  reviewedBy: 'reviewed_by',
  reviewReason: 'review_reason',
  departmentId: 'department_id',
  assignedAt: 'assigned_at',
  assignedBy: 'assigned_by',
  dueDate: 'due_date',
  answeredAt: 'answered_at',
  answeredBy: 'answered_by',
  answerText: 'answer_text',
  answerClass: 'answer_class',
  ratedAt: 'rated_at',
  satisfaction: 'satisfaction',
  reopenCount: 'reopen_count',
  closedAt: 'closed_at',
  withdrawnAt: 'withdrawn_at',
  withdrawReason: 'withdraw_reason',
  committeeMessageId: 'committee_message_id',
  departmentMessageId: 'department_message_id',
  ratingMessageId: 'rating_message_id',
}

/** Where the bot keeps its own messages: remembering one changes nothing a card shows. */
const MESSAGE_IDS: ReadonlyArray<keyof ProposalChanges> = ['committeeMessageId', 'departmentMessageId', 'ratingMessageId']

export async function updateProposal(db: Db, id: number, changes: ProposalChanges, at: Date): Promise<Proposal> {
  const set: Record<string, unknown> = { updated_at: at }
  for (const [key, value] of Object.entries(changes)) set[COLUMN[key as keyof ProposalChanges]] = value
  if (Object.keys(changes).some((k) => !MESSAGE_IDS.includes(k as keyof ProposalChanges))) set.card_version = sql`card_version + 1`
  const row = await db.updateTable('proposals').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
  return toProposal(row)
}

export interface ListedProposal {
  number: string
  title: string
  status: ProposalStatus
  dueDate: string | null
  /** For 我的提案: whether the user is the proposer (else a co-signer). */
  mine?: boolean
}

const listColumns = ['number', 'title', 'status', 'due_date', 'year', 'seq'] as const

/** One page of a window's proposals, in status order then by number; `overdue` filters 办理中 past the due date. */
export async function listWindowProposals(
  db: Db,
  windowId: number,
  filter: ProposalStatus | 'overdue' | undefined,
  today: string,
  offset: number,
  limit: number,
): Promise<{ items: ListedProposal[]; total: number }> {
  let q = db.selectFrom('proposals').where('window_id', '=', windowId)
  if (filter === 'overdue') q = q.where('status', '=', 'in_progress').where('due_date', '<', asDate(today))
  else if (filter) q = q.where('status', '=', filter)
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const rows = await q
    .select([...listColumns])
    .orderBy(
      sql`array_position(array['collecting','pending_review','registered','in_progress','answered','closed','rejected','withdrawn']::text[], status)`,
    )
    .orderBy('year')
    .orderBy('seq')
    .offset(offset)
    .limit(limit)
    .execute()
  return { items: rows.map((r) => ({ number: r.number, title: r.title, status: r.status as ProposalStatus, dueDate: dateString(r.due_date) })), total: Number(total.n) }
}

export async function countWindowByStatus(db: Db, windowId: number, today: string): Promise<{ byStatus: Partial<Record<ProposalStatus, number>>; overdue: number; total: number }> {
  const rows = await db
    .selectFrom('proposals')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where status = 'in_progress' and due_date < ${today})`.as('overdue')])
    .where('window_id', '=', windowId)
    .groupBy('status')
    .execute()
  const byStatus: Partial<Record<ProposalStatus, number>> = {}
  let overdue = 0
  let total = 0
  for (const r of rows) {
    byStatus[r.status as ProposalStatus] = Number(r.n)
    overdue += Number(r.overdue)
    total += Number(r.n)
  }
  return { byStatus, overdue, total }
}

/** The user's proposals, as proposer or co-signer, newest first. */
export async function listMyProposals(db: Db, openId: string, offset: number, limit: number): Promise<{ items: ListedProposal[]; total: number }> {
  const mine = db
    .selectFrom('proposals')
    .select(['id'])
    .where((eb) => eb.or([eb('proposer_open_id', '=', openId), eb('id', 'in', eb.selectFrom('proposal_cosigners').select('proposal_id').where('open_id', '=', openId))]))
  const total = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('id', 'in', mine)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('proposals')
    .select([...listColumns, 'proposer_open_id'])
    .where('id', 'in', mine)
    .orderBy('year', 'desc')
    .orderBy('seq', 'desc')
    .offset(offset)
    .limit(limit)
    .execute()
  return {
    items: rows.map((r) => ({ number: r.number, title: r.title, status: r.status as ProposalStatus, dueDate: dateString(r.due_date), mine: r.proposer_open_id === openId })),
    total: Number(total.n),
  }
}

/** 办理中 proposals past their due date (local 'YYYY-MM-DD' strictly before today), with their department contact. */
export async function overdueProposals(db: Db, today: string): Promise<Array<{ proposal: Proposal; contactOpenId: string; departmentName: string }>> {
  const rows = await db
    .selectFrom('proposals')
    .innerJoin('proposal_departments', 'proposal_departments.id', 'proposals.department_id')
    .selectAll('proposals')
    .select(['proposal_departments.contact_open_id as contact', 'proposal_departments.name as department_name'])
    .where('proposals.status', '=', 'in_progress')
    .where('proposals.due_date', '<', asDate(today))
    .orderBy('proposals.due_date')
    .orderBy('proposals.id')
    .execute()
  return rows.map((r) => ({ proposal: toProposal(r), contactOpenId: r.contact, departmentName: r.department_name }))
}

/** 办理中 proposals of a department (waiting for its answer), oldest first. */
export async function inProgressOfDepartment(db: Db, departmentId: number): Promise<Proposal[]> {
  const rows = await db.selectFrom('proposals').selectAll().where('department_id', '=', departmentId).where('status', '=', 'in_progress').orderBy('id').execute()
  return rows.map(toProposal)
}

/**
 * Numbers of a department's proposals in hand (办理中 / 已答复, which 不满意 sends back to it) that `openId` proposed
 * or co-signed: such a person must not become the contact who answers them (security review F12).
 */
export async function ownProposalsOfDepartment(db: Db, departmentId: number, openId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('proposals')
    .select('number')
    .where('department_id', '=', departmentId)
    .where('status', 'in', ['in_progress', 'answered'])
    .where((eb) => eb.or([eb('proposer_open_id', '=', openId), eb('id', 'in', eb.selectFrom('proposal_cosigners').select('proposal_id').where('open_id', '=', openId))]))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.number)
}

/**
 * A change its cards show that is not a column of the proposal (a co-signer, a follower, a timeline step, the window
 * closing): the live cards are behind from now on.
 */
export async function bumpCardVersion(db: Db, proposalIds: number | { windowId: number }): Promise<void> {
  const q = db.updateTable('proposals').set({ card_version: sql`card_version + 1` })
  await (typeof proposalIds === 'number' ? q.where('id', '=', proposalIds) : q.where('window_id', '=', proposalIds.windowId)).execute()
}
