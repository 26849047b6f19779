// Overdue replies to the union's 意见书, chased once a working day from 09:00 (src/kit/periodic.ts workdayFrom and
// claimOnce: one chase per matter and day across instances), and their cards in the committee group re-drawn with
// the overdue flag. The committee digest lists them too (src/supervision/figures.ts).
import type { BotRouter } from '../../src/dispatch/router.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { bumpCardVersion, claimChase, markChased, overdueMatters, recordEvent } from '../../src/supervision/store.js'
import { formatDateTime } from '../../src/time.js'
import { refreshMatterCards } from './shared.js'

const CLAIM_MS = 5 * 60_000

export function registerSupervisionChase(router: BotRouter): void {
  router.periodic({
    name: 'supervision.chase',
    async run(ctx) {
      const day = workdayFrom(ctx.runAt, ctx.services.calendar, ctx.config.timezone)
      if (!day) return
      for (const m of await overdueMatters(ctx.db, ctx.runAt)) {
        if (!(await claimChase(ctx.db, m.id, day, ctx.runAt, CLAIM_MS))) continue
        try {
          await deliver(
            ctx,
            'supervision:chase',
            () =>
              ctx.sendToUser(
                m.contact_open_id,
                { text: `工会意见书 ${m.number} 的答复期限（${formatDateTime(m.reply_due_at, ctx.config.timezone)}）已过，请尽快在意见书卡片上答复（《工会法》第二十二条：用人单位应当研究并答复）。` },
                { key: `chase:${m.id}:${day}` },
              ),
            { supervision: m.number },
          )
          await recordEvent(ctx.db, { matterId: m.id, at: ctx.runAt, kind: 'chased', actorOpenId: null, body: day, eventId: `chase:${day}` })
          await markChased(ctx.db, m.id, day, ctx.runAt)
          // The overdue flag is on every copy of the matter's card (live cards): its version moves, not the buttons'.
          await bumpCardVersion(ctx.db, m.id)
          await refreshMatterCards(ctx, m.id)
        } catch (err) {
          ctx.log.warn({ task: ctx.taskName, supervision: m.number, code: errorCode(err) }, 'supervision chase not sent')
        }
      }
    },
  })
}
