// Read tracking of notices that ask for it: 已阅 on the card (a toast; the count on the cards is patched,
// coalesced), `公开 阅读 N-012` for officers (counts by department to the chat, who has not confirmed privately), and
// one reminder to those who have not confirmed after NOTICE_READ_REMINDER_WORKDAYS working days (src/calendar.ts),
// sent once across instances and restarts (src/kit/periodic.ts claimOnce).
import { buildReadFiguresCard, buildUnconfirmedCard } from '../../cards/notices/forms.js'
import { buildReadReminderCard } from '../../cards/notices/notice.js'
import type { BaseContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { NOTICE_READ } from '../../src/notices/actions.js'
import { claimDelivery, confirmRead, findNotice, markDelivered, noticesAwaitingReminder, readRoll, unconfirmedRecipients, type Notice } from '../../src/notices/store.js'
import { FEISHU_READ_USERS_DAYS, readFiguresOf, type GroupReads } from '../../src/notices/model.js'
import { sharedCardsOf } from '../../src/kit/live-cards.js'
import { LIVE_TYPE, refreshNoticeCards, sendIgnoringGone } from './shared.js'

/** A claimed reminder not marked sent within this time (crash, Feishu down) may be sent by a later run. */
const REMINDER_CLAIM_MS = 10 * 60_000
const STALE_BUTTON = '该按钮已失效，请发送「公开栏」查看最新的公开。'

export function registerNoticeReading(router: BotRouter): void {
  router.action(NOTICE_READ, {
    outdatedMessage: STALE_BUTTON,
    async handle(ctx, { id }) {
      const n = await findNotice(ctx.db, id)
      if (!n) return { toast: { type: 'error', content: '没有找到这项公开' } }
      if (n.status === 'withdrawn') return { toast: { type: 'warning', content: '这项公开已撤回' } }
      if (!n.confirm_reading) return { toast: { type: 'info', content: '这项公开不需要确认阅读' } }
      const added = await confirmRead(ctx.db, n.id, ctx.actorOpenId, ctx.now())
      if (added) ctx.defer(() => refreshNoticeCards(ctx, n.id))
      // Only a toast: the shared card is patched (coalesced) for everyone, never replaced per click.
      return { toast: { type: added ? 'success' : 'info', content: added ? '已确认阅读，谢谢！' : '您已确认过阅读' } }
    },
  })
  router.periodic({ name: 'notices.read-reminder', run: remindUnconfirmed })
}

/**
 * Counts by department to the chat (the 已阅 clicks, and for group cards who Feishu says read them, within its 7-day
 * window); the names of those who have not confirmed only privately (it may be a group).
 */
export async function showReadFigures(ctx: MessageContext, n: Notice): Promise<void> {
  const view = { number: n.number, title: n.title, confirmReading: n.confirm_reading, readCount: n.read_count }
  const reads = await groupReads(ctx, n)
  const { roll, othersConfirmed } = n.confirm_reading ? await readRoll(ctx.db, n.id) : { roll: [], othersConfirmed: 0 }
  await ctx.reply({ card: buildReadFiguresCard(view, readFiguresOf(roll, othersConfirmed, reads), reads) })
  if (!n.confirm_reading) return
  const unconfirmed = (await unconfirmedRecipients(ctx.db, n.id)).map((p) => ({ ...p, groupRead: reads.readers.has(p.openId) }))
  await ctx.replyPrivately({ card: buildUnconfirmedCard(view, unconfirmed, roll.length) }, { key: 'unconfirmed' })
}

/**
 * Who read the notice's group cards, from Feishu (GET …/messages/:id/read_users, every page): only for cards posted
 * within FEISHU_READ_USERS_DAYS, Feishu's window; older ones are not asked.
 */
export async function groupReads(ctx: BaseContext, n: Notice): Promise<GroupReads> {
  const cards = n.chat_ids.length ? await sharedCardsOf(ctx.db, LIVE_TYPE, n.id) : []
  if (cards.length === 0) return { state: 'none', readers: new Set() }
  const windowStart = ctx.now().getTime() - FEISHU_READ_USERS_DAYS * 24 * 3600_000
  const fresh = cards.filter((c) => c.postedAt.getTime() > windowStart)
  if (fresh.length === 0) return { state: 'expired', readers: new Set() }
  const outbound = ctx.services.outbound
  const readers = new Set<string>()
  let complete = fresh.length === cards.length
  for (const c of fresh) {
    const ids = outbound.listMessageReaders ? await outbound.listMessageReaders(c.messageId) : undefined
    if (ids === undefined) complete = false
    for (const id of ids ?? []) readers.add(id)
  }
  return { state: complete ? 'ok' : 'partial', readers }
}

/**
 * From 09:00 on working days: each notice asking for confirmation that has been out for the working days set gets
 * its one reminder to every recipient who has not confirmed. Claimed per notice before sending, marked after; each
 * send's key is derived from the notice and the person, so a resend after a lapsed claim is still one message.
 */
async function remindUnconfirmed(ctx: PeriodicContext): Promise<void> {
  const now = ctx.runAt
  if (!workdayFrom(now, ctx.services.calendar, ctx.config.timezone)) return
  const workdays = ctx.config.notices.readReminderWorkdays
  for (const n of await noticesAwaitingReminder(ctx.db)) {
    if (ctx.services.calendar.workdaysBetween(n.created_at, now) < workdays) continue
    if (!(await claimDelivery(ctx.db, 'read-reminder', n.id, now, REMINDER_CLAIM_MS))) continue
    const fresh = (await findNotice(ctx.db, n.id)) ?? n
    if (fresh.status === 'published') {
      const card = buildReadReminderCard({ id: fresh.id, number: fresh.number, title: fresh.title }, workdays)
      for (const p of await unconfirmedRecipients(ctx.db, n.id)) {
        await sendIgnoringGone(ctx, 'read-reminder', () => ctx.sendToUser(p.openId, { card }, { key: `read-reminder:${n.id}:${p.openId}` }))
      }
      ctx.log.info({ notice: n.number }, 'notice read reminder sent')
    }
    await markDelivered(ctx.db, 'read-reminder', n.id, now)
  }
}
