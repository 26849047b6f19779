// One way to "send (or patch), but skip a recipient Feishu refuses": a refusal is logged by its meaning and the
// flow goes on; a malformed card is an error, never skipped silently (docs/feishu-platform.md#error-codes).
import { FeishuApiError } from '../feishu/api-errors.js'
import type { Logger } from '../logger.js'

/** Who is delivering, for logs: every handler context (BaseContext) fits. */
export interface DeliverContext {
  readonly log: Logger
  readonly eventId?: string
}

export type Delivered<T> = { sent: true; value: T } | { sent: false; error: FeishuApiError }

/**
 * Runs `send` and returns what it returned; when Feishu refuses for good, returns `{ sent: false, error }` instead
 * of throwing, so one unreachable person does not hold up everyone else:
 * - recipient gone (bot removed, user left, message recalled): logged at info;
 * - malformed (230099, 230025, 230001: our own card or message is wrong): logged at error; Outbound has counted it
 *   in unionbot_feishu_format_errors_total;
 * - refused otherwise (group forbids bots, no permission, …): logged at warn.
 * Retryable failures and every other error propagate, so the event (or the periodic task) is tried again.
 * `what` names the delivery in logs; `fields` adds ids (never message text, names or card content).
 */
export async function deliver<T>(ctx: DeliverContext, what: string, send: () => Promise<T>, fields: Record<string, unknown> = {}): Promise<Delivered<T>> {
  try {
    return { sent: true, value: await send() }
  } catch (err) {
    if (!skipRefusal(ctx, what, err, fields)) throw err
    return { sent: false, error: err as FeishuApiError }
  }
}

/**
 * For a boundary that catches after the fact: true (and logged by kind, as deliver() does) when `err` is a
 * permanent Feishu refusal the caller may skip; false for anything to rethrow.
 */
export function skipRefusal(ctx: DeliverContext, what: string, err: unknown, fields: Record<string, unknown> = {}): err is FeishuApiError {
  if (!(err instanceof FeishuApiError) || err.kind === 'retryable') return false
  const line = { ...(ctx.eventId ? { eventId: ctx.eventId } : {}), ...fields, what, method: err.method, code: err.code, errorKind: err.kind }
  if (err.kind === 'recipient_gone') ctx.log.info(line, 'not delivered: recipient gone')
  else if (err.kind === 'malformed') ctx.log.error(line, 'not delivered: Feishu rejected our card or message as malformed')
  else ctx.log.warn(line, 'not delivered: Feishu refused')
  return true
}
