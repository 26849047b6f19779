// Public proposal cards (厂务公开: open to every employee): the detail card with its timeline, the window's list
// and 我的提案, both paginated by buttons. Pure builders; every user-typed word goes through escapeMarkdown().
import {
  ANSWER_CLASS_LABEL,
  SATISFACTION_LABEL,
  STATUS_COLOR,
  STATUS_LABEL,
  isAnswerClass,
  toSatisfaction,
  type ProposalStatus,
} from '../../src/proposals/model.js'
import { formatDateTime } from '../../src/time.js'
import type { ButtonValue } from '../../src/kit/actions.js'
import { COSIGN, FOLLOW, LIST_PAGE, MINE_PAGE } from '../../src/proposals/actions.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { assertCardWithinLimits, button, buttonRow, card, field, fitCard, hr, md, note, userText, type Card, type CardElement } from '../kit.js'

export interface TimelineItem {
  at: Date
  kind: string
  /** Display name of the person who acted, when the step shows it (co-signers). */
  who?: string
  /** Free text typed by someone (a reason). */
  note?: string
  detail: Record<string, unknown>
}

/** Everything a proposal card shows, names already resolved. */
export interface ProposalView {
  number: string
  title: string
  content: string
  category: string
  status: ProposalStatus
  windowName: string
  proposerName: string
  cosignerNames: string[]
  minCosigners: number
  followerCount: number
  departmentName?: string
  dueDate?: string
  overdue: boolean
  reviewReason?: string
  withdrawReason?: string
  answerText?: string
  answerClass?: string
  answeredAt?: Date
  /** Files the department attached to its answer (evidence, src/kit/evidence.ts): the 查看附件 button's subject. */
  answerFiles?: { id: number; count: number }
  satisfaction?: string
  reopenCount: number
  submittedAt: Date
  timeline: TimelineItem[]
  /** Co-signing still possible (status and window allow it): shows the 附议 button. */
  cosignOpen: boolean
  timeZone: string
}

export const PROPOSAL_ACTIONS = {
  cosign: COSIGN.name,
  follow: FOLLOW.name,
  listPage: LIST_PAGE.name,
  minePage: MINE_PAGE.name,
} as const

const s = (text: string | undefined | null) => escapeMarkdown(text ?? '')

export function statusTag(v: { status: ProposalStatus; overdue: boolean }): Array<{ text: string; color: string }> {
  const tags = [{ text: STATUS_LABEL[v.status], color: v.status === 'closed' ? 'green' : v.status === 'rejected' || v.status === 'withdrawn' ? 'neutral' : 'blue' }]
  if (v.overdue) tags.push({ text: '已超期', color: 'red' })
  return tags
}

export function answerClassText(cls: string | undefined): string {
  return cls && isAnswerClass(cls) ? `${cls} 类（${ANSWER_CLASS_LABEL[cls]}）` : ''
}

export function satisfactionText(v: string | undefined): string {
  const s = toSatisfaction(v)
  return s ? SATISFACTION_LABEL[s] : ''
}

/** One timeline line: the date (bot text), what happened (bot text) and any names or reasons (escaped). */
export function timelineLine(item: TimelineItem, timeZone: string): string {
  const d = item.detail
  const when = formatDateTime(item.at, timeZone)
  const dept = s(typeof d.department === 'string' ? d.department : '')
  const due = typeof d.dueDate === 'string' ? d.dueDate : ''
  let what: string
  switch (item.kind) {
    case 'submitted':
      what = '提交提案，开始征集附议'
      break
    case 'cosigned':
      what = `${s(item.who ?? '一位职工代表')} 附议`
      break
    case 'review_ready':
      what = `附议人数达到 ${Number(d.count ?? 0)} 人，进入待审查`
      break
    case 'registered':
      what = '提案工作委员会审查：立案'
      break
    case 'rejected':
      what = '提案工作委员会审查：不立案，作为意见建议处理'
      break
    case 'assigned':
      what = `交办 ${dept}，办理期限 ${due}`
      break
    case 'answered':
      what = `${dept} 答复：${answerClassText(typeof d.answerClass === 'string' ? d.answerClass : undefined)}`
      break
    case 'rated':
      what = `提案人评价：${satisfactionText(typeof d.satisfaction === 'string' ? d.satisfaction : undefined)}${toSatisfaction(d.satisfaction) === 'dissatisfied' ? `，退回 ${dept} 重新办理，办理期限 ${due}` : '，提案办结'}`
      break
    case 'withdrawn':
      what = '提案人撤回提案'
      break
    case 'overdue':
      what = `超过办理期限（${due}），已提醒 ${dept}`
      break
    case 'urged':
      what = `工会催办 ${dept}`
      break
    default:
      what = s(item.kind)
  }
  const reason = item.note ? `：${s(truncate(item.note, 200))}` : ''
  return `- ${when}　${what}${reason}`
}

