// The steps of a hardship case through transition(): home visit recorded → committee approval (or not) → optional
// 公示 → aid paid (amount, date; the annual review is then due). Each is audited by case number only — never the
// applicant, the household's figures or the typed notes.
import type { BaseContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'
import { transition, type Machine, type TransitionResult } from '../kit/transition.js'
import { HARDSHIP_STATUS_LABEL, HARDSHIP_TRANSITIONS, type HardshipCase, type HardshipStatus } from './model.js'
import { lockCase, recordStep, stepTaken, updateCase, type CaseChange } from './store.js'

const MACHINE: Machine<HardshipCase, HardshipStatus> = { subject: 'hardship', table: HARDSHIP_TRANSITIONS, status: (c) => c.status, subjectId: (c) => c.number }

export type HardshipStep = 'visit' | 'approve' | 'reject' | 'publish' | 'pay'

const FROM: Record<HardshipStep, readonly HardshipStatus[]> = {
  visit: ['applied'],
  approve: ['visited'],
  reject: ['applied', 'visited'],
  publish: ['approved'],
  pay: ['approved', 'published'],
}
const TO: Record<HardshipStep, HardshipStatus> = { visit: 'visited', approve: 'approved', reject: 'rejected', publish: 'published', pay: 'paid' }

export function hardshipStep(ctx: BaseContext, id: number, step: HardshipStep, change: CaseChange = {}): Promise<TransitionResult<HardshipCase>> {
  const to = TO[step]
  return transition(ctx, MACHINE, {
    step,
    lock: (trx) => lockCase(trx, id),
    missing: () => new UserFacingError('NOT_FOUND', '找不到这份帮扶申请。'),
    replayed: (trx, c) => stepTaken(trx, c.id, step, ctx.eventId),
    from: FROM[step],
    already: (c) => c.status === to,
    refusal: (c) => `这份申请目前「${HARDSHIP_STATUS_LABEL[c.status]}」，不能进行这一步。`,
    apply: (trx, c, now) => updateCase(trx, c.id, { ...change, status: to }, now),
    history: (trx, before, after, now) => recordStep(trx, { caseId: before.id, kind: step, eventId: ctx.eventId, from: before.status, to: after.status, actor: ctx.actorOpenId, at: now }),
    audit: { action: `hardship.${step}` },
  })
}
