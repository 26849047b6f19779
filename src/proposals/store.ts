// Records of congress proposals: representatives, departments, collection windows, proposals, co-signers,
// followers, the timeline and overdue reminders. Functions take `db` or a transaction first; no logic beyond SQL.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { ProposalDepartmentsTable, ProposalsTable, ProposalWindowsTable } from './tables.js'
import type { ProposalStatus } from './model.js'

export type Db = Kysely<Database> | Transaction<Database>

// ---- representatives ----

export interface Representative {
  openId: string
  name: string
  addedAt: Date
}

/** Adds (or restores) a representative; 'exists' when already active. */
export async function addRepresentative(db: Db, r: { openId: string; name: string; by: string; at: Date }): Promise<'added' | 'exists'> {
  const row = await db
    .insertInto('proposal_representatives')
    .values({ open_id: r.openId, name: r.name, added_by: r.by, added_at: r.at })
    .onConflict((oc) =>
      oc
        .column('open_id')
        .doUpdateSet({ name: r.name, added_by: r.by, added_at: r.at, removed_at: null, removed_by: null })
        .where('proposal_representatives.removed_at', 'is not', null),
    )
    .returning('open_id')
    .executeTakeFirst()
  if (!row) {
    // Already active: refresh the name only.
    if (r.name) await db.updateTable('proposal_representatives').set({ name: r.name }).where('open_id', '=', r.openId).execute()
    return 'exists'
  }
  return 'added'
}

export async function removeRepresentative(db: Db, openId: string, by: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('proposal_representatives')
    .set({ removed_at: at, removed_by: by })
    .where('open_id', '=', openId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function isRepresentative(db: Db, openId: string): Promise<boolean> {
  const row = await db.selectFrom('proposal_representatives').select('open_id').where('open_id', '=', openId).where('removed_at', 'is', null).executeTakeFirst()
  return row !== undefined
}

export async function listRepresentatives(db: Db): Promise<Representative[]> {
  const rows = await db.selectFrom('proposal_representatives').selectAll().where('removed_at', 'is', null).orderBy('added_at').orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, name: r.name, addedAt: r.added_at }))
}

export async function activeRepresentativeIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('proposal_representatives').select('open_id').where('removed_at', 'is', null).orderBy('open_id').execute()
  return rows.map((r) => r.open_id)
}

/** Names recorded when people were added as representatives or contacts (fallback for the contact API). */
export async function knownNames(db: Db, openIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  if (openIds.length === 0) return names
  const reps = await db.selectFrom('proposal_representatives').select(['open_id', 'name']).where('open_id', 'in', openIds).execute()
  for (const r of reps) if (r.name) names.set(r.open_id, r.name)
  const contacts = await db.selectFrom('proposal_departments').select(['contact_open_id', 'contact_name']).where('contact_open_id', 'in', openIds).execute()
  for (const c of contacts) if (c.contact_name && !names.has(c.contact_open_id)) names.set(c.contact_open_id, c.contact_name)
  return names
}

// ---- departments ----

export interface Department {
  id: number
  name: string
  contactOpenId: string
  contactName: string
  active: boolean
}

const toDepartment = (r: Selectable<ProposalDepartmentsTable>): Department => ({
  id: r.id,
  name: r.name,
  contactOpenId: r.contact_open_id,
  contactName: r.contact_name,
  active: r.removed_at === null,
})

/** Adds a department or, when the name exists, sets its contact (and restores it if it was removed). */
export async function upsertDepartment(
  db: Db,
  d: { name: string; contactOpenId: string; contactName: string; by: string; at: Date },
): Promise<{ department: Department; created: boolean; previousContact: string | undefined }> {
  const before = await db.selectFrom('proposal_departments').selectAll().where('name', '=', d.name).executeTakeFirst()
  const row = await db
    .insertInto('proposal_departments')
    .values({ name: d.name, contact_open_id: d.contactOpenId, contact_name: d.contactName, added_by: d.by, added_at: d.at, updated_at: d.at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ contact_open_id: d.contactOpenId, contact_name: d.contactName, updated_at: d.at, removed_at: null }))
    .returningAll()
    .executeTakeFirstOrThrow()
  return { department: toDepartment(row), created: !before || before.removed_at !== null, previousContact: before?.removed_at === null ? before.contact_open_id : undefined }
}

