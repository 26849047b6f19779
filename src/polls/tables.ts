// Kysely table types of polls (migrations/0019_polls.ts, 0020_congress.ts adds meeting_id); added to Database in
// src/db/schema.ts. Who voted and what was voted live in separate tables with no column that joins them.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp } from '../db/schema.js'

type WrittenTimestamp = ColumnType<Date, Date | string, Date | string>

export interface PollsTable {
  id: Generated<string>
  seq_no: number
  number: string
  kind: ColumnType<string, string | undefined, string>
  title: string
  /** The options as typed, in order (jsonb array of strings). */
  options: ColumnType<string[], string, string>
  multiple: boolean
  anonymous: boolean
  audience: string
  audience_value: string | null
  closes_at: NullableTimestamp
  results_live: ColumnType<boolean, boolean | undefined, boolean>
  free_question: string | null
  status: string
  voted_count: ColumnType<number, number | undefined, number>
  eligible_count: number | null
  version: ColumnType<number, number | undefined, number>
  created_by: string
  created_at: WrittenTimestamp
  created_event_id: string
  source_message_id: string | null
  origin_chat_id: string | null
  opened_at: NullableTimestamp
  opened_event_id: string | null
  closed_at: NullableTimestamp
  closed_by: string | null
  closed_event_id: string | null
  meeting_id: string | null
}

/** Who has voted (one vote each); nothing about what. */
export interface PollVotersTable {
  poll_id: string
  open_id: string
  sealed: ColumnType<boolean, boolean | undefined, boolean>
}

/** Anonymous polls: counts per option only. */
export interface PollTalliesTable {
  poll_id: string
  option_no: number
  votes: ColumnType<number, number | undefined, number>
}

/** Anonymous polls: free-text answers in random order, one array per poll. */
export interface PollFreeAnswersTable {
  poll_id: string
  answers: ColumnType<string[], string | undefined, string>
}

/** Named polls: who voted what. */
export interface PollNamedBallotsTable {
  poll_id: string
  open_id: string
  choices: ColumnType<number[], string, string>
  answer: string | null
  changed_at: WrittenTimestamp
}

export interface PollClosingsTable {
  poll_id: string
  claimed_until: WrittenTimestamp
  done_at: NullableTimestamp
}

export interface PollTables {
  polls: PollsTable
  poll_voters: PollVotersTable
  poll_tallies: PollTalliesTable
  poll_free_answers: PollFreeAnswersTable
  poll_named_ballots: PollNamedBallotsTable
  poll_closings: PollClosingsTable
}
