// 慰问 名单 导入: an officer sends the union's CSV of birthdays and retirement dates privately (taken whole or not at
// all), and the committee is reminded the day before each, once (claimOnce, src/kit/periodic.ts).
import { buildCareReminderCard, buildRosterReportCard } from '../../cards/care/care.js'
import { ROSTER_MAX_BYTES, checkRoster } from '../../src/care/roster.js'
import { claimReminder, dueOn, markReminderSent, upsertRoster } from '../../src/care/store.js'
import type { ConversationContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import { csvFileOf, downloadCsvText } from '../../src/kit/csv-upload.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { addDays, localParts } from '../../src/time.js'

const PROMPT =
  '请把关怀名单作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n' +
  '第一行是表头：姓名 或 open_id，以及 生日、退休日期 中的至少一列，可另加 部门。例如：\n' +
  '姓名,部门,生日,退休日期\n张三,第一车间,1980-05-17,2026-09-30\n' +
  '生日和退休日期由工会提供，机器人不会推测；前一天会提醒工会委员会。只要有一行有问题，整份文件都不导入。发送「取消」可退出。'

export const CARE_ROSTER_IMPORT = defineConversation<Record<string, never>, 'file'>({
  name: 'care.roster',
  title: '关怀名单导入',
  version: 1,
  initial: 'file',
  read: () => ({}),
  outdated: '之前的关怀名单导入已失效，请重新发送「慰问 名单 导入」。',
  steps: {
    file: {
      prompt: async (ctx, _d, n) => void (await ctx.say({ text: n && 'hint' in n ? `${n.hint}\n\n${PROMPT}` : PROMPT })),
      parse: (input) => {
        const file = csvFileOf(input)
        return 'hint' in file ? file : { run: (ctx) => runImport(ctx, file) }
      },
    },
  },
})

async function runImport(ctx: ConversationContext, file: { messageId: string; fileKey: string }): Promise<void> {
  if (!(await ctx.isOfficer())) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，只有工会干部可以导入关怀名单。' }))
  }
  const text = await downloadCsvText(ctx, file, ROSTER_MAX_BYTES)
  if (text === undefined) return
  const checked = await checkRoster(ctx.db, text)
  if ('error' in checked) return void (await ctx.say({ text: `${checked.error}请改正后重新发送文件，或发送「取消」。` }))
  if (checked.refused.length === 0) {
    await ctx.db.transaction().execute((trx) => upsertRoster(trx, checked.rows, ctx.actorOpenId, ctx.now()))
    await ctx.audit({ action: 'care.roster.import', subjectType: 'care_roster', subjectId: ctx.eventId, detail: { rows: checked.rows.length } })
  }
  await ctx.finish()
  await ctx.say({ card: buildRosterReportCard({ taken: checked.refused.length ? 0 : checked.rows.length, refused: checked.refused, total: checked.total }) })
  ctx.log.info({ eventId: ctx.eventId, rows: checked.total, refused: checked.refused.length }, 'care roster checked')
}

export async function startRosterImport(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '关怀名单导入请私聊我发送「慰问 名单 导入」，再发送 CSV 文件。')
  await CARE_ROSTER_IMPORT.start(ctx, {})
  await ctx.reply({ text: PROMPT })
}

/** Reminders go out from 09:00 local (src/kit/periodic.ts MORNING), every day: a birthday on Monday is reminded on Sunday. */
const MORNING_HOUR = 9

/** From 09:00 local every day: tomorrow's birthdays and retirements, one card each to the committee, once. */
async function remind(ctx: PeriodicContext): Promise<void> {
  const now = ctx.now()
  const local = localParts(now, ctx.config.timezone)
  if (local.hour < MORNING_HOUR) return
  const tomorrow = addDays(local.date, 1)
  for (const due of await dueOn(ctx.db, tomorrow)) {
    const key = { kind: due.kind, openId: due.openId, onDate: tomorrow }
    if (!(await claimReminder(ctx.db, key, now, 10 * 60_000))) continue
    const sent = await deliver(ctx, 'care:reminder', () =>
      ctx.sendToCommittee({ card: buildCareReminderCard({ kind: due.kind, name: due.name, department: due.department, date: tomorrow }) }, { key: `care-reminder:${due.kind}:${due.openId}:${tomorrow}` }),
    )
    if (sent.sent) await markReminderSent(ctx.db, key, now)
  }
}

export function registerCareRoster(router: BotRouter): void {
  router.conversation(CARE_ROSTER_IMPORT)
  router.periodic({ name: 'care-reminders', run: remind })
}
