// Kysely types of the representatives (职工代表, with 选区 and 届次) and the departments with their contacts: the
// organisation's, used by proposals, supervision and notices (issue #20). The table names are those of
// migrations/0003_proposals.ts and 0014_members.ts (proposal_representatives, proposal_departments), kept as they are.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

export interface ProposalRepresentativesTable {
  open_id: string
  /** Display name as Feishu gave it in the @-mention when added (a fallback when the contact API is silent). */
  name: ColumnType<string, string | undefined, string>
  added_by: string | null
  added_at: Timestamp
  removed_at: NullableTimestamp
  removed_by: string | null
  /** 选区/代表团 and 届次 (0014_members); null when not given. */
  constituency: ColumnType<string | null, string | null | undefined, string | null>
  term: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ProposalDepartmentsTable {
  id: Generated<number>
  name: string
  contact_open_id: string
  contact_name: ColumnType<string, string | undefined, string>
  added_by: string | null
  added_at: Timestamp
  updated_at: Timestamp
  removed_at: NullableTimestamp
}
