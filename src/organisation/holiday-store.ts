// Reads and writes the officer-loaded holiday arrangements, keeps a WorkCalendar in step with them, and records the
// weekly reminder that next year's arrangement is missing.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { WorkCalendar, YearArrangement } from '../calendar.js'
import type { Database, Db } from '../db/schema.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'

export interface StoredArrangement extends YearArrangement {
  readonly loadedBy: string
  readonly loadedAt: Date
}

export async function listArrangements(db: Kysely<Database>): Promise<StoredArrangement[]> {
  const rows = await db.selectFrom('holiday_arrangements').selectAll().orderBy('year').execute()
  return rows.map((r) => ({ year: r.year, holidays: r.holidays, workdays: r.workdays, loadedBy: r.loaded_by, loadedAt: r.loaded_at }))
}

/** Stores (or replaces) a year's arrangement. */
export async function saveArrangement(db: Kysely<Database> | Transaction<Database>, arrangement: YearArrangement, loadedBy: string, now: Date): Promise<void> {
  const values = {
    year: arrangement.year,
    holidays: JSON.stringify(arrangement.holidays),
    workdays: JSON.stringify(arrangement.workdays),
    loaded_by: loadedBy,
    loaded_at: now,
  }
  await db
    .insertInto('holiday_arrangements')
    .values(values)
    .onConflict((oc) => oc.column('year').doUpdateSet({ holidays: values.holidays, workdays: values.workdays, loaded_by: loadedBy, loaded_at: now }))
    .execute()
}

/** Loads every stored arrangement into the calendar (at start, after a change, and on each scheduler tick). */
export async function refreshCalendar(db: Kysely<Database>, calendar: WorkCalendar): Promise<void> {
  calendar.setLoaded(await listArrangements(db))
}

/** The arrangement officers loaded for a year, with who loaded it, if any. */
export async function findArrangement(db: Db, year: number): Promise<StoredArrangement | undefined> {
  const r = await db.selectFrom('holiday_arrangements').selectAll().where('year', '=', year).executeTakeFirst()
  return r ? { year: r.year, holidays: r.holidays, workdays: r.workdays, loadedBy: r.loaded_by, loadedAt: r.loaded_at } : undefined
}

/** One reminder per (year asked for, ISO week); sent_at marks it done. */
const REMINDER_LEDGER: ClaimLedger = { table: 'holiday_reminders', keyColumns: ['week'], unfinished: sql`holiday_reminders.sent_at is null` }

/** Claims the week's reminder about `year` (undefined key: someone else holds it or it was sent). */
export async function claimHolidayReminder(db: Db, key: { year: number; week: string }, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, REMINDER_LEDGER, { week: `${key.year}:${key.week}` }, { now, leaseMs, values: { year: key.year } })) !== undefined
}

export async function markHolidayReminderSent(db: Db, key: { year: number; week: string }, now: Date, messageId: string | null): Promise<void> {
  await db.updateTable('holiday_reminders').set({ sent_at: now, message_id: messageId }).where('week', '=', `${key.year}:${key.week}`).execute()
}
