// Typed button payloads of polls (src/kit/actions.ts): the form's submit, a vote (one option, or the checked boxes
// of a multiple-choice form), and the congress item's 开始表决.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** The 发起投票 form's submit; `chat` is where the form was (the vote card goes there). */
export const POLL_CREATE = defineAction('poll.create', z.object({ chat: payload.text(100) }))
/** A single-choice button (option index), or the multiple-choice form's 提交 (option -1: read the checkboxes). */
export const POLL_VOTE = defineAction('poll.vote', z.object({ id: payload.digits(), option: z.union([z.number().int(), z.string().regex(/^-?\d{1,3}$/).transform(Number)]).pipe(z.number().int().min(-1).max(19)) }))
/** The chair opens a congress item to the vote (refused without the quorum). */
export const POLL_OPEN = defineAction('poll.open', z.object({ id: payload.digits() }))

/** Form field names: the free-text answer, and one checker per option (opt_0 … opt_19). */
export const FREE_ANSWER_FIELD = 'free_answer'
export const optionField = (i: number): string => `opt_${i}`
