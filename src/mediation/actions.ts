// The mediation cards' actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** A step on a case card: the case and the card's revision (a stale card never acts). */
const onCase = z.object({ cid: payload.int(), rev: payload.int() })

/** The committee's members: 受理并指派调解员 / 不予受理 / 记录调解会 / 调解成功 / 调解不成. */
export const ACCEPT = defineAction('mediation.accept', onCase)
export const DECLINE = defineAction('mediation.decline', onCase)
export const SESSION = defineAction('mediation.session', onCase)
export const SUCCEED = defineAction('mediation.succeed', onCase)
export const FAIL = defineAction('mediation.fail', onCase)
/** A signatory (either party or the mediator) confirms the drafted agreement; who they are comes from the click. */
export const CONFIRM = defineAction('mediation.confirm', onCase)
/** A party objects to the draft: back to mediation, confirmations cleared. */
export const OBJECT = defineAction('mediation.object', onCase)
/** The worker withdraws the application (any time before the agreement is final). */
export const WITHDRAW = defineAction('mediation.withdraw', z.object({ cid: payload.int() }))

/** The steps a member opens from the case card as their own form (QA F9: one form at a time, on its own card). */
export const CASE_STEPS = ['accept', 'decline', 'session', 'succeed', 'fail'] as const
export type CaseStepName = (typeof CASE_STEPS)[number]
/** Opens a step's form in place of the case card; 返回 draws the case card again. */
export const OPEN_STEP = defineAction('mediation.step', z.object({ cid: payload.int(), rev: payload.int(), step: z.enum(CASE_STEPS) }))
export const BACK = defineAction('mediation.back', z.object({ cid: payload.int() }))

/** Form fields of the case cards. */
export const FORM = {
  mediator: 'mediator',
  reason: 'reason',
  heldOn: 'held_on',
  heldAt: 'held_at',
  place: 'place',
  attendees: 'attendees',
  summary: 'summary',
  terms: 'terms',
  performOn: 'perform_on',
  claimKind: 'claim_kind',
  failReason: 'fail_reason',
} as const
