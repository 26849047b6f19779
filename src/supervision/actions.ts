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

// ---- dismissal notices (src/supervision/dismissal.ts) ----

const onNotice = z.object({ did: payload.int(), rev: payload.int() })

/** HR submits the planned dismissal from the 解除通知 form. */
export const DISMISSAL_SUBMIT = defineAction('dismissal.submit', z.object({}))
/** An officer gives the union's opinion: 同意, or 有异议 with the opinion. */
export const DISMISSAL_AGREE = defineAction('dismissal.agree', onNotice)
export const DISMISSAL_OBJECT = defineAction('dismissal.object', onNotice)
/** HR reports the result in writing. */
export const DISMISSAL_REPORT = defineAction('dismissal.report', onNotice)

export const DISMISSAL_FORM = { worker: 'worker', workerDepartment: 'worker_department', reasons: 'reasons', ground: 'ground', plannedOn: 'planned_on', opinion: 'opinion', result: 'result', resultOn: 'result_on', resultNote: 'result_note' } as const
