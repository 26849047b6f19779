// Card actions of the set-up (issue #20, QA F1): confirming or cancelling a committee group that has non-officers in it.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** The chair confirms that this group becomes the committee group although not everyone in it is an officer. */
export const COMMITTEE_GROUP_CONFIRM = defineAction('organisation.committee_group.confirm', z.object({ chatId: payload.text(64) }))
/** The chair keeps the committee group where it was. */
export const COMMITTEE_GROUP_CANCEL = defineAction('organisation.committee_group.cancel', z.object({ chatId: payload.text(64) }))
