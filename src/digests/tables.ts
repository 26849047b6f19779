// Table types of scheduled digests (migrations/0005_digests.ts): subscriptions per chat and the delivery keys.
import type { ColumnType } from 'kysely'
import type { NullableTimestamp } from '../db/schema.js'
import type { DigestKind } from './periods.js'

/** A timestamptz column the application always writes (from the injected clock). */
type WrittenTimestamp = ColumnType<Date, Date | string, Date | string>

/** A subscription is to one of the scheduled digests (src/digests/periods.ts). */
export type DigestSubscriptionKind = DigestKind
export type DigestDisabledReason = 'unsubscribed' | 'recipient_gone'
export type DigestDeliveryStatus = 'claimed' | 'sent' | 'skipped' | 'failed'

export interface DigestSubscriptionsTable {
  chat_id: string
  kind: DigestSubscriptionKind
  created_by: string
  created_at: WrittenTimestamp
  disabled_at: NullableTimestamp
  disabled_by: string | null
  disabled_reason: DigestDisabledReason | null
}

export interface DigestDeliveriesTable {
  chat_id: string
  kind: DigestSubscriptionKind
  /** The period's key: the local send date ('YYYY-MM-DD'). */
  period: string
  status: DigestDeliveryStatus
  audience: 'public' | 'committee' | null
  claimed_at: WrittenTimestamp
  claimed_until: WrittenTimestamp
  attempts: ColumnType<number, number | undefined, number>
  finished_at: NullableTimestamp
  message_id: string | null
  outcome: string | null
}

export interface DigestTables {
  digest_subscriptions: DigestSubscriptionsTable
  digest_deliveries: DigestDeliveriesTable
}
