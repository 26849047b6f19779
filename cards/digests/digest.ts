// The weekly / daily digest card (public and committee versions) with its chart of grievances by category over
// the last 8 weeks. Pure: figures come in as numbers; the only database text (window, department and activity
// names) is escaped here. The public version gets its categories and chart already reduced (src/digests/model.ts)
// and shows totals, medians and satisfaction below the threshold as 「少于 N」; a public daily shows no grievance figures.
import type { Audience, CategoryBreakdown, ChartData } from '../../src/digests/model.js'
import { HIDDEN_CATEGORIES_LABEL, MIN_PUBLIC_COUNT, formatDuration, publicCount, satisfactionPercent } from '../../src/digests/model.js'
import { KIND_LABEL, type Period } from '../../src/digests/periods.js'
import { STATUS_LABEL as GRIEVANCE_STATUS_LABEL, type GrievanceFigures, type GrievanceStatus, type OverdueCase } from '../../src/grievances/model.js'
import { STATUSES, STATUS_LABEL as PROPOSAL_STATUS_LABEL, type ProposalFigures, type WindowStatusCounts } from '../../src/proposals/model.js'
import { formatDateTime, localParts } from '../../src/time.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { COUNT_AXES, assertCardWithinLimits, button, buttonRow, card, columns, hr, md, note, type Card, type CardElement } from '../kit.js'

/** Lines per committee list; the rest is summed up ("另有 n 件"). */
export const LIST_LIMIT = 20

export type OverdueCaseLine = OverdueCase

export interface AwaitingCaseLine {
  number: string
  category: string
  filedAt: Date
  acceptDueAt: Date
}

export interface OverdueProposalLine {
  number: string
  department: string
  dueDate: string
  daysOverdue: number
}

export interface UpcomingActivity {
  /** The activity's id, as the activities feature's 报名 button carries it. */
  id: string
  number: string
  title: string
  startsAt: Date
  /** 0 = unlimited places. */
  capacity: number
  confirmed: number
  signupOpen: boolean
}

export interface CommitteeDetail {
  overdueGrievances: { items: OverdueCaseLine[]; total: number }
  awaitingAcceptance: { items: AwaitingCaseLine[]; total: number }
  overdueProposals: { items: OverdueProposalLine[]; total: number }
  /** 意见书 whose reply is overdue (labour-law supervision, issue #16); listed only when there are some. */
  overdueSupervision?: { items: Array<{ number: string; department: string; dueAt: Date; overdueDays: number }>; total: number }
}

export interface DigestView {
  kind: 'weekly' | 'daily'
  audience: Audience
  period: Period
  generatedAt: Date
  timeZone: string
  grievances: GrievanceFigures
  /** Public version: the smallest count shown (DIGEST_MIN_PUBLIC_COUNT); MIN_PUBLIC_COUNT when absent. */
  minPublicCount?: number
  categories: CategoryBreakdown
  chart: ChartData
  /** Absent until the proposal feature has a collection window. */
  proposals?: { figures: ProposalFigures; window: WindowStatusCounts }
  /** Absent where activities are not recorded (yet). */
  activities?: UpcomingActivity[]
  /**
   * Mediation applications and labour-law supervision matters opened in the period (issue #16): counts only, and
   * publicly under the small-count rule; absent from a public daily digest (as the grievance figures are).
   */
  casework?: { mediation: number; supervision: number }
  /** Committee version only. */
  committee?: CommitteeDetail
}

/** The activities feature's own sign-up action (handlers/activities/signup.ts reads `id` from the value). */
export const ACTIVITY_SIGNUP_ACTION = SIGN_UP.name

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

function dayWithWeekday(date: string): string {
  return `${date}（周${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}）`
}

