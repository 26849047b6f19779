// A hardship case's documents as evidence (src/kit/evidence.ts, issue #17: "fetched and kept like grievance evidence"):
// only the responsible officers (主席、副主席) open them; anyone else is told so and learns nothing of the case. An
// item too large is reported to the applicant.
import { findCase, responsibleOfficers } from '../../src/hardship/store.js'
import { deliver } from '../../src/kit/deliver.js'
import type { EvidenceOwner } from '../../src/kit/evidence.js'

export const HARDSHIP_EVIDENCE: EvidenceOwner = {
  type: 'hardship',
  async label(ctx, id) {
    return (await findCase(ctx.db, Number(id)))?.number
  },
  async mayOpen(ctx, id) {
    const allowed = await responsibleOfficers(ctx.db, ctx.config.union.officerOpenIds)
    if (!allowed.includes(ctx.actorOpenId)) return '抱歉，困难帮扶材料只有工会主席、副主席可以查看。'
    return (await findCase(ctx.db, Number(id))) ? true : '该申请已不存在。'
  },
  async refused(ctx, id, message) {
    const c = await findCase(ctx.db, Number(id))
    if (c) await deliver(ctx, 'hardship:evidence-refused', () => ctx.sendToUser(c.openId, { text: message }, { key: `evidence-refused:hardship:${id}` }))
  },
}
