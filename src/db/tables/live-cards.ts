// Table type of the live-card registry (migrations/0010_live_cards.ts; kept by src/kit/live-cards.ts).
import type { NullableTimestamp, Timestamp } from '../schema.js'

export interface LiveCardsTable {
  message_id: string
  /** Which feature's subject the card shows ('activity', …): its renderer is registered under this name. */
  subject_type: string
  subject_id: string
  chat_id: string | null
  /** 'shared': a group card, patched on every change; 'private': one person's copy, caught up by the reconcile. */
  audience: 'shared' | 'private'
  /** The person a private copy is for (one live copy each); null for shared cards. */
  open_id: string | null
  posted_at: Timestamp
  /** The subject's version the card shows. */
  rendered_version: number
  /** Last time the bot posted or tried to patch it: the capped reconcile takes the oldest first. */
  refreshed_at: Timestamp
  /** No longer patched: Feishu refuses it for good, or a newer copy for the same chat or person replaced it. */
  gone_at: NullableTimestamp
}

export interface LiveCardTables {
  live_cards: LiveCardsTable
}
