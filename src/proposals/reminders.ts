// Overdue reminders of proposals: one per proposal and local day, claimed with a lease (src/kit/periodic.ts) before
// the send and marked sent after it, so a reminder goes out once across ticks, instances and restarts.
import { sql } from 'kysely'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Db } from './store.js'

/** One overdue reminder per proposal and local day; sent_at marks it done. */
const REMINDER_LEDGER: ClaimLedger = { table: 'proposal_reminders', keyColumns: ['proposal_id', 'day'], unfinished: sql`proposal_reminders.sent_at is null` }

/** Claims the day's reminder of a proposal for this run: false when it was sent or another run holds it. */
export async function claimReminder(db: Db, r: { proposalId: number; day: string; now: Date; leaseMs: number; recipientOpenId: string }): Promise<boolean> {
  const claim = await claimOnce(db, REMINDER_LEDGER, { proposal_id: r.proposalId, day: r.day }, { now: r.now, leaseMs: r.leaseMs, values: { recipient_open_id: r.recipientOpenId } })
  return claim !== undefined
}

export async function recordReminder(db: Db, r: { proposalId: number; day: string; at: Date; recipientOpenId: string }): Promise<void> {
  await db
    .updateTable('proposal_reminders')
    .set({ sent_at: r.at, recipient_open_id: r.recipientOpenId })
    .where('proposal_id', '=', r.proposalId)
    .where('day', '=', r.day)
    .execute()
}
