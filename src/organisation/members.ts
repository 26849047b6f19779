// Membership rows and their history: reads, the locked row for transition(), the history entry, and counts.
// Functions take `db` or a transaction first; no logic beyond SQL and mapping rows to Member.
import type { Selectable, Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { MembersTable } from './member-tables.js'
import type { Member, MemberStatus } from './members-model.js'

export const toMember = (r: Selectable<MembersTable>): Member => ({
  openId: r.open_id,
  name: r.name,
  department: r.department ?? undefined,
  status: r.status as MemberStatus,
  source: r.source as Member['source'],
  appliedAt: r.applied_at ?? undefined,
  joinedOn: r.joined_on ?? undefined,
  endedOn: r.ended_on ?? undefined,
  endReason: r.end_reason ?? undefined,
  refusalReason: r.refusal_reason ?? undefined,
  applicationMessageId: r.application_message_id ?? undefined,
})

export async function findMember(db: Db, openId: string): Promise<Member | undefined> {
  const row = await db.selectFrom('members').selectAll().where('open_id', '=', openId).executeTakeFirst()
  return row ? toMember(row) : undefined
}

export async function isMember(db: Db, openId: string): Promise<boolean> {
  const row = await db.selectFrom('members').select('open_id').where('open_id', '=', openId).where('status', '=', 'member').executeTakeFirst()
  return row !== undefined
}

/** The row under FOR UPDATE (transition()'s lock). */
export async function lockMember(trx: Transaction<Database>, openId: string): Promise<Member | undefined> {
  const row = await trx.selectFrom('members').selectAll().where('open_id', '=', openId).forUpdate().executeTakeFirst()
  return row ? toMember(row) : undefined
}

/** Creates the row of someone never seen before (status refused = "not a member", so the step can apply). */
export async function ensureMemberRow(trx: Transaction<Database>, m: { openId: string; name: string; at: Date; source: Member['source'] }): Promise<void> {
  await trx
    .insertInto('members')
    .values({ open_id: m.openId, name: m.name, status: 'refused', source: m.source, updated_at: m.at })
    .onConflict((oc) => oc.column('open_id').doNothing())
    .execute()
}

export interface MemberChange {
  status?: MemberStatus
  name?: string
  department?: string | null
  source?: Member['source']
  appliedAt?: Date | null
  joinedOn?: string | null
  endedOn?: string | null
  endReason?: string | null
  decidedBy?: string | null
  refusalReason?: string | null
  applicationMessageId?: string | null
}

export async function updateMember(db: Db, openId: string, c: MemberChange, at: Date): Promise<Member> {
  const row = await db
    .updateTable('members')
    .set({
      updated_at: at,
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.department !== undefined ? { department: c.department } : {}),
      ...(c.source !== undefined ? { source: c.source } : {}),
      ...(c.appliedAt !== undefined ? { applied_at: c.appliedAt } : {}),
      ...(c.joinedOn !== undefined ? { joined_on: c.joinedOn } : {}),
      ...(c.endedOn !== undefined ? { ended_on: c.endedOn } : {}),
      ...(c.endReason !== undefined ? { end_reason: c.endReason } : {}),
      ...(c.decidedBy !== undefined ? { decided_by: c.decidedBy } : {}),
      ...(c.refusalReason !== undefined ? { refusal_reason: c.refusalReason } : {}),
      ...(c.applicationMessageId !== undefined ? { application_message_id: c.applicationMessageId } : {}),
    })
    .where('open_id', '=', openId)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toMember(row)
}

/** Whether this event already took this step on this person (transition()'s replay check). */
export async function memberStepTaken(db: Db, openId: string, kind: string, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('member_events').select('id').where('open_id', '=', openId).where('kind', '=', kind).where('event_id', '=', eventId).executeTakeFirst()
  return row !== undefined
}

export async function recordMemberStep(
  db: Db,
  e: { openId: string; kind: string; eventId: string; from: MemberStatus | undefined; to: MemberStatus; actor: string | undefined; at: Date },
): Promise<void> {
  await db
    .insertInto('member_events')
    .values({ open_id: e.openId, kind: e.kind, event_id: e.eventId, from_status: e.from ?? null, to_status: e.to, actor_open_id: e.actor || null, at: e.at })
    .execute()
}

export async function memberHistory(db: Db, openId: string): Promise<Array<{ kind: string; from: string | null; to: string }>> {
  const rows = await db.selectFrom('member_events').select(['kind', 'from_status', 'to_status']).where('open_id', '=', openId).orderBy('id').execute()
  return rows.map((r) => ({ kind: r.kind, from: r.from_status, to: r.to_status }))
}

/** Current members, by department then name. */
export async function listMembers(db: Db): Promise<Member[]> {
  const rows = await db.selectFrom('members').selectAll().where('status', '=', 'member').orderBy('department').orderBy('name').orderBy('open_id').execute()
  return rows.map(toMember)
}

/** Members (current) with exactly this name, for commands that name a person known to the organisation. */
export async function membersNamed(db: Db, name: string): Promise<Array<{ openId: string; name: string }>> {
  const rows = await db.selectFrom('members').select(['open_id', 'name']).where('name', '=', name).where('status', '=', 'member').limit(5).execute()
  return rows.map((r) => ({ openId: r.open_id, name: r.name }))
}
