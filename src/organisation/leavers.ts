// Someone left the company: the roles the bot keeps end (officer, representative, membership → 离职) in one
// transaction, and the open work still assigned to them is found for the committee's reassignment. Nothing of their
// history is deleted: representatives and memberships are ended with a date; an officer row (which has no end
// date) is removed with its title and start kept in the audit entry.
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { BaseContext } from '../dispatch/context.js'
import { OPEN_STATUSES } from '../grievances/model.js'
import { endMembershipOnLeaving } from './member-steps.js'
import { lockMember } from './members.js'
import type { EndedRole, LeaverWork } from './members-model.js'
import type { OfficerRole } from './model.js'

/** Proposal statuses in which someone still has something to do with it. */
const OPEN_PROPOSAL_STATUSES = ['collecting', 'pending_review', 'registered', 'in_progress', 'answered']

/** Ends every role in one transaction; each change is audited with the event, so a re-run changes nothing. */
export async function endRolesOfLeaver(ctx: BaseContext, openId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const officer = await trx.deleteFrom('officers').where('open_id', '=', openId).returningAll().executeTakeFirst()
    if (officer) {
      await ctx.audit({ action: 'officer.leave', subjectType: 'officer', subjectId: openId, detail: { role: officer.role, title: officer.title, addedAt: officer.added_at, addedBy: officer.added_by } }, trx)
    }
    // Special committees (女职工委员会 …): each seat ends, its committee and start kept in the audit entry.
    const seats = await trx.deleteFrom('organisation_committee_members').where('open_id', '=', openId).returningAll().execute()
    for (const seat of seats) {
      await ctx.audit({ action: 'committee.leave', subjectType: 'committee_member', subjectId: openId, detail: { committee: seat.committee, addedAt: seat.added_at, addedBy: seat.added_by } }, trx)
    }
    const rep = await trx
      .updateTable('proposal_representatives')
      .set({ removed_at: ctx.now(), removed_by: 'left-company' })
      .where('open_id', '=', openId)
      .where('removed_at', 'is', null)
      .returning(['open_id', 'constituency', 'term'])
      .executeTakeFirst()
    if (rep) await ctx.audit({ action: 'representative.leave', subjectType: 'representative', subjectId: openId, detail: { constituency: rep.constituency, term: rep.term } }, trx)
    const member = await lockMember(trx, openId)
    if (member && (member.status === 'member' || member.status === 'applied')) await endMembershipOnLeaving(ctx, openId, trx)
  })
}

/** The roles this event ended, each named (from its audit entries: a re-run of the event finds the same ones). */
export async function rolesEndedBy(db: Db, eventId: string): Promise<EndedRole[]> {
  const rows = await db.selectFrom('audit_log').select(['action', 'detail']).where('event_id', '=', eventId).orderBy('id').execute()
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const ended: EndedRole[] = []
  for (const { action, detail } of rows) {
    const d = (detail ?? {}) as Record<string, unknown>
    if (action === 'officer.leave') ended.push({ kind: 'officer', role: parseStoredRole(d.role) })
    else if (action === 'committee.leave' && text(d.committee)) ended.push({ kind: 'committee', committee: text(d.committee)! })
    else if (action === 'representative.leave') {
      const constituency = text(d.constituency)
      const term = text(d.term)
      ended.push({ kind: 'representative', ...(constituency ? { constituency } : {}), ...(term ? { term } : {}) })
    } else if (action === 'member.leave') ended.push({ kind: 'member' })
  }
  return ended
}

/** An officers.role value as audited (older rows without one were 委员). */
const parseStoredRole = (v: unknown): OfficerRole => (v === 'chair' || v === 'vice_chair' ? v : 'member')

export async function openWorkOf(db: Db | Transaction<Database>, openId: string): Promise<LeaverWork> {
  const grievances = await db
    .selectFrom('grievances')
    .select('number')
    .where('assignee_open_id', '=', openId)
    .where('status', 'in', [...OPEN_STATUSES])
    .orderBy('id')
    .execute()
  const depts = await db.selectFrom('proposal_departments').select(['id', 'name']).where('contact_open_id', '=', openId).where('removed_at', 'is', null).orderBy('name').execute()
  const departments: LeaverWork['departments'] = []
  for (const d of depts) {
    const rows = await db.selectFrom('proposals').select('number').where('department_id', '=', d.id).where('status', 'in', ['in_progress', 'answered']).orderBy('id').execute()
    departments.push({ name: d.name, proposals: rows.map((r) => r.number) })
  }
  const own = await db.selectFrom('proposals').select('number').where('proposer_open_id', '=', openId).where('status', 'in', OPEN_PROPOSAL_STATUSES).orderBy('id').execute()
  return { grievances: grievances.map((g) => g.number), departments, proposals: own.map((p) => p.number) }
}
