// The one guarded state transition every feature uses: lock the row, recognise a re-run of the same event, refuse
// with a reason, apply, write history and audit, and enforce the feature's declared transition table.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { BaseContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'

/** A feature's state machine: for each status, the statuses a step may move it to. Declared in its model.ts. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>

export interface Machine<Row, S extends string> {
  /** Audit subject type ('grievance', 'proposal', 'activity'). */
  subject: string
  table: TransitionTable<S>
  status(row: Row): S
  /** How the audit log names the row: its human number (G-2026-0007), never its text. */
  subjectId(row: Row): string
}

export interface StepSpec<Row, S extends string> {
  /** Name of the step: its history kind, and with the event id how a re-run is recognised. */
  step: string
  /** Reads and locks the row (SELECT … FOR UPDATE in trx); undefined when it does not exist. */
  lock(trx: Transaction<Database>): Promise<Row | undefined>
  /** The error for a row that does not exist (a polite UserFacingError). */
  missing(): Error
  /** Whether this very event already took the step (the history row for this event id): a re-run changes nothing. */
  replayed(trx: Transaction<Database>, row: Row): Promise<boolean>
  /** Statuses the step applies in. */
  from: readonly S[]
  /** Whether the button was made for the row as it is now (e.g. the card's revision); outdated ones never apply. */
  current?(row: Row): boolean
  /** Whether the state this step reaches is already in place (a double click, someone else): answered kindly. */
  already?(row: Row, trx: Transaction<Database>): boolean | Promise<boolean>
  /** Why the step cannot be taken on the row as it is (shown to the user). */
  refusal(row: Row): string
  /**
   * Who may take this step on this row and whether the input is valid; throws UserFacingError. Runs under the lock,
   * after the replay check: read through trx only (PGlite is one session; docs/conventions.md).
   */
  guard?(row: Row, trx: Transaction<Database>): void | Promise<void>
  /** The change itself; returns the row as it is afterwards. */
  apply(trx: Transaction<Database>, row: Row, now: Date): Promise<Row>
  /** The feature's history entry (timeline, grievance events, relay queue), in the same transaction. */
  history?(trx: Transaction<Database>, before: Row, after: Row, now: Date): Promise<void>
  /** Audit action name (e.g. 'proposal.register') and small structured facts; omitted: not audited. */
  audit?: { action: string; detail?(before: Row, after: Row): Record<string, unknown> }
}

export type TransitionResult<Row> =
  | { outcome: 'done'; before: Row; after: Row }
  /** This event already took the step (a re-run after a crash): redo its notifications, change nothing. */
  | { outcome: 'replay'; after: Row }
  /** The step's result is already in place (a double click, or someone else took it). */
  | { outcome: 'already'; after: Row }

/** The step cannot be taken in the row's current state; the reason is for the user. Answered as a polite toast. */
export class TransitionRefusedError extends UserFacingError {
  constructor(
    readonly step: string,
    reason: string,
  ) {
    super('INVALID_STATE', reason)
    this.name = 'TransitionRefusedError'
  }
}

/** A step tried a move its feature's table does not allow: a programming error, so the transaction rolls back. */
export class TransitionNotAllowedError extends Error {
  readonly code = 'TRANSITION_NOT_ALLOWED'
  constructor(
    readonly subject: string,
    readonly step: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${subject} step "${step}" may not move ${from} → ${to}`)
    this.name = 'TransitionNotAllowedError'
  }
}

export function canMove<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return from === to || table[from].includes(to)
}

/**
 * Takes one step under the row lock, in one transaction: a re-run of the same event finds its own history entry;
 * an outdated button or a wrong state is answered 'already' when the result is in place, and refused otherwise;
 * the change, the history entry and the audit row commit together, and a move outside the table rolls all back.
 * Pass the caller's `trx` when the step is part of a larger change (it then commits or rolls back with it).
 */
export async function transition<Row, S extends string>(
  ctx: BaseContext,
  machine: Machine<Row, S>,
  spec: StepSpec<Row, S>,
  trx?: Transaction<Database>,
): Promise<TransitionResult<Row>> {
  return trx ? step(ctx, machine, spec, trx) : ctx.db.transaction().execute((own) => step(ctx, machine, spec, own))
}

/** The step itself, in trx. */
async function step<Row, S extends string>(ctx: BaseContext, machine: Machine<Row, S>, spec: StepSpec<Row, S>, trx: Transaction<Database>): Promise<TransitionResult<Row>> {
  const row = await spec.lock(trx)
  if (row === undefined) throw spec.missing()
  if (await spec.replayed(trx, row)) return { outcome: 'replay', after: row }
  await spec.guard?.(row, trx)
  const before = machine.status(row)
  if (!spec.from.includes(before) || (spec.current && !spec.current(row))) {
    if (await spec.already?.(row, trx)) return { outcome: 'already', after: row }
    throw new TransitionRefusedError(spec.step, spec.refusal(row))
  }
  const now = ctx.now()
  const after = await spec.apply(trx, row, now)
  const to = machine.status(after)
  if (!canMove(machine.table, before, to)) throw new TransitionNotAllowedError(machine.subject, spec.step, before, to)
  await spec.history?.(trx, row, after, now)
  if (spec.audit) {
    const detail = { from: before, to, ...(spec.audit.detail?.(row, after) ?? {}) }
    await ctx.audit({ action: spec.audit.action, subjectType: machine.subject, subjectId: machine.subjectId(row), detail }, trx)
  }
  return { outcome: 'done', before: row, after }
}
