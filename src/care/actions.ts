// The card actions of 会员关怀: the chair approves or refuses an entry above a cap (CARE_OVER_CAP=approval).
import { defineAction, payload } from '../kit/actions.js'
import { z } from 'zod'

export const CARE_APPROVE = defineAction('care.approve', z.object({ id: payload.int() }))
export const CARE_REFUSE = defineAction('care.refuse', z.object({ id: payload.int() }))
