// Kysely table types of union membership (migration 0014_members); added to Database in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely'
import type { Timestamp } from '../db/schema.js'

/** A person's union membership, one row per person. Dates are local YYYY-MM-DD. */
export interface MembersTable {
  open_id: string
  name: string
  department: string | null
  status: string
  source: string
  applied_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  joined_on: string | null
  ended_on: string | null
  end_reason: string | null
  decided_by: string | null
  refusal_reason: string | null
  application_message_id: string | null
  updated_at: Timestamp
}

/** Every membership step (applied, approved, refused, imported, 离职, 转出), keyed by the event that caused it. */
export interface MemberEventsTable {
  id: Generated<string>
  open_id: string
  kind: string
  event_id: string
  from_status: string | null
  to_status: string
  actor_open_id: string | null
  at: Timestamp
}

export interface MemberTables {
  members: MembersTable
  member_events: MemberEventsTable
}
