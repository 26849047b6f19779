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

/** Words around an activity's name in `我想参加健步走的活动`: dropped before the name is compared with titles. */
const TITLE_FILLER = /报个名|报名|参加|参与|活动|一下|我也想|我也要|我想|我要|想要|这个|那个|请问|可以|能不能|[的吧呢了啊呀吗]/g
const TITLE_NOISE = /[\s\p{P}\p{S}]+/gu

/** A name as compared: NFKC, lower case, no spaces or punctuation. */
function foldTitle(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(TITLE_NOISE, '')
}

/** The length of the longest run of characters the two share. */
function longestCommonRun(a: string[], b: string[]): number {
  let best = 0
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++
      if (k > best) best = k
    }
  }
  return best
}

/**
 * The activities a typed name means (`报名读书会`, `我想参加健步走`, F34): those whose title holds the name (or the name
 * the whole title); failing that, those sharing a run of two characters or more and two thirds of the name's
 * characters (`读书会` ~ 「职工读书分享会」). Empty when the name is empty after the filler words are dropped.
 */
export function activitiesNamed<A extends { title: string }>(typed: string, activities: readonly A[]): A[] {
  const name = foldTitle(typed).replace(TITLE_FILLER, '')
  const chars = [...name]
  if (chars.length < 2) return []
  const titles = activities.map((a) => ({ a, title: foldTitle(a.title) }))
  const holding = titles.filter(({ title }) => title.includes(name) || (title.length >= 2 && name.includes(title)))
  if (holding.length) return holding.map(({ a }) => a)
  return titles
    .filter(({ title }) => {
      const t = [...title]
      const covered = chars.filter((ch) => t.includes(ch)).length
      return longestCommonRun(chars, t) >= 2 && covered * 3 >= chars.length * 2
    })
    .map(({ a }) => a)
}
