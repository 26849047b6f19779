// Durable intake: records a verified update in the inbox (de-duplicating it), then hands it on — events to the
// background processor, card actions to the dispatcher at once, since their answer goes back in the response.
import { WebhookError, errorCode } from '../errors.js'
import type { CardActionResult } from '../dispatch/context.js'
import type { Dispatcher } from '../dispatch/dispatcher.js'
import type { Update } from '../feishu/updates.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { InboxRejectedError, type Inbox } from './inbox.js'
import type { EventProcessor } from './processor.js'

/** Feishu waits 3 s for a card callback answer (docs/feishu-platform.md#card-callbacks); we answer by this budget at the latest. */
const CARD_ANSWER_BUDGET_MS = 2500

export interface CardResponse {
  toast?: { type: string; content: string }
  card?: { type: 'raw'; data: unknown }
}

export class Intake {
  constructor(
    private readonly inbox: Inbox,
    private readonly processor: EventProcessor,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Records an event; resolves once it is durable. Throws INTAKE_UNAVAILABLE when the inbox cannot be written. */
  async receiveEvent(update: Update, key: string): Promise<void> {
    const fresh = await this.record(update, key)
    if (!fresh) return
    const accepted = this.processor.submit({ key, eventId: update.eventId, eventType: update.kind, update, attempts: 0, receivedAt: new Date() })
    if (!accepted) {
      // Busy: give the lease back so the next sweep (here or on another instance) picks it up.
      this.inbox.release([key]).catch(() => undefined)
    }
  }

  /** Records a card action and answers it within the budget; slow or deferred work continues afterwards. */
  async receiveCardAction(update: Extract<Update, { kind: 'card_action' }>, key: string): Promise<CardResponse> {
    const fresh = await this.record(update, key)
    // A redelivered callback (same event_id) takes effect once; the card stays as it is.
    if (!fresh) return {}
    const started = Date.now()
    // Worked on here until its deferred work is done: the processor renews its lease meanwhile.
    this.processor.hold(key)
    const work = this.dispatcher.handleCardAction(update.eventId, update.action).then(async (outcome) => {
      const finish = async () => {
        try {
          for (const task of outcome.deferred) await task()
          await this.inbox.markDone(key)
          this.metrics.eventsProcessed.inc({ type: 'card_action' })
          this.metrics.intakeToHandled.observe({ type: 'card_action' }, (Date.now() - started) / 1000)
        } catch (err) {
          // Left pending: the lease expires and the sweep re-runs the (idempotent) handler.
          this.metrics.eventsFailed.inc({ type: 'card_action', code: errorCode(err) })
          this.log.error({ eventId: update.eventId, action: update.action.name, code: errorCode(err) }, 'deferred card work failed')
        } finally {
          this.processor.unhold(key)
        }
      }
      void finish()
      return outcome.result
    })
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CARD_ANSWER_BUDGET_MS).unref())
    const result = await Promise.race([work, timeout])
    if (result === undefined) this.log.warn({ eventId: update.eventId, action: update.action.name }, 'card action answered before its handler finished')
    else this.log.info({ eventId: update.eventId, type: 'card_action', action: update.action.name, ms: Date.now() - started }, 'card action answered')
    return toCardResponse(result ?? {})
  }

  private async record(update: Update, key: string): Promise<boolean> {
    let fresh: boolean
    try {
      fresh = await this.inbox.accept({ key, eventId: update.eventId, eventType: update.kind, update })
    } catch (err) {
      if (err instanceof InboxRejectedError) throw new WebhookError('BODY_MALFORMED', 'event refused by the store', { cause: err })
      this.log.error({ eventId: update.eventId, code: errorCode(err) }, 'inbox unavailable')
      throw new WebhookError('INTAKE_UNAVAILABLE', 'event store unavailable', { cause: err })
    }
    if (fresh) this.metrics.eventsReceived.inc({ type: update.kind })
    else this.metrics.eventsDuplicate.inc({ type: update.kind })
    return fresh
  }
}

function toCardResponse(result: CardActionResult): CardResponse {
  const response: CardResponse = {}
  if (result.toast) response.toast = { type: result.toast.type, content: result.toast.content }
  if (result.card) response.card = { type: 'raw', data: result.card }
  return response
}