export async function removeDepartment(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('proposal_departments').set({ removed_at: at, updated_at: at }).where('id', '=', id).execute()
}

export async function findDepartmentByName(db: Db, name: string): Promise<Department | undefined> {
  const row = await db.selectFrom('proposal_departments').selectAll().where('name', '=', name).where('removed_at', 'is', null).executeTakeFirst()
  return row ? toDepartment(row) : undefined
}

export async function getDepartment(db: Db, id: number): Promise<Department | undefined> {
  const row = await db.selectFrom('proposal_departments').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toDepartment(row) : undefined
}

export async function listDepartments(db: Db): Promise<Department[]> {
  const rows = await db.selectFrom('proposal_departments').selectAll().where('removed_at', 'is', null).orderBy('name').execute()
  return rows.map(toDepartment)
}

export async function isDepartmentContact(db: Db, openId: string): Promise<boolean> {
  const row = await db.selectFrom('proposal_departments').select('id').where('contact_open_id', '=', openId).where('removed_at', 'is', null).executeTakeFirst()
  return row !== undefined
}

export async function countOpenProposalsOfDepartment(db: Db, departmentId: number): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('department_id', '=', departmentId)
    .where('status', 'in', ['in_progress', 'answered'])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- collection windows ----

export interface ProposalWindow {
  id: number
  name: string
  openedAt: Date
  closedAt: Date | null
}

const toWindow = (r: Selectable<ProposalWindowsTable>): ProposalWindow => ({ id: r.id, name: r.name, openedAt: r.opened_at, closedAt: r.closed_at })

export async function openWindow(db: Db, w: { name: string; by: string; at: Date }): Promise<ProposalWindow | undefined> {
  // The partial unique index admits one open window; a concurrent second opening inserts nothing.
  const row = await sql<Selectable<ProposalWindowsTable>>`
    insert into proposal_windows (name, opened_at, opened_by) values (${w.name}, ${w.at}, ${w.by})
    on conflict ((true)) where closed_at is null do nothing
    returning *`.execute(db)
  return row.rows[0] ? toWindow(row.rows[0]) : undefined
}

export async function currentWindow(db: Db): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().where('closed_at', 'is', null).executeTakeFirst()
  return row ? toWindow(row) : undefined
}

/** The open window, or else the one closed last: what 提案列表 shows. */
export async function latestWindow(db: Db): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().orderBy(sql`closed_at is null`, 'desc').orderBy('opened_at', 'desc').orderBy('id', 'desc').executeTakeFirst()
  return row ? toWindow(row) : undefined
}

export async function getWindow(db: Db, id: number): Promise<ProposalWindow | undefined> {
  const row = await db.selectFrom('proposal_windows').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toWindow(row) : undefined
}

export async function closeWindow(db: Db, id: number, by: string, at: Date): Promise<boolean> {
  const res = await db.updateTable('proposal_windows').set({ closed_at: at, closed_by: by }).where('id', '=', id).where('closed_at', 'is', null).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

// ---- proposals ----

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

export async function updateProposal(db: Db, id: number, changes: ProposalChanges, at: Date): Promise<Proposal> {
  const set: Record<string, unknown> = { updated_at: at }
  for (const [key, value] of Object.entries(changes)) set[COLUMN[key as keyof ProposalChanges]] = value
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

// ---- co-signers and followers ----

export async function addCosigner(trx: Transaction<Database>, proposalId: number, openId: string, at: Date, eventId: string): Promise<boolean> {
  const row = await trx
    .insertInto('proposal_cosigners')
    .values({ proposal_id: proposalId, open_id: openId, signed_at: at, event_id: eventId })
    .onConflict((oc) => oc.columns(['proposal_id', 'open_id']).doNothing())
    .returning('open_id')
    .executeTakeFirst()
  return row !== undefined
}

export async function cosignerOf(db: Db, proposalId: number, openId: string): Promise<{ eventId: string | null } | undefined> {
  const row = await db.selectFrom('proposal_cosigners').select('event_id').where('proposal_id', '=', proposalId).where('open_id', '=', openId).executeTakeFirst()
  return row ? { eventId: row.event_id } : undefined
}

/** Whether `openId` is the proposer or a co-signer of the proposal (who may then neither handle nor answer it). */
export async function isProposerOrCosigner(db: Db, p: { id: number; proposerOpenId: string }, openId: string): Promise<boolean> {
  return p.proposerOpenId === openId || (await cosignerOf(db, p.id, openId)) !== undefined
}

export async function listCosigners(db: Db, proposalId: number): Promise<Array<{ openId: string; signedAt: Date }>> {
  const rows = await db.selectFrom('proposal_cosigners').select(['open_id', 'signed_at']).where('proposal_id', '=', proposalId).orderBy('signed_at').orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, signedAt: r.signed_at }))
}

