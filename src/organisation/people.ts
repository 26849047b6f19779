// The people the organisation knows by name (QA F14): officers, members, representatives and the care roster, for a
// `@张伟` typed in private chat (where nobody can be @-mentioned) — the command may go on when exactly one matches.
import type { Db } from '../db/schema.js'
import { MEMBER_STATUS_LABEL, type MemberStatus } from './members-model.js'
import { OFFICER_ROLE_LABEL, type OfficerRole } from './model.js'

/** One person the organisation knows, with what it knows them as (「会员 · 第一车间」). */
export interface KnownPerson {
  openId: string
  name: string
  /** What they are to the union, for the confirmation: 工会副主席, 会员 · 第一车间, 职工代表 · 二车间. */
  known: string[]
}

/** Everyone the organisation knows under exactly this name (a handful at most), by open_id. */
export async function knownPeopleNamed(db: Db, name: string): Promise<KnownPerson[]> {
  const found = new Map<string, KnownPerson>()
  const add = (openId: string, what: string) => {
    const p = found.get(openId) ?? { openId, name, known: [] }
    if (!p.known.includes(what)) p.known.push(what)
    found.set(openId, p)
  }
  const officers = await db.selectFrom('officers').innerJoin('users', 'users.open_id', 'officers.open_id').select(['officers.open_id', 'officers.role']).where('users.name', '=', name).limit(10).execute()
  for (const o of officers) add(o.open_id, `工会${OFFICER_ROLE_LABEL[o.role as OfficerRole] ?? '干部'}`)
  const members = await db.selectFrom('members').select(['open_id', 'department', 'status']).where('name', '=', name).where('status', 'in', ['member', 'applied']).limit(10).execute()
  for (const m of members) add(m.open_id, [MEMBER_STATUS_LABEL[m.status as MemberStatus] ?? '会员', m.department].filter(Boolean).join(' · '))
  const reps = await db.selectFrom('proposal_representatives').select(['open_id', 'constituency']).where('name', '=', name).where('removed_at', 'is', null).limit(10).execute()
  for (const r of reps) add(r.open_id, ['职工代表', r.constituency].filter(Boolean).join(' · '))
  const roster = await db.selectFrom('care_roster').select(['open_id', 'department']).where('name', '=', name).limit(10).execute()
  for (const r of roster) add(r.open_id, ['关怀名单', r.department].filter(Boolean).join(' · '))
  return [...found.values()]
}
