// One step on a mediation case from a card, through the kit's card-step runner (src/kit/card-step.ts, shared with
// supervision and dismissal notices): the case's subject (lock, history, the clicker's card, the group card's
// refresh) and the form-text helpers the steps use.
import type { Updateable } from 'kysely'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import { runCardStep, type CardStep, type CardStepSubject } from '../../src/kit/card-step.js'
import { formText } from '../../src/kit/form-text.js'
import { MEDIATION_STATUS_LABEL, OFFICER_TEXT_MAX_CHARS, type MediationEventKind, type MediationStatus } from '../../src/mediation/model.js'
import { MEDIATION_MACHINE, eventsCausedBy, getCase, lockCase, recordEvent, updateCase, type MediationCase } from '../../src/mediation/store.js'
import type { MediationCasesTable } from '../../src/mediation/tables.js'
import { cardFor, refreshGroupCard } from './shared.js'

export type CaseStep<I> = CardStep<MediationCase, MediationStatus, I, Updateable<MediationCasesTable>> & { kind: MediationEventKind }

const CASE: CardStepSubject<MediationCase, MediationStatus, Updateable<MediationCasesTable>> = {
  machine: MEDIATION_MACHINE,
  logKey: 'mediation',
  noun: '案件',
  statusLabel: MEDIATION_STATUS_LABEL,
  lock: lockCase,
  get: getCase,
  replayed: async (trx, id, eventId, kind) => (await eventsCausedBy(trx, id, eventId)).some((e) => e.kind === kind),
  update: updateCase,
  record: async (trx, e) => void (await recordEvent(trx, { caseId: e.id, at: e.at, kind: e.kind as MediationEventKind, actorOpenId: e.actorOpenId, body: e.body, eventId: e.eventId })),
  cardFor: (ctx, c) => cardFor(ctx, c, ctx.actorOpenId),
  refresh: (ctx, c) => refreshGroupCard(ctx, c.id),
}

/** A required form text (src/kit/form-text.ts). */
export const requiredText = (ctx: CardActionContext, field: string, what: string): string => formText(ctx, field, what, { max: OFFICER_TEXT_MAX_CHARS })

/** An optional form text of at most `max` characters. */
export const optionalText = (ctx: CardActionContext, field: string, max: number, what: string): string => formText(ctx, field, what, { required: false, max })

export function runCaseStep<I>(ctx: CardActionContext, step: CaseStep<I>, cid: number, rev: number | undefined): Promise<CardActionResult> {
  return runCardStep(ctx, CASE, step, cid, rev)
}
