// Co-signers (附议) of proposals: who supported a proposal, recorded with the causing event so a re-run signs once.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Db } from './store.js'

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
