// Kysely table types of the union's organisation: the holiday arrangements officers load.
import type { ColumnType, JSONColumnType } from 'kysely'
import type { Timestamp } from '../db/schema.js'

export interface HolidayArrangementsTable {
  year: number
  holidays: JSONColumnType<string[]>
  workdays: JSONColumnType<string[]>
  loaded_by: string
  loaded_at: Timestamp
}

export interface OrganisationTables {
  holiday_arrangements: HolidayArrangementsTable
}

export type { ColumnType }
