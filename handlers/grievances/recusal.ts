// Recusal (回避, issue #13): an officer who is the subject of a case, or related to it, steps aside with the 回避本案
// button on the case's card or `回避 G-2026-0002`. From then on the case does not exist for them: not in 待办, lists,
// search, the overdue reminder or the digests' committee lists, and its committee-group copy keeps the number only
// (the group includes them); the officers who remain get the full card privately and work from there. At least one
// officer must remain. Recorded on the case's history (officers see who stepped aside) and audited.
import { buildRecusedCard } from '../../cards/grievances/notices.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { RECUSE } from '../../src/grievances/actions.js'
import { GRIEVANCE_TRANSITIONS, parseGrievanceNumber } from '../../src/grievances/model.js'
import { hasRecused, recordRecusal, recusedOfficers } from '../../src/grievances/recusals.js'
import { GRIEVANCE_MACHINE, eventsCausedBy, getGrievanceByNumber, lockGrievance, recordGrievanceEvent, updateGrievance, type Grievance } from '../../src/grievances/store.js'
import type { GrievanceStatus } from '../../src/grievances/tables.js'
import { deliver } from '../../src/kit/deliver.js'
import { transition } from '../../src/kit/transition.js'
import { OFFICERS_ONLY } from '../desk/shared.js'
import { caseNotFound } from './lookup.js'
import { caseOfficers, refreshReviewCard, renderReviewCard } from './shared.js'

const ANY_STATUS = Object.keys(GRIEVANCE_TRANSITIONS) as GrievanceStatus[]
const LAST_OFFICER = '您是目前唯一可以处理本案的工会干部，暂时不能回避。请先请工会主席添加其他干部（「干部 添加」），再回避。'

/** Records the recusal under the case's row lock; 'already' when this officer had recused before. */
async function recuse(ctx: BaseContext, gid: number): Promise<{ outcome: 'done' | 'replay' | 'already'; g: Grievance; first: boolean }> {
  let first = false
  const r = await transition(ctx, GRIEVANCE_MACHINE, {
    step: 'recused',
    lock: (trx) => lockGrievance(trx, gid),
    missing: () => new UserFacingError('NOT_FOUND', '该诉求不存在。'),
    replayed: async (trx) => (await eventsCausedBy(trx, gid, ctx.eventId)).some((e) => e.kind === 'recused'),
    from: ANY_STATUS,
    already: (g, trx) => hasRecused(trx, g.id, ctx.actorOpenId),
    current: () => true,
    refusal: () => '',
    guard: async (g, trx) => {
      if (await hasRecused(trx, g.id, ctx.actorOpenId)) throw new AlreadyRecused(g)
      const recused = await recusedOfficers(trx, g.id)
      const remaining = (await ctx.services.roles.officerOpenIds()).filter((id) => id !== ctx.actorOpenId && !recused.includes(id))
      if (remaining.length === 0) throw new UserFacingError('INVALID_STATE', LAST_OFFICER)
      first = recused.length === 0
    },
    apply: async (trx, g, now) => {
      await recordRecusal(trx, { grievanceId: g.id, openId: ctx.actorOpenId, at: now, eventId: ctx.eventId })
      // Their assignment ends with the recusal; the revision makes every card drawn before it stale.
      return updateGrievance(trx, g.id, { ...(g.assigneeOpenId === ctx.actorOpenId ? { assignee_open_id: null } : {}), revision: g.revision + 1 })
    },
    history: async (trx, g, _after, now) => void (await recordGrievanceEvent(trx, { grievanceId: g.id, at: now, kind: 'recused', actorOpenId: ctx.actorOpenId, body: null, eventId: ctx.eventId })),
    audit: { action: 'grievance.recuse' },
  }).catch((err) => {
    if (err instanceof AlreadyRecused) return { outcome: 'already' as const, after: err.g }
    throw err
  })
  if (r.outcome === 'replay') first = (await recusedOfficers(ctx.db, gid)).length === 1
  return { outcome: r.outcome, g: r.after, first }
}

class AlreadyRecused extends Error {
  constructor(readonly g: Grievance) {
    super('already recused')
  }
}

/**
 * After a recusal: the group's copy shrinks to the number; on the first recusal every officer who remains gets the
 * full card privately (later ones change nothing for them). Keys per case and officer: sent once.
 */
async function afterRecusal(ctx: BaseContext, g: Grievance, first: boolean): Promise<void> {
  await refreshReviewCard(ctx, g.id)
  if (!first) return
  const card = await renderReviewCard(ctx, g)
  const { allowed } = await caseOfficers(ctx, g.id)
  for (const openId of allowed) {
    await deliver(ctx, 'grievance:restricted-card', () => ctx.sendToUser(openId, { card }, { key: `restricted:${g.id}:${openId}` }), { grievance: g.number })
  }
}

export function registerGrievanceRecusal(router: BotRouter): void {
  router.action(RECUSE, {
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    async handle(ctx, { gid }) {
      const r = await recuse(ctx, gid)
      const card = buildRecusedCard({ number: r.g.number })
      if (r.outcome === 'already') return { toast: { type: 'info', content: '您已回避本案。' }, card }
      ctx.log.info({ eventId: ctx.eventId, grievance: r.g.number, action: 'grievance.recuse' }, 'grievance recusal')
      ctx.defer(() => afterRecusal(ctx, r.g, r.first))
      return { toast: { type: 'success', content: '已回避：您将不再看到本案，由其他干部处理。' }, card }
    },
  })

  router.command({
    words: ['回避', 'recuse'],
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    help: { section: '工会干部', usage: '回避 G-2026-0002', description: '与本案有关时回避：之后看不到、也不能处理该诉求' },
    async handle(ctx) {
      const number = parseGrievanceNumber(ctx.argsText)
      if (!number) throw new UserFacingError('INVALID_INPUT', '请写上要回避的诉求编号，例如：回避 G-2026-0002')
      const found = await getGrievanceByNumber(ctx.db, number)
      // A case the officer already recused from answers like one that does not exist (they learn nothing new).
      if (!found || (await hasRecused(ctx.db, found.id, ctx.actorOpenId))) throw caseNotFound(number)
      const r = await recuse(ctx, found.id)
      if (r.outcome !== 'already') await afterRecusal(ctx, r.g, r.first)
      await ctx.reply({ text: `已回避诉求 ${number}：您将不再看到本案，由其他工会干部处理。` })
    },
  })
}
