// A notice to every member privately (issue #18) goes through the mass-send queue (src/kit/mass-send.ts): each
// member's live card at the limiter's 'low' priority, so the bot stays within Feishu's 50 messages/s per app while
// people asking it something are answered first; durable and shared by every instance. The officer is told when it
// starts (with the time Feishu's rate allows), may ask `公开 进度 N-012` (sent N of M), and gets one summary at the end.
// batch_send does not fit here: its messages cannot be patched nor clicked (docs/feishu-platform.md#mass-sends),
// and a notice card is live (corrections, withdrawal) and may carry 已阅.
import type { BaseContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { enqueueMassSend, findMassSend, massSendProgress } from '../../src/kit/mass-send.js'
import { FEISHU_RATE_LIMITS } from '../../src/feishu/rate-limiter.js'
import { findNotice, memberOpenIds, type Notice } from '../../src/notices/store.js'
import { LIVE_TYPE, postNoticeCard, refreshNoticeCards, sendIgnoringGone } from './shared.js'

/** The queue's subject type for notices (one send per notice). */
export const NOTICE_MASS_SEND = LIVE_TYPE

export function registerNoticeMassSend(router: BotRouter): void {
  router.massSend(NOTICE_MASS_SEND, {
    async send(ctx, id, openId) {
      const n = await findNotice(ctx.db, id)
      // Withdrawn while it was going out: those not reached yet are not sent it.
      if (!n || n.status === 'withdrawn') return false
      return sendIgnoringGone(ctx, 'card', () => postNoticeCard(ctx, n, { openId }, { priority: 'low' }))
    },
    finished: (ctx, id, figures) => summarise(ctx, id, figures),
  })
}

/** Seconds Feishu's rate allows for `count` messages at the share bulk sends may use (50/s less the reserve). */
export function floorSeconds(count: number): number {
  return Math.ceil(count / (FEISHU_RATE_LIMITS.perApp - FEISHU_RATE_LIMITS.reservedForSends))
}

function duration(seconds: number): string {
  return seconds < 60 ? `约 ${Math.max(1, seconds)} 秒` : `约 ${Math.ceil(seconds / 60)} 分钟`
}

/** Queues the notice to every member (once per notice) and tells the officer it has started. */
export async function queueToMembers(ctx: BaseContext, n: Notice): Promise<void> {
  const openIds = await memberOpenIds(ctx.db)
  const { send, created } = await enqueueMassSend(ctx.db, { subjectType: NOTICE_MASS_SEND, subjectId: n.id, owner: n.created_by, openIds, at: ctx.now() })
  if (!created) return
  ctx.log.info({ notice: n.number, massSend: send.id, total: send.total }, 'notice queued to every member')
  const text =
    send.total === 0
      ? `公开 ${n.number}：会员名册里还没有会员，没有私信给任何人。`
      : `公开 ${n.number} 正在逐一私信 ${send.total} 位会员。飞书限制每个应用每秒最多发 ${FEISHU_RATE_LIMITS.perApp} 条消息，全部发完${duration(floorSeconds(send.total))}；期间大家找我办事不受影响。\n发送「公开 进度 ${n.number}」可随时查看进度，发完后我会告诉您。`
  await sendIgnoringGone(ctx, 'mass-start', () => ctx.sendToUser(n.created_by, { text }, { key: `mass-start:${n.id}` }))
}

/** 公开 进度 N-012: sent N of M, and who could not be reached (counts only). */
export async function showProgress(ctx: MessageContext, n: Notice): Promise<void> {
  const send = await findMassSend(ctx.db, NOTICE_MASS_SEND, n.id)
  if (!send) {
    await ctx.reply({ text: n.audience === 'members' ? `公开 ${n.number} 还没有开始私信会员，请稍后再查看。` : `公开 ${n.number} 发布在群里，没有逐一私信会员。` })
    return
  }
  const p = await massSendProgress(ctx.db, send)
  const gone = p.gone ? `，${p.gone} 位无法送达（已离职或屏蔽了机器人）` : ''
  const text = p.done
    ? `公开 ${n.number} 已全部发完：已私信 ${p.sent} / ${p.total} 位会员${gone}。`
    : `公开 ${n.number} 正在私信会员：已发送 ${p.sent} / ${p.total} 位${gone}，还剩 ${p.pending} 位，${duration(floorSeconds(p.pending))}。`
  await ctx.reply({ text })
}

async function summarise(ctx: PeriodicContext, id: string, f: { total: number; sent: number; gone: number; owner: string }): Promise<void> {
  const n = await findNotice(ctx.db, id)
  if (!n) return
  // A correction or withdrawal while it went out: the copies sent before it are brought up to date. Read counts
  // alone are not worth 10,000 patches here; the capped live-card reconcile catches private copies up.
  if (n.revision > 1 || n.status === 'withdrawn') await refreshNoticeCards(ctx, n.id, 'all')
  let text = `公开 ${n.number} 已私信 ${f.sent} / ${f.total} 位会员。`
  if (n.status === 'withdrawn') text = `公开 ${n.number} 在发送途中被撤回：已私信 ${f.sent} / ${f.total} 位会员，其余的没有再发（已收到的卡片显示已撤回）。`
  else if (f.gone) text += `${f.gone} 位无法送达（已离职或屏蔽了机器人）。`
  await sendIgnoringGone(ctx, 'mass-summary', () => ctx.sendToUser(f.owner, { text }, { key: `mass-summary:${id}` }))
}
