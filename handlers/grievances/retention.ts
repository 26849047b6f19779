// Retention (issue #13): once a day the sweep erases ended cases older than GRIEVANCE_RETENTION_DAYS (once-only
// through claimOnce, so two instances or a restart never sweep twice), and a worker may erase their own ended case
// earlier with 删除诉求 G-… and a confirmation. Audit rows name no actor for the worker's erasure (the reporter
// is never recorded) and keep the case number.
import { buildEraseConfirmCard, buildErasedCard } from '../../cards/grievances/worker.js'
import { writeAudit } from '../../src/core/audit.js'
import type { BaseContext, PeriodicContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ERASE_OWN } from '../../src/grievances/actions.js'
import { STATUS_LABEL, parseGrievanceNumber } from '../../src/grievances/model.js'
import { findOwnGrievance, isReporterOf } from '../../src/grievances/reporters.js'
import { ERASABLE, RETENTION_LEDGER, casesDueForErasure, eraseGrievance, markRetentionDone } from '../../src/grievances/retention.js'
import { getGrievance, lockGrievance } from '../../src/grievances/store.js'
import { claimOnce } from '../../src/kit/periodic.js'
import { localDate } from '../../src/time.js'
import { refreshReviewCard } from './shared.js'

/** A sweep not marked done within this time (a crash) may be run again by a later tick. */
const SWEEP_CLAIM_MS = 10 * 60_000
/** Cases erased per sweep at most (each in its own short transaction); the rest wait for the next day. */
const SWEEP_MAX = 2000

async function eraseOne(ctx: BaseContext, id: number, by: 'retention' | 'reporter'): Promise<boolean> {
  const done = await ctx.db.transaction().execute(async (trx) => {
    const g = await lockGrievance(trx, id)
    if (!g || g.erasedAt || !ERASABLE.includes(g.status)) return undefined
    await eraseGrievance(trx, id, ctx.now())
    await writeAudit(trx, { actorOpenId: '', action: 'grievance.erase', subjectType: 'grievance', subjectId: g.number, detail: { by } })
    return g
  })
  if (!done) return false
  // The committee group's copy of an ended case is one line already; redraw it from the erased record.
  await refreshReviewCard(ctx, id)
  return true
}

export async function sweepRetention(ctx: PeriodicContext): Promise<void> {
  const day = localDate(ctx.runAt, ctx.config.timezone)
  if (!(await claimOnce(ctx.db, RETENTION_LEDGER, { day }, { now: ctx.runAt, leaseMs: SWEEP_CLAIM_MS }))) return
  const before = new Date(ctx.runAt.getTime() - ctx.config.grievance.retentionDays * 86_400_000)
  let erased = 0
  for (const id of await casesDueForErasure(ctx.db, before, SWEEP_MAX)) if (await eraseOne(ctx, id, 'retention')) erased++
  await markRetentionDone(ctx.db, day, ctx.runAt, erased)
  if (erased) ctx.log.info({ task: ctx.taskName, day, erased }, 'grievances erased after retention')
}

export function registerGrievanceRetention(router: BotRouter): void {
  router.periodic({ name: 'grievance.retention', run: sweepRetention })

  router.command({
    words: ['删除诉求', 'erase grievance'],
    caseNumbers: ['G'],
    help: { section: '维权诉求', usage: '删除诉求 编号', description: '永久删除自己已结束的诉求（先确认）' },
    async handle(ctx) {
      const number = parseGrievanceNumber(ctx.argsText)
      if (!number) throw new UserFacingError('INVALID_INPUT', '请写上诉求编号，如：删除诉求 G-2026-0001')
      const g = await findOwnGrievance(ctx.db, ctx.actorOpenId, number)
      // Someone else's case is as absent as a number never issued (the words of 诉求 G-… for a worker).
      if (!g) throw new UserFacingError('NOT_FOUND', `未找到诉求 ${number}。请发送「我的诉求」查看您提交的诉求。`)
      if (!ERASABLE.includes(g.status)) throw new UserFacingError('INVALID_STATE', `诉求 ${number} 当前为「${STATUS_LABEL[g.status]}」，结束（已结案、不予受理或已转办）后才能删除。`)
      const content = { card: buildEraseConfirmCard({ gid: g.id, number: g.number, status: g.status }) }
      if (ctx.isGroup) await ctx.replyPrivately(content)
      else await ctx.reply(content)
    },
  })

  router.action(ERASE_OWN, {
    async handle(ctx, { gid }) {
      if (!(await isReporterOf(ctx.db, gid, ctx.actorOpenId))) return { toast: { type: 'warning', content: MESSAGES.actionUnknown } }
      const number = (await getGrievance(ctx.db, gid))?.number ?? ''
      if (!(await eraseOne(ctx, gid, 'reporter'))) return { toast: { type: 'warning', content: '该诉求现在不能删除（仍在办理中，或已删除）。' } }
      return { toast: { type: 'success', content: '已永久删除' }, card: buildErasedCard({ number }) }
    },
  })
}
