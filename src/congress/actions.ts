// Typed button payloads of congress meetings (src/kit/actions.ts): 签到 on the meeting card.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

export const MEETING_CHECK_IN = defineAction('congress.checkin', z.object({ id: payload.digits() }))
