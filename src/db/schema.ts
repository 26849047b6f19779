// Kysely table types: one interface per table, gathered into Database. Feature tables live in their own files.
import type { ColumnType, Generated, JSONColumnType, Kysely, Transaction } from 'kysely'
import type { ActivityTables } from '../activities/tables.js'
import type { CareTables } from '../care/tables.js'
import type { HardshipTables } from '../hardship/tables.js'
import type { DigestTables } from '../digests/tables.js'
import type { GrievanceTables } from '../grievances/tables.js'
import type { OrganisationTables } from '../organisation/tables.js'
import type { MemberTables } from '../organisation/member-tables.js'
import type { NoticeTables } from '../notices/tables.js'
import type { MediationTables } from '../mediation/tables.js'
import type { DismissalTables, SupervisionTables } from '../supervision/tables.js'
import type { ProposalTables } from '../proposals/tables.js'
import type { PollTables } from '../polls/tables.js'
import type { CongressTables } from '../congress/tables.js'
import type { RecognitionTables } from '../recognition/tables.js'
import type { LearningTables } from '../learning/tables.js'
import type { LiveCardTables } from './tables/live-cards.js'
import type { ServerSecretTables } from './tables/server-secrets.js'
import type { ConversationDraftTables } from './tables/conversation-drafts.js'
import type { MassSendTables } from './tables/mass-sends.js'
import type { EvidenceTables } from './tables/evidence.js'

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export interface InboxEventsTable {
  /** `msg:<message_id>` or `evt:<event_id>`: the de-duplication key and the row's identity. */
  dedup_key: string
  event_id: string
  event_type: string
  /** The normalized Update as JSON text; cleared once processed so message text is not kept. */
  payload: string | null
  status: ColumnType<'pending' | 'done' | 'failed', 'pending' | 'done' | 'failed' | undefined, 'pending' | 'done' | 'failed'>
  attempts: ColumnType<number, number | undefined, number>
  lease_owner: string | null
  lease_until: ColumnType<Date, Date | string, Date | string>
  received_at: Timestamp
  done_at: NullableTimestamp
  last_error: string | null
}

export interface UsersTable {
  open_id: string
  name: string | null
  first_seen_at: Timestamp
  name_fetched_at: NullableTimestamp
}

export interface OfficersTable {
  open_id: string
  title: string | null
  /** 主席 / 副主席 / 委员 (src/organisation/model.ts); rows from before 0013 are 委员. */
  role: ColumnType<'chair' | 'vice_chair' | 'member', 'chair' | 'vice_chair' | 'member' | undefined, 'chair' | 'vice_chair' | 'member'>
  added_by: string | null
  added_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<string>
  at: Timestamp
  actor_open_id: string
  action: string
  subject_type: string
  subject_id: string
  detail: JSONColumnType<Record<string, unknown>, string | null, string | null> | null
  event_id: string | null
}

export interface BotChatsTable {
  chat_id: string
  name: ColumnType<string, string | undefined, string>
  added_at: Timestamp
  added_by: string | null
  removed_at: NullableTimestamp
}

export interface SequencesTable {
  name: string
  value: number
}

export interface FoundationTables {
  sequences: SequencesTable
  inbox_events: InboxEventsTable
  users: UsersTable
  officers: OfficersTable
  audit_log: AuditLogTable
  bot_chats: BotChatsTable
}

/** The whole database. Each feature adds its tables by extending this interface with its own *Tables. */
export interface Database extends FoundationTables, GrievanceTables, ProposalTables, ActivityTables, DigestTables, OrganisationTables, ServerSecretTables, LiveCardTables, MemberTables, ConversationDraftTables, NoticeTables, PollTables, CongressTables, MediationTables, SupervisionTables, CareTables, HardshipTables, RecognitionTables, LearningTables, MassSendTables, EvidenceTables, DismissalTables {}

/** What a query function takes first: the database or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>
