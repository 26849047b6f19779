// Table types of activity sign-ups (migrations/0004_activities.ts). The digest reads these too: times, capacity,
// status, sign-up status and check-in time are plain columns on purpose.
import type { ColumnType, Generated } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'

export type ActivityStatus = 'open' | 'cancelled' | 'ended'
/** What the shared cards show: sign-up open, sign-up closed, check-in open, ended. */
export type ActivityPhase = 'signup' | 'closed' | 'checkin' | 'ended'
export type SignupStatus = 'confirmed' | 'waitlisted' | 'cancelled'

/** A timestamptz column the application always writes (from the injected clock). */
type WrittenTimestamp = ColumnType<Date, Date | string, Date | string>

export interface ActivitiesTable {
  id: Generated<string>
  seq_no: number
  number: string
  title: string
  description: ColumnType<string, string | undefined, string>
  place: string
  starts_at: WrittenTimestamp
  ends_at: WrittenTimestamp
  signup_deadline: WrittenTimestamp
  capacity: number
  allow_cancel_after_deadline: ColumnType<boolean, boolean | undefined, boolean>
  status: ColumnType<ActivityStatus, ActivityStatus | undefined, ActivityStatus>
  card_phase: ColumnType<ActivityPhase, ActivityPhase | undefined, ActivityPhase>
  confirmed_count: ColumnType<number, number | undefined, number>
  waitlist_count: ColumnType<number, number | undefined, number>
  version: ColumnType<number, number | undefined, number>
  created_by: string
  created_at: WrittenTimestamp
  created_event_id: string
  source_message_id: string | null
  origin_chat_id: string | null
  cancelled_at: NullableTimestamp
  cancelled_by: string | null
  cancel_reason: string | null
  cancelled_event_id: string | null
  /** Digits to give at check-in (shown to the organiser for the venue); null when check-in needs no code. */
  checkin_code: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ActivitySignupsTable {
  activity_id: string
  open_id: string
  status: SignupStatus
  /** Queue order (global sequence taken under the activity's row lock). */
  seq: string
  signed_up_at: WrittenTimestamp
  confirmed_at: NullableTimestamp
  promoted_at: NullableTimestamp
  promotion_notified_at: NullableTimestamp
  cancelled_at: NullableTimestamp
  checked_in_at: NullableTimestamp
  reminded_at: NullableTimestamp
  /** Wrong check-in codes given so far; check-in stops at CHECKIN_MAX_ATTEMPTS (kept across cancel and sign-up). */
  checkin_failed_attempts: ColumnType<number, number | undefined, number>
}

/**
 * A read-only view over live_cards' activity rows (migrations/0010_live_cards.ts), kept for queries written against
 * the old table; the bot itself reads and writes live_cards through src/kit/live-cards.ts.
 */
export interface ActivityCardsView {
  message_id: string
  activity_id: string
  chat_id: string | null
  /** The person a private copy is for (one live copy each); null for shared cards. */
  open_id: string | null
  /** A group card (patched on every change); false for a private copy (caught up each minute and on phase changes). */
  shared: boolean
  posted_at: Date
  rendered_version: number
  refreshed_at: Date
  gone_at: Date | null
}

export interface ActivityTables {
  activities: ActivitiesTable
  activity_signups: ActivitySignupsTable
  activity_cards: ActivityCardsView
}
