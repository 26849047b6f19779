// List cards for activities: what is open (`活动`), one worker's own activities (`我的活动`) and an officer's
// roster (`名单 A-012`). Lists are cut to stay inside Feishu's 30 KB / 200 elements (docs/feishu-platform.md#card-limits).
import { escapeMarkdown, truncate } from '../escape.js'
import { formatRange, type ActivityCardPhase, type ActivityView } from './activity.js'
import { assertCardWithinLimits, button, buttonRow, card, fitCard, halving, hr, md, note, type Card, type CardElement } from '../kit.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { formatDateTime } from '../../src/time.js'

const title = (t: string) => escapeMarkdown(truncate(t, 40))

function remaining(a: ActivityView, phase: ActivityCardPhase): string {
  if (phase === 'closed') return '报名已截止'
  if (phase === 'checkin') return '签到中'
  if (a.capacity === 0) return `不限名额，已报名 ${a.confirmed} 人`
  const left = a.capacity - a.confirmed
  return left > 0 ? `剩余 **${left}** 个名额（${a.confirmed}/${a.capacity}）` : `已满，候补 ${a.waitlisted} 人`
}

export function buildActivityListCard(items: Array<{ view: ActivityView; phase: ActivityCardPhase }>, timeZone: string, more: boolean): Card {
  const elements: CardElement[] = []
  if (items.length === 0) {
    elements.push(md('目前没有可报名的活动。有新活动时，工会会在群里发布报名卡片。'))
  } else {
    for (const { view, phase } of items) {
      elements.push(md(`**${view.number}**　${title(view.title)}\n${formatRange(view.startsAt, view.endsAt, timeZone)} · ${escapeMarkdown(truncate(view.place, 30))}\n${remaining(view, phase)}`))
    }
    elements.push(hr())
    elements.push(note(`报名：发送「报名 编号」，如「报名 ${items[0]!.view.number}」；查看卡片：「活动 编号」。${more ? '只列出最近的活动。' : ''}`))
  }
  return assertCardWithinLimits(card({ title: '近期活动', template: 'turquoise', summary: '近期活动', elements }))
}

/** A typed name fits several open activities (`报名 读书会`): each with its own 报名 button (F34). */
export function buildActivityChoiceCard(items: Array<{ view: ActivityView; phase: ActivityCardPhase }>, timeZone: string, more: boolean): Card {
  const elements: CardElement[] = [md('有几项活动符合您说的名称，请选择要报名的那一项：')]
  for (const { view, phase } of items) {
    elements.push(md(`**${view.number}**　${title(view.title)}\n${formatRange(view.startsAt, view.endsAt, timeZone)} · ${escapeMarkdown(truncate(view.place, 30))}\n${remaining(view, phase)}`))
    const full = view.capacity > 0 && view.confirmed >= view.capacity
    elements.push(buttonRow([button({ text: `${full ? '候补报名' : '报名'} ${view.number}`, action: SIGN_UP.name, value: SIGN_UP.value({ id: view.id }), type: 'primary' })]))
  }
  elements.push(note(`${more ? '只列出最近的几项；' : ''}也可以发送「报名 编号」，如「报名 ${items[0]?.view.number ?? 'A-012'}」。`))
  return assertCardWithinLimits(card({ title: '选择活动', template: 'turquoise', summary: '选择要报名的活动', elements }))
}

export interface MyActivityItem {
  view: ActivityView
  phase: ActivityCardPhase
  status: 'confirmed' | 'waitlisted'
  position: number
  checkedInAt: Date | null
}