export async function addFollower(db: Db, proposalId: number, openId: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('proposal_followers')
    .values({ proposal_id: proposalId, open_id: openId, followed_at: at })
    .onConflict((oc) => oc.columns(['proposal_id', 'open_id']).doNothing())
    .returning('open_id')
    .executeTakeFirst()
  return row !== undefined
}

export async function removeFollower(db: Db, proposalId: number, openId: string): Promise<boolean> {
  const res = await db.deleteFrom('proposal_followers').where('proposal_id', '=', proposalId).where('open_id', '=', openId).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

export async function listFollowers(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db.selectFrom('proposal_followers').select('open_id').where('proposal_id', '=', proposalId).orderBy('followed_at').execute()
  return rows.map((r) => r.open_id)
}

// ---- timeline ----

export interface TimelineEntry {
  at: Date
  kind: string
  actorOpenId: string | null
  note: string | null
  detail: Record<string, unknown>
  eventId: string
}

export async function addTimeline(
  db: Db,
  e: { proposalId: number; at: Date; kind: string; actorOpenId: string | null; note?: string | null; detail?: Record<string, unknown>; eventId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('proposal_timeline')
    .values({
      proposal_id: e.proposalId,
      at: e.at,
      kind: e.kind,
      actor_open_id: e.actorOpenId,
      note: e.note ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      event_id: e.eventId,
    })
    .onConflict((oc) => oc.columns(['proposal_id', 'kind', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** The step this event already wrote, if any: a re-run of the event finds its own change. */
export async function timelineStepOfEvent(db: Db, proposalId: number, kind: string, eventId: string): Promise<TimelineEntry | undefined> {
  const row = await db.selectFrom('proposal_timeline').selectAll().where('proposal_id', '=', proposalId).where('kind', '=', kind).where('event_id', '=', eventId).executeTakeFirst()
  return row ? { at: row.at, kind: row.kind, actorOpenId: row.actor_open_id, note: row.note, detail: row.detail ?? {}, eventId: row.event_id } : undefined
}

export async function listTimeline(db: Db, proposalId: number): Promise<TimelineEntry[]> {
  const rows = await db.selectFrom('proposal_timeline').selectAll().where('proposal_id', '=', proposalId).orderBy('at').orderBy('id').execute()
  return rows.map((r) => ({ at: r.at, kind: r.kind, actorOpenId: r.actor_open_id, note: r.note, detail: r.detail ?? {}, eventId: r.event_id }))
}

// ---- overdue reminders ----

export async function reminderSent(db: Db, proposalId: number, day: string): Promise<boolean> {
  const row = await db.selectFrom('proposal_reminders').select('day').where('proposal_id', '=', proposalId).where('day', '=', day).executeTakeFirst()
  return row !== undefined
}

export async function recordReminder(db: Db, r: { proposalId: number; day: string; at: Date; recipientOpenId: string }): Promise<boolean> {
  const row = await db
    .insertInto('proposal_reminders')
    .values({ proposal_id: r.proposalId, day: r.day, sent_at: r.at, recipient_open_id: r.recipientOpenId })
    .onConflict((oc) => oc.columns(['proposal_id', 'day']).doNothing())
    .returning('day')
    .executeTakeFirst()
  return row !== undefined
}
