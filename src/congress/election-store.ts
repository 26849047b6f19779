// Election records (migrations/0038_elections.ts): the election beside its poll (constituency, seats, term), the
// candidates with their open_ids, the constituencies' departments, and — once, at closing — the winners made
// representatives of their constituency for the term (proposal_representatives, the organisation's roll).
import type { Database, Db } from '../db/schema.js'
import type { Transaction } from 'kysely'

export interface Election {
  pollId: string
  constituency: string
  seats: number
  term: string | undefined
  appliedAt: Date | undefined
  candidates: Array<{ optionNo: number; openId: string; name: string }>
}

export async function createElection(trx: Transaction<Database>, e: { pollId: string; constituency: string; seats: number; term: string | undefined; candidates: Array<{ openId: string; name: string }> }): Promise<void> {
  await trx.insertInto('elections').values({ poll_id: e.pollId, constituency: e.constituency, seats: e.seats, term: e.term ?? null, applied_at: null }).execute()
  await trx.insertInto('election_candidates').values(e.candidates.map((c, i) => ({ poll_id: e.pollId, option_no: i, open_id: c.openId, name: c.name }))).execute()
}

export async function findElection(db: Db, pollId: string): Promise<Election | undefined> {
  const row = await db.selectFrom('elections').selectAll().where('poll_id', '=', pollId).executeTakeFirst()
  if (!row) return undefined
  const candidates = await db.selectFrom('election_candidates').selectAll().where('poll_id', '=', pollId).orderBy('option_no').execute()
  return {
    pollId: String(row.poll_id),
    constituency: row.constituency,
    seats: row.seats,
    term: row.term ?? undefined,
    appliedAt: row.applied_at ?? undefined,
    candidates: candidates.map((c) => ({ optionNo: c.option_no, openId: c.open_id, name: c.name })),
  }
}

/**
 * Makes the winners representatives of the constituency for the term, once (the election row is claimed by
 * setting applied_at; false when it had been done). A winner who was a representative already moves to this
 * constituency and term; a removed one is restored.
 */
export async function applyWinners(trx: Transaction<Database>, pollId: string, winners: Array<{ openId: string; name: string }>, w: { constituency: string; term: string | undefined; by: string; at: Date }): Promise<boolean> {
  const claimed = await trx.updateTable('elections').set({ applied_at: w.at }).where('poll_id', '=', pollId).where('applied_at', 'is', null).returning('poll_id').executeTakeFirst()
  if (!claimed) return false
  for (const p of winners) {
    await trx
      .insertInto('proposal_representatives')
      .values({ open_id: p.openId, name: p.name, added_by: w.by, added_at: w.at, constituency: w.constituency, term: w.term ?? null })
      .onConflict((oc) => oc.column('open_id').doUpdateSet({ name: p.name, constituency: w.constituency, term: w.term ?? null, removed_at: null, removed_by: null }))
      .execute()
  }
  return true
}

/** Sets the departments a constituency is made of (a department moves from any other constituency). */
export async function setConstituency(trx: Transaction<Database>, constituency: string, departments: string[], by: { openId: string; at: Date }): Promise<void> {
  await trx.deleteFrom('constituency_departments').where('constituency', '=', constituency).execute()
  for (const d of departments) {
    await trx
      .insertInto('constituency_departments')
      .values({ department: d, constituency, set_by: by.openId, set_at: by.at })
      .onConflict((oc) => oc.column('department').doUpdateSet({ constituency, set_by: by.openId, set_at: by.at }))
      .execute()
  }
}

/** Every constituency set, with its departments (sorted). */
export async function listConstituencies(db: Db): Promise<Array<{ constituency: string; departments: string[] }>> {
  const rows = await db.selectFrom('constituency_departments').select(['constituency', 'department']).orderBy('constituency').orderBy('department').execute()
  const by = new Map<string, string[]>()
  for (const r of rows) by.set(r.constituency, [...(by.get(r.constituency) ?? []), r.department])
  return [...by].map(([constituency, departments]) => ({ constituency, departments }))
}
