// One step on a case from its card, for the features whose cases carry a revision that every button quotes
// (mediation cases, supervision matters, dismissal notices): read the form, take the guarded transition
// (src/kit/transition.ts) keyed by the card's revision, answer the clicker with their card as the case is now, and do
// the notifications after the answer (Feishu waits only 3 s). A refused step answers with the case as it is now.
//
// Grievances' runOfficerAction (handlers/grievances/officers.ts) has the same shape without the revision check; it
// could join by giving a subject whose `current` is always true and its history writer as `record`.
import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import type { CardActionContext, CardActionResult } from '../dispatch/context.js'
import { MESSAGES } from '../dispatch/messages.js'
import { UserFacingError, errorCode } from '../errors.js'
import type { Card } from '../feishu/card.js'
import { TransitionRefusedError, transition, type Machine, type TransitionResult } from './transition.js'

/** One step a feature offers on its case cards. `P` is the row patch (Updateable of the feature's table). */
export interface CardStep<Row, S extends string, I, P> {
  /** Audit action (the card action's name). */
  action: string
  /** History kind; with the event id how a re-run is recognised. */
  kind: string
  read(ctx: CardActionContext): Promise<I> | I
  from: readonly S[]
  refuse(row: Row): string
  /** Who may take it on this row (beyond the action's roles); throws UserFacingError. Reads through trx only. */
  guard?(ctx: CardActionContext, row: Row, trx: Transaction<Database>): Promise<void> | void
  /** Whether the card's revision must be the row's (false for steps taken whenever, e.g. a withdrawal). */
  checkRevision?: boolean
  /** false: the step leaves the revision (confirmations of one draft, taken on several cards drawn from it). */
  bump?: boolean
  change(row: Row, input: I, now: Date, ctx: CardActionContext, trx: Transaction<Database>): Promise<P> | P
  /** History text (internal). */
  body?(input: I): string | null
  after?(ctx: CardActionContext, row: Row, input: I): Promise<void>
  success(input: I, row: Row): string
}

/** How a feature's cases are read, changed and shown; given once per feature. */
export interface CardStepSubject<Row extends { revision: number; number: string }, S extends string, P> {
  machine: Machine<Row, S>
  /** The log field naming the case ('mediation', 'supervision', …): numbers only, never content. */
  logKey: string
  /** What the refusal of an outdated card calls the case (案件, 事项). */
  noun: string
  statusLabel: Record<S, string>
  lock(trx: Transaction<Database>, id: number): Promise<Row | undefined>
  get(db: Db, id: number): Promise<Row | undefined>
  /** Whether this event already recorded `kind` on the case. */
  replayed(trx: Transaction<Database>, id: number, eventId: string, kind: string): Promise<boolean>
  update(trx: Transaction<Database>, id: number, patch: P): Promise<Row>
  record(trx: Transaction<Database>, e: { id: number; at: Date; kind: string; actorOpenId: string; body: string | null; eventId: string }): Promise<void>
  /** The clicker's card for the case as it is (undefined: none for this person). */
  cardFor(ctx: CardActionContext, row: Row): Promise<Card | undefined>
  /** Bring the case's other cards up to date (after the answer, in ctx.defer). */
  refresh(ctx: CardActionContext, row: Row): Promise<void>
}

export async function runCardStep<Row extends { revision: number; number: string }, S extends string, I, P>(
  ctx: CardActionContext,
  subject: CardStepSubject<Row, S, P>,
  step: CardStep<Row, S, I, P>,
  id: number,
  rev: number | undefined,
): Promise<CardActionResult> {
  const input = await step.read(ctx)
  const body = step.body?.(input) ?? null
  const checked = rev !== undefined && step.checkRevision !== false
  let r: TransitionResult<Row>
  try {
    r = await transition(ctx, subject.machine, {
      step: step.kind,
      lock: (trx) => subject.lock(trx, id),
      missing: () => new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown),
      replayed: (trx) => subject.replayed(trx, id, ctx.eventId, step.kind),
      from: step.from,
      ...(checked ? { current: (row: Row) => row.revision === rev } : {}),
      refusal: (row) =>
        checked && row.revision !== rev && step.from.includes(subject.machine.status(row))
          ? `该${subject.noun}刚有新的进展（当前：${subject.statusLabel[subject.machine.status(row)]}），卡片已刷新，请确认后再操作。`
          : step.refuse(row),
      guard: (row, trx) => step.guard?.(ctx, row, trx),
      apply: async (trx, row, now) => {
        const patch = { ...(await step.change(row, input, now, ctx, trx)), ...(step.bump === false ? {} : { revision: row.revision + 1 }) } as P
        // A step that changes only its own records (a confirmation before the last) leaves the row as it is.
        return Object.keys(patch as object).length === 0 ? row : subject.update(trx, id, patch)
      },
      history: (trx, _before, _after, now) => subject.record(trx, { id, at: now, kind: step.kind, actorOpenId: ctx.actorOpenId, body, eventId: ctx.eventId }),
      audit: { action: step.action },
    })
  } catch (err) {
    if (!(err instanceof TransitionRefusedError)) throw err
    const row = await subject.get(ctx.db, id)
    const card = row ? await subject.cardFor(ctx, row) : undefined
    return { toast: { type: 'warning', content: err.userMessage }, ...(card ? { card } : {}) }
  }
  const row = r.after
  const card = await subject.cardFor(ctx, row)
  ctx.log.info({ eventId: ctx.eventId, [subject.logKey]: row.number, action: step.action }, `${subject.logKey} step`)
  ctx.defer(async () => {
    await step.after?.(ctx, row, input)
    await subject.refresh(ctx, row).catch((err) => ctx.log.warn({ eventId: ctx.eventId, code: errorCode(err) }, `${subject.logKey} card refresh failed`))
  })
  return { toast: { type: 'success', content: step.success(input, row) }, ...(card ? { card } : {}) }
}
