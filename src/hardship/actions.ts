// The card actions of 困难帮扶: the self-check's 测算 (form values only, nothing stored), 提交申请 with the figures the
// result card carries, and the responsible officers' steps on a case.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'
import { HOUSEHOLD_MAX } from './model.js'
import { MAX_FEN } from '../care/model.js'

const fen = () => payload.int().pipe(z.number().max(MAX_FEN))

export const HARDSHIP_CHECK = defineAction('hardship.check', z.object({}))
const figures = z.object({ income: fen(), rigid: fen(), size: payload.int().pipe(z.number().min(1).max(HOUSEHOLD_MAX)), sudden: fen() })
export const HARDSHIP_APPLY = defineAction('hardship.apply', figures)
/** 再算一次 on the result card: the form again, prefilled with the figures the result card carries (nothing stored). */
export const HARDSHIP_RECHECK = defineAction('hardship.recheck', figures)
const caseId = z.object({ id: payload.int() })
export const HARDSHIP_VISIT = defineAction('hardship.visit', caseId)
export const HARDSHIP_APPROVE = defineAction('hardship.approve', caseId)
export const HARDSHIP_REJECT = defineAction('hardship.reject', caseId)
export const HARDSHIP_PUBLISH = defineAction('hardship.publish', caseId)
export const HARDSHIP_PAY = defineAction('hardship.pay', caseId)

/** Form field names (the self-check, the application, the officers' forms). */
export const FIELDS = {
  income: 'income',
  rigid: 'rigid',
  size: 'size',
  sudden: 'sudden',
  reason: 'reason',
  namePublic: 'name_public',
  note: 'note',
  amount: 'amount',
  paidOn: 'paid_on',
} as const
