// Card actions of membership, each defined once with its payload (src/kit/actions.ts); cards build the values with them.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** The worker applies from the 入会 card. */
export const MEMBER_APPLY = defineAction('member.apply', z.object({}))
/** An officer approves an application on the committee card. */
export const MEMBER_APPROVE = defineAction('member.approve', z.object({ openId: payload.text(64) }))
/** An officer refuses it, with the reason typed in the card's form. */
export const MEMBER_REFUSE = defineAction('member.refuse', z.object({ openId: payload.text(64) }))

/** Name of the reason input in the refusal form. */
export const REFUSAL_REASON_FIELD = 'refusal_reason'
