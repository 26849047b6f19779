// The officers' desk (issue #13): `待办`, an officer's queue across features, most urgent first, paginated by
// buttons; each line opens the case's officer card in the officer's private chat. Every feature contributes its
// queue and its card through one entry of DESK_SOURCES (mediation adds its own when it lands).
import { buildDeskListCard, queueLines } from '../../cards/desk/queue.js'
import type { Card } from '../../cards/kit.js'
import { OPEN_CASE, QUEUE_PAGE } from '../../src/desk/actions.js'
import { byUrgency, DESK_PAGE_SIZE, type QueueItem } from '../../src/desk/model.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { grievanceQueue } from '../../src/grievances/queue.js'
import { daysBetween } from '../../src/kit/dates.js'
import { deliver } from '../../src/kit/deliver.js'
import { proposalQueue } from '../../src/proposals/queue.js'
import { getProposal } from '../../src/proposals/store.js'
import { officerCaseCard } from '../grievances/lookup.js'
import { committeeCardFor } from '../proposals/shared.js'
import { answerOfficer, OFFICERS_ONLY } from './shared.js'

/** What a feature gives the desk: its part of an officer's queue, and the officer card of one of its cases. */
export interface DeskSource {
  feature: string
  /** The `limit` most urgent items waiting for the officer of `ctx`, and how many there are in all. */
  queue(ctx: BaseContext, limit: number): Promise<{ items: QueueItem[]; total: number }>
  /** The officer card of case `id`, or undefined when there is none (or the officer may not see it). */
  card(ctx: BaseContext, id: number): Promise<Card | undefined>
}

export const DESK_SOURCES: readonly DeskSource[] = [
  { feature: 'grievance', queue: (ctx, limit) => grievanceQueue(ctx.db, ctx.actorOpenId, ctx.now(), limit), card: officerCaseCard },
  {
    feature: 'proposal',
    queue: (ctx, limit) => proposalQueue(ctx.db, ctx.now(), limit),
    card: async (ctx, id) => {
      const p = await getProposal(ctx.db, id)
      return p ? committeeCardFor(ctx, p) : undefined
    },
  },
]

/** One page of the officer's queue: each source's first page*size items, merged in one urgency order. */
export async function queueCard(ctx: BaseContext, page: number): Promise<Card> {
  const wanted = Math.max(1, page) * DESK_PAGE_SIZE
  const parts = await Promise.all(DESK_SOURCES.map((s) => s.queue(ctx, wanted)))
  const total = parts.reduce((n, p) => n + p.total, 0)
  const pages = Math.max(1, Math.ceil(total / DESK_PAGE_SIZE))
  const current = Math.min(Math.max(1, page), pages)
  const items = parts
    .flatMap((p) => p.items)
    .sort(byUrgency)
    .slice((current - 1) * DESK_PAGE_SIZE, current * DESK_PAGE_SIZE)
  const tz = ctx.config.timezone
  const now = ctx.now()
  const overdue = items.filter((i) => i.overdue).length
  return buildDeskListCard({
    title: '我的待办',
    subtitle: overdue > 0 && current === 1 ? `本页 ${overdue} 件已超期` : '按紧急程度排列',
    lines: queueLines(items, (since) => daysBetween(since, now, tz)),
    total,
    empty: '暂无待办：没有待受理或由您承办的诉求，也没有待审查、待交办的提案。',
    hint: '也可发送「诉求列表」「诉求 编号」「诉求 搜索 关键词」。',
    pages: { page: current, pages, at: (p) => ({ action: QUEUE_PAGE.name, value: QUEUE_PAGE.value({ page: p }) }) },
    timeZone: tz,
  })
}

export function registerDesk(router: BotRouter): void {
  router.command({
    words: ['待办', '我的待办', 'todo'],
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    help: { section: '工会干部', usage: '待办', description: '我的待办：待受理和我承办的诉求、待审查的提案，按紧急程度排列' },
    handle: async (ctx) => answerOfficer(ctx, await queueCard(ctx, 1)),
  })

  router.action(QUEUE_PAGE, {
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    handle: async (ctx, { page }) => ({ card: await queueCard(ctx, page) }),
  })

  router.action(OPEN_CASE, {
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    async handle(ctx, { feature, id }) {
      const source = DESK_SOURCES.find((s) => s.feature === feature)
      const card = source ? await source.card(ctx, id) : undefined
      if (!card) return { toast: { type: 'warning', content: MESSAGES.actionUnknown } }
      ctx.defer(async () => void (await deliver(ctx, 'desk:open-case', () => ctx.sendToUser(ctx.actorOpenId, { card }, { key: `open:${feature}:${id}` }))))
      return { toast: { type: 'success', content: '已在私聊中发送该事项的卡片' } }
    },
  })
}
