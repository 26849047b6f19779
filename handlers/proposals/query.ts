// Status queries, open to every employee (厂务公开): one proposal by number (lenient), 我的提案, and 提案列表 of the
// current window filtered by status; lists are paginated on the card by buttons.
import { buildMyProposalsCard, buildProposalListCard, type ListedItem } from '../../cards/proposals/proposal.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { LIST_PAGE, MINE_PAGE } from '../../src/proposals/actions.js'
import { UserFacingError } from '../../src/errors.js'
import { STATUS_LABEL, findNumber, isOverdue, isStatus, parseStatusFilter, type ProposalStatus } from '../../src/proposals/model.js'
import { countWindowByStatus, listMyProposals, listWindowProposals, type ListedProposal } from '../../src/proposals/store.js'
import { getWindow, latestWindow } from '../../src/proposals/windows.js'
import { postProposalCard, requireProposal, today } from './shared.js'

const SECTION = '职代会提案'
/** Ten lines a page keeps the card short on a phone; pages are turned by buttons. */
export const PAGE_SIZE = 10

const FILTER_HELP = '可用的状态：征集附议、待审查、已立案、办理中、已答复、已办结、不立案（意见建议）、已撤回、超期。例如：提案列表 办理中'

function toItems(ctx: BaseContext, items: ListedProposal[]): ListedItem[] {
  const day = today(ctx)
  return items.map((i) => ({ ...i, overdue: isOverdue(i.status, i.dueDate, day) }))
}

const pageCount = (total: number) => Math.max(1, Math.ceil(total / PAGE_SIZE))
const clampPage = (page: number, pages: number) => Math.min(Math.max(1, Number.isInteger(page) ? page : 1), pages)

function filterLabel(filter: ProposalStatus | 'overdue' | undefined): string {
  if (!filter) return '全部状态'
  return filter === 'overdue' ? '已超期' : STATUS_LABEL[filter]
}

async function listCard(ctx: BaseContext, windowId: number | undefined, filter: ProposalStatus | 'overdue' | undefined, page: number) {
  const window = windowId ? await getWindow(ctx.db, windowId) : await latestWindow(ctx.db)
  if (!window) return undefined
  const day = today(ctx)
  const counts = await countWindowByStatus(ctx.db, window.id, day)
  const first = await listWindowProposals(ctx.db, window.id, filter, day, 0, 0)
  const pages = pageCount(first.total)
  const current = clampPage(page, pages)
  const { items, total } = await listWindowProposals(ctx.db, window.id, filter, day, (current - 1) * PAGE_SIZE, PAGE_SIZE)
  return buildProposalListCard({
    windowId: window.id,
    windowName: window.name,
    windowOpen: window.closedAt === null,
    filter: filter ?? '',
    filterLabel: filterLabel(filter),
    counts: counts.byStatus,
    overdueCount: counts.overdue,
    total,
    items: toItems(ctx, items),
    page: current,
    pages,
  })
}

async function mineCard(ctx: BaseContext, page: number) {
  const first = await listMyProposals(ctx.db, ctx.actorOpenId, 0, 0)
  const pages = pageCount(first.total)
  const current = clampPage(page, pages)
  const { items, total } = await listMyProposals(ctx.db, ctx.actorOpenId, (current - 1) * PAGE_SIZE, PAGE_SIZE)
  return buildMyProposalsCard({ total, items: toItems(ctx, items), page: current, pages })
}

export function registerProposalQuery(router: BotRouter): void {
  router.command({
    words: ['提案', 'proposal', '查询提案', '查提案'],
    caseNumbers: ['P'],
    help: { section: SECTION, usage: '提案 P-2026-003', description: '查看提案的状态、承办部门、答复和办理进程（人人可查）' },
    async handle(ctx) {
      const found = findNumber(ctx.argsText)
      if (!found) {
        throw new UserFacingError('INVALID_INPUT', '请在「提案」后写上提案编号，例如：提案 P-2026-003。查看全部提案请发送「提案列表」，自己的提案请发送「我的提案」。')
      }
      const p = await requireProposal(ctx.db, found.number)
      await postProposalCard(ctx, p)
    },
  })

  router.command({
    words: ['我的提案', 'my proposals', 'my proposal'],
    help: { section: SECTION, usage: '我的提案', description: '我提交或附议的提案及其状态' },
    async handle(ctx) {
      await ctx.reply({ card: await mineCard(ctx, 1) })
    },
  })

  router.command({
    words: ['提案列表', 'proposals', 'proposal list'],
    help: { section: SECTION, usage: '提案列表 [状态]', description: '本届提案按状态列出，如「提案列表 办理中」' },
    async handle(ctx) {
      const filter = ctx.argsText ? parseStatusFilter(ctx.argsText) : undefined
      if (ctx.argsText && !filter) throw new UserFacingError('INVALID_INPUT', `没有这个状态。${FILTER_HELP}`)
      const card = await listCard(ctx, undefined, filter, 1)
      if (!card) return void (await ctx.reply({ text: '还没有开始过提案征集，暂无提案。' }))
      await ctx.reply({ card })
    },
  })

  router.action(LIST_PAGE, {
    async handle(ctx, { window, filter: raw = '', page }) {
      const filter = raw === 'overdue' || isStatus(raw) ? raw : undefined
      const card = await listCard(ctx, window || undefined, filter, page)
      return card ? { card } : { toast: { type: 'warning', content: '暂无提案。' } }
    },
  })

  router.action(MINE_PAGE, {
    async handle(ctx, { page }) {
      return { card: await mineCard(ctx, page) }
    },
  })
}
