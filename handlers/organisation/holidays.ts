// The working-day calendar in chat (issue #20): `节假日 2027` shows what the bot uses for a year; `节假日 设置 2027`
// with the dates (in the same message after a newline, or as the next private message) previews them and a button
// stores them for every instance; from 1 December the committee group is reminded once a week while next year has
// only the statutory estimate.
import {
  buildHolidayPreviewCard,
  buildHolidayPromptCard,
  buildHolidayReminderCard,
  buildHolidaySavedCard,
  buildHolidayYearCard,
} from '../../cards/organisation/holidays.js'
import { statutoryHolidays } from '../../src/calendar.js'
import type { ConversationContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { errorCode, UserFacingError } from '../../src/errors.js'
import { mondayOf } from '../../src/digests/periods.js'
import { OUTDATED_ACTION_TOAST } from '../../src/kit/actions.js'
import { MORNING, workdayFrom } from '../../src/kit/periodic.js'
import { charCount } from '../../src/kit/text.js'
import { HOLIDAYS_CONFIRM } from '../../src/organisation/holiday-actions.js'
import { claimHolidayReminder, findArrangement, markHolidayReminderSent, refreshCalendar, saveArrangement } from '../../src/organisation/holiday-store.js'
import { ARRANGEMENT_DAYS_MAX, ARRANGEMENT_TEXT_MAX, formatArrangement, HOLIDAY_YEAR_MAX, HOLIDAY_YEAR_MIN, parseArrangement, parseHolidayYear } from '../../src/organisation/holidays.js'
import { localParts } from '../../src/time.js'

const SECTION = '工会组织（工会干部）'
const FLOW = 'holidays.set'
const USAGE = '用法：节假日 2027（查看）、节假日 设置 2027（加载官方安排，日期写在下一行或下一条消息）'
/** `设置 2027 …` after the command word: the set word, then the year and anything after it. */
const SET_PATTERN = /^(?:设置|加载|导入|set)(?:\s+|(?=\d)|$)(.*)$/i
/** A claimed reminder not marked sent within this time (crash, Feishu down) may be sent by a later run. */
const REMINDER_CLAIM_MS = 5 * 60_000
/** The re-ask after a text with errors: the prompt then shows the preview with the problems and the text. */
const ERRORS_HINT = '有错误，未保存。'

interface SetDraft {
  year: number
  /** The last text the officer sent, kept while it has errors (shown back on the preview). */
  text?: string
}

export function registerHolidays(router: BotRouter): void {
  router.command({
    words: ['节假日', 'holidays'],
    roles: ['officer'],
    help: { section: SECTION, usage: '节假日 2027', description: '查看某年的放假安排；「节假日 设置 2027」加载国务院公布的安排' },
    handle: holidaysCommand,
  })
  router.conversation(setting)
  router.action(HOLIDAYS_CONFIRM, {
    roles: ['officer'],
    async handle(ctx, p) {
      const parsed = parseArrangement(p.year, p.days)
      if (parsed.errors.length > 0 || p.year < HOLIDAY_YEAR_MIN || p.year > HOLIDAY_YEAR_MAX) return { toast: { type: 'error', content: OUTDATED_ACTION_TOAST } }
      const arrangement = parsed.arrangement
      const before = await findArrangement(ctx.db, p.year)
      const same = before !== undefined && sameDays(before.holidays, arrangement.holidays) && sameDays(before.workdays, arrangement.workdays)
      // A second click (or a retried callback) finds the same days stored: nothing is written or audited again.
      if (!same) {
        const previous = ctx.services.calendar.sourceOf(p.year)
        await ctx.db.transaction().execute(async (trx) => {
          await saveArrangement(trx, arrangement, ctx.actorOpenId, ctx.now())
          await ctx.audit(
            { action: 'holidays.load', subjectType: 'holiday_arrangement', subjectId: String(p.year), detail: { holidays: arrangement.holidays.length, workdays: arrangement.workdays.length, previous } },
            trx,
          )
        })
        // This instance at once; the others within their 30 s re-read (src/app.ts).
        await refreshCalendar(ctx.db, ctx.services.calendar)
      }
      const saved = (await findArrangement(ctx.db, p.year))!
      const card = buildHolidaySavedCard({
        year: p.year,
        holidayCount: saved.holidays.length,
        workdayCount: saved.workdays.length,
        lines: formatArrangement(saved),
        loadedByName: (await ctx.nameOf(saved.loadedBy)) ?? '工会干部',
        loadedAt: saved.loadedAt,
        timeZone: ctx.config.timezone,
      })
      return { toast: { type: same ? 'info' : 'success', content: same ? `${p.year} 年节假日安排已保存。` : `已保存 ${p.year} 年节假日安排。` }, card }
    },
  })
  router.periodic({ name: 'holidays.reminder', run: remindCommittee })
}

function sameDays(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((d, i) => d === [...b].sort()[i])
}

function yearOrRefuse(token: string | undefined): number {
  const year = token ? parseHolidayYear(token) : undefined
  if (year === undefined) throw new UserFacingError('INVALID_INPUT', `请写明 ${HOLIDAY_YEAR_MIN}–${HOLIDAY_YEAR_MAX} 之间的年份。${USAGE}`)
  return year
}

async function holidaysCommand(ctx: MessageContext): Promise<void> {
  // The first line holds the command; what follows a newline is the dates (argsText has the newlines collapsed).
  const newline = ctx.text.indexOf('\n')
  const head = (newline < 0 ? ctx.text : ctx.text.slice(0, newline)).normalize('NFKC').trim()
  const after = newline < 0 ? '' : ctx.text.slice(newline + 1)
  // `节假日2027` and `节假日 设置2027` are matched as well as the spaced forms (src/dispatch/text.ts matchWord).
  const rest = head.replace(/^(节假日|holidays)\s*/i, '')
  const set = SET_PATTERN.exec(rest)
  const tokens = (set ? set[1]! : rest).split(/\s+/).filter(Boolean)
  if (!set) {
    if (tokens.length === 0) return showYear(ctx, localParts(ctx.now(), ctx.config.timezone).year)
    if (tokens.length > 1) throw new UserFacingError('INVALID_INPUT', USAGE)
    return showYear(ctx, yearOrRefuse(tokens[0]))
  }
  const year = yearOrRefuse(tokens[0])
  // Dates may also start on the command line itself (`节假日 设置 2027 放假 2027-01-01`).
  const tail = tokens.slice(1).join(' ')
  const text = [tail, after].filter((s) => s.trim() !== '').join('\n')
  if (text.trim() === '') return askForDates(ctx, year)
  return preview(ctx, year, text)
}

async function showYear(ctx: MessageContext, year: number): Promise<void> {
  const calendar = ctx.services.calendar
  const arrangement = calendar.arrangementOf(year)
  const stored = arrangement.source === 'loaded' ? await findArrangement(ctx.db, year) : undefined
  const loadedByName = stored ? ((await ctx.nameOf(stored.loadedBy)) ?? '工会干部') : undefined
  await ctx.reply({
    card: buildHolidayYearCard({
      year,
      source: arrangement.source,
      lines: formatArrangement(arrangement),
      holidayCount: arrangement.holidays.length,
      workdayCount: arrangement.workdays.length,
      ...(arrangement.source === 'estimate' ? { statutory: statutoryHolidays(year) } : {}),
      ...(stored ? { loadedByName: loadedByName!, loadedAt: stored.loadedAt } : {}),
      timeZone: ctx.config.timezone,
    }),
  })
}

/** Without dates: the next private message is the dates (a typed conversation). */
async function askForDates(ctx: MessageContext, year: number): Promise<void> {
  // From a group: a private conversation already under way (a filing, a proposal) is not overwritten.
  const current = ctx.isGroup ? await ctx.activeConversation() : undefined
  if (current !== undefined && current !== FLOW) {
    throw new UserFacingError('INVALID_STATE', '您在私聊中还有一项未完成的办理。请先完成它或发送「取消」，再发送「节假日 设置 年份」；也可以把日期写在指令的下一行一起发送。')
  }
  await setting.start(ctx, { year })
  const prompt = { card: buildHolidayPromptCard({ year, current: ctx.services.calendar.sourceOf(year) }) }
  if (ctx.isGroup) {
    await ctx.replyPrivately(prompt)
    await ctx.reply({ text: `已私聊您，请在私聊中发送 ${year} 年的放假和调休上班日期。` })
  } else {
    await ctx.reply(prompt)
  }
}

function checked(year: number, text: string) {
  if (charCount(text) > ARRANGEMENT_TEXT_MAX) {
    return { year, text, errors: [{ line: 0, text: '', reason: `内容太长（最多 ${ARRANGEMENT_TEXT_MAX} 个字），请只写放假和调休上班的日期` }], warnings: [], arrangement: { year, holidays: [], workdays: [] } }
  }
  const parsed = parseArrangement(year, text)
  // The confirm button carries the days: an arrangement too scattered to fit is refused rather than cut.
  if (parsed.errors.length === 0 && formatArrangement(parsed.arrangement).join('\n').length > ARRANGEMENT_DAYS_MAX) {
    return { year, text, ...parsed, errors: [{ line: 0, text: '', reason: '日期太零散，无法保存，请只写放假和调休上班的日期' }] }
  }
  return { year, text, ...parsed }
}

/** Dates with the command: a preview; with errors in private chat, the next message is the corrected text. */
async function preview(ctx: MessageContext, year: number, text: string): Promise<void> {
  const result = checked(year, text)
  const card = buildHolidayPreviewCard({ ...result, current: ctx.services.calendar.sourceOf(year) })
  if (result.errors.length > 0 && !ctx.isGroup) await setting.start(ctx, { year, text })
  else if ((await ctx.activeConversation()) === FLOW) await ctx.endConversation()
  await ctx.reply({ card })
}

/** `节假日 设置 2027` typed again inside the conversation: its year (and any dates after it) are taken. */
function restated(text: string, draft: SetDraft): { year: number; text: string } | undefined {
  const newline = text.indexOf('\n')
  const head = (newline < 0 ? text : text.slice(0, newline)).normalize('NFKC').trim()
  const command = /^(?:节假日|holidays)\s*(.*)$/i.exec(head)
  const set = command ? SET_PATTERN.exec(command[1]!) : null
  if (!set) return undefined
  const [token, ...tail] = set[1]!.split(/\s+/).filter(Boolean)
  const year = (token && parseHolidayYear(token)) || draft.year
  return { year, text: [tail.join(' '), newline < 0 ? '' : text.slice(newline + 1)].filter((s) => s.trim() !== '').join('\n') }
}

const setting = defineConversation<SetDraft, 'dates'>({
  name: FLOW,
  title: '设置节假日安排',
  version: 1,
  initial: 'dates',
  outdated: '系统已更新，之前的节假日设置已失效，请重新发送「节假日 设置 年份」。',
  read(data) {
    const year = typeof data.year === 'number' ? data.year : undefined
    if (year === undefined || year < HOLIDAY_YEAR_MIN || year > HOLIDAY_YEAR_MAX) return undefined
    return { year, ...(typeof data.text === 'string' ? { text: data.text } : {}) }
  },
  steps: {
    dates: {
      async prompt(ctx, draft, note) {
        const current = ctx.services.calendar.sourceOf(draft.year)
        if (note && 'hint' in note && note.hint === ERRORS_HINT && draft.text !== undefined) {
          await ctx.say({ card: buildHolidayPreviewCard({ ...checked(draft.year, draft.text), current }) })
        } else {
          if (note) await ctx.say({ text: 'hint' in note ? note.hint : note.notice })
          await ctx.say({ card: buildHolidayPromptCard({ year: draft.year, current }) })
        }
      },
      parse(input, draft) {
        const again = restated(input.text, draft)
        const year = again?.year ?? draft.year
        const text = again ? again.text : input.text
        if (text.trim() === '') {
          if (input.attachments.length > 0) return { hint: '请直接用文字发送日期（不是文件或图片）。' }
          return again ? { next: 'dates', data: { year } } : { hint: '请发送放假和调休上班的日期。' }
        }
        const result = checked(year, text)
        // Errors: the text is kept and shown back with the problems; the step stays.
        if (result.errors.length > 0) return { hint: ERRORS_HINT, data: { year, text } }
        return { run: (ctx) => showValidPreview(ctx, year, text) }
      },
    },
  },
})

async function showValidPreview(ctx: ConversationContext, year: number, text: string): Promise<void> {
  await ctx.finish()
  await ctx.say({ card: buildHolidayPreviewCard({ ...checked(year, text), current: ctx.services.calendar.sourceOf(year) }) })
}

/**
 * From 1 December (local), while next year's working days are only the statutory estimate (no loaded arrangement
 * and none in the package), one reminder a week to the committee group: the first working-day run from 09:00 of
 * each week claims the week (src/kit/periodic.ts), so instances and restarts send it once.
 */
async function remindCommittee(ctx: PeriodicContext): Promise<void> {
  const tz = ctx.config.timezone
  const parts = localParts(ctx.runAt, tz)
  if (parts.month !== 12) return
  const year = parts.year + 1
  if (ctx.services.calendar.sourceOf(year) !== 'estimate') return
  const day = workdayFrom(ctx.runAt, ctx.services.calendar, tz, MORNING)
  if (!day) return
  if (!ctx.config.union.adminChatId) return
  const key = { year, week: mondayOf(day) }
  if (!(await claimHolidayReminder(ctx.db, key, ctx.runAt, REMINDER_CLAIM_MS))) return
  try {
    const sent = await ctx.sendToCommittee({ card: buildHolidayReminderCard({ year }) }, { key: `holiday-reminder:${key.year}:${key.week}` })
    await markHolidayReminderSent(ctx.db, key, ctx.runAt, sent?.messageId ?? null)
    ctx.log.info({ task: ctx.taskName, year, week: key.week }, 'holiday arrangement reminder sent')
  } catch (err) {
    // The claim lapses and a later run tries again.
    ctx.log.warn({ task: ctx.taskName, year, code: errorCode(err) }, 'holiday arrangement reminder not sent')
  }
}
