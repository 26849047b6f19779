// Kysely table of conversation drafts kept in Postgres (migrations/0028_conversation_drafts.ts, src/state/drafts.ts).
import type { ColumnType } from 'kysely'

export interface ConversationDraftsTable {
  person_key: string
  slot: string
  flow: string
  sealed: string
  saved_at: ColumnType<Date, Date, Date>
  live_until: ColumnType<Date, Date, Date>
  purge_after: ColumnType<Date, Date, Date>
}

export interface ConversationDraftTables {
  conversation_drafts: ConversationDraftsTable
}
