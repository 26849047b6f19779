// Reads and writes the officer-loaded holiday arrangements, and keeps a WorkCalendar in step with them.
import type { Kysely, Transaction } from 'kysely'
import type { WorkCalendar, YearArrangement } from '../calendar.js'
import type { Database } from '../db/schema.js'

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
