// Kysely table types of 困难职工帮扶 (migration 0024_hardship); added to Database in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

/** An application, created only when the worker applies; amounts in integer fen. */
export interface HardshipCasesTable {
  id: Generated<string>
  number: string
  open_id: string
  name: string
  department: string | null
  income_fen: number
  rigid_fen: number
  household_size: number
  sudden_fen: number
  level: string
  sudden: boolean
  reason: string
  /** JSON array of HardshipAttachment. */
  attachments: string
  name_public: boolean
  status: string
  visit_note: string | null
  visited_on: string | null
  decision_note: string | null
  paid_fen: number | null
  paid_on: string | null
  review_due_on: string | null
  /** The filing's key (the conversation's id): a re-run files nothing twice. */
  filing_key: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface HardshipEventsTable {
  id: Generated<string>
  case_id: string
  kind: string
  event_id: string
  from_status: string | null
  to_status: string
  actor_open_id: string
  at: Timestamp
}

/** The private card each responsible officer got, patched when the case moves. */
export interface HardshipCardsTable {
  case_id: string
  open_id: string
  message_id: string
}

export interface HardshipReviewsTable {
  case_id: string
  due_on: string
  claimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  sent_at: NullableTimestamp
}

export interface HardshipTables {
  hardship_cases: HardshipCasesTable
  hardship_events: HardshipEventsTable
  hardship_cards: HardshipCardsTable
  hardship_reviews: HardshipReviewsTable
}
