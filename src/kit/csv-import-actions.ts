// The file-first offer's button (QA F13): which import to run on the file remembered from which message. No I/O, so
// the card imports it (src/kit/actions.ts).
import { z } from 'zod'
import { defineAction, payload } from './actions.js'

/** 「会员导入」 (or another import) on the card that answers a CSV sent before any command. */
export const CSV_IMPORT_OFFERED = defineAction('csv.import.offered', z.object({ import: payload.text(40), m: payload.text(100) }))
