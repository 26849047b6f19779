// Evidence across features (src/kit/evidence.ts): the 「查看附件」 button every case card carries, and the periodic
// retry of fetches that failed. Each feature says who may open its subjects' evidence (its EvidenceOwner).
import type { BotRouter } from '../../src/dispatch/router.js'
import { EVIDENCE_OPEN, retryDueEvidence, sendEvidenceTo, type EvidenceOwner } from '../../src/kit/evidence.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { errorCode } from '../../src/errors.js'
import { GRIEVANCE_EVIDENCE } from '../grievances/evidence.js'
import { HARDSHIP_EVIDENCE } from '../hardship/evidence.js'
import { NOMINATION_EVIDENCE } from '../recognition/evidence.js'
import { PROPOSAL_ANSWER_EVIDENCE } from '../proposals/answer-files.js'

/** Every feature that keeps evidence; the periodic retry settles rows of these subject types. */
export const EVIDENCE_OWNERS: readonly EvidenceOwner[] = [GRIEVANCE_EVIDENCE, HARDSHIP_EVIDENCE, NOMINATION_EVIDENCE, PROPOSAL_ANSWER_EVIDENCE]

export function registerEvidence(router: BotRouter, owners: readonly EvidenceOwner[] = EVIDENCE_OWNERS): void {
  // No router role: who may open depends on the subject (officers for a grievance, the proposer for an answer, …).
  router.action(EVIDENCE_OPEN, {
    async handle(ctx, { t, id }) {
      const owner = owners.find((o) => o.type === t)
      if (!owner) return { toast: { type: 'warning', content: MESSAGES.actionUnknown } }
      const allowed = await owner.mayOpen(ctx, id)
      if (allowed !== true) return { toast: { type: 'warning', content: allowed } }
      const label = await owner.label(ctx, id)
      if (label === undefined) return { toast: { type: 'warning', content: MESSAGES.actionUnknown } }
      ctx.log.info({ eventId: ctx.eventId, subject: t, action: 'evidence.open' }, 'evidence opened')
      await ctx.audit({ action: 'evidence.open', subjectType: t, subjectId: label })
      ctx.defer(async () => void (await sendEvidenceTo(ctx, ctx.actorOpenId, { type: t, id }, label)))
      return { toast: { type: 'success', content: '附件已在私聊中发给您' } }
    },
  })

  router.periodic({
    name: 'evidence.fetch',
    async run(ctx) {
      try {
        await retryDueEvidence(ctx, owners)
      } catch (err) {
        ctx.log.warn({ task: ctx.taskName, code: errorCode(err) }, 'evidence retry run failed')
      }
    },
  })
}
