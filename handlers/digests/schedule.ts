// The scheduled digests, every scheduler minute: from 09:00 (DIGEST_TIMEZONE) on a send day, each subscribed chat
// gets its weekly/daily digest once — claim the (chat, kind, period) key in Postgres, send with a uuid derived
// from that key, mark it sent. A chat that no longer takes the bot's messages loses its subscriptions and the
// committee is told.
import { buildChatGoneCard } from '../../cards/digests/notices.js'
import type { PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { audienceOf, type Audience } from '../../src/digests/model.js'
import { DIGEST_KINDS, scheduledDigest, type DigestKind, type ScheduledDigest } from '../../src/digests/periods.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { chatName, chatsDue, claimDelivery, disableChat, finishDelivery, type DeliveryKey } from '../../src/digests/store.js'
import { buildDigest, type BuiltDigest } from './shared.js'

/**
 * A claim not marked finished within this time (crash, Feishu down) is taken over by a later tick of the same day.
 * Well inside Feishu's 1-hour uuid window, so a digest that did go out before a crash is de-duplicated on resend.
 */
export const CLAIM_LEASE_MS = 5 * 60_000
/** Sends that keep failing (network, 5xx) are given up after this many claims, so a broken chat is not hammered. */
export const MAX_ATTEMPTS = 5

export const DIGEST_TASK = 'digest.schedule'

export function registerDigestSchedule(router: BotRouter): void {
  router.periodic({ name: DIGEST_TASK, run: sendDueDigests })
}

async function sendDueDigests(ctx: PeriodicContext): Promise<void> {
  const tz = ctx.config.digest.timezone
  const now = ctx.runAt
  const isWorkday = (date: string) => ctx.services.calendar.isWorkday(date)
  for (const kind of DIGEST_KINDS) {
    const due = scheduledDigest(kind, now, tz, isWorkday)
    if (!due || now.getTime() < due.dueAt.getTime()) continue
    const chats = await chatsDue(ctx.db, kind, due.period.key, due.dueAt, now)
    // One build per audience and tick: every public group gets the same figures.
    const built = new Map<Audience, BuiltDigest>()
    for (const chatId of chats) await deliverDigest(ctx, kind, due, chatId, built)
  }
}

async function deliverDigest(ctx: PeriodicContext, kind: DigestKind, due: ScheduledDigest, chatId: string, built: Map<Audience, BuiltDigest>): Promise<void> {
  const key: DeliveryKey = { chatId, kind, period: due.period.key }
  const attempt = await claimDelivery(ctx.db, key, ctx.runAt, CLAIM_LEASE_MS)
  if (attempt === undefined) return // another instance has it, or it is done
  const audience = audienceOf(chatId, await ctx.committeeChatId())
  const log = { task: ctx.taskName, chatId, kind, period: key.period, audience, attempt }
  try {
    let digest = built.get(audience)
    if (!digest) {
      digest = await buildDigest(ctx, kind, due.period, audience)
      built.set(audience, digest)
    }
    if (audience === 'public' && !digest.hasNews) {
      await finishDelivery(ctx.db, key, { status: 'skipped', at: ctx.now(), audience, outcome: 'nothing_to_report' })
      ctx.log.info(log, 'digest skipped: nothing to report')
      return
    }
    // The uuid comes from the key alone: a resend after a crash (same key, same day) is one message for Feishu.
    const sent = await deliver(ctx, 'digest', () => ctx.sendToChat(chatId, { card: digest.card }, { key: `digest:${chatId}:${kind}:${key.period}` }), log)
    if (!sent.sent) {
      // Refused for good: a chat the bot cannot post to any more loses its subscriptions; other refusals give up.
      const err = sent.error
      if (err.recipientGone) {
        await finishDelivery(ctx.db, key, { status: 'failed', at: ctx.now(), audience, outcome: `recipient_gone:${err.code}` })
        await chatGone(ctx, chatId, err.code, key.period)
      } else {
        await finishDelivery(ctx.db, key, { status: 'failed', at: ctx.now(), audience, outcome: errorCode(err) })
      }
      return
    }
    await finishDelivery(ctx.db, key, { status: 'sent', at: ctx.now(), audience, messageId: sent.value.messageId })
    ctx.log.info(log, 'digest sent')
  } catch (err) {
    if (attempt >= MAX_ATTEMPTS) {
      await finishDelivery(ctx.db, key, { status: 'failed', at: ctx.now(), audience, outcome: errorCode(err) })
      ctx.log.error({ ...log, code: errorCode(err) }, 'digest not sent: given up')
      return
    }
    // The claim lapses and a later tick of the same day tries again.
    ctx.log.warn({ ...log, code: errorCode(err) }, 'digest not sent: will retry')
  }
}

/** Stops the chat's subscriptions (once, whichever instance sees it first) and tells the committee. */
async function chatGone(ctx: PeriodicContext, chatId: string, code: number, period: string): Promise<void> {
  const disabled = await disableChat(ctx.db, chatId, ctx.now())
  if (disabled.length === 0) return
  const stopped = DIGEST_KINDS.filter((k) => disabled.includes(k))
  ctx.log.warn({ task: ctx.taskName, chatId, kinds: stopped, code }, 'digest subscriptions stopped: Feishu refuses the chat')
  if (chatId === (await ctx.committeeChatId())) return // nobody to tell in a committee group the bot has left
  try {
    const name = await chatName(ctx.db, chatId)
    await ctx.sendToCommittee({ card: buildChatGoneCard({ chatId, ...(name ? { chatName: name } : {}), kinds: stopped, code }) }, { key: `digest-gone:${chatId}:${period}` })
  } catch (err) {
    ctx.log.warn({ task: ctx.taskName, chatId, code: errorCode(err) }, 'committee not told of a stopped digest subscription')
  }
}
