// Union membership (会员): statuses, the moves between them and the words shown for them. No I/O.
import type { OfficerRole } from './model.js'
import type { TransitionTable } from '../kit/transition.js'

export type MemberStatus = 'applied' | 'member' | 'refused' | 'left' | 'transferred'

/**
 * Who may move where: an application is approved or refused; a member leaves the company (离职) or is transferred
 * out (转出); anyone not a member may apply again. A pending application ends too when the person leaves.
 */
export const MEMBER_TRANSITIONS: TransitionTable<MemberStatus> = {
  applied: ['member', 'refused', 'left'],
  member: ['left', 'transferred'],
  refused: ['applied', 'member'],
  left: ['applied', 'member'],
  transferred: ['applied', 'member'],
}

export const MEMBER_STATUS_LABEL: Record<MemberStatus, string> = {
  applied: '申请中',
  member: '会员',
  refused: '未批准',
  left: '离职',
  transferred: '转出',
}

export interface Member {
  openId: string
  name: string
  department: string | undefined
  status: MemberStatus
  source: 'application' | 'import'
  appliedAt: Date | undefined
  /** Local date membership began (YYYY-MM-DD). */
  joinedOn: string | undefined
  /** Local date it ended (离职/转出), kept when it ends. */
  endedOn: string | undefined
  endReason: string | undefined
  refusalReason: string | undefined
  applicationMessageId: string | undefined
}

/** Default words of 入会 when MEMBERSHIP_TERMS is not set (会费 per 《工会会员会费管理办法》: 0.5% of monthly wage). */
export const DEFAULT_MEMBERSHIP_TERMS =
  '加入工会后，您可以享受工会组织的各项服务和活动，参与民主管理，获得权益维护和帮扶。\n' +
  '会员按本会规定每月缴纳会费，标准为本人每月工资收入的 0.5%。\n' +
  '会员应遵守工会章程，执行工会决议，参加工会活动。'

export const REFUSAL_REASON_MAX = 200
export const TRANSFER_REASON_MAX = 200
/** Rows one import may carry at most (a file is checked as a whole, in one transaction). */
export const IMPORT_MAX_ROWS = 5000

/** Open work still assigned to someone who left the company, for the committee to reassign. */
/** A role someone's leaving the company ended, named on the committee's 人员离职 card (QA F32). */
export type EndedRole =
  | { kind: 'officer'; role: OfficerRole }
  | { kind: 'committee'; committee: string }
  | { kind: 'representative'; constituency?: string; term?: string }
  | { kind: 'member' }

export interface LeaverWork {
  /** Grievance numbers assigned to them and still open. */
  grievances: string[]
  /** Departments they are the proposal contact of, with the proposals in hand there. */
  departments: Array<{ name: string; proposals: string[] }>
  /** Proposals they submitted that are still open (their co-signers and the committee need to know). */
  proposals: string[]
}
