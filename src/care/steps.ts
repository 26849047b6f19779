// The steps of a care entry: checked against the caps and recorded in one transaction (a per-person, per-kind lock
// so two officers at once cannot pass a yearly cap together), and the chair's decision on an entry above a cap
// through transition(). Reached from the handlers; the rules are src/care/model.ts's.
import { sql } from 'kysely'
import type { BaseContext } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'
import { transition, type Machine, type TransitionResult, type TransitionTable } from '../kit/transition.js'
import { capRefusal, checkCap, type CareEvent, type CareKind, type CareStatus } from './model.js'
import { decideCareEvent, insertCareEvent, lockCareEvent, usedThisYear } from './store.js'

/** An entry above a cap waits for the chair; a decided entry stays as it is. */
export const CARE_TRANSITIONS: TransitionTable<CareStatus> = { pending: ['recorded', 'refused'], recorded: [], refused: [] }

const MACHINE: Machine<CareEvent, CareStatus> = { subject: 'care_event', table: CARE_TRANSITIONS, status: (e) => e.status, subjectId: (e) => String(e.id) }

export interface CareEntry {
  openId: string
  name: string
  department: string | undefined
  kind: CareKind
  amountFen: number
  gift: string | undefined
  occurredOn: string
}

/**
 * Records the entry, or (above a cap) refuses it with the cap shown (CARE_OVER_CAP=refuse) or keeps it for the
 * chair's approval (approval). A re-run of the same event returns the entry it made.
 */
export async function recordCare(ctx: BaseContext, e: CareEntry): Promise<{ event: CareEvent; replay: boolean }> {
  const cap = ctx.config.care.caps[e.kind]
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`care:${e.openId}:${e.kind}`}))`.execute(trx)
    const year = Number(e.occurredOn.slice(0, 4))
    const existing = await trx.selectFrom('care_events').select('id').where('event_id', '=', ctx.eventId).executeTakeFirst()
    const used = existing ? 0 : await usedThisYear(trx, e.openId, e.kind, year)
    const checked = checkCap(cap, e.amountFen, used)
    const over = checked.ok ? undefined : capRefusal(e.kind, checked)
    if (over && ctx.config.care.overCap === 'refuse' && !existing) {
      throw new UserFacingError('INVALID_INPUT', `超过上限，未登记：${over}。如确需超标准慰问，请调整金额；工会也可以在系统设置里改为「超上限须主席审批」，由主席在卡片上批准。`)
    }
    const result = await insertCareEvent(trx, { ...e, status: over ? 'pending' : 'recorded', overCap: over, recordedBy: ctx.actorOpenId, eventId: ctx.eventId, at: ctx.now() })
    if (!result.replay) {
      await ctx.audit({ action: 'care.record', subjectType: 'care_event', subjectId: String(result.event.id), detail: { kind: e.kind, amountFen: e.amountFen, status: result.event.status } }, trx)
    }
    return result
  })
}

/** The chair approves (recorded) or refuses an entry awaiting approval. */
export function decideCare(ctx: BaseContext, id: number, to: 'recorded' | 'refused'): Promise<TransitionResult<CareEvent>> {
  const action = to === 'recorded' ? 'care.approve' : 'care.refuse'
  return transition(ctx, MACHINE, {
    step: to === 'recorded' ? 'approve' : 'refuse',
    lock: (trx) => lockCareEvent(trx, id),
    missing: () => new UserFacingError('NOT_FOUND', '找不到这条慰问登记。'),
    replayed: async (trx) =>
      (await trx.selectFrom('audit_log').select('id').where('event_id', '=', ctx.eventId).where('action', '=', action).where('subject_id', '=', String(id)).executeTakeFirst()) !== undefined,
    from: ['pending'],
    already: (e) => e.status === to,
    refusal: (e) => `这条慰问已${e.status === 'recorded' ? '批准' : '处理为不批准'}。`,
    apply: (trx, _e, now) => decideCareEvent(trx, id, { status: to, by: ctx.actorOpenId, at: now }),
    audit: { action },
  })
}
