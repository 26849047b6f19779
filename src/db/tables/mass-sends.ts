// Table types of the mass-send queue (migrations/0030_mass_sends.ts; kept by src/kit/mass-send.ts).
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp } from '../schema.js'

export type MassSendStatus = 'sending' | 'done'
export type MassRecipientStatus = 'pending' | 'sent' | 'gone'

export interface MassSendsTable {
  id: Generated<string>
  subject_type: string
  subject_id: string
  owner_open_id: string
  total: number
  status: ColumnType<MassSendStatus, MassSendStatus | undefined, MassSendStatus>
  created_at: ColumnType<Date, Date | string, Date | string>
  finished_at: NullableTimestamp
}

export interface MassSendRecipientsTable {
  send_id: string
  open_id: string
  status: ColumnType<MassRecipientStatus, MassRecipientStatus | undefined, MassRecipientStatus>
  claimed_until: NullableTimestamp
  claimed_by: string | null
  attempts: ColumnType<number, number | undefined, number>
  done_at: NullableTimestamp
}

export interface MassSendTables {
  mass_sends: MassSendsTable
  mass_send_recipients: MassSendRecipientsTable
}
