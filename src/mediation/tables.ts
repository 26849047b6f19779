// Table types of labour-dispute mediation (migrations/0021_mediation.ts).
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { ClaimKind, MediationEventKind, MediationStatus, Signatory } from './model.js'

export interface MediationCasesTable {
  id: Generated<number>
  /** M-<year>-<3 digits>, from the per-year sequence `mediation:<year>`. */
  number: string
  /** The worker who applied (a mediation is never anonymous: the party takes part in it). */
  applicant_open_id: string
  applicant_name: string
  /** The grievance it came from, when an officer suggested mediation for one (the link is kept). */
  grievance_id: number | null
  /** Art. 12: the basic facts, the request and the reasons, as the worker gave them. */
  facts: string
  request: string
  reasons: string
  /** When the worker knew of the infringement (Art. 27's one year runs from it), YYYY-MM-DD. */
  knew_on: string
  /** The other party as the worker named it (the employer's department). */
  other_party: string
  /** The employer's representative, named by the committee (a Feishu user): a party to the agreement. */
  employer_open_id: string | null
  mediator_open_id: string | null
  status: ColumnType<MediationStatus, MediationStatus | undefined, MediationStatus>
  applied_at: Timestamp
  /** Local date of the application: the 15-day clock counts from it. */
  applied_on: string
  accepted_at: NullableTimestamp
  agreed_at: NullableTimestamp
  closed_at: NullableTimestamp
  decline_reason: string | null
  /** Internal: why mediation failed. */
  outcome_note: string | null
  terms: string | null
  perform_on: string | null
  claim_kind: ClaimKind | null
  agreement_text: string | null
  /** The number-and-status card in the committee group (patched after every change). */
  group_message_id: string | null
  revision: ColumnType<number, number | undefined, number>
  /** The application conversation's draft id: one case per draft however often 确认 arrives. */
  filing_key: string
}

export interface MediationEventsTable {
  id: Generated<string>
  case_id: number
  at: Timestamp
  kind: MediationEventKind
  actor_open_id: string | null
  body: string | null
  detail: JSONColumnType<Record<string, unknown>, string | null, string | null> | null
  event_id: string | null
}

export interface MediationSessionsTable {
  id: Generated<number>
  case_id: number
  held_on: string
  held_at: ColumnType<string, string | undefined, string>
  place: string
  attendees: ColumnType<string, string | undefined, string>
  /** Internal: seen by the committee's members only, never by the parties. */
  summary: ColumnType<string, string | undefined, string>
  created_by: string
  created_at: Timestamp
  event_id: string
}

export interface MediationConfirmationsTable {
  case_id: number
  party: Signatory
  open_id: string
  confirmed_at: Timestamp
  event_id: string
}

export type MediationReminderKind = 'day_reminder' | 'period_over' | 'perform'

export interface MediationRemindersTable {
  case_id: number
  kind: MediationReminderKind
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

export interface MediationTables {
  mediation_cases: MediationCasesTable
  mediation_events: MediationEventsTable
  mediation_sessions: MediationSessionsTable
  mediation_confirmations: MediationConfirmationsTable
  mediation_reminders: MediationRemindersTable
}
