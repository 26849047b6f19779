// The rules of a digest, without I/O: who gets which version, what may be shown publicly (no grievance count
// below the threshold, shown or derivable, so nobody is singled out), medians and shares for people, the chart
// series and "nothing to report".
import { GRIEVANCE_CATEGORIES, type GrievanceFigures } from '../grievances/model.js'
import type { ProposalFigures } from '../proposals/model.js'

export type Audience = 'public' | 'committee'

/**
 * Default of DIGEST_MIN_PUBLIC_COUNT: public digests show no grievance count below this (a count of 1 or 2 can
 * point at a person). 3 is issue #6's small-count rule; the security review's "k ≥ 5 for small groups" is left to
 * the setting, so a small union can raise it without a code change.
 */
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
  /** Sum of the categories not shown by name (public: 0 or at least the threshold); 0 when none. */
  hiddenTotal: number
  /** Public only: the period's total is below the threshold, so nothing is shown by category. */
  suppressed?: boolean
}

/*
 * Why the public figures cannot be differenced (security review F4). A count below k = DIGEST_MIN_PUBLIC_COUNT is
 * never shown, and neither may it be *derived* from shown figures by subtraction. Two things make that hold:
 *
 * 1. Within one table (the categories of one week, as text or as one bar of the chart) every shown figure is 0 or
 *    ≥ k: the total is shown only when ≥ k (else 「少于 k」 and no categories at all), each named category ≥ k, and
 *    其余类别 (the total minus the named ones, which is all a reader can derive) is 0 or ≥ k — when the small
 *    categories add up to less than k, the smallest named category is merged into 其余类别 as well (complementary
 *    suppression), so no hidden cell or sum of hidden cells can be worked out as total − shown. Medians are shown
 *    over k cases or more, and the satisfaction share only when neither the satisfied nor the dissatisfied ratings
 *    are a small count (share × number of ratings would give them back).
 * 2. Across tables, public grievance figures exist for one kind of period only: the completed week (Monday–
 *    Sunday). The weekly digest shows its week; its chart shows the 8 completed weeks up to it, each bar computed by
 *    the same function from the same rows as that week's own digest, so a bar repeats figures already published
 *    and never the running week. Public daily digests (scheduled or on demand) carry no grievance figures, and an
 *    on-demand 周报 in a public group shows the last completed week, never "this week so far". Completed weeks do
 *    not overlap, and a completed week's figures do not change afterwards (filed/accepted/resolved/rated times lie
 *    in the past), so no two public figures cover nested or overlapping periods and no subtraction of one from
 *    another (Mon–Fri dailies, this week's and last week's weeklies, any chart bar) isolates a day or a case. The
 *    月报/季报 are committee-only. A public daily digest does not even count grievance steps as news (its being
 *    sent or skipped would tell that a case was filed that day).
 */

/**
 * The public reduction of one table of category counts (see the comment above): every shown number is 0 or ≥ k,
 * and so is every difference of shown numbers.
 */
export function suppressSmallCells(cells: readonly CategoryCount[], k: number): CategoryBreakdown {
  const total = cells.reduce((n, c) => n + c.count, 0)
  if (total < k) return { shown: [], hiddenTotal: 0, ...(total > 0 ? { suppressed: true } : {}) }
  const shown = cells.filter((c) => c.count >= k)
  let hiddenTotal = total - shown.reduce((n, c) => n + c.count, 0)
  if (hiddenTotal > 0 && hiddenTotal < k) {
    // 其余类别 alone would be a small count (total − the named ones): merge the smallest named category into it too.
    let smallest = shown.length - 1
    for (let i = shown.length - 1; i >= 0; i--) if (shown[i]!.count < shown[smallest]!.count) smallest = i
    hiddenTotal += shown[smallest]!.count
    shown.splice(smallest, 1)
  }
  return { shown, hiddenTotal }
}