export function buildMyActivitiesCard(
  current: MyActivityItem[],
  attended: Array<{ view: ActivityView; checkedInAt: Date }>,
  year: number,
  timeZone: string,
): Card {
  const elements: CardElement[] = [md('**我的报名**')]
  if (current.length === 0) elements.push(md("<font color='grey'>暂无进行中的报名。发送「活动」看看近期有什么活动。</font>"))
  for (const c of current) {
    let state: string
    if (c.phase === 'cancelled') state = "<font color='red'>活动已取消</font>"
    else if (c.status === 'waitlisted') state = `候补第 ${c.position} 位`
    else if (c.checkedInAt) state = `已签到（${formatDateTime(c.checkedInAt, timeZone)}）`
    else state = '已报名'
    elements.push(md(`**${c.view.number}**　${title(c.view.title)}\n${formatRange(c.view.startsAt, c.view.endsAt, timeZone)} · ${state}`))
  }
  elements.push(hr())
  elements.push(md(`**${year} 年参加过的活动：${attended.length} 次**`))
  const shown = attended.slice(-30)
  if (shown.length) {
    elements.push(md(shown.map((a) => `- ${formatDateTime(a.view.startsAt, timeZone).slice(0, 10)}　${a.view.number} ${title(a.view.title)}`).join('\n')))
  }
  if (attended.length > shown.length) elements.push(note(`只列出最近 ${shown.length} 次。`))
  elements.push(note('参加记录以活动现场签到为准。'))
  return assertCardWithinLimits(card({ title: '我的活动', template: 'turquoise', summary: '我的活动', elements }))
}

/** Shown for someone whose name the contact API does not give (their open_id is never shown or exported). */
export const UNKNOWN_NAME = '（未能获取姓名）'

export interface RosterEntry {
  name: string | undefined
  /** From the contact API when its scope is granted (the CSV's 部门 and 工号 columns; empty otherwise). */
  department?: string
  employeeNo?: string
  /** To tell entries apart in code only: never shown on the card nor written to the CSV. */
  openId: string
  status: 'confirmed' | 'waitlisted'
  signedUpAt: Date
  checkedInAt: Date | null
}

/** At most this many people per section on the card; the CSV always has everyone. */
export const ROSTER_CARD_ROWS = 80

/** The roster card, with fewer rows per section when long names would break the 30 KB limit. */
export function buildRosterCard(a: ActivityView, entries: RosterEntry[], timeZone: string): Card {
  return fitCard(halving(ROSTER_CARD_ROWS), (rows) => rosterCard(a, entries, timeZone, rows))
}

function rosterCard(a: ActivityView, entries: RosterEntry[], timeZone: string, rows: number): Card {
  const confirmed = entries.filter((e) => e.status === 'confirmed')
  const waitlisted = entries.filter((e) => e.status === 'waitlisted')
  const checkedIn = confirmed.filter((e) => e.checkedInAt).length
  const line = (e: RosterEntry, i: number) => {
    const who = e.name ? escapeMarkdown(truncate(e.name, 20)) : `<font color='grey'>${UNKNOWN_NAME}</font>`
    const check = e.status === 'confirmed' ? (e.checkedInAt ? ` · ✅ ${formatDateTime(e.checkedInAt, timeZone).slice(11)} 签到` : ' · 未签到') : ''
    return `${i + 1}. ${who} · ${formatDateTime(e.signedUpAt, timeZone).slice(5)}${check}`
  }
  const section = (label: string, list: RosterEntry[]): CardElement[] => {
    if (list.length === 0) return [md(`**${label}（0）**\n<font color='grey'>无</font>`)]
    const shown = list.slice(0, rows).map(line).join('\n')
    const cut = list.length > rows ? `\n<font color='grey'>……另有 ${list.length - rows} 人，见 CSV 文件</font>` : ''
    return [md(`**${label}（${list.length}）**\n${shown}${cut}`)]
  }
  const elements: CardElement[] = [
    md(`**${title(a.title)}**\n${formatRange(a.startsAt, a.endsAt, timeZone)}`),
    md(`已报名 **${confirmed.length}**${a.capacity ? `/${a.capacity}` : ''} · 候补 **${waitlisted.length}** · 已签到 **${checkedIn}**`),
    hr(),
    ...section('已报名', confirmed),
    ...section('候补', waitlisted),
    hr(),
    note('名单含报名时间（月-日 时:分）；完整名单（CSV）已私信发送给您，可用 Excel 打开。'),
  ]
  return card({ title: `活动名单 · ${a.number}`, template: 'indigo', summary: `活动名单 ${a.number}`, elements })
}
