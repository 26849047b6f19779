// Delivers an anonymous reporter's queued 补充 and ratings to the committee once their random delay has passed
// (security review F7): recorded on the case's history with the delivery time, posted with a uuid derived from
// the queue row, then the row is deleted. Runs every scheduler minute; two instances never take the same row.
import { buildFollowUpCard } from '../../cards/grievances/notices.js'
import type { PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { StoredAttachment } from '../../src/grievances/tables.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { MAX_ATTACHMENTS, STATUS_LABEL, ratingChange } from '../../src/grievances/model.js'
import { resolveWorkdaysOf } from '../../src/grievances/model.js'
import { claimDueRelays, deleteRelay, type GrievanceRelay } from '../../src/grievances/relays.js'
import { isSatisfaction } from '../../src/kit/satisfaction.js'
import { lockGrievance, recordGrievanceEvent, updateGrievance } from '../../src/grievances/store.js'
import { reporterLabel, refreshReviewCard, sendToCaseOfficers } from './shared.js'
import { attachmentSources } from '../../src/grievances/reporters.js'
import { recordEvidence, settleEvidence } from '../../src/kit/evidence.js'
import { GRIEVANCE_EVIDENCE } from './evidence.js'

/** A claimed relay not delivered within this time (crash, Feishu down) is taken again by a later run. */
const RELAY_CLAIM_MS = 5 * 60_000

export function registerGrievanceRelays(router: BotRouter): void {
  router.periodic({
    name: 'grievance.relays',
    async run(ctx) {
      for (const relay of await claimDueRelays(ctx.db, ctx.runAt, RELAY_CLAIM_MS)) {
        try {
          await deliverRelay(ctx, relay)
        } catch (err) {
          // The claim lapses and a later run delivers it (same uuid: Feishu de-duplicates a send that went out).
          ctx.log.warn({ task: ctx.taskName, relay: relay.id, code: errorCode(err) }, 'grievance relay not delivered')
        }
      }
    },
  })
}

async function deliverRelay(ctx: PeriodicContext, relay: GrievanceRelay): Promise<void> {
  const key = `relay:${relay.id}`
  const at = ctx.runAt
  const detail = relay.detail ?? {}
  // History first (idempotent: the row's key is the entry's cause), in one transaction with the attachments.
  const g = await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockGrievance(trx, relay.grievanceId)
    if (!locked) return undefined
    if (relay.kind === 'follow_up') {
      const added = Array.isArray(detail.added) ? (detail.added as StoredAttachment[]) : []
      const fresh = await recordGrievanceEvent(trx, { grievanceId: locked.id, at, kind: 'follow_up', actorOpenId: null, body: relay.body, ...(added.length ? { detail: { attachments: added.length } } : {}), eventId: key })
      if (fresh && added.length) {
        // Evidence rows only now, at delivery: nothing on the case dates the worker's sending (F7). The source
        // message of each item was sealed at 补充 (grievance_attachment_sources).
        const sources = await attachmentSources(trx, locked.id, added.map((a) => a.key))
        await recordEvidence(trx, { type: GRIEVANCE_EVIDENCE.type, id: locked.id }, added.flatMap((a) => (sources.has(a.key) ? [{ kind: a.kind, key: a.key, messageId: sources.get(a.key)!, ...(a.name ? { name: a.name } : {}) }] : [])), { now: at, keepNames: false, sourceSealed: true })
        return updateGrievance(trx, locked.id, { attachments: JSON.stringify([...locked.attachments, ...added].slice(0, MAX_ATTACHMENTS * 2)) })
      }
      return locked
    }
    const fresh = await recordGrievanceEvent(trx, { grievanceId: locked.id, at, kind: 'rated', actorOpenId: null, detail: { rating: detail.rating }, eventId: key })
    if (detail.reopened === true) await recordGrievanceEvent(trx, { grievanceId: locked.id, at, kind: 'reopened', actorOpenId: null, eventId: key })
    // The rating takes effect on the case only now, dated now (worker.ts queues it unapplied). Relays queued
    // before that change carry no round: their rating is on the case already.
    if (fresh && typeof detail.round === 'number' && locked.status === 'resolved' && locked.reopenedCount === detail.round && isSatisfaction(detail.rating)) {
      return updateGrievance(trx, locked.id, ratingChange(locked, detail.rating, at, ctx.services.calendar, resolveWorkdaysOf(locked.timeClass, ctx.config.grievance)))
    }
    return locked
  })
  if (!g) return deleteRelay(ctx.db, relay.id)
  // On the case's history either way; a committee group Feishu refuses (bot removed, …) is logged and skipped.
  await deliver(
    ctx,
    'grievance:relay',
    async () => {
      if (relay.kind === 'follow_up') {
        const count = typeof detail.attachments === 'number' ? detail.attachments : 0
        const card = buildFollowUpCard({ number: g.number, category: g.category, reporterLabel: reporterLabel(g), text: relay.body || `（补充了 ${count} 个附件）`, at, timeZone: ctx.config.timezone })
        await sendToCaseOfficers(ctx, g, { card }, key)
      } else if (detail.reopened === true) {
        await sendToCaseOfficers(ctx, g, { text: `诉求 ${g.number} 的反映人对办理结果「不满意」，诉求已重新打开（状态：${STATUS_LABEL.accepted}），请继续处理。` }, key)
      }
    },
    { task: ctx.taskName, grievance: g.number },
  )
  await refreshReviewCard(ctx, g.id)
  await deleteRelay(ctx.db, relay.id)
  if (relay.kind === 'follow_up') await settleEvidence(ctx, GRIEVANCE_EVIDENCE, g.id)
  ctx.log.info({ task: ctx.taskName, grievance: g.number, kind: relay.kind }, 'grievance relay delivered')
}
