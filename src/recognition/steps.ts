// The steps of a round and of a nomination, each one guarded transition() of the kit: row lock, replay check on
// award_steps, refusal, change, history and audit in one transaction.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { BaseContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'
import { transition, type Machine, type TransitionResult } from '../kit/transition.js'
import { NOMINATION_TRANSITIONS, ROUND_TRANSITIONS, type NominationStatus, type RoundStatus } from './model.js'
import { lockNomination, lockRound, recordStep, setNominationStatus, stepTaken, updateRound, type Nomination, type Round } from './store.js'

export const ROUND_MACHINE: Machine<Round, RoundStatus> = {
  subject: 'award_round',
  table: ROUND_TRANSITIONS,
  status: (r) => r.status,
  subjectId: (r) => r.number,
}

export const NOMINATION_MACHINE: Machine<Nomination, NominationStatus> = {
  subject: 'award_nomination',
  table: NOMINATION_TRANSITIONS,
  status: (n) => n.status,
  subjectId: (n) => String(n.id),
}

export interface RoundStepInput {
  step: string
  roundId: number
  from: readonly RoundStatus[]
  /** The card's revision, when the step comes from a button. */
  rev?: number
  guard?(r: Round, trx: Transaction<Database>): void | Promise<void>
  apply(trx: Transaction<Database>, r: Round, now: Date): Promise<Round>
  already?(r: Round): boolean
  refusal(r: Round): string
}

export function roundStep(ctx: BaseContext, s: RoundStepInput, trx?: Transaction<Database>): Promise<TransitionResult<Round>> {
  return transition(
    ctx,
    ROUND_MACHINE,
    {
      step: s.step,
      lock: (x) => lockRound(x, s.roundId),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到这次评选。'),
      replayed: (x, r) => stepTaken(x, 'round', r.id, s.step, ctx.eventId),
      from: s.from,
      ...(s.rev !== undefined ? { current: (r: Round) => r.revision === s.rev } : {}),
      ...(s.already ? { already: s.already } : {}),
      refusal: s.refusal,
      ...(s.guard ? { guard: s.guard } : {}),
      apply: async (x, r, now) => {
        const after = await s.apply(x, r, now)
        return updateRound(x, after.id, { bump: true })
      },
      history: (x, _before, after, now) => recordStep(x, { subject: 'round', id: after.id, kind: s.step, eventId: ctx.eventId, actor: ctx.actorOpenId, at: now }),
      audit: { action: `award.round.${s.step}` },
    },
    trx,
  )
}

export function nominationStep(
  ctx: BaseContext,
  s: { step: string; nominationId: number; from: readonly NominationStatus[]; to: NominationStatus; guard?(n: Nomination, trx: Transaction<Database>): void | Promise<void>; refusal(n: Nomination): string },
  trx?: Transaction<Database>,
): Promise<TransitionResult<Nomination>> {
  return transition(
    ctx,
    NOMINATION_MACHINE,
    {
      step: s.step,
      lock: (x) => lockNomination(x, s.nominationId),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到这条提名。'),
      replayed: (x, n) => stepTaken(x, 'nomination', n.id, s.step, ctx.eventId),
      from: s.from,
      already: (n) => n.status === s.to,
      refusal: s.refusal,
      ...(s.guard ? { guard: s.guard } : {}),
      apply: (x, n) => setNominationStatus(x, n.id, s.to),
      history: (x, _before, after, now) => recordStep(x, { subject: 'nomination', id: after.id, kind: s.step, eventId: ctx.eventId, actor: ctx.actorOpenId, at: now }),
      audit: { action: `award.nomination.${s.step}` },
    },
    trx,
  )
}
