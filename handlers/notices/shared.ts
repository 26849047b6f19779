// What the notice handlers share: finding a notice by its number, its view (with the latest correction and the
// published replies), posting its live card (src/kit/live-cards.ts) and keeping the posted cards current.
import { buildNoticeCard, buildNoticeReplacedCard } from '../../cards/notices/notice.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import type { Priority } from '../../src/feishu/rate-limiter.js'
import { deliver } from '../../src/kit/deliver.js'
import type { LiveCardSpec, RefreshScope } from '../../src/kit/live-cards.js'
import { lineChanges, NOTICE_NUMBER, type NoticeView } from '../../src/notices/model.js'
import { publishedReplies } from '../../src/notices/opinions.js'
import { findNotice, findNoticeBySeqNo, latestRevisions, type Db, type Notice } from '../../src/notices/store.js'

export const SECTION = '厂务公开'
export const LIVE_TYPE = 'notice'

/** The notice's view as its cards draw it: the current text, the latest correction and what it changed, the replies. */
export async function viewOf(db: Db, n: Notice): Promise<NoticeView> {
  const [revisions, replies] = await Promise.all([n.revision > 1 ? latestRevisions(db, n.id) : Promise.resolve([]), publishedReplies(db, n.id)])
  const [latest, previous] = revisions
  return {
    id: n.id,
    number: n.number,
    title: n.title,
    body: n.body,
    category: n.category,
    revision: n.revision,
    status: n.status,
    publishedAt: n.created_at,
    confirmReading: n.confirm_reading,
    readCount: n.read_count,
    opinionsUntil: n.opinions_until ?? undefined,
    withdrawnAt: n.withdrawn_at ?? undefined,
    withdrawReason: n.withdraw_reason ?? undefined,
    correction: latest && previous ? { at: latest.at, note: latest.change_note ?? '', changes: lineChanges(previous, latest) } : undefined,
    replies,
  }
}

/** The notice named by the first word of `args` (N-012, n12); a polite error with the usage otherwise. */
export async function noticeFromArgs(ctx: BaseContext, args: string, usage: string): Promise<{ notice: Notice; rest: string }> {
  const found = NOTICE_NUMBER.splitLeading(args.trim())
  const seq = found ? NOTICE_NUMBER.parseSeq(found.number) : undefined
  if (!found || seq === undefined) throw new UserFacingError('INVALID_INPUT', `请写上公开编号，如：${usage}。发送「公开栏」查看编号。`)
  const notice = await findNoticeBySeqNo(ctx.db, seq)
  if (!notice) throw new UserFacingError('NOT_FOUND', `没有找到公开 ${found.number}，请核对编号。发送「公开栏」查看全部公开。`)
  return { notice, rest: found.rest }
}

/** Live cards of subject type 'notice': the notice card, drawn from the notice as it is now. */
export const NOTICE_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'notices', id: 'id', version: 'version' },
  async render(ctx, id) {
    const n = await findNotice(ctx.db, id)
    return n ? { version: n.version, card: buildNoticeCard(await viewOf(ctx.db, n), ctx.config.timezone, ctx.now()) } : undefined
  },
}

/** Posts the notice card to a chat or to a person privately, tracked as a live card. */
export async function postNoticeCard(ctx: BaseContext, n: Notice, to: { chatId: string; privateFor?: string } | { openId: string }, opts: { priority?: Priority } = {}): Promise<string> {
  const view = await viewOf(ctx.db, n)
  const content = { card: buildNoticeCard(view, ctx.config.timezone, ctx.now()) }
  const sent = 'chatId' in to ? await ctx.sendToChat(to.chatId, content, { key: `notice:${n.id}:${to.chatId}` }) : await ctx.sendToUser(to.openId, content, { key: `notice:${n.id}:${to.openId}`, ...opts })
  const owner = 'chatId' in to ? to.privateFor : to.openId
  await ctx.liveCards.track(
    LIVE_TYPE,
    n.id,
    { messageId: sent.messageId, ...('chatId' in to ? { chatId: to.chatId } : {}), ...(owner !== undefined ? { privateFor: owner } : {}), version: n.version },
    buildNoticeReplacedCard(view),
  )
  return sent.messageId
}

/** Brings the notice's posted cards up to date (group cards; private copies too with 'all'). */
export function refreshNoticeCards(ctx: BaseContext, id: string, scope: RefreshScope = 'shared'): Promise<void> {
  return ctx.liveCards.refresh(LIVE_TYPE, id, scope)
}

/** Sends, treating a recipient Feishu will never reach (left, blocked the bot, bot not in the group) as done. */
export async function sendIgnoringGone(ctx: BaseContext, what: string, send: () => Promise<unknown>): Promise<boolean> {
  return (await deliver(ctx, `notice:${what}`, send)).sent
}
