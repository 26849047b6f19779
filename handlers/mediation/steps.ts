// One step on a mediation case from a card: read the form, take the guarded transition (src/kit/transition.ts) keyed
// by the card's revision, answer the clicker with their card as the case is now, and do the notifications after
// the answer (Feishu waits only 3 s). Shared by the committee's steps and the parties' steps.
import type { Transaction, Updateable } from 'kysely'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import type { Database } from '../../src/db/schema.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { UserFacingError, errorCode } from '../../src/errors.js'
import { TransitionRefusedError, transition, type TransitionResult } from '../../src/kit/transition.js'
import { MEDIATION_STATUS_LABEL, OFFICER_TEXT_MAX_CHARS, type MediationEventKind, type MediationStatus } from '../../src/mediation/model.js'
import { formText } from '../../src/kit/form-text.js'
import { MEDIATION_MACHINE, eventsCausedBy, getCase, lockCase, recordEvent, updateCase, type MediationCase } from '../../src/mediation/store.js'
import type { MediationCasesTable } from '../../src/mediation/tables.js'
import { cardFor, refreshGroupCard } from './shared.js'

export interface CaseStep<I> {
  /** Audit action and history kind. */
  action: string
  kind: MediationEventKind
  read(ctx: CardActionContext): Promise<I> | I
  from: readonly MediationStatus[]
  refuse(c: MediationCase): string
  /** Who may take it on this case (beyond the action's roles); throws UserFacingError. */
  guard?(ctx: CardActionContext, c: MediationCase, trx: Transaction<Database>): Promise<void> | void
  /** Whether the step's revision check applies (false for steps a party takes whenever, e.g. withdrawal). */
  checkRevision?: boolean
  /** false: the step leaves the revision (confirmations of one draft, taken on several cards drawn from it). */
  bump?: boolean
  change(c: MediationCase, input: I, now: Date, ctx: CardActionContext, trx: Transaction<Database>): Promise<Updateable<MediationCasesTable>> | Updateable<MediationCasesTable>
  /** History text (internal: the committee's card only). */
  body?(input: I): string | null
  after?(ctx: CardActionContext, c: MediationCase, input: I): Promise<void>
  success(input: I, c: MediationCase): string
}

/** A required form text (src/kit/form-text.ts). */
export const requiredText = (ctx: CardActionContext, field: string, what: string): string => formText(ctx, field, what, { max: OFFICER_TEXT_MAX_CHARS })

/** An optional form text of at most `max` characters. */
export const optionalText = (ctx: CardActionContext, field: string, max: number, what: string): string => formText(ctx, field, what, { required: false, max })

export async function runCaseStep<I>(ctx: CardActionContext, step: CaseStep<I>, cid: number, rev: number | undefined): Promise<CardActionResult> {
  const input = await step.read(ctx)
  const body = step.body?.(input) ?? null
  let r: TransitionResult<MediationCase>
  try {
    r = await transition(ctx, MEDIATION_MACHINE, {
      step: step.kind,
      lock: (trx) => lockCase(trx, cid),
      missing: () => new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown),
      replayed: async (trx) => (await eventsCausedBy(trx, cid, ctx.eventId)).some((e) => e.kind === step.kind),
      from: step.from,
      ...(rev !== undefined && step.checkRevision !== false ? { current: (c: MediationCase) => c.revision === rev } : {}),
      refusal: (c) =>
        rev !== undefined && step.checkRevision !== false && c.revision !== rev && step.from.includes(c.status)
          ? `该案件刚有新的进展（当前：${MEDIATION_STATUS_LABEL[c.status]}），卡片已刷新，请确认后再操作。`
          : step.refuse(c),
      guard: (c, trx) => step.guard?.(ctx, c, trx),
      apply: async (trx, c, now) => {
        const patch = { ...(await step.change(c, input, now, ctx, trx)), ...(step.bump === false ? {} : { revision: c.revision + 1 }) }
        // A step that changes only its own records (a confirmation before the last) leaves the row as it is.
        return Object.keys(patch).length === 0 ? c : updateCase(trx, cid, patch)
      },
      history: async (trx, _c, _after, now) => void (await recordEvent(trx, { caseId: cid, at: now, kind: step.kind, actorOpenId: ctx.actorOpenId, body, eventId: ctx.eventId })),
      audit: { action: step.action },
    })
  } catch (err) {
    if (!(err instanceof TransitionRefusedError)) throw err
    const c = await getCase(ctx.db, cid)
    const card = c ? await cardFor(ctx, c, ctx.actorOpenId) : undefined
    return { toast: { type: 'warning', content: err.userMessage }, ...(card ? { card } : {}) }
  }
  const c = r.after
  const card = await cardFor(ctx, c, ctx.actorOpenId)
  ctx.log.info({ eventId: ctx.eventId, mediation: c.number, action: step.action }, 'mediation step')
  ctx.defer(async () => {
    await step.after?.(ctx, c, input)
    await refreshGroupCard(ctx, c.id).catch((err) => ctx.log.warn({ eventId: ctx.eventId, code: errorCode(err) }, 'mediation group card refresh failed'))
  })
  return { toast: { type: 'success', content: step.success(input, c) }, ...(card ? { card } : {}) }
}
