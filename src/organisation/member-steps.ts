// The membership steps (apply, approve, refuse, import, 离职, 转出), each one guarded transition() of the kit: row
// lock, replay check on member_events, refusal, change, history and audit in one transaction.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { BaseContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'
import { transition, type Machine, type TransitionResult } from '../kit/transition.js'
import { localDate } from '../time.js'
import { ensureMemberRow, lockMember, memberStepTaken, recordMemberStep, updateMember, type MemberChange } from './members.js'
import { MEMBER_TRANSITIONS, type Member, type MemberStatus } from './members-model.js'

export const MEMBER_MACHINE: Machine<Member, MemberStatus> = {
  subject: 'member',
  table: MEMBER_TRANSITIONS,
  status: (m) => m.status,
  subjectId: (m) => m.openId,
}

const NOT_MEMBER: MemberStatus[] = ['refused', 'left', 'transferred']

interface StepInput {
  step: string
  openId: string
  from: readonly MemberStatus[]
  to: MemberStatus
  change: (m: Member, today: string) => MemberChange
  refusal: (m: Member) => string
  already?: (m: Member) => boolean
  /** Someone the bot has no row for yet gets one first (apply, import); otherwise a missing row is refused. */
  create?: { name: string; source: Member['source'] }
  audit: string
  detail?: Record<string, unknown>
}

/** One membership step on one person, in trx when given (an import runs all its rows in one transaction). */
export async function memberStep(ctx: BaseContext, s: StepInput, trx?: Transaction<Database>): Promise<TransitionResult<Member>> {
  const run = async (t: Transaction<Database>) => {
    if (s.create) await ensureMemberRow(t, { openId: s.openId, name: s.create.name, at: ctx.now(), source: s.create.source })
    return transition(
      ctx,
      MEMBER_MACHINE,
      {
        step: s.step,
        lock: (x) => lockMember(x, s.openId),
        missing: () => new UserFacingError('NOT_FOUND', '没有找到此人的会籍记录。'),
        replayed: (x, m) => memberStepTaken(x, m.openId, s.step, ctx.eventId),
        from: s.from,
        refusal: s.refusal,
        ...(s.already ? { already: s.already } : {}),
        apply: (x, m, now) => updateMember(x, m.openId, { status: s.to, ...s.change(m, localDate(now, ctx.config.timezone)) }, now),
        history: (x, before, after, now) =>
          recordMemberStep(x, { openId: after.openId, kind: s.step, eventId: ctx.eventId, from: before.status, to: after.status, actor: ctx.actorOpenId, at: now }),
        audit: { action: s.audit, ...(s.detail ? { detail: () => s.detail! } : {}) },
      },
      t,
    )
  }
  return trx ? run(trx) : ctx.db.transaction().execute(run)
}

/** `department` from the contact API when the scope is granted (shown on the committee's card); kept as it was otherwise. */
export function applyForMembership(ctx: BaseContext, name: string, department?: string): Promise<TransitionResult<Member>> {
  return memberStep(ctx, {
    step: 'apply',
    openId: ctx.actorOpenId,
    from: NOT_MEMBER,
    to: 'applied',
    create: { name, source: 'application' },
    change: () => ({ name, appliedAt: ctx.now(), refusalReason: null, decidedBy: null, applicationMessageId: null, source: 'application', ...(department ? { department } : {}) }),
    already: (m) => m.status === 'applied' || m.status === 'member',
    refusal: () => '无法提交申请。',
    audit: 'member.apply',
  })
}

export function approveMembership(ctx: BaseContext, openId: string): Promise<TransitionResult<Member>> {
  return memberStep(ctx, {
    step: 'approve',
    openId,
    from: ['applied'],
    to: 'member',
    change: (_m, today) => ({ joinedOn: today, endedOn: null, endReason: null, decidedBy: ctx.actorOpenId }),
    already: (m) => m.status === 'member',
    refusal: (m) => (m.status === 'refused' ? '这份申请已被处理为不批准。' : '这份申请已不在待审核状态。'),
    audit: 'member.approve',
  })
}

export function refuseMembership(ctx: BaseContext, openId: string, reason: string): Promise<TransitionResult<Member>> {
  return memberStep(ctx, {
    step: 'refuse',
    openId,
    from: ['applied'],
    to: 'refused',
    change: () => ({ refusalReason: reason, decidedBy: ctx.actorOpenId }),
    already: (m) => m.status === 'refused',
    refusal: (m) => (m.status === 'member' ? '这份申请已被批准。' : '这份申请已不在待审核状态。'),
    audit: 'member.refuse',
  })
}

/** 转出 (transfer out) by an officer, with a reason; the date is kept. */
export function transferOut(ctx: BaseContext, openId: string, reason: string): Promise<TransitionResult<Member>> {
  return memberStep(ctx, {
    step: 'transfer',
    openId,
    from: ['member'],
    to: 'transferred',
    change: (_m, today) => ({ endedOn: today, endReason: reason }),
    already: (m) => m.status === 'transferred',
    refusal: () => '此人目前不是工会会员，无法转出。',
    audit: 'member.transfer',
  })
}

/** 离职: leaving the company ends membership (and a pending application); the date is kept. */
export function endMembershipOnLeaving(ctx: BaseContext, openId: string, trx: Transaction<Database>): Promise<TransitionResult<Member>> {
  return memberStep(
    ctx,
    {
      step: 'leave',
      openId,
      from: ['member', 'applied'],
      to: 'left',
      change: (_m, today) => ({ endedOn: today, endReason: '离职' }),
      already: () => true,
      refusal: () => '',
      audit: 'member.leave',
    },
    trx,
  )
}

/** One imported row: becomes a member from `joinedOn`, in the import's transaction. */
export function importMember(ctx: BaseContext, row: { openId: string; name: string; department: string | undefined; joinedOn: string }, trx: Transaction<Database>): Promise<TransitionResult<Member>> {
  return memberStep(
    ctx,
    {
      step: 'import',
      openId: row.openId,
      from: NOT_MEMBER,
      to: 'member',
      create: { name: row.name, source: 'import' },
      change: () => ({ name: row.name, department: row.department ?? null, joinedOn: row.joinedOn, endedOn: null, endReason: null, source: 'import', decidedBy: ctx.actorOpenId }),
      refusal: () => '已是会员或正在申请',
      audit: 'member.import',
    },
    trx,
  )
}
