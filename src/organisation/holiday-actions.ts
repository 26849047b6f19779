// The button of the `节假日 设置` preview: it carries the year and the checked days in the loading format, so the
// confirm stores exactly what was previewed (parsed again, never trusted) and survives restarts without a draft.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'
import { ARRANGEMENT_DAYS_MAX } from './holidays.js'

export const HOLIDAYS_CONFIRM = defineAction(
  'holidays.confirm',
  z.object({ year: payload.int(), days: payload.text(ARRANGEMENT_DAYS_MAX) }),
)
