// Recognition's card actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** The chair's form for a new round (the form's fields arrive as formValue); `chat`: the group it was asked in, or ''. */
export const ROUND_CREATE = defineAction('award.round.create', z.object({ chat: payload.text(100) }))
/** A committee step on the round's review card: the round and the card's revision (a stale card never acts). */
const onRound = z.object({ rid: payload.int(), rev: payload.int() })
export const ROUND_CLOSE = defineAction('award.round.close', onRound)
export const ROUND_PUBLICISE = defineAction('award.round.publicise', onRound)
export const ROUND_FINALISE = defineAction('award.round.finalise', onRound)
/** Select or not one nomination, on the review card. */
export const NOMINATION_DECIDE = defineAction('award.nomination.decide', z.object({ rid: payload.int(), rev: payload.int(), nid: payload.int(), pick: payload.oneOf(['select', 'drop']) }))
/** A member co-signs a nomination (the card the nominator shares). */
export const COSIGN = defineAction('award.cosign', z.object({ nid: payload.int() }))
/** Anyone who sees the 公示 card raises an objection (privately, in a conversation). */
export const OBJECT = defineAction('award.object', z.object({ rid: payload.int() }))
/** The chair answers an objection (form: answer, reason). */
export const OBJECTION_ANSWER = defineAction('award.objection.answer', z.object({ oid: payload.int() }))

export const FIELDS = {
  name: 'round_name',
  places: 'round_places',
  nominators: 'round_nominators',
  cosigners: 'round_cosigners',
  deadline: 'round_deadline',
  answer: 'objection_answer',
  reason: 'objection_reason',
} as const
