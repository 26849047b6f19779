// Table types of the grievance desk (migrations/0002_grievances.ts). Plain columns on purpose: the digest reads
// counts by category/status, times to accept/resolve, satisfaction and due dates straight from `grievances`.
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { EscalationTarget, GrievanceEventKind, GrievanceSource, GrievanceStatus, Satisfaction, StoredAttachment, TimeClass } from './model.js'

// The domain types live in the model (cards and the digest use them without seeing tables); re-exported here for
// the stores and handlers that name them next to the table types.
export type { GrievanceEventKind, GrievanceStatus, Satisfaction, StoredAttachment }

export interface GrievancesTable {
  id: Generated<number>
  /** Human number, G-<year>-<4 digits>, from the per-year sequence `grievance:<year>`. */
  number: string
  category: string
  description: string
  attachments: JSONColumnType<StoredAttachment[], string, string>
  anonymous: boolean
  /** Named cases only: who filed it (null for anonymous ones; see grievance_reporters). */
  reporter_open_id: string | null
  /** Named cases only: the reporter's display name when filed. */
  reporter_name: string | null
  status: ColumnType<GrievanceStatus, GrievanceStatus | undefined, GrievanceStatus>
  assignee_open_id: string | null
  decline_reason: string | null
  /** The latest result summary given at 办结. */
  resolution: string | null
  /** The latest rating (a reopened case keeps 'dissatisfied' until it is rated again). */
  satisfaction: Satisfaction | null
  reopened_count: ColumnType<number, number | undefined, number>
  filed_at: Timestamp
  accept_due_at: ColumnType<Date, Date | string, Date | string>
  resolve_due_at: ColumnType<Date, Date | string, Date | string>
  accepted_at: NullableTimestamp
  resolved_at: NullableTimestamp
  rated_at: NullableTimestamp
  /** When the case ended: declined, or rated 满意/基本满意 after 办结. */
  closed_at: NullableTimestamp
  /** When the deadline sweep first saw the case past its accept / resolve deadline (the card was flagged). */
  accept_overdue_at: NullableTimestamp
  resolve_overdue_at: NullableTimestamp
  /** The review card in the committee group (patched after every change). */
  review_message_id: string | null
  /** Bumped by every officer action; card buttons carry it, so a double click or a stale card acts once. */
  revision: ColumnType<number, number | undefined, number>
  /**
   * The filing conversation's draft id (random, made when the conversation starts; never a Feishu id): a retried
   * or repeated 确认 finds its grievance instead of filing twice.
   */
  filing_key: string
  /** The special committee the case went to by its category (GRIEVANCE_ROUTES, 0027_desk); null when none. */
  routed_to: ColumnType<string | null, string | null | undefined, string | null>
  /** 一般 / 复杂 (0032): chosen at 受理; sets the 办结 limit. */
  time_class: ColumnType<TimeClass, TimeClass | undefined, TimeClass>
  /** Offline cases (登记诉求, 0032): how it came in and the officer who registered it; null when filed in chat. */
  source: ColumnType<GrievanceSource | null, GrievanceSource | null | undefined, GrievanceSource | null>
  registered_by: ColumnType<string | null, string | null | undefined, string | null>
  /** 已转办 (0032): where to, and the summary the worker takes along. */
  escalated_to: ColumnType<EscalationTarget | null, EscalationTarget | null | undefined, EscalationTarget | null>
  escalation_summary: ColumnType<string | null, string | null | undefined, string | null>
  /** When the text was erased (retention, 删除诉求); null while kept. */
  erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/**
 * Who filed each grievance, anonymous or not. Read only by the relay code (src/grievances/reporters.ts):
 * notifications and replies to the worker, and the worker's own queries. Never joined into officer views.
 */
export interface GrievanceReportersTable {
  grievance_id: number
  open_id: string
}

/** Where each attachment came from (migrations/0007): read only through src/grievances/reporters.ts. */
export interface GrievanceAttachmentSourcesTable {
  grievance_id: number
  file_key: string
  message_id: string
}

/** The Feishu events of a reporter's own actions (re-run detection, daily caps); governed like grievance_reporters. */
export interface GrievanceReporterEventsTable {
  grievance_id: number
  event_id: string
  kind: 'filed' | 'follow_up' | 'rated' | 'review'
  /** Local date (TIMEZONE) only: enough for the daily caps, too coarse to date an action. */
  day: string
}

export type RelayKind = 'follow_up' | 'rated'

/** An anonymous reporter's 补充 or rating waiting for its random delay before the committee is told. */
export interface GrievanceRelaysTable {
  id: Generated<string>
  grievance_id: number
  kind: RelayKind
  /** The 补充's text until it is delivered (then it lives in grievance_events and is cleared here). */
  body: string | null
  detail: JSONColumnType<Record<string, unknown>, string | null, string | null> | null
  deliver_after: ColumnType<Date, Date, Date>
  claimed_until: NullableTimestamp
  delivered_at: NullableTimestamp
}

/** The case history shown on cards. Reporter actions have no actor (actor_open_id is an officer or null). */
export interface GrievanceEventsTable {
  id: Generated<string>
  grievance_id: number
  at: Timestamp
  kind: GrievanceEventKind
  actor_open_id: string | null
  /** Reason, reply, internal note, result or follow-up text. */
  body: string | null
  detail: JSONColumnType<Record<string, unknown>, string | null, string | null> | null
  /** The Feishu event that caused it: unique per case and kind, so a re-run records it once. */
  event_id: string | null
}

/** One row per local day on which the overdue reminder was (being) sent to the committee. */
export interface GrievanceRemindersTable {
  day: string
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
  case_count: number | null
  message_id: string | null
}

/**
 * Officers who stepped aside from a case (0027_desk, issue #13): the subject of the complaint, or related to it.
 * A recused officer sees nothing of the case from then on (lists, search, cards, the committee group's copy).
 */
export interface GrievanceRecusalsTable {
  grievance_id: number
  open_id: string
  at: Timestamp
  event_id: string | null
}

/** A request to extend a case's 办结 deadline (0027_desk): by an officer, with a reason; decided by the chair. */
export interface GrievanceExtensionsTable {
  id: Generated<number>
  grievance_id: number
  requested_by: string
  workdays: number
  /** The officer's reason (shown to the approver on a card only, escaped). */
  reason: string
  requested_at: Timestamp
  status: ColumnType<'requested' | 'approved' | 'refused', 'requested' | undefined, 'requested' | 'approved' | 'refused'>
  decided_by: string | null
  decided_at: NullableTimestamp
  new_due_at: NullableTimestamp
  /** The request's event: a re-run finds its request. */
  event_id: string
}

/**
 * An officer's request to learn who filed an anonymous case (0032; GlobaLeaks' custodian model): the worker is
 * asked through the reporter link and decides. `released_name` is set only when the worker agreed.
 */
export interface GrievanceIdentityRequestsTable {
  id: Generated<number>
  grievance_id: number
  requested_by: string
  reason: string
  requested_at: Timestamp
  status: ColumnType<'requested' | 'granted' | 'refused', 'requested' | undefined, 'requested' | 'granted' | 'refused'>
  answered_at: NullableTimestamp
  released_name: string | null
  event_id: string
}

/** One retention sweep per local day (0032; once-only through claimOnce). */
export interface GrievanceRetentionRunsTable {
  day: string
  claimed_until: NullableTimestamp
  done_at: NullableTimestamp
  erased: number | null
}

export interface GrievanceTables {
  grievances: GrievancesTable
  grievance_reporters: GrievanceReportersTable
  grievance_events: GrievanceEventsTable
  grievance_reminders: GrievanceRemindersTable
  grievance_attachment_sources: GrievanceAttachmentSourcesTable
  grievance_reporter_events: GrievanceReporterEventsTable
  grievance_relays: GrievanceRelaysTable
  grievance_recusals: GrievanceRecusalsTable
  grievance_extensions: GrievanceExtensionsTable
  grievance_identity_requests: GrievanceIdentityRequestsTable
  grievance_retention_runs: GrievanceRetentionRunsTable
}
