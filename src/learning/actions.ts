// The learning organisation's card actions. 学时 and 书屋 are commands and conversations; the one button is the
// return of a loan on the borrower's 借阅 card and reminder.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'

/** The borrower returns a book (their loan card or the reminder). */
export const RETURN_BOOK = defineAction('library.return', z.object({ loan: payload.int() }))
