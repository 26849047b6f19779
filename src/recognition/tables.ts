// Kysely table types of recognition (migrations/0025_recognition.ts); added to Database in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { NominationStatus, Nominators, ObjectionAnswer, RoundStatus } from './model.js'

export interface AwardRoundsTable {
  id: Generated<number>
  /** PX-<year>-<2 digits>, from the per-year sequence `award:<year>`. */
  number: string
  year: number
  name: string
  places: number
  nominators: Nominators
  cosigners: ColumnType<number, number | undefined, number>
  /** Local date: nominations are taken until the end of this day. */
  deadline: string
  status: ColumnType<RoundStatus, RoundStatus | undefined, RoundStatus>
  publicity_from: NullableTimestamp
  publicity_until: NullableTimestamp
  /** The chats the selected list and the publicity cards go to. */
  publicity_chats: JSONColumnType<string[], string | undefined, string>
  review_message_id: string | null
  /** Bumped by every committee step; card buttons carry it, so a stale card never acts. */
  revision: ColumnType<number, number | undefined, number>
  created_by: string
  created_at: Timestamp
  created_event_id: string
  finalised_at: NullableTimestamp
}

export interface AwardStepsTable {
  id: Generated<string>
  subject: 'round' | 'nomination'
  subject_id: number
  kind: string
  event_id: string
  actor_open_id: string | null
  at: Timestamp
}

export interface AwardNominationsTable {
  id: Generated<number>
  round_id: number
  nominee_open_id: string
  nominee_name: string
  department: string | null
  story: string
  photo_key: string | null
  nominated_by: string
  status: NominationStatus
  created_at: Timestamp
  filing_key: string
}

export interface AwardCosignersTable {
  nomination_id: number
  open_id: string
  at: Timestamp
}

export interface AwardObjectionsTable {
  id: Generated<number>
  round_id: number
  nomination_id: number
  anonymous: boolean
  /** Named objections only (null for anonymous ones; see award_objectors). */
  objector_open_id: string | null
  objector_name: string | null
  body: string
  /** Local date only. */
  raised_on: string
  filing_key: string
  answer: ObjectionAnswer | null
  answer_reason: string | null
  answered_by: string | null
  answered_at: NullableTimestamp
}

/** Who raised each objection, anonymous or not: read only by src/recognition/objectors.ts. */
export interface AwardObjectorsTable {
  objection_id: number
  open_id: string
}

/** Once-only reminder to the chair that a round's 公示 is over (claimOnce of src/kit/periodic.ts). */
export interface AwardRemindersTable {
  round_id: number
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

export interface RecognitionTables {
  award_reminders: AwardRemindersTable
  award_rounds: AwardRoundsTable
  award_steps: AwardStepsTable
  award_nominations: AwardNominationsTable
  award_cosigners: AwardCosignersTable
  award_objections: AwardObjectionsTable
  award_objectors: AwardObjectorsTable
}
