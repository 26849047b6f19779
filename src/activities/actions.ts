// The activities' card actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

const onActivity = z.object({ id: payload.digits() })

export const SIGN_UP = defineAction('activity.signup', onActivity)
/** `own`: the button on the person's private confirmation card (the answer then replaces that card). */
export const LEAVE = defineAction('activity.leave', z.object({ id: payload.digits(), own: payload.oneOf(['1']).optional() }))
export const CHECK_IN = defineAction('activity.checkin', onActivity)
/** The form's submit button; `chat` is where the form was asked for (the sign-up card goes there). */
export const CREATE = defineAction('activity.create', z.object({ chat: payload.text(100).optional(), group: payload.oneOf(['1']).optional() }))
/** The confirmation card's button; the reason travels base64url-encoded (data, never markup in the card JSON). */
export const CANCEL = defineAction('activity.cancel', z.object({ id: payload.digits(), reason: z.string().regex(/^[A-Za-z0-9_-]{0,1200}$/).optional() }))
