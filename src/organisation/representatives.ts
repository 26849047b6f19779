// Worker representatives (职工代表, with 选区/代表团 and 届次): who may submit proposals, and the names recorded for
// representatives and department contacts. The organisation's (issue #20); proposals and others read them from here.
import type { Db } from '../db/schema.js'

export interface Representative {
  openId: string
  name: string
  addedAt: Date
  /** 选区/代表团 and 届次, when given. */
  constituency?: string
  term?: string
}

/**
 * Adds (or restores, with the 选区/届次 given) a representative; for one already active, 'updated' when the 选区 or
 * 届次 given differ from those recorded (QA F31), else 'exists'.
 */
export async function addRepresentative(db: Db, r: { openId: string; name: string; by: string; at: Date; constituency?: string; term?: string }): Promise<'added' | 'updated' | 'exists'> {
  const seat = { ...(r.constituency ? { constituency: r.constituency } : {}), ...(r.term ? { term: r.term } : {}) }
  const row = await db
    .insertInto('proposal_representatives')
    .values({ open_id: r.openId, name: r.name, added_by: r.by, added_at: r.at, constituency: r.constituency ?? null, term: r.term ?? null })
    .onConflict((oc) =>
      oc
        .column('open_id')
        .doUpdateSet({ name: r.name, added_by: r.by, added_at: r.at, removed_at: null, removed_by: null, ...seat })
        .where('proposal_representatives.removed_at', 'is not', null),
    )
    .returning('open_id')
    .executeTakeFirst()
  if (!row) {
    // Already active: refresh the name, and the seat when one is given.
    const before = await db.selectFrom('proposal_representatives').select(['constituency', 'term']).where('open_id', '=', r.openId).executeTakeFirst()
    const moved = (seat.constituency !== undefined && seat.constituency !== before?.constituency) || (seat.term !== undefined && seat.term !== before?.term)
    if (r.name || moved) await db.updateTable('proposal_representatives').set({ ...(r.name ? { name: r.name } : {}), ...seat }).where('open_id', '=', r.openId).execute()
    return moved ? 'updated' : 'exists'
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
  return rows.map((r) => ({ openId: r.open_id, name: r.name, addedAt: r.added_at, ...(r.constituency ? { constituency: r.constituency } : {}), ...(r.term ? { term: r.term } : {}) }))
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
