// The grievance desk's card actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { defineAction, payload } from '../kit/actions.js'
import { z } from 'zod'

/** An officer's step on a review card: the case and the card's revision (a stale card never acts). */
const onCase = z.object({ gid: payload.int(), rev: payload.int() })

export const ACCEPT = defineAction('grievance.accept', onCase.extend({ cls: payload.oneOf(['general', 'complex']).optional() }))
export const DECLINE = defineAction('grievance.decline', onCase)
export const ASSIGN = defineAction('grievance.assign', onCase)
export const REPLY = defineAction('grievance.reply', onCase)
export const NOTE = defineAction('grievance.note', onCase)
export const RESOLVE = defineAction('grievance.resolve', onCase)
/** The reporter's rating of one round of handling (the round changes when 不满意 reopens the case). */
export const RATE = defineAction('grievance.rate', z.object({ gid: payload.int(), round: payload.int(), rating: payload.oneOf(['satisfied', 'basically_satisfied', 'dissatisfied']) }))
/** An officer steps aside from a case (回避): no revision, it applies whatever the case's state. */
export const RECUSE = defineAction('grievance.recuse', z.object({ gid: payload.int() }))
/** An officer asks for more time to resolve the case (form: working days, reason); the card's revision as for every step. */
export const EXTEND_REQUEST = defineAction('grievance.extend.request', onCase)
/** The chair's decision on an extension request. */
export const EXTEND_DECIDE = defineAction('grievance.extend.decide', z.object({ xid: payload.int(), approve: payload.oneOf(['yes', 'no']) }))
/** The reviewer's decision on a worker's 复核 request: keep the 不予受理, or reverse it and accept the case. */
export const REVIEW_DECIDE = defineAction('grievance.review.decide', z.object({ gid: payload.int(), decision: payload.oneOf(['uphold', 'reverse']) }))
/**
 * 受理 as a class of case (一般 / 复杂, issue #13): the class sets the 办结 limit. Cards drawn before the classes send
 * no `cls` and are taken as 一般.
 */
export const ACCEPT_CLASS = { general: 'general', complex: 'complex' } as const
/** An officer closes the case as 已转办 to the upper union / 12351 / labour inspection (form: target, summary). */
export const ESCALATE = defineAction('grievance.escalate', onCase)
/** An officer asks the anonymous reporter whether they agree to be named (form: reason). */
export const IDENTITY_REQUEST = defineAction('grievance.identity.request', onCase)
/** The reporter's answer to an identity request: 同意 names them to the officers, 拒绝 reveals nothing. */
export const IDENTITY_ANSWER = defineAction('grievance.identity.answer', z.object({ rid: payload.int(), answer: payload.oneOf(['agree', 'refuse']) }))
/** The worker erases their own ended case (删除诉求 G-…, after a confirmation). */
export const ERASE_OWN = defineAction('grievance.erase', z.object({ gid: payload.int() }))
/** Back from a step's form to the case's card (a form opened in place of an officer's private copy). */
export const FORM_BACK = defineAction('grievance.form.back', z.object({ gid: payload.int() }))
