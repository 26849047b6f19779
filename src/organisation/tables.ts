// Kysely table types of the union's organisation: the holiday arrangements officers load and the weekly reminder
// that next year's is missing, settings kept in chat, setup codes and attempts, and the special committees' members
// (migrations 0011, 0013, 0017).
import type { ColumnType, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

export interface HolidayArrangementsTable {
  year: number
  holidays: JSONColumnType<string[]>
  workdays: JSONColumnType<string[]>
  loaded_by: string
  loaded_at: Timestamp
}

export interface OrganisationSettingsTable {
  key: string
  value: string | null
  /** open_id of who set it in chat; null when seeded from the environment. */
  set_by: string | null
  set_at: Timestamp
}

export interface OrganisationSetupCodesTable {
  code_hash: string
  salt: string
  created_at: Timestamp
}

export interface OrganisationSetupAttemptsTable {
  event_id: string
  open_id: string
  at: ColumnType<Date, Date | string, Date | string>
  outcome: 'wrong' | 'locked' | 'done' | 'already'
}

export interface OrganisationCommitteeMembersTable {
  committee: string
  open_id: string
  added_by: string
  added_at: Timestamp
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
  organisation_settings: OrganisationSettingsTable
  organisation_setup_codes: OrganisationSetupCodesTable
  organisation_setup_attempts: OrganisationSetupAttemptsTable
  organisation_committee_members: OrganisationCommitteeMembersTable
  holiday_reminders: HolidayRemindersTable
}

export type { ColumnType }
