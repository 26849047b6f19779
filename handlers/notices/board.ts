// 公开栏 [类别 | N-012] for everyone: the published notices, newest first (of one category when named); with a
// number, that notice's card (a live copy: in a group it replaces the group's card, privately it is the person's own).
import { buildNoticeListCard } from '../../cards/notices/notice.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { NOTICE_CATEGORIES, NOTICE_NUMBER, opinionsOpen, parseNoticeCategory } from '../../src/notices/model.js'
import { listNotices } from '../../src/notices/store.js'
import { noticeFromArgs, postNoticeCard, refreshNoticeCards, SECTION } from './shared.js'

const LIST_LIMIT = 30

export function registerNoticeBoard(router: BotRouter): void {
  router.command({
    words: ['公开栏', 'notices'],
    synonyms: ['厂务公开', '公开内容'],
    caseNumbers: ['N'],
    help: { section: SECTION, usage: '公开栏 [类别 或 N-001]', description: '查看厂务公开（可按类别：财务、福利、规章制度、人事、安全生产、其他）；带编号则发来全文' },
    async handle(ctx) {
      const arg = ctx.argsText.trim()
      if (arg && NOTICE_NUMBER.find(arg)) {
        const { notice } = await noticeFromArgs(ctx, arg, '公开栏 N-001')
        const to = ctx.isGroup ? { chatId: ctx.chatId } : ctx.chatId ? { chatId: ctx.chatId, privateFor: ctx.actorOpenId } : { openId: ctx.actorOpenId }
        await postNoticeCard(ctx, notice, to)
        await refreshNoticeCards(ctx, notice.id)
        return
      }
      const category = arg ? parseNoticeCategory(arg) : undefined
      if (arg && !category) throw new UserFacingError('INVALID_INPUT', `没有「${arg.slice(0, 20)}」这个类别。类别有：${NOTICE_CATEGORIES.join('、')}。`)
      const rows = await listNotices(ctx.db, { ...(category ? { category } : {}), limit: LIST_LIMIT + 1 })
      const now = ctx.now()
      const items = rows.slice(0, LIST_LIMIT).map((n) => ({
        number: n.number,
        title: n.title,
        category: n.category,
        publishedAt: n.created_at,
        revision: n.revision,
        status: n.status,
        opinionsOpen: opinionsOpen({ status: n.status, opinionsUntil: n.opinions_until ?? undefined }, now),
      }))
      await ctx.reply({ card: buildNoticeListCard(items, { category, more: rows.length > LIST_LIMIT, categories: NOTICE_CATEGORIES }, ctx.config.timezone) })
    },
  })
}