/** "2026-10-05 至 2026-10-11", "2026-10-12", or "2026-10-12 至今（截至 10:30）" for a period still running. */
export function periodLabel(p: Period, timeZone: string): string {
  if (p.partial) {
    const at = localParts(p.to, timeZone)
    const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`
    return p.firstDay === p.lastDay ? `${p.firstDay} 截至 ${time}` : `${p.firstDay} 至 ${p.lastDay} ${time}`
  }
  return p.firstDay === p.lastDay ? p.firstDay : `${p.firstDay} 至 ${p.lastDay}`
}

export function digestTitle(kind: 'weekly' | 'daily', audience: Audience): string {
  return `工会${KIND_LABEL[kind]}${audience === 'committee' ? '（委员会版）' : ''}`
}

function figure(label: string, value: number | string, unit = '件'): CardElement[] {
  return [md(`<font color='grey'>${label}</font>\n**${value}** ${unit}`)]
}

function grievanceSection(v: DigestView): CardElement[] {
  const g = v.grievances
  const out: CardElement[] = [md('**维权诉求**')]
  const isPublic = v.audience === 'public'
  const k = v.minPublicCount ?? MIN_PUBLIC_COUNT
  // Public daily digests carry no grievance figures: they could be differenced against the week's (model.ts).
  if (isPublic && v.kind === 'daily') return [...out, note(`为保护职工隐私，维权诉求的统计不按日公布，请看每周一的工会周报（按已结束的整周统计）。`)]
  const count = (n: number) => (isPublic ? publicCount(n, k) : n)
  const figures = [figure('新提交', count(g.filed)), figure('已受理', count(g.accepted)), figure('已办结', count(g.resolved))]
  if (!isPublic) figures.push(figure('不予受理', g.declined))
  if (!isPublic && g.transferred > 0) figures.push(figure('已转办', g.transferred))
  out.push(columns(figures))
  const lines: string[] = []
  const parts = v.categories.shown.map((c) => `${c.category} ${c.count}`)
  if (v.categories.hiddenTotal > 0) parts.push(`${HIDDEN_CATEGORIES_LABEL} ${v.categories.hiddenTotal}`)
  lines.push(`**按类别（新提交）：**${v.categories.suppressed ? `少于 ${k} 件，不分类别公布` : parts.length ? parts.join('，') : '无'}`)
  // A median is shown publicly only over at least k cases (each is over the cases accepted / resolved in the period).
  const median = (seconds: number | null, over: number) => (isPublic && over > 0 && over < k ? `少于 ${k} 件，不计算` : formatDuration(seconds))
  lines.push(`**受理用时（中位数）：**${median(g.medianAcceptSeconds, g.accepted)}　**办结用时（中位数）：**${median(g.medianResolveSeconds, g.resolved)}`)
  const r = g.rated
  const rated = r.satisfied + r.basicallySatisfied + r.dissatisfied
  const share = satisfactionPercent(r.satisfied, r.basicallySatisfied, r.dissatisfied)
  if (share === null) lines.push('**满意度：**本期暂无评价')
  else if (!isPublic) lines.push(`**满意度：**${share}%（满意 ${r.satisfied}，基本满意 ${r.basicallySatisfied}，不满意 ${r.dissatisfied}）`)
  else if (rated < k) lines.push(`**满意度：**少于 ${k} 件评价，不计算`)
  // share × count gives both parts back: show it only when neither part is a small count.
  else if ([r.satisfied + r.basicallySatisfied, r.dissatisfied].some((n) => n > 0 && n < k)) lines.push(`**满意度：**共 ${rated} 件评价，满意与不满意的件数有一方少于 ${k}，不公布比例`)
  else lines.push(`**满意度：**${share}%（共 ${rated} 件评价）`)
  if (!isPublic) lines.push(`**当前在办：**待受理 ${g.open.pending} 件，处理中 ${g.open.accepted} 件`)
  out.push(md(lines.join('\n')))
  out.push(v.chart.values.length ? chartElement(v.chart) : note('近 8 周没有新的维权诉求。'))
  if (isPublic && v.chart.values.length) out.push(note(`图中只含已结束的整周；少于 ${k} 件的周不画柱形。`))
  return out
}

/** 劳动争议调解 and 劳动法律监督 as counts: a public count below k shows as 「少于 k」, never the number. */
function caseworkSection(c: { mediation: number; supervision: number }, isPublic: boolean, k: number): CardElement[] {
  const count = (n: number) => (isPublic ? publicCount(n, k) : n)
  const lines = [`**劳动争议调解：**新申请 ${count(c.mediation)} 件　**劳动法律监督：**发出意见书 ${count(c.supervision)} 件`]
  if (isPublic) lines.push(`<font color='grey'>调解案件保密，只公布件数；少于 ${k} 件时不公布具体数字。</font>`)
  return [hr(), md(lines.join('\n'))]
}

/** Feishu's chart component with a VChart stacked bar spec (docs/feishu-platform.md#chart). */
export function chartElement(c: ChartData): CardElement {
  return {
    tag: 'chart',
    chart_spec: {
      type: 'bar',
      title: { text: '近 8 周维权诉求（按类别，件）' },
      data: { values: c.values },
      xField: 'week',
      yField: 'count',
      seriesField: 'category',
      stack: true,
      axes: COUNT_AXES,
      legends: { visible: true, orient: 'bottom' },
    },
    preview: true,
    color_theme: 'brand',
    height: '300px',
  }
}

function proposalSection(p: NonNullable<DigestView['proposals']>, audience: Audience): CardElement[] {
  const f = p.figures
  const w = p.window
  const counts = STATUSES.filter((s) => (w.byStatus[s] ?? 0) > 0).map((s) => `${PROPOSAL_STATUS_LABEL[s]} ${w.byStatus[s]}`)
  const lines = [
    `**本期：**新提交 ${f.submitted} 件，立案 ${f.registered} 件，不立案 ${f.rejected} 件，答复 ${f.answered} 件`,
    `**${escapeMarkdown(truncate(w.windowName, 40))}**（${w.open ? '征集中' : '征集已结束'}）共 ${w.total} 件${counts.length ? `：${counts.join('，')}` : ''}`,
  ]
  if (audience === 'committee' && w.overdue > 0) lines.push(`<font color='red'>其中 ${w.overdue} 件已超过办理期限</font>`)
  const share = satisfactionPercent(f.rated.satisfied, f.rated.basic, f.rated.unsatisfied)
  if (share !== null) lines.push(`**答复满意度：**${share}%（共 ${f.rated.satisfied + f.rated.basic + f.rated.unsatisfied} 件评价）`)
  return [hr(), md('**职代会提案**'), md(lines.join('\n'))]
}

function activitySection(items: UpcomingActivity[], timeZone: string): CardElement[] {
  const out: CardElement[] = [hr(), md('**近 7 天的活动**')]
  if (items.length === 0) return [...out, note('近 7 天没有安排活动。')]
  for (const a of items) {
    const places = a.capacity === 0 ? '名额不限' : a.capacity - a.confirmed > 0 ? `剩余名额 ${a.capacity - a.confirmed} 个` : '名额已满，可报名候补'
    const line = `**${escapeMarkdown(truncate(a.title, 40))}**（${a.number}）\n${formatDateTime(a.startsAt, timeZone)}，${a.signupOpen ? places : '报名已截止'}`
    out.push(md(line))
    if (a.signupOpen) out.push(buttonRow([button({ text: '报名', action: SIGN_UP.name, value: SIGN_UP.value({ id: a.id }), type: 'primary' })]))
  }
  return out
}

function more(total: number, shown: number): string[] {
  return total > shown ? [`……另有 ${total - shown} 件`] : []
}

function committeeSection(c: CommitteeDetail, timeZone: string): CardElement[] {
  const out: CardElement[] = [hr()]
  const og = c.overdueGrievances
  if (og.total === 0) out.push(md('**超期诉求：**无'))
  else {
    const lines = og.items.map((i) => {
      const which = i.deadline === 'accept' ? '受理' : '办结'
      const days = i.overdueDays > 0 ? `已超期 ${i.overdueDays} 个工作日` : '已超期'
      return `- **${i.number}**（${i.category}，${GRIEVANCE_STATUS_LABEL[i.status]}）${which}时限 ${formatDateTime(i.dueAt, timeZone)}，<font color='red'>${days}</font>`
    })
    out.push(md([`**超期诉求（${og.total} 件）**`, ...lines, ...more(og.total, og.items.length)].join('\n')))
  }
  const aw = c.awaitingAcceptance
  if (aw.total === 0) out.push(md('**待受理（未超期）：**无'))
  else {
    const lines = aw.items.map((i) => `- **${i.number}**（${i.category}）提交于 ${formatDateTime(i.filedAt, timeZone)}，受理时限 ${formatDateTime(i.acceptDueAt, timeZone)}`)
    out.push(md([`**待受理（未超期，${aw.total} 件）**`, ...lines, ...more(aw.total, aw.items.length)].join('\n')))
  }
  const op = c.overdueProposals
  if (op.total === 0) out.push(md('**超期提案：**无'))
  else {
    const lines = op.items.map((p) => `- **${p.number}**（承办：${escapeMarkdown(truncate(p.department || '未指定', 30))}）办理期限 ${p.dueDate}，<font color='red'>已超期 ${p.daysOverdue} 天</font>`)
    out.push(md([`**超期提案（${op.total} 件）**`, ...lines, ...more(op.total, op.items.length)].join('\n')))
  }
  const os = c.overdueSupervision
  if (os && os.total > 0) {
    const lines = os.items.map((m) => `- **${m.number}**（${escapeMarkdown(truncate(m.department, 30))}）答复期限 ${formatDateTime(m.dueAt, timeZone)}，<font color='red'>已超期 ${m.overdueDays} 个工作日</font>`)
    out.push(md([`**意见书答复超期（${os.total} 件）**`, ...lines, ...more(os.total, os.items.length)].join('\n')))
  }
  return out
}

export function buildDigestCard(v: DigestView): Card {
  const k = v.minPublicCount ?? MIN_PUBLIC_COUNT
  const title = digestTitle(v.kind, v.audience)
  const range = periodLabel(v.period, v.timeZone)
  const elements: CardElement[] = [
    md(`**统计区间：**${v.period.partial ? range : v.period.firstDay === v.period.lastDay ? dayWithWeekday(v.period.firstDay) : `${dayWithWeekday(v.period.firstDay)} 至 ${dayWithWeekday(v.period.lastDay)}`}`),
    ...grievanceSection(v),
  ]
  if (v.casework) elements.push(...caseworkSection(v.casework, v.audience === 'public', k))
  if (v.proposals) elements.push(...proposalSection(v.proposals, v.audience))
  if (v.activities) elements.push(...activitySection(v.activities, v.timeZone))
  if (v.committee) elements.push(...committeeSection(v.committee, v.timeZone))
  elements.push(hr())
  elements.push(
    note(
      v.audience === 'public' && v.kind === 'daily'
        ? `厂务公开：本报只含统计数字，不含姓名和诉求内容；维权诉求的统计只在周报中按整周公布。生成于 ${formatDateTime(v.generatedAt, v.timeZone)}。`
        : v.audience === 'public'
        ? `厂务公开：本报只含统计数字，不含姓名和诉求内容；少于 ${k} 件的数字显示为「少于 ${k}」，单一类别少于 ${k} 件时合并为「${HIDDEN_CATEGORIES_LABEL}」（必要时再并入一个类别）。生成于 ${formatDateTime(v.generatedAt, v.timeZone)}。`
        : `委员会版含超期与待受理明细，请勿转发到其他群。超期天数：诉求按工作日、提案按自然日计算。生成于 ${formatDateTime(v.generatedAt, v.timeZone)}。`,
    ),
  )
  return assertCardWithinLimits(
    card({
      title,
      subtitle: range,
      template: v.audience === 'committee' ? 'indigo' : 'red',
      summary: `${title} · ${range}`,
      elements,
    }),
  )
}

/** What a public group gets when an on-demand digest has nothing to report (bot words and dates only). */
export function nothingToReportText(kind: 'weekly' | 'daily', p: Period, timeZone: string): string {
  return `${KIND_LABEL[kind]}（${periodLabel(p, timeZone)}）：本期暂无新的诉求、提案或活动，不单独发布。`
}
