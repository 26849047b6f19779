// The 职工书屋's records that change: a loan (one copy, a return date; refused when every copy is out), its return,
// the once-only reminder the day before the return date (claimOnce), and the reading check-ins of 读书打卡.
import { sql, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'

export type LoanResult = { outcome: 'lent'; loanId: number; dueOn: string } | { outcome: 'already'; loanId: number; dueOn: string } | { outcome: 'none_left'; copies: number }

/** Lends one copy of the book (under its row lock, so two borrowers never take the last copy together). */
export async function lend(trx: Transaction<Database>, l: { bookId: number; openId: string; today: string; dueOn: string; eventId: string }): Promise<LoanResult> {
  const again = await trx.selectFrom('library_loans').select(['id', 'due_on']).where('created_event_id', '=', l.eventId).executeTakeFirst()
  if (again) return { outcome: 'lent', loanId: again.id, dueOn: again.due_on }
  const book = await trx.selectFrom('library_books').select(['id', 'copies']).where('id', '=', l.bookId).forUpdate().executeTakeFirstOrThrow()
  const mine = await trx.selectFrom('library_loans').select(['id', 'due_on']).where('book_id', '=', book.id).where('open_id', '=', l.openId).where('returned_on', 'is', null).executeTakeFirst()
  if (mine) return { outcome: 'already', loanId: mine.id, dueOn: mine.due_on }
  const out = await trx.selectFrom('library_loans').select((eb) => eb.fn.countAll<string>().as('n')).where('book_id', '=', book.id).where('returned_on', 'is', null).executeTakeFirstOrThrow()
  if (Number(out.n) >= book.copies) return { outcome: 'none_left', copies: book.copies }
  const row = await trx
    .insertInto('library_loans')
    .values({ book_id: book.id, open_id: l.openId, borrowed_on: l.today, due_on: l.dueOn, created_event_id: l.eventId })
    .returning(['id', 'due_on'])
    .executeTakeFirstOrThrow()
  return { outcome: 'lent', loanId: row.id, dueOn: row.due_on }
}

/** Returns the borrower's loan; false when it is not theirs or already returned. */
export async function giveBack(db: Db, loanId: number, openId: string, today: string): Promise<boolean> {
  const r = await db.updateTable('library_loans').set({ returned_on: today }).where('id', '=', loanId).where('open_id', '=', openId).where('returned_on', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

const REMINDER_LEDGER: ClaimLedger = { table: 'library_reminders', keyColumns: ['loan_id'], unfinished: sql`library_reminders.sent_at is null` }

export async function claimLoanReminder(db: Db, loanId: number, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { loan_id: loanId }, { now, leaseMs })) !== undefined
}

export async function markLoanReminded(db: Db, loanId: number, now: Date): Promise<void> {
  await db.updateTable('library_reminders').set({ sent_at: now }).where('loan_id', '=', loanId).execute()
}

/** Records today's reading check-in (one a day); false when there was one already. */
export async function checkInReading(db: Db, c: { openId: string; day: string; book: string; note: string | undefined; at: Date }): Promise<boolean> {
  const r = await db
    .insertInto('reading_checkins')
    .values({ open_id: c.openId, day: c.day, book: c.book, note: c.note ?? null, at: c.at })
    .onConflict((oc) => oc.columns(['open_id', 'day']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** A person's reading check-ins in a year: how many days, and the latest few. */
export async function readingOf(db: Db, openId: string, year: number): Promise<{ days: number; recent: Array<{ day: string; book: string }> }> {
  const rows = await db.selectFrom('reading_checkins').select(['day', 'book']).where('open_id', '=', openId).where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day', 'desc').execute()
  return { days: rows.length, recent: rows.slice(0, 5) }
}
