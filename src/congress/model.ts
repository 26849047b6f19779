// The workers' congress's meetings (issue #15): numbers (HY-001, 会议; M- is mediation's), the status table, and the views of the meeting
// card and the minutes. The quorum and pass rules themselves are in src/polls/model.ts (one engine).
import { serialNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'
import type { Poll, PollResults, Share } from '../polls/model.js'

export const MEETING_NUMBER = serialNumbers({ prefix: 'HY', digits: 3, maxDigits: 7 })

export type MeetingStatus = 'open' | 'closed'
export const MEETING_TRANSITIONS: TransitionTable<MeetingStatus> = { open: ['closed'], closed: [] }

export const MEETING_TITLE_MAX = 60
export const ITEM_TITLE_MAX = 100

export interface Meeting {
  id: string
  number: string
  title: string
  term: string | undefined
  status: MeetingStatus
  /** 应到: the term's representatives when it opened. */
  expected: number
  chatId: string | undefined
  version: number
  createdBy: string
  createdAt: Date
  createdEventId: string
  closedAt: Date | undefined
  closedEventId: string | undefined
  reportDueOn: string | undefined
}

export interface RollEntry {
  openId: string
  name: string
  checkedIn: boolean
}

export interface ItemView {
  poll: Poll
  /** Figures once closed. */
  results?: PollResults
  passed?: boolean
}

export interface MeetingView {
  meeting: Meeting
  present: number
  quorum: Share
  passShare: Share
  items: ItemView[]
}

export interface MinutesView extends MeetingView {
  roll: RollEntry[]
  timeZone: string
}