/** Names joined, escaped; a long list is cut with a count (cards ≤ 30 KB, docs/feishu-platform.md#card-limits). */
function names(list: string[], max: number): string {
  if (list.length === 0) return '暂无'
  const shown = list.slice(0, max).map((n) => s(truncate(n, 20)))
  return `${shown.join('、')}${list.length > shown.length ? ` 等 ${list.length} 人` : ''}`
}

function detailElements(v: ProposalView, compact: boolean): CardElement[] {
  const els: CardElement[] = [
    field('标题', v.title),
    md(`**编号：**${v.number}　**类别：**${s(v.category)}　**状态：**${STATUS_LABEL[v.status]}${v.overdue ? " <font color='red'>已超期</font>" : ''}`),
    field('届次', v.windowName),
    field('提案人', v.proposerName),
    md(`**附议人（${v.cosignerNames.length}/${v.minCosigners}）：**${names(v.cosignerNames, compact ? 20 : 100)}`),
  ]
  if (v.departmentName) {
    els.push(md(`**承办部门：**${s(v.departmentName)}　**办理期限：**${v.dueDate ?? '—'}${v.overdue ? " <font color='red'>（已超期）</font>" : ''}`))
  }
  els.push(hr(), userText(v.content, { label: '案由及建议', max: compact ? 300 : 2000 }))
  if (v.reviewReason && v.status === 'rejected') els.push(userText(v.reviewReason, { label: '不立案理由（作为意见建议处理）', max: 500 }))
  if (v.withdrawReason && v.status === 'withdrawn') els.push(userText(v.withdrawReason, { label: '撤回理由', max: 500 }))
  if (v.answerText) {
    els.push(hr(), md(`**答复${v.answeredAt ? `（${formatDateTime(v.answeredAt, v.timeZone)}）` : ''}：**${answerClassText(v.answerClass)}`))
    els.push(userText(v.answerText, { max: compact ? 300 : 2000 }))
    if (v.satisfaction) els.push(md(`**提案人评价：**${satisfactionText(v.satisfaction)}`))
  }
  const items = compact ? v.timeline.slice(-12) : v.timeline.slice(-40)
  const hidden = v.timeline.length - items.length
  els.push(hr(), md(`**办理进程**\n${hidden > 0 ? `- …（前 ${hidden} 条略）\n` : ''}${items.map((i) => timelineLine(i, v.timeZone)).join('\n')}`))
  return els
}

/** The detail card anyone may see and share; its 附议 and 关注 buttons work for whoever presses them. */
export function buildProposalCard(v: ProposalView): Card {
  const build = (compact: boolean) => {
    const elements = detailElements(v, compact)
    const buttons: CardElement[] = []
    if (v.cosignOpen) buttons.push(button({ text: '附议', action: COSIGN.name, value: COSIGN.value({ number: v.number }), type: 'primary_filled' }))
    buttons.push(button({ text: '关注进展', action: FOLLOW.name, value: FOLLOW.value({ number: v.number }) }))
    elements.push(buttonRow(buttons))
    const tips = [`发送「提案 ${v.number}」可随时查看最新进展`]
    if (v.cosignOpen) tips.push(`职工代表可点「附议」或发送「附议 ${v.number}」支持该提案`)
    // The instruction must be a command the router knows (issue #13): 撤回提案, not 撤回.
    if (v.status === 'collecting' || v.status === 'pending_review') tips.push(`提案人立案前可发送「撤回提案 ${v.number} 理由」撤回`)
    elements.push(note(`${tips.join('；')}。已有 ${v.followerCount} 人关注。`))
    return card({
      title: `职代会提案 ${v.number}`,
      subtitle: truncate(v.title, 60),
      template: v.overdue ? 'red' : STATUS_COLOR[v.status],
      summary: `提案 ${v.number}：${STATUS_LABEL[v.status]}`,
      tags: statusTag(v),
      elements,
    })
  }
  return fitCard([false, true], (compact) => build(compact))
}

