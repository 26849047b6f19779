// Followers of proposals (关注): who is told of each step.
import { bumpCardVersion, type Db } from './store.js'

export async function addFollower(db: Db, proposalId: number, openId: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('proposal_followers')
    .values({ proposal_id: proposalId, open_id: openId, followed_at: at })
    .onConflict((oc) => oc.columns(['proposal_id', 'open_id']).doNothing())
    .returning('open_id')
    .executeTakeFirst()
  // Cards show how many follow the proposal.
  if (row) await bumpCardVersion(db, proposalId)
  return row !== undefined
}

export async function removeFollower(db: Db, proposalId: number, openId: string): Promise<boolean> {
  const res = await db.deleteFrom('proposal_followers').where('proposal_id', '=', proposalId).where('open_id', '=', openId).executeTakeFirst()
  const removed = Number(res.numDeletedRows) > 0
  if (removed) await bumpCardVersion(db, proposalId)
  return removed
}

export async function listFollowers(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db.selectFrom('proposal_followers').select('open_id').where('proposal_id', '=', proposalId).orderBy('followed_at').execute()
  return rows.map((r) => r.open_id)
}
