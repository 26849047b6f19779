// Recognition of model workers (评先评优, issue #17): award rounds, nominations, the committee's selection, 公示 with
// objections, and the views the cards draw. The rules follow the union's practice of 先进评选 (PRACTICE.md): the
// selected list is publicised before it is final, and every objection is answered.
import { yearlyNumbers } from '../kit/numbers.js'

/** Round numbers: PX-2026-01 (评选). */
export const ROUND_NUMBER = yearlyNumbers({ prefix: 'PX', digits: 2, maxDigits: 4 })

export const ROUND_STATUSES = ['nominating', 'reviewing', 'publicity', 'final'] as const
export type RoundStatus = (typeof ROUND_STATUSES)[number]
export const ROUND_STATUS_LABEL: Record<RoundStatus, string> = { nominating: '提名中', reviewing: '评审中', publicity: '公示中', final: '已确定' }

/** A round moves forward only: nominations close, the committee selects and publicises, the chair finalises. */
export const ROUND_TRANSITIONS: Readonly<Record<RoundStatus, readonly RoundStatus[]>> = {
  nominating: ['reviewing'],
  reviewing: ['publicity'],
  publicity: ['final'],
  final: [],
}

export const NOMINATION_STATUSES = ['cosigning', 'nominated', 'selected', 'not_selected', 'revoked'] as const
export type NominationStatus = (typeof NOMINATION_STATUSES)[number]
export const NOMINATION_STATUS_LABEL: Record<NominationStatus, string> = {
  cosigning: '联名中',
  nominated: '已提名',
  selected: '拟当选',
  not_selected: '未当选',
  revoked: '异议成立，已取消',
}

/** The committee may change its mind until 公示; an objection upheld during 公示 revokes a selection for good. */
export const NOMINATION_TRANSITIONS: Readonly<Record<NominationStatus, readonly NominationStatus[]>> = {
  cosigning: ['nominated'],
  nominated: ['selected', 'not_selected'],
  selected: ['not_selected', 'revoked'],
  not_selected: ['selected'],
  revoked: [],
}

export const NOMINATORS = ['officers', 'representatives', 'members'] as const
export type Nominators = (typeof NOMINATORS)[number]
export const NOMINATORS_LABEL: Record<Nominators, string> = { officers: '工会干部', representatives: '职工代表', members: '会员联名' }

export type ObjectionAnswer = 'upheld' | 'not_upheld'
export const OBJECTION_ANSWER_LABEL: Record<ObjectionAnswer, string> = { upheld: '异议成立', not_upheld: '异议不成立' }

export const ROUND_NAME_MAX = 40
export const PLACES_MAX = 100
export const COSIGNERS_MAX = 50
export const STORY_MIN = 20
export const STORY_MAX = 800
export const OBJECTION_MIN = 10
export const OBJECTION_MAX = 500
export const ANSWER_REASON_MAX = 300

/** Words a story usually speaks of (shown as a hint, never required). */
export const STORY_THEMES = ['爱岗敬业', '钻研技术', '勇于创新', '乐于奉献', '团结协作'] as const

export interface RoundView {
  id: number
  number: string
  name: string
  places: number
  nominators: Nominators
  cosigners: number
  deadline: string
  status: RoundStatus
  publicityUntil: Date | undefined
  revision: number
}

export interface NominationView {
  id: number
  nomineeName: string
  department: string | undefined
  story: string
  hasPhoto: boolean
  photoKey: string | undefined
  status: NominationStatus
  cosigned: number
}

export interface ObjectionView {
  id: number
  roundNumber: string
  roundName: string
  nomineeName: string
  anonymous: boolean
  /** Named objections only. */
  objectorName: string | undefined
  body: string
  raisedOn: string
  answer: ObjectionAnswer | undefined
  answerReason: string | undefined
}

/** The committee's review card: the round and every nomination with its buttons. */
export interface ReviewView {
  round: RoundView
  nominations: NominationView[]
  objections: { total: number; unanswered: number }
  timeZone: string
}

/** One awardee in the archive `先进 2026`. */
export interface ArchiveEntry {
  roundNumber: string
  roundName: string
  nomineeName: string
  department: string | undefined
  story: string
}

/** Whether a round still takes nominations on the local date `today`. */
export function nominationsOpen(r: { status: RoundStatus; deadline: string }, today: string): boolean {
  return r.status === 'nominating' && today <= r.deadline
}

/** The people a round's nominators may be, as the refusal names them. */
export function whoMayNominate(r: { nominators: Nominators; cosigners: number }): string {
  if (r.nominators === 'officers') return '工会干部'
  if (r.nominators === 'representatives') return '职工代表'
  return r.cosigners > 0 ? `工会会员（需 ${r.cosigners} 位会员联名）` : '工会会员'
}
