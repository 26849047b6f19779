// Table types of labour-law supervision (migrations/0022_supervision.ts).
import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { NullableTimestamp, Timestamp } from '../db/schema.js'
import type { DismissalEventKind, DismissalGround, DismissalOpinion, DismissalResult, DismissalStatus } from './dismissal.js'
import type { SupervisionEventKind, SupervisionStatus, SupervisionType } from './model.js'

export interface SupervisionMattersTable {
  id: Generated<number>
  /** S-<year>-<3 digits>, from the per-year sequence `supervision:<year>`. */
  number: string
  type: SupervisionType
  /** The responsible department (proposal_departments) and its contact when the 意见书 went out. */
  department_id: number
  contact_open_id: string
  facts: string
  /** The union's written opinion (意见书). */
  opinion: string
  /** Grievances the matter came from (their numbers only). */
  grievance_numbers: JSONColumnType<string[], string, string>
  status: ColumnType<SupervisionStatus, SupervisionStatus | undefined, SupervisionStatus>
  opened_by: string
  opened_at: Timestamp
  reply_due_at: ColumnType<Date, Date | string, Date | string>
  replied_at: NullableTimestamp
  reply: string | null
  reply_on_time: boolean | null
  reply_accepted: boolean | null
  outcome: string | null
  closed_at: NullableTimestamp
  /** The matter's card in the committee group. */
  group_message_id: string | null
  revision: ColumnType<number, number | undefined, number>
  /** The opening click's event: a re-run finds its matter instead of opening another. */
  open_event_id: string
  /** The live cards' version (migrations/0041): every step and the daily overdue flag move it. */
  card_version: ColumnType<number, number | undefined, number>
}

export interface SupervisionEventsTable {
  id: Generated<string>
  matter_id: number
  at: Timestamp
  kind: SupervisionEventKind
  actor_open_id: string | null
  body: string | null
  event_id: string | null
}

export interface SupervisionChasesTable {
  matter_id: number
  day: string
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

/** A worker's hazard report; anonymous ones name nobody (no reporter anywhere, like an anonymous grievance). */
export interface HazardReportsTable {
  id: Generated<number>
  /** H-<year>-<3 digits>. */
  number: string
  description: string
  /** 重大事故隐患: the committee group's card is made urgent (应用内加急) to the officers. */
  major: boolean
  anonymous: boolean
  reporter_open_id: string | null
  reporter_name: string | null
  reported_at: Timestamp
  group_message_id: string | null
  urgent_sent_at: NullableTimestamp
  filing_key: string
  /** When the committee's card may go out (migrations/0041): at once, or after a random delay (anonymous 一般, QA F6). */
  committee_due_at: ColumnType<Date, Date | string, Date | string>
  /** The instance posting the card holds it until then. */
  post_claimed_until: NullableTimestamp
}

export interface SupervisionTables {
  hazard_reports: HazardReportsTable
  supervision_matters: SupervisionMattersTable
  supervision_events: SupervisionEventsTable
  supervision_chases: SupervisionChasesTable
}

/** Dismissal notices (migrations/0040; src/supervision/dismissal.ts). */
export interface DismissalNoticesTable {
  id: Generated<number>
  number: string
  /** The HR department (proposal_departments) and the contact who submitted. */
  department_id: number
  hr_open_id: string
  worker_name: string
  worker_department: string
  reasons: string
  ground: DismissalGround
  planned_on: string | null
  status: ColumnType<DismissalStatus, DismissalStatus | undefined, DismissalStatus>
  revision: ColumnType<number, number | undefined, number>
  submitted_at: Timestamp
  opinion_due_at: ColumnType<Date, Date | string, Date | string>
  opinion: DismissalOpinion | null
  opinion_text: string | null
  opinion_by: string | null
  opinion_at: NullableTimestamp
  result_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  result: DismissalResult | null
  result_on: string | null
  result_note: string | null
  result_by: string | null
  result_at: NullableTimestamp
  group_message_id: string | null
  submit_event_id: string
}

export interface DismissalEventsTable {
  id: Generated<string>
  notice_id: number
  at: Timestamp
  kind: DismissalEventKind
  actor_open_id: string | null
  body: string | null
  event_id: string | null
}

export interface DismissalRemindersTable {
  notice_id: number
  kind: 'opinion' | 'result'
  claimed_until: NullableTimestamp
  sent_at: NullableTimestamp
}

export interface DismissalTables {
  dismissal_notices: DismissalNoticesTable
  dismissal_events: DismissalEventsTable
  dismissal_reminders: DismissalRemindersTable
}
