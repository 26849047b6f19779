// Table types of evidence (migrations/0034_evidence.ts; kept by src/kit/evidence.ts).
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp } from '../schema.js'

export type EvidenceStatus = 'pending' | 'ready' | 'refused' | 'failed'

export interface EvidenceTable {
  id: Generated<string>
  subject_type: string
  subject_id: string
  ordinal: number
  kind: 'image' | 'file'
  source_key: string
  source_message_id: string | null
  original_name: string | null
  extension: string | null
  status: ColumnType<EvidenceStatus, EvidenceStatus | undefined, EvidenceStatus>
  refusal: string | null
  bot_key: string | null
  size_bytes: number | null
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: ColumnType<Date, Date | string, Date | string>
  claimed_until: NullableTimestamp
  last_error: string | null
  created_at: ColumnType<Date, Date | string, Date | string>
  ready_at: NullableTimestamp
}

export interface EvidenceTables {
  evidence: EvidenceTable
}
