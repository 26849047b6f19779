// The activity domain types other parts read without seeing tables: the activity and a sign-up as the store maps
// their rows, the figures activities contribute to digests and reports (src/activities/figures.ts), and the
// activity's state machine.
import type { ActivityPhase, ActivityStatus, SignupStatus } from './tables.js'

/** What an officer decides when publishing an activity: the form's fields, the store's columns, the card's lines. */
export interface ActivityDetails {
  /** Typed by the officer (escape before showing). */
  title: string
  description: string
  place: string
  startsAt: Date
  endsAt: Date
  signupDeadline: Date
  capacity: number
  allowCancelAfterDeadline: boolean
}

/** An activity as the store returns it (src/activities/store.ts maps the row). */
export interface Activity extends ActivityDetails {
  id: string
  seqNo: number
  /** A-012 (src/kit/numbers.ts). */
  number: string
  status: ActivityStatus
  /** Which phase the shared cards show. */
  cardPhase: ActivityPhase
  confirmedCount: number
  waitlistCount: number
  /** Bumped on every change the cards show (live cards compare it with what they rendered). */
  version: number
  createdBy: string
  createdAt: Date
  createdEventId: string
  /** The form card it was published from (a second submit finds it). */
  sourceMessageId: string | null
  originChatId: string | null
  cancelledAt: Date | null
  cancelledBy: string | null
  /** Typed by the officer (escape before showing). */
  cancelReason: string | null
  cancelledEventId: string | null
  /** Digits to give at check-in; null when check-in needs no code. */
  checkinCode: string | null
}

/** One person's sign-up for an activity, as the store returns it (src/activities/signups.ts maps the row). */
export interface Signup {
  activityId: string
  openId: string
  status: SignupStatus
  /** Queue order (a global sequence taken under the activity's row lock). */
  seq: string
  signedUpAt: Date
  confirmedAt: Date | null
  promotedAt: Date | null
  promotionNotifiedAt: Date | null
  cancelledAt: Date | null
  checkedInAt: Date | null
  remindedAt: Date | null
  checkinFailedAttempts: number
}

/** An open activity starting soon, as the digest lists it. */
export interface UpcomingActivity {
  id: string
  number: string
  /** Typed by the officer who published it (escape before showing). */
  title: string
  startsAt: Date
  signupDeadline: Date
  capacity: number
  confirmed: number
}

/** What took place in a period. */
export interface ActivityFigures {
  /** Activities that ended in the period and were not cancelled. */
  held: number
  /** Places taken in those activities (confirmed sign-ups). */
  signedUp: number
  /** Of those, checked in on the day. */
  attended: number
  cancelled: number
}

/**
 * The activity's state machine: an officer's cancel goes through transition() (src/kit/transition.ts), which enforces
 * it; the end-of-activity sweep (setPhase in store.ts) moves only open activities to ended, the one other edge.
 */
export const ACTIVITY_TRANSITIONS: Readonly<Record<ActivityStatus, readonly ActivityStatus[]>> = {
  open: ['cancelled', 'ended'],
  cancelled: [],
  ended: [],
}
