// The rules of a digest, without I/O: who gets which version, what may be shown publicly (no category count
// below 3, so nobody is singled out), medians and shares for people, the chart series and "nothing to report".
import { GRIEVANCE_CATEGORIES } from '../grievance.js'
import type { GrievanceFigures, ProposalFigures } from '../stores/digests.js'

export type Audience = 'public' | 'committee'

/** Category counts below this are not shown in public digests (a count of 1 or 2 can point at a person). */
export const MIN_PUBLIC_COUNT = 3

/** Label of the bucket that gathers the categories too small to show publicly. */
export const HIDDEN_CATEGORIES_LABEL = '其余类别'

/** The committee group gets the detailed digest; every other chat the public one. */
export function audienceOf(chatId: string, adminChatId: string | undefined): Audience {
  return adminChatId !== undefined && chatId === adminChatId ? 'committee' : 'public'
}

/** One of the seven categories of issue #3 (stored values are always one of them; anything else reads as 其他). */
export function knownCategory(category: string): string {
  return (GRIEVANCE_CATEGORIES as readonly string[]).includes(category) ? category : '其他'
}

export interface CategoryCount {
  category: string
  count: number
}

export interface CategoryBreakdown {
  /** Categories shown by name, in the order of the category list. */
  shown: CategoryCount[]
  /** Sum of the categories not shown by name (public: each below MIN_PUBLIC_COUNT); 0 when none. */
  hiddenTotal: number
}

/** Category counts for the audience: the committee sees all of them; the public only those of 3 or more. */
export function categoryBreakdown(rows: readonly CategoryCount[], audience: Audience): CategoryBreakdown {
  const merged = new Map<string, number>()
  for (const r of rows) merged.set(knownCategory(r.category), (merged.get(knownCategory(r.category)) ?? 0) + r.count)
  const shown: CategoryCount[] = []
  let hiddenTotal = 0
  for (const category of GRIEVANCE_CATEGORIES) {
    const count = merged.get(category) ?? 0
    if (count === 0) continue
    if (audience === 'public' && count < MIN_PUBLIC_COUNT) hiddenTotal += count
    else shown.push({ category, count })
  }
  return { shown, hiddenTotal }
}

export interface ChartData {
  /** x axis: one label per week, e.g. "10/05" (the week's Monday). */
  weeks: string[]
  /** One row per (week, series) with a count, for the VChart bar spec. */
  values: Array<{ week: string; category: string; count: number }>
  /** Series names in display order. */
  series: string[]
}

/**
 * The chart's data: grievances filed per week and category. In the public version a week's category with fewer than
 * 3 cases is added to 其余类别 for that week, so no small count can be read off the bars or their tooltips.
 */
export function chartData(weekMondays: readonly string[], rows: ReadonlyArray<{ bucket: number; category: string; count: number }>, audience: Audience): ChartData {
  const weeks = weekMondays.map((d) => `${d.slice(5, 7)}/${d.slice(8, 10)}`)
  const cells = new Map<string, number>()
  const key = (bucket: number, category: string) => `${bucket}\u0000${category}`
  for (const r of rows) {
    if (r.bucket < 0 || r.bucket >= weeks.length) continue
    const k = key(r.bucket, knownCategory(r.category))
    cells.set(k, (cells.get(k) ?? 0) + r.count)
  }
  const perWeek: Array<ChartData['values']> = weeks.map((week, bucket) => {
    const row: ChartData['values'] = []
    let hidden = 0
    for (const category of GRIEVANCE_CATEGORIES) {
      const count = cells.get(key(bucket, category)) ?? 0
      if (count === 0) continue
      if (audience === 'public' && count < MIN_PUBLIC_COUNT) hidden += count
      else row.push({ week, category, count })
    }
    if (hidden > 0) row.push({ week, category: HIDDEN_CATEGORIES_LABEL, count: hidden })
    return row
  })
  const used = new Set(perWeek.flat().map((v) => v.category))
  const series = [...GRIEVANCE_CATEGORIES, HIDDEN_CATEGORIES_LABEL].filter((c) => used.has(c))
  if (series.length === 0) return { weeks, values: [], series }
  // A week without cases still gets its place on the x axis (a zero of the first series), in week order.
  const values = perWeek.flatMap((row, i) => (row.length ? row : [{ week: weeks[i]!, category: series[0]!, count: 0 }]))
  return { weeks, values, series }
}

/** Share of 满意 + 基本满意 among the ratings, as a whole percentage; null without ratings. */
export function satisfactionPercent(satisfied: number, basic: number, dissatisfied: number): number | null {
  const total = satisfied + basic + dissatisfied
  return total === 0 ? null : Math.round(((satisfied + basic) / total) * 100)
}

/** A duration for people: "3.5 小时", "2.4 天"; null → "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const hours = seconds / 3600
  if (hours < 1) return '不到 1 小时'
  if (hours < 48) return `${round1(hours)} 小时`
  return `${round1(hours / 24)} 天`
}

const round1 = (n: number) => (Math.round(n * 10) / 10).toFixed(1).replace(/\.0$/, '')

/** Whether a period saw anything worth telling a public group (a digest of zeros is not sent there). */
export function hasNews(g: GrievanceFigures, p: ProposalFigures | undefined, upcomingActivities: number): boolean {
  const grievanceNews = g.filed + g.accepted + g.resolved + g.declined + g.rated.satisfied + g.rated.basicallySatisfied + g.rated.dissatisfied > 0
  const proposalNews = p ? p.submitted + p.registered + p.rejected + p.answered + p.rated.satisfied + p.rated.basic + p.rated.unsatisfied > 0 : false
  return grievanceNews || proposalNews || upcomingActivities > 0
}
