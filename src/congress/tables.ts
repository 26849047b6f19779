// Kysely table types of the congress's meetings (migrations/0020_congress.ts); added to Database in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp } from '../db/schema.js'

type WrittenTimestamp = ColumnType<Date, Date | string, Date | string>

export interface CongressMeetingsTable {
  id: Generated<string>
  seq_no: number
  number: string
  title: string
  term: string | null
  status: string
  /** 应到: the term's representatives when the meeting opened (the base of the quorum and of the pass rule). */
  expected_count: number
  chat_id: string | null
  version: ColumnType<number, number | undefined, number>
  created_by: string
  created_at: WrittenTimestamp
  created_event_id: string
  closed_at: NullableTimestamp
  closed_by: string | null
  closed_event_id: string | null
  report_due_on: string | null
}

/** The roll: every representative of the term; checked_in without a time (nothing to line up with votes). */
export interface CongressRollTable {
  meeting_id: string
  open_id: string
  name: ColumnType<string, string | undefined, string>
  checked_in: ColumnType<boolean, boolean | undefined, boolean>
  recorded_by: string | null
}

export interface CongressRemindersTable {
  meeting_id: string
  claimed_until: WrittenTimestamp
  sent_at: NullableTimestamp
}

/** Which constituency (选区) a department belongs to (migrations/0038_elections.ts). */
export interface ConstituencyDepartmentsTable {
  department: string
  constituency: string
  set_by: string
  set_at: WrittenTimestamp
}

/** An election of representatives: a poll of kind 'election' in one constituency, with the seats to fill. */
export interface ElectionsTable {
  poll_id: string
  constituency: string
  seats: number
  term: string | null
  applied_at: NullableTimestamp
}

/** The candidates in the ballot's order (the poll's options). */
export interface ElectionCandidatesTable {
  poll_id: string
  option_no: number
  open_id: string
  name: string
}

export interface CongressTables {
  congress_meetings: CongressMeetingsTable
  congress_roll: CongressRollTable
  congress_reminders: CongressRemindersTable
  constituency_departments: ConstituencyDepartmentsTable
  elections: ElectionsTable
  election_candidates: ElectionCandidatesTable
}
