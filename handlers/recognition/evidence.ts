// A nomination's photo as evidence (src/kit/evidence.ts, issue #17): fetched from the nominator's message and
// re-uploaded by the bot, whose image key alone is shown (a key from a person's message does not render in a bot's
// card). When it is ready the nomination's photo_key is set and the committee's review card redrawn with it.
import type { BaseContext } from '../../src/dispatch/context.js'
import { deliver } from '../../src/kit/deliver.js'
import { firstReadyImage, type EvidenceOwner } from '../../src/kit/evidence.js'
import { nominationById, roundById } from '../../src/recognition/store.js'
import { refreshReview } from './shared.js'

async function labelOf(ctx: BaseContext, id: string): Promise<string | undefined> {
  const n = await nominationById(ctx.db, Number(id))
  const round = n ? await roundById(ctx.db, n.round_id) : undefined
  return round ? `评选 ${round.number} 的提名` : undefined
}

export const NOMINATION_EVIDENCE: EvidenceOwner = {
  type: 'nomination',
  label: labelOf,
  async mayOpen(ctx, id) {
    if (!(await ctx.isOfficer(ctx.actorOpenId))) return '抱歉，只有工会干部可以进行此操作。'
    return (await nominationById(ctx.db, Number(id))) ? true : '该提名已不存在。'
  },
  async refused(ctx, id, message) {
    const n = await nominationById(ctx.db, Number(id))
    if (n) await deliver(ctx, 'nomination:evidence-refused', () => ctx.sendToUser(n.nominated_by, { text: `${message}（提名仍然有效，只是不附照片。）` }, { key: `evidence-refused:nomination:${id}` }))
  },
  async ready(ctx, id) {
    const key = await firstReadyImage(ctx.db, { type: 'nomination', id })
    if (!key) return
    const n = await ctx.db.updateTable('award_nominations').set({ photo_key: key }).where('id', '=', Number(id)).returningAll().executeTakeFirst()
    const round = n ? await roundById(ctx.db, n.round_id) : undefined
    if (round) await refreshReview(ctx, round)
  },
}