/** Category counts for the audience: the committee sees all of them; the public the reduction above. */
export function categoryBreakdown(rows: readonly CategoryCount[], audience: Audience, k = MIN_PUBLIC_COUNT): CategoryBreakdown {
  const merged = new Map<string, number>()
  for (const r of rows) merged.set(knownCategory(r.category), (merged.get(knownCategory(r.category)) ?? 0) + r.count)
  const cells = GRIEVANCE_CATEGORIES.map((category) => ({ category, count: merged.get(category) ?? 0 })).filter((c) => c.count > 0)
  return audience === 'public' ? suppressSmallCells(cells, k) : { shown: cells, hiddenTotal: 0 }
}

export interface ChartData {
  /** x axis: one label per week, e.g. "10/05" (the week's Monday). */
  weeks: string[]
  /** One row per (week, series) with a count, for the VChart bar spec. */
  values: Array<{ week: string; category: string; count: number }>
  /** Series names in display order. */
  series: string[]
  /** Public only: weeks with cases but fewer than the threshold, drawn without a bar. */
  suppressedWeeks?: string[]
}

/**
 * The chart's data: grievances filed per week and category. In the public version each week is reduced exactly as
 * that week's own digest is (categoryBreakdown), and a week below the threshold has no bar at all. The caller gives
 * only completed weeks for the public version (see the comment above).
 */
export function chartData(weekMondays: readonly string[], rows: ReadonlyArray<{ bucket: number; category: string; count: number }>, audience: Audience, k = MIN_PUBLIC_COUNT): ChartData {
  const weeks = weekMondays.map((d) => `${d.slice(5, 7)}/${d.slice(8, 10)}`)
  const perBucket = weeks.map((): CategoryCount[] => [])
  for (const r of rows) if (r.bucket >= 0 && r.bucket < weeks.length) perBucket[r.bucket]!.push({ category: r.category, count: r.count })
  const suppressedWeeks: string[] = []
  const perWeek: Array<ChartData['values']> = weeks.map((week, bucket) => {
    const b = categoryBreakdown(perBucket[bucket]!, audience, k)
    if (b.suppressed) suppressedWeeks.push(week)
    const row: ChartData['values'] = b.shown.map((c) => ({ week, category: c.category, count: c.count }))
    if (b.hiddenTotal > 0) row.push({ week, category: HIDDEN_CATEGORIES_LABEL, count: b.hiddenTotal })
    return row
  })
  const extra = audience === 'public' ? { suppressedWeeks } : {}
  const used = new Set(perWeek.flat().map((v) => v.category))
  const series = [...GRIEVANCE_CATEGORIES, HIDDEN_CATEGORIES_LABEL].filter((c) => used.has(c))
  if (series.length === 0) return { weeks, values: [], series, ...extra }
  // A week without a bar still gets its place on the x axis (a zero of the first series), in week order.
  const values = perWeek.flatMap((row, i) => (row.length ? row : [{ week: weeks[i]!, category: series[0]!, count: 0 }]))
  return { weeks, values, series, ...extra }
}

/** A public count: 0 and counts ≥ k as they are, anything between as 「少于 k」. */
export function publicCount(n: number, k: number): string {
  return n === 0 || n >= k ? String(n) : `少于 ${k}`
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

/**
 * Whether a period saw anything worth telling a public group (a digest of zeros is not sent there). A public daily
 * digest shows no grievance figures, so grievance steps are not news for it (`countGrievances` false).
 */
export function hasNews(g: GrievanceFigures, p: ProposalFigures | undefined, upcomingActivities: number, countGrievances = true, casework = 0): boolean {
  // Mediation and supervision counts go with the grievance figures: a public daily shows neither (see above).
  const grievanceNews = countGrievances && g.filed + g.accepted + g.resolved + g.declined + g.rated.satisfied + g.rated.basicallySatisfied + g.rated.dissatisfied + casework > 0
  const proposalNews = p ? p.submitted + p.registered + p.rejected + p.answered + p.rated.satisfied + p.rated.basic + p.rated.unsatisfied > 0 : false
  return grievanceNews || proposalNews || upcomingActivities > 0
}
