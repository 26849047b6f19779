// Kysely table types of 会员关怀 (migration 0023_care); added to Database in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

/** One care event; amounts are integer fen. */
export interface CareEventsTable {
  id: Generated<string>
  open_id: string
  name: string
  department: string | null
  kind: string
  amount_fen: number
  gift: string | null
  occurred_on: string
  year: number
  status: string
  over_cap: string | null
  recorded_by: string
  decided_by: string | null
  decided_at: NullableTimestamp
  approval_message_id: string | null
  /** The event that registered it: a re-run registers nothing twice. */
  event_id: string
  created_at: Timestamp
}

/** Birthdays (MM-DD) and retirement dates the union imports; the bot never guesses them. */
export interface CareRosterTable {
  open_id: string
  name: string
  department: string | null
  birthday: string | null
  retires_on: string | null
  imported_by: string
  imported_at: Timestamp
}

/** One reminder per kind, person and date (claimOnce's ledger). */
export interface CareRemindersTable {
  kind: string
  open_id: string
  on_date: string
  claimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  sent_at: NullableTimestamp
}

export interface CareTables {
  care_events: CareEventsTable
  care_roster: CareRosterTable
  care_reminders: CareRemindersTable
}
