// The learning organisation (学习型组织, issue #17): which activities carry hours, how hours are written and read
// (whole minutes, shown as hours with at most two decimals, never floats), and the views of 我的学时 and 学时 统计.

export const LEARNING_KINDS = ['培训', '讲座', '读书会'] as const
export type LearningKind = (typeof LEARNING_KINDS)[number]

/** Most hours one activity or one imported line may carry (a week of full-time training). */
export const MAX_MINUTES = 6000
export const SOURCE_MAX = 60
export const BOOK_TITLE_MAX = 60
export const READING_NOTE_MAX = 200

/**
 * Hours as typed (`2`, `1.5`, `1.25`, `90分钟`, `2小时`, full-width digits) → whole minutes; undefined when it is
 * not a positive amount of whole minutes up to MAX_MINUTES. Read as text, so 0.1 + 0.2 never happens.
 */
export function parseHours(text: string): number | undefined {
  const t = text.normalize('NFKC').trim().replace(/\s+/g, '')
  const mins = /^(\d{1,4})(?:分钟|分|min|mins|minutes)$/i.exec(t)
  if (mins) return valid(Number(mins[1]))
  const hours = /^(\d{1,3})(?:\.(\d{1,2}))?(?:小时|学时|h|hours?)?$/i.exec(t)
  if (!hours) return undefined
  const frac = (hours[2] ?? '').padEnd(2, '0')
  // Hundredths of an hour × 60 / 100 must be whole minutes (0.25 h = 15 min; 0.1 h = 6 min; 0.01 h is not).
  const hundredths = Number(hours[1]) * 100 + Number(frac)
  if ((hundredths * 60) % 100 !== 0) return undefined
  return valid((hundredths * 60) / 100)
}

const valid = (m: number): number | undefined => (Number.isInteger(m) && m >= 1 && m <= MAX_MINUTES ? m : undefined)

/** Minutes as hours for people: `1.5 学时`, `2 学时`, `0.25 学时` (exact: minutes / 60 to at most 2 decimals, else minutes). */
export function formatHours(minutes: number): string {
  if ((minutes * 100) % 60 !== 0) return `${Math.floor(minutes / 60)} 学时 ${minutes % 60} 分钟`
  const hundredths = (minutes * 100) / 60
  const whole = Math.floor(hundredths / 100)
  const rest = hundredths % 100
  return rest === 0 ? `${whole} 学时` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')} 学时`
}

/** One source of hours in a person's year. */
export interface HoursLine {
  date: string
  /** An activity's title or the imported line's source (user text: escape). */
  what: string
  kind: LearningKind | '外部培训'
  minutes: number
}

export interface MyHoursView {
  year: number
  totalMinutes: number
  lines: HoursLine[]
}

export interface HoursStatsView {
  year: number
  totalMinutes: number
  people: number
  byDepartment: Array<{ department: string | undefined; minutes: number; people: number }>
}

/** What the 季报 shows of learning: hours credited in the period and the people they went to. */
export interface LearningFigures {
  totalMinutes: number
  participants: number
  readingCheckins: number
  loans: number
}

export interface BookView {
  title: string
  author: string | undefined
  copies: number
  onLoan: number
}