/** What an older copy of the card becomes when the same chat or person got a newer one (one live copy per place). */
export function buildProposalReplacedCard(number: string): Card {
  return card({
    title: `职代会提案 ${number}`,
    template: 'grey',
    summary: `提案 ${number}`,
    tags: [{ text: '已更新', color: 'neutral' }],
    elements: [md('此卡片已更新，请查看最新卡片。'), note(`也可发送「提案 ${number}」再次获取。`)],
  })
}

export interface ListedItem {
  number: string
  title: string
  status: ProposalStatus
  dueDate: string | null
  overdue: boolean
  /** 我的提案: whether the user is the proposer (else a co-signer). */
  mine?: boolean
}

function itemLine(i: ListedItem, role: boolean): string {
  const due = i.status === 'in_progress' && i.dueDate ? `（期限 ${i.dueDate}）` : ''
  const overdue = i.overdue ? " <font color='red'>已超期</font>" : ''
  const who = role ? (i.mine ? '〔提案人〕' : '〔附议人〕') : ''
  return `- **${i.number}** ${s(truncate(i.title, 50))}\n　${who}${STATUS_LABEL[i.status]}${due}${overdue}`
}

/** Previous / next page buttons; `at(page)` is the action and value of the button for that page. */
function pager(page: number, pages: number, at: (page: number) => { action: string; value: ButtonValue }): CardElement[] {
  if (pages <= 1) return []
  const buttons: CardElement[] = []
  if (page > 1) buttons.push(button({ text: '上一页', ...at(page - 1) }))
  if (page < pages) buttons.push(button({ text: '下一页', ...at(page + 1), type: 'primary' }))
  return [buttonRow(buttons)]
}

export interface ListCardData {
  windowId: number
  windowName: string
  windowOpen: boolean
  /** '' for all; a status code or 'overdue'. */
  filter: string
  filterLabel: string
  counts: Partial<Record<ProposalStatus, number>>
  overdueCount: number
  total: number
  items: ListedItem[]
  page: number
  pages: number
}

/** 提案列表: a window's proposals by status, one page at a time (page buttons answer with the next page). */
export function buildProposalListCard(d: ListCardData): Card {
  const counts = (Object.keys(STATUS_LABEL) as ProposalStatus[])
    .filter((st) => d.counts[st])
    .map((st) => `${STATUS_LABEL[st]} ${d.counts[st]}`)
  if (d.overdueCount) counts.push(`<font color='red'>已超期 ${d.overdueCount}</font>`)
  const elements: CardElement[] = [
    md(`**${d.windowOpen ? '征集中' : '已结束征集'}**　共 ${Object.values(d.counts).reduce((a, b) => a + (b ?? 0), 0)} 件${counts.length ? `：${counts.join(' · ')}` : ''}`),
  ]
  if (d.filter) elements.push(md(`筛选：**${d.filterLabel}**，${d.total} 件`))
  elements.push(hr())
  elements.push(md(d.items.length ? d.items.map((i) => itemLine(i, false)).join('\n') : '暂无符合条件的提案。'))
  elements.push(...pager(d.page, d.pages, (page) => ({ action: LIST_PAGE.name, value: LIST_PAGE.value({ window: d.windowId, filter: d.filter, page }) })))
  elements.push(note(`第 ${d.page}/${Math.max(d.pages, 1)} 页。发送「提案 编号」查看详情；「提案列表 办理中」等可按状态筛选。`))
  return assertCardWithinLimits(
    card({ title: `提案列表 · ${d.windowName}`, subtitle: d.filter ? d.filterLabel : '全部状态', template: 'blue', summary: '职代会提案列表', elements }),
  )
}

export interface MineCardData {
  total: number
  items: ListedItem[]
  page: number
  pages: number
}

/** 我的提案: proposals where the user is the proposer or a co-signer, newest first. */
export function buildMyProposalsCard(d: MineCardData): Card {
  const elements: CardElement[] = [
    md(d.items.length ? d.items.map((i) => itemLine(i, true)).join('\n') : '您还没有提交或附议过提案。职工代表在征集期内可发送「提交提案」。'),
    ...pager(d.page, d.pages, (page) => ({ action: MINE_PAGE.name, value: MINE_PAGE.value({ page }) })),
    note(`共 ${d.total} 件，第 ${d.page}/${Math.max(d.pages, 1)} 页。发送「提案 编号」查看详情和办理进程。`),
  ]
  return assertCardWithinLimits(card({ title: '我的提案', template: 'blue', summary: '我的提案', elements }))
}

