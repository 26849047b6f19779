// A grievance's evidence (src/kit/evidence.ts): what the kit needs to know about cases. Officers who may see the case
// open it; a recused officer (or anyone else) gets the stale-button toast, the same words as for a case that does not
// exist. The source message is read from the sealed grievance_attachment_sources at fetch time, never copied into
// the evidence table. A refused item is reported to the reporter through the relay code (reporterOf), never shown to officers.
import type { BaseContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { attachmentSource, reporterOf } from '../../src/grievances/reporters.js'
import { getGrievance } from '../../src/grievances/store.js'
import { deliver } from '../../src/kit/deliver.js'
import type { EvidenceOwner } from '../../src/kit/evidence.js'

export const GRIEVANCE_EVIDENCE: EvidenceOwner = {
  type: 'grievance',
  async label(ctx, id) {
    return (await getGrievance(ctx.db, Number(id)))?.number
  },
  async mayOpen(ctx, id) {
    if (!(await ctx.isOfficer(ctx.actorOpenId))) return MESSAGES.actionDenied
    const g = await getGrievance(ctx.db, Number(id))
    if (!g || (await hasRecused(ctx.db, g.id, ctx.actorOpenId))) return MESSAGES.actionUnknown
    return true
  },
  // The message each attachment came in stays in the sealed table only (it resolves to the sender).
  async sourceOf(ctx, id, key) {
    return attachmentSource(ctx.db, Number(id), key)
  },
  async refused(ctx: BaseContext, id, message) {
    const to = await reporterOf(ctx.db, Number(id))
    if (to) await deliver(ctx, 'grievance:evidence-refused', () => ctx.sendToUser(to, { text: message }, { key: `evidence-refused:grievance:${id}` }))
  },
}
