// The notices' card actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

const onNotice = z.object({ id: payload.digits() })
const onOpinion = z.object({ id: payload.digits() })

/** The publish form's submit; `chat` is where the form was asked for. */
export const NOTICE_CREATE = defineAction('notice.create', z.object({ chat: payload.text(100).optional() }))
/** 已阅 on the notice card (when confirmation is asked). */
export const NOTICE_READ = defineAction('notice.read', onNotice)
/** 提意见 on the notice card: opens a private conversation. */
export const NOTICE_OPINION = defineAction('notice.opinion', onNotice)
/** The correction form's submit; `rev` is the version the form was filled from (a newer one refuses it). */
export const NOTICE_CORRECT = defineAction('notice.correct', z.object({ id: payload.digits(), rev: payload.int() }))
/** The withdrawal confirmation; the reason travels base64url-encoded (data, never markup in the card JSON). */
export const NOTICE_WITHDRAW = defineAction('notice.withdraw', z.object({ id: payload.digits(), reason: z.string().regex(/^[A-Za-z0-9_-]{0,1200}$/).optional() }))
/** The committee's forward form on an opinion card (department, public summary). */
export const OPINION_FORWARD = defineAction('notice.opinion.forward', onOpinion)
/** The department contact's reply form. */
export const OPINION_REPLY = defineAction('notice.opinion.reply', onOpinion)
