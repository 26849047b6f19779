// The officers' desk cards (issue #13): `待办` across features and the lists of cases, one line per case (number,
// status, age, due date, overdue flag) with a button that opens the case's officer card privately, and page
// buttons. Lines carry numbers, statuses and dates only: never a description, a name or anything of a reporter.
import type { ButtonValue } from '../../src/kit/actions.js'
import type { QueueItem } from '../../src/desk/model.js'
import { OPEN_CASE } from '../../src/desk/actions.js'
import { localDate } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { button, buttonRow, card, fitCard, md, note, type Card, type CardElement } from '../kit.js'

/** One line of a desk card. */
export interface DeskLine {
  feature: string
  id: number
  number: string
  /** Status, and why it is listed when that adds something (e.g. 待受理, 我承办). */
  statusLabel: string
  /** The case's category (grievances: one of the fixed categories), when the list shows it. */
  category?: string
  /** Days since the case started. */
  ageDays: number
  dueAt: Date | null
  overdue: boolean
}

export interface PageButtons {
  page: number
  pages: number
  /** The action and value of the button for a page. */
  at(page: number): { action: string; value: ButtonValue }
}

/** Queue items as lines; `ageDays` counts a case's age (calendar days in the configured zone). */
export function queueLines(items: QueueItem[], ageDays: (since: Date) => number): DeskLine[] {
  return items.map((i) => ({
    feature: i.feature,
    id: i.id,
    number: i.number,
    statusLabel: i.reason && i.reason !== i.statusLabel ? `${i.statusLabel}·${i.reason}` : i.statusLabel,
    ageDays: ageDays(i.since),
    dueAt: i.dueAt,
    overdue: i.overdue,
  }))
}

function lineText(l: DeskLine, timeZone: string): string {
  const parts = [`**${l.number}**`, escapeMarkdown(l.statusLabel)]
  if (l.category) parts.push(escapeMarkdown(l.category))
  parts.push(`${l.ageDays} 天`)
  if (l.dueAt) parts.push(`时限 ${localDate(l.dueAt, timeZone)}`)
  const text = parts.join(' · ')
  return l.overdue ? `<font color='red'>⚠ 已超期</font> ${text}` : text
}

function lineElements(lines: DeskLine[], timeZone: string): CardElement[] {
  return lines.flatMap((l) => [
    md(lineText(l, timeZone)),
    buttonRow([button({ text: `打开 ${l.number}`, action: OPEN_CASE.name, value: OPEN_CASE.value({ feature: l.feature, id: l.id }), type: 'primary_text' })]),
  ])
}

function pager(p: PageButtons): CardElement[] {
  if (p.pages <= 1) return []
  const buttons: CardElement[] = []
  if (p.page > 1) buttons.push(button({ text: '上一页', ...p.at(p.page - 1) }))
  if (p.page < p.pages) buttons.push(button({ text: '下一页', ...p.at(p.page + 1), type: 'primary' }))
  return [buttonRow(buttons)]
}

export interface DeskListView {
  title: string
  /** A bot-written line under the title (counts, the filter). */
  subtitle: string
  /** The search term the officer typed (user text: escaped, and kept out of the title and the preview). */
  term?: string
  lines: DeskLine[]
  total: number
  /** Shown when there is nothing to list. */
  empty: string
  /** The note at the bottom (what else can be typed); an empty list has nothing to open, so no 「打开」 line (F18). */
  hint: string
  pages: PageButtons
  timeZone: string
}

/** Said under a list that has lines, and only then (F18: an empty list said 「点「打开」…」 with nothing to open). */
export const OPEN_HINT = '点「打开」在私聊中查看并处理。'

/** A desk list: `待办`, `诉求列表 …` or a search's results. Private to the officer who asked. */
export function buildDeskListCard(v: DeskListView): Card {
  const overdue = v.lines.some((l) => l.overdue)
  return fitCard([v.lines.length, Math.ceil(v.lines.length / 2), 1], (shown) =>
    card({
      title: v.title,
      subtitle: v.subtitle,
      template: overdue ? 'red' : 'blue',
      summary: `${v.title}：共 ${v.total} 件`,
      elements: [
        ...(v.term !== undefined ? [md(`**关键词：**${escapeMarkdown(v.term)}`)] : []),
        md(`共 **${v.total}** 件${v.pages.pages > 1 ? `，第 ${v.pages.page}/${v.pages.pages} 页` : ''}`),
        ...(v.lines.length === 0 ? [md(v.empty)] : lineElements(v.lines.slice(0, shown), v.timeZone)),
        ...(shown < v.lines.length ? [note(`本页还有 ${v.lines.length - shown} 件未能显示，请翻页或缩小范围。`)] : []),
        ...pager(v.pages),
        note(v.lines.length > 0 ? `${OPEN_HINT}${v.hint}` : v.hint),
      ],
      forwardable: false,
    }),
  )
}
