// Kysely types of the proposal tables (migrations/0003_proposals.ts). Codes, not labels, are stored:
// status ∈ ProposalStatus, answer_class ∈ A/B/C, satisfaction ∈ src/kit/satisfaction.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { ProposalDepartmentsTable, ProposalRepresentativesTable } from '../organisation/roster-tables.js'

// The representatives' and departments' tables are the organisation's (src/organisation/roster-tables.ts); their
// names stay as the migrations made them.
export type { ProposalDepartmentsTable, ProposalRepresentativesTable }

export interface ProposalWindowsTable {
  id: Generated<number>
  name: string
  opened_at: Timestamp
  opened_by: string
  closed_at: NullableTimestamp
  closed_by: string | null
}

/** A `date` column: node-postgres reads it as a Date at local midnight; the store turns it into 'YYYY-MM-DD'. */
export type DateColumn = ColumnType<Date | null, string | null | undefined, string | null>

export interface ProposalsTable {
  id: Generated<number>
  number: string
  year: number
  seq: number
  window_id: number
  proposer_open_id: string
  title: string
  content: string
  category: string
  status: string
  created_event_id: string | null
  submitted_at: Timestamp
  review_ready_at: NullableTimestamp
  reviewed_at: NullableTimestamp
  reviewed_by: string | null
  review_reason: string | null
  department_id: number | null
  assigned_at: NullableTimestamp
  assigned_by: string | null
  due_date: DateColumn
  answered_at: NullableTimestamp
  answered_by: string | null
  answer_text: string | null
  answer_class: string | null
  rated_at: NullableTimestamp
  satisfaction: string | null
  reopen_count: ColumnType<number, number | undefined, number>
  closed_at: NullableTimestamp
  withdrawn_at: NullableTimestamp
  withdraw_reason: string | null
  committee_message_id: string | null
  department_message_id: string | null
  rating_message_id: string | null
  updated_at: Timestamp
  /** Bumped by every change its cards show (0027_desk): the live-card kit patches copies showing an older one. */
  card_version: ColumnType<number, number | undefined, number>
}

export interface ProposalCosignersTable {
  proposal_id: number
  open_id: string
  signed_at: Timestamp
  event_id: string | null
}

export interface ProposalFollowersTable {
  proposal_id: number
  open_id: string
  followed_at: Timestamp
}

export interface ProposalTimelineTable {
  id: Generated<string>
  proposal_id: number
  at: Timestamp
  kind: string
  actor_open_id: string | null
  /** Free text typed by a person (a reason): shown on cards only, escaped. */
  note: string | null
  detail: JSONColumnType<Record<string, unknown>, string | null, string | null> | null
  event_id: string
}

export interface ProposalRemindersTable {
  proposal_id: number
  /** Local date (TIMEZONE) of the reminder, 'YYYY-MM-DD'. */
  day: string
  /** The claim's lease (src/kit/periodic.ts); null on rows sent before migration 0012. */
  claimed_until: NullableTimestamp
  /** Null while claimed and not yet sent. */
  sent_at: NullableTimestamp
  recipient_open_id: string
}

export interface ProposalTables {
  proposal_representatives: ProposalRepresentativesTable
  proposal_departments: ProposalDepartmentsTable
  proposal_windows: ProposalWindowsTable
  proposals: ProposalsTable
  proposal_cosigners: ProposalCosignersTable
  proposal_followers: ProposalFollowersTable
  proposal_timeline: ProposalTimelineTable
  proposal_reminders: ProposalRemindersTable
}
