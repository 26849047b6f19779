// Kysely table types of 厂务公开 notices (migrations/0018_notices.ts); added to Database in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp } from '../db/schema.js'

export type NoticeStatus = 'published' | 'withdrawn'
export type NoticeAudience = 'chats' | 'members'
export type OpinionStatus = 'received' | 'forwarded' | 'answered'

/** A timestamptz column the application always writes (from the injected clock). */
type WrittenTimestamp = ColumnType<Date, Date | string, Date | string>
type Defaulted<T> = ColumnType<T, T | undefined, T>

export interface NoticesTable {
  id: Generated<string>
  seq_no: number
  number: string
  /** Typed by an officer (Feishu markdown allowed in the body, sanitised before showing). */
  title: string
  body: string
  category: string
  revision: Defaulted<number>
  audience: NoticeAudience
  chat_ids: JSONColumnType<string[], string | undefined, string>
  confirm_reading: boolean
  opinions_until: NullableTimestamp
  status: Defaulted<NoticeStatus>
  read_count: Defaulted<number>
  version: Defaulted<number>
  created_by: string
  created_at: WrittenTimestamp
  created_event_id: string
  source_message_id: string | null
  withdrawn_at: NullableTimestamp
  withdrawn_by: string | null
  withdraw_reason: string | null
  withdrawn_event_id: string | null
}

export interface NoticeRevisionsTable {
  notice_id: string
  revision: number
  title: string
  body: string
  category: string
  change_note: string | null
  by_open_id: string
  at: WrittenTimestamp
  event_id: string
}

export interface NoticeRecipientsTable {
  notice_id: string
  open_id: string
  department: string | null
}

export interface NoticeReadsTable {
  notice_id: string
  open_id: string
  read_at: WrittenTimestamp
}

export interface NoticeDeliveriesTable {
  kind: 'read-reminder' | 'opinion-card' | 'reply-overdue'
  ref: string
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

export interface NoticeOpinionsTable {
  id: Generated<string>
  notice_id: string
  seq: number
  /** Typed by a worker: escaped wherever it is shown, and shown to the committee and the department only. */
  body: string
  anonymous: boolean
  /** Named opinions only. */
  author_open_id: string | null
  author_name: string | null
  submitted_on: string
  filing_key: string
  committee_due_at: WrittenTimestamp
  committee_message_id: string | null
  status: Defaulted<OpinionStatus>
  department: string | null
  contact_open_id: string | null
  public_summary: string | null
  forwarded_by: string | null
  forwarded_at: NullableTimestamp
  forwarded_event_id: string | null
  reply_due_at: NullableTimestamp
  reply: string | null
  replied_by: string | null
  replied_at: NullableTimestamp
  replied_event_id: string | null
}

export interface NoticeTables {
  notices: NoticesTable
  notice_revisions: NoticeRevisionsTable
  notice_recipients: NoticeRecipientsTable
  notice_reads: NoticeReadsTable
  notice_deliveries: NoticeDeliveriesTable
  notice_opinions: NoticeOpinionsTable
}
