// Text typed into a card's form (an officer's reason, a department's reply): trimmed, required or not, its length
// counted in code points (src/kit/text.ts) within Feishu's input limit; bad input is a polite UserFacingError.
import type { CardActionContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'
import { charCount } from './text.js'

/** Feishu's input component takes 1–1000 characters (docs/feishu-platform.md). */
export const FORM_TEXT_MAX_CHARS = 1000

/**
 * The form field's text. `required` (the default) refuses an empty one ("请先填写…"); `min` refuses a shorter one;
 * `max` (default FORM_TEXT_MAX_CHARS) a longer one. `what` names the field in the answer, e.g. 不予受理的理由.
 */
export function formText(ctx: Pick<CardActionContext, 'formString'>, field: string, what: string, opts: { required?: boolean; min?: number; max?: number } = {}): string {
  const text = (ctx.formString(field) ?? '').trim()
  const max = opts.max ?? FORM_TEXT_MAX_CHARS
  if (!text && opts.required !== false) throw new UserFacingError('INVALID_INPUT', `请先填写${what}。`)
  if (text && opts.min !== undefined && charCount(text) < opts.min) throw new UserFacingError('INVALID_INPUT', `${what}太短：至少 ${opts.min} 个字。`)
  if (charCount(text) > max) throw new UserFacingError('INVALID_INPUT', `${what}最多 ${max} 个字。`)
  return text
}
