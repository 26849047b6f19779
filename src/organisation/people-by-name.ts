// People by the name an officer types (慰问 登记 张伟): members of that exact name first, else people the bot knows
// by it. One answer is the person; several are a choice (with the department the union has for each); none is a
// question again. Shared by the flows that name a person in text rather than by an @-mention.
import type { Db } from '../db/schema.js'

export interface NamedPerson {
  openId: string
  name: string
  /** The department on the membership row, when the union has one. */
  department?: string
}

/** At most `limit` people called exactly `name`: members (status member) if any, else the people the bot has seen. */
export async function peopleNamed(db: Db, name: string, limit = 5): Promise<NamedPerson[]> {
  const members = await db.selectFrom('members').select(['open_id', 'name', 'department']).where('name', '=', name).where('status', '=', 'member').orderBy('open_id').limit(limit).execute()
  if (members.length) return members.map((m) => ({ openId: m.open_id, name: m.name ?? name, ...(m.department ? { department: m.department } : {}) }))
  const users = await db.selectFrom('users').select(['open_id', 'name']).where('name', '=', name).orderBy('open_id').limit(limit).execute()
  return users.map((u) => ({ openId: u.open_id, name: u.name ?? name }))
}
