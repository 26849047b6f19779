// Learning hours: `学时 设置 A-012 讲座 2` (an officer: the activity carries hours; everyone checked in is credited),
// `学时 导入` (outside training, CSV), `学时 统计 [年份]` (by department, CSV by person, privately) and `我的学时 [年份]`.
import { buildHoursStatsCard, buildMyHoursCard } from '../../cards/learning/hours.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ACTIVITY_NUMBER, findActivityBySeqNo } from '../../src/activities/store.js'
import { toCsv } from '../../src/kit/csv.js'
import { LEARNING_KINDS, formatHours, parseHours, type LearningKind } from '../../src/learning/model.js'
import { hoursOf, minutesByPerson, setActivityHours } from '../../src/learning/store.js'
import { localParts } from '../../src/time.js'
import { startImport } from './imports.js'

export const SECTION = '学习型组织'

const yearOf = (ctx: MessageContext, text: string) => {
  const m = /(\d{4})/.exec(text)
  return m ? Number(m[1]) : localParts(ctx.now(), ctx.config.timezone).year
}

async function hoursCommand(ctx: MessageContext): Promise<void> {
  const [first = '', ...rest] = ctx.argsTyped.split(/\s+/)
  if (first === '设置' || first === 'set') return setHours(ctx, rest)
  if (first === '导入' || first === 'import') return startImport(ctx, 'credits')
  if (first === '统计' || first === 'stats' || first === '') return stats(ctx, rest.join(' '))
  throw new UserFacingError('INVALID_INPUT', '用法：学时 设置 A-012 讲座 2；学时 导入；学时 统计 [年份]')
}

async function setHours(ctx: MessageContext, words: string[]): Promise<void> {
  const usage = `用法：学时 设置 A-012 类型 学时，类型为 ${LEARNING_KINDS.join(' / ')}，学时如 2、1.5、90分钟`
  const seq = ACTIVITY_NUMBER.parseSeq(words[0] ?? '')
  const kind = LEARNING_KINDS.find((k) => k === words[1]) as LearningKind | undefined
  const minutes = parseHours(words.slice(2).join(''))
  if (!seq || !kind || minutes === undefined) throw new UserFacingError('INVALID_INPUT', usage)
  const activity = await findActivityBySeqNo(ctx.db, seq)
  if (!activity) throw new UserFacingError('NOT_FOUND', `没有找到活动 ${ACTIVITY_NUMBER.format(seq)}。`)
  await setActivityHours(ctx.db, { activityId: activity.id, kind, minutes, by: ctx.actorOpenId, at: ctx.now() })
  await ctx.audit({ action: 'learning.activity.set', subjectType: 'activity', subjectId: activity.number, detail: { kind, minutes } })
  await ctx.reply({ text: `已设置：活动 ${activity.number} 为${kind}，${formatHours(minutes)}。签到的人都会获得这些学时（已签到的也算）。` })
}

async function stats(ctx: MessageContext, rest: string): Promise<void> {
  if (ctx.isGroup && ctx.chatId !== (await ctx.committeeChatId())) throw new UserFacingError('FORBIDDEN_ROLE', '学时统计只在工会委员会群或与我的私聊中提供。')
  const year = yearOf(ctx, rest)
  const people = await minutesByPerson(ctx.db, year, ctx.config.timezone)
  const byDepartment = new Map<string | undefined, { minutes: number; people: number }>()
  for (const p of people) {
    const d = byDepartment.get(p.department) ?? { minutes: 0, people: 0 }
    byDepartment.set(p.department, { minutes: d.minutes + p.minutes, people: d.people + 1 })
  }
  const total = people.reduce((s, p) => s + p.minutes, 0)
  const departments = [...byDepartment].map(([department, d]) => ({ department, ...d })).sort((a, b) => b.minutes - a.minutes)
  await ctx.reply({ card: buildHoursStatsCard({ year, totalMinutes: total, people: people.length, byDepartment: departments }) }, { key: 'hours-card' })
  // Minutes are exact integers; the hours column is their exact decimal form (formatHours, without the unit).
  const rows = people.map((p, i) => [String(i + 1), p.name, p.department ?? '', String(p.minutes), formatHours(p.minutes).replace(/ 学时$/, '')])
  await ctx.sendFileToUser(ctx.actorOpenId, `学时统计-${year}.csv`, toCsv([['序号', '姓名', '部门', '分钟', '学时'], ...rows]), { key: 'hours-csv' })
}

async function myHours(ctx: MessageContext): Promise<void> {
  const year = yearOf(ctx, ctx.argsText)
  const lines = await hoursOf(ctx.db, ctx.actorOpenId, year, ctx.config.timezone)
  const card = buildMyHoursCard({ year, totalMinutes: lines.reduce((s, l) => s + l.minutes, 0), lines })
  if (ctx.isGroup) {
    await ctx.replyPrivately({ card })
    return void (await ctx.reply({ text: '已私聊发给您。' }))
  }
  await ctx.reply({ card })
}

export function registerHours(router: BotRouter): void {
  router.command({
    words: ['我的学时', 'my hours'],
    synonyms: ['我的学习时长', '学时查询'],
    help: { section: SECTION, usage: '我的学时 [年份]', description: '查看本年度学时和来源' },
    handle: myHours,
  })
  router.command({
    words: ['学时', 'learning hours'],
    roles: ['officer'],
    help: { section: SECTION, usage: '学时 设置 A-012 讲座 2 / 学时 导入 / 学时 统计', description: '给培训、讲座、读书会设学时，导入外部培训学时，按部门和人员统计' },
    handle: hoursCommand,
  })
}
