// Supervision cards' actions and payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

const onMatter = z.object({ sid: payload.int(), rev: payload.int() })

/** An officer opens a matter from the 劳动监督 form (type, department, facts, 意见书, linked grievances). */
export const OPEN = defineAction('supervision.open', z.object({}))
/** The department's contact replies on the 意见书 card. */
export const REPLY = defineAction('supervision.reply', onMatter)
/** Officers: the reply is accepted / not accepted (asked again with a new deadline); close with the outcome. */
export const ACCEPT_REPLY = defineAction('supervision.accept', onMatter)
export const REJECT_REPLY = defineAction('supervision.reject', onMatter)
export const CLOSE = defineAction('supervision.close', onMatter)

export const FORM = { type: 'type', department: 'department', facts: 'facts', opinion: 'opinion', grievances: 'grievances', reply: 'reply', outcome: 'outcome', reason: 'reason' } as const
