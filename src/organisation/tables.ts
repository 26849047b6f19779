// Kysely table types of the union's organisation: the holiday arrangements officers load, and the weekly reminder
// that next year's is missing.
import type { ColumnType, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

export interface HolidayArrangementsTable {
  year: number
  holidays: JSONColumnType<string[]>
  workdays: JSONColumnType<string[]>
  loaded_by: string
  loaded_at: Timestamp
}

export interface HolidayRemindersTable {
  /** `<year>:<ISO week>`, e.g. `2027:2026-W49`. */
  week: string
  year: number
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
  message_id: string | null
}

export interface OrganisationTables {
  holiday_arrangements: HolidayArrangementsTable
  holiday_reminders: HolidayRemindersTable
}

export type { ColumnType }
