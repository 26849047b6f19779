// The activity domain types other parts read without seeing tables: the figures activities contribute to digests
// and reports (queried by src/activities/figures.ts), and the activity's state machine.
import type { ActivityStatus } from './tables.js'

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
