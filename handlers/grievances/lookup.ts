// Officers' lookup of grievances (issue #13): `诉求 G-2026-0002` (the full officer card, privately), `诉求列表
// [待受理|处理中|已超期|已办结|我的]` and `诉求 搜索 <词>` over category and description, paginated by buttons. Lines
// show numbers, categories, statuses and dates only (src/grievances/queue.ts never reads who filed a case).
import { buildDeskListCard, type DeskLine } from '../../cards/desk/queue.js'
import type { Card } from '../../cards/kit.js'
import { GRIEVANCE_LIST_PAGE, GRIEVANCE_SEARCH_PAGE } from '../../src/desk/actions.js'
import { DESK_PAGE_SIZE } from '../../src/desk/model.js'
import type { BaseContext, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { STATUS_LABEL, charCount } from '../../src/grievances/model.js'
import { LIST_FILTER_LABEL, SEARCH_TERM_MAX_CHARS, listGrievancesFor, parseListFilter, searchGrievances, type GrievanceListFilter, type ListedGrievance } from '../../src/grievances/queue.js'
import { getGrievance, getGrievanceByNumber } from '../../src/grievances/store.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { daysBetween } from '../../src/kit/dates.js'
import { answerOfficer, OFFICERS_ONLY } from '../desk/shared.js'
import { renderReviewCard } from './shared.js'

const FILTER_HELP = '可按状态查看：诉求列表 待受理 / 处理中 / 已超期 / 已办结 / 我的。'

/**
 * The officer card of a case (the committee's review card, full), or undefined when there is no such case or the
 * officer of `ctx` recused from it: to them it does not exist (issue #13).
 */
export async function officerCaseCard(ctx: BaseContext, id: number): Promise<Card | undefined> {
  const g = await getGrievance(ctx.db, id)
  return g && !(await hasRecused(ctx.db, g.id, ctx.actorOpenId)) ? renderReviewCard(ctx, g) : undefined
}

/** The answer to a number that is not there, or that the officer recused from: the same words either way. */
export const caseNotFound = (number: string) => new UserFacingError('NOT_FOUND', `未找到诉求 ${number}。请检查编号，或发送「诉求列表」「待办」查看。`)

/** `诉求 G-2026-0002` typed by an officer: the case's full officer card in private chat. */
export async function showOfficerCase(ctx: MessageContext, number: string): Promise<void> {
  const g = await getGrievanceByNumber(ctx.db, number)
  if (!g || (await hasRecused(ctx.db, g.id, ctx.actorOpenId))) throw caseNotFound(number)
  await answerOfficer(ctx, await renderReviewCard(ctx, g))
}

function lines(ctx: BaseContext, items: ListedGrievance[]): DeskLine[] {
  const now = ctx.now()
  const tz = ctx.config.timezone
  return items.map((g) => ({
    feature: 'grievance',
    id: g.id,
    number: g.number,
    statusLabel: STATUS_LABEL[g.status],
    category: g.category,
    ageDays: daysBetween(g.filedAt, now, tz),
    dueAt: g.dueAt,
    overdue: g.overdue,
  }))
}

const pageCount = (total: number) => Math.max(1, Math.ceil(total / DESK_PAGE_SIZE))

export async function listCard(ctx: BaseContext, filter: GrievanceListFilter, page: number): Promise<Card> {
  const first = Math.max(1, page)
  let r = await listGrievancesFor(ctx.db, filter, ctx.actorOpenId, ctx.now(), (first - 1) * DESK_PAGE_SIZE, DESK_PAGE_SIZE)
  let current = first
  // A page past the end (cases closed since the card was drawn): the last page instead.
  if (r.items.length === 0 && r.total > 0) {
    current = pageCount(r.total)
    r = await listGrievancesFor(ctx.db, filter, ctx.actorOpenId, ctx.now(), (current - 1) * DESK_PAGE_SIZE, DESK_PAGE_SIZE)
  }
  return buildDeskListCard({
    title: `诉求列表：${LIST_FILTER_LABEL[filter]}`,
    subtitle: filter === 'done' || filter === 'mine' ? '最近的在前' : '按紧急程度排列',
    lines: lines(ctx, r.items),
    total: r.total,
    // 「我承办的」 already ends in 的: 「没有我承办的诉求」, not 「…的的诉求」 (F18).
    empty: `没有${LIST_FILTER_LABEL[filter].replace(/的$/, '')}的诉求。`,
    hint: FILTER_HELP,
    pages: { page: current, pages: pageCount(r.total), at: (p) => ({ action: GRIEVANCE_LIST_PAGE.name, value: GRIEVANCE_LIST_PAGE.value({ filter, page: p }) }) },
    timeZone: ctx.config.timezone,
  })
}

export async function searchCard(ctx: BaseContext, term: string, page: number): Promise<Card> {
  const current = Math.max(1, page)
  const r = await searchGrievances(ctx.db, ctx.actorOpenId, term, ctx.now(), (current - 1) * DESK_PAGE_SIZE, DESK_PAGE_SIZE)
  return buildDeskListCard({
    title: '诉求搜索',
    term,
    subtitle: '在类别和问题描述中查找，最新的在前',
    lines: lines(ctx, r.items),
    total: r.total,
    empty: '没有找到包含该词的诉求。',
    hint: '换个词再试：诉求 搜索 关键词',
    pages: { page: Math.min(current, pageCount(r.total)), pages: pageCount(r.total), at: (p) => ({ action: GRIEVANCE_SEARCH_PAGE.name, value: GRIEVANCE_SEARCH_PAGE.value({ q: term, page: p }) }) },
    timeZone: ctx.config.timezone,
  })
}

export function registerGrievanceLookup(router: BotRouter): void {
  router.command({
    words: ['诉求列表', 'grievance list'],
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    help: { section: '工会干部', usage: '诉求列表 [待受理|处理中|已超期|已办结|我的]', description: '按状态查看诉求；「诉求 编号」打开一件，「诉求 搜索 关键词」查找' },
    async handle(ctx) {
      const filter = parseListFilter(ctx.argsText)
      if (!filter) throw new UserFacingError('INVALID_INPUT', `没有识别出状态。${FILTER_HELP}`)
      await answerOfficer(ctx, await listCard(ctx, filter, 1))
    },
  })

  router.command({
    words: ['诉求 搜索', '诉求搜索', '搜索诉求', 'grievance search'],
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    help: { section: '工会干部', usage: '诉求 搜索 关键词', description: '在诉求的类别和问题描述中查找（不涉及反映人）' },
    async handle(ctx) {
      const term = ctx.argsText.trim()
      if (!term) throw new UserFacingError('INVALID_INPUT', '请在「诉求 搜索」后写上关键词，例如：诉求 搜索 加班费')
      if (charCount(term) > SEARCH_TERM_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `关键词最多 ${SEARCH_TERM_MAX_CHARS} 个字。`)
      await answerOfficer(ctx, await searchCard(ctx, term, 1))
    },
  })

  router.action(GRIEVANCE_LIST_PAGE, {
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    handle: async (ctx, { filter, page }) => ({ card: await listCard(ctx, filter, page) }),
  })

  router.action(GRIEVANCE_SEARCH_PAGE, {
    roles: ['officer'],
    deniedMessage: OFFICERS_ONLY,
    handle: async (ctx, { q, page }) => ({ card: await searchCard(ctx, q, page) }),
  })
}
