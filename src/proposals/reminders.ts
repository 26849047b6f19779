// Overdue reminders of proposals: one per proposal and local day, so a reminder goes out once across instances.
import type { Db } from './store.js'

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
