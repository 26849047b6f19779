// 慰问 名单 导入: an officer sends the union's CSV of birthdays and retirement dates privately (taken whole or not at
// all), and the committee is reminded the day before each, once (claimOnce, src/kit/periodic.ts).
import { buildCareReminderCard, buildRosterReportCard } from '../../cards/care/care.js'
import { ROSTER_MAX_BYTES, checkRoster } from '../../src/care/roster.js'
import type { RosterRow } from '../../src/care/store.js'
import { claimReminder, dueOn, markReminderSent, upsertRoster } from '../../src/care/store.js'
import type { MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { defineCsvImport } from '../../src/kit/csv-import.js'
import { deliver } from '../../src/kit/deliver.js'
import { addDays, localParts } from '../../src/time.js'

export const CARE_ROSTER_IMPORT = defineCsvImport<RosterRow>({
  name: 'care.roster',
  title: '关怀名单导入',
  command: '慰问 名单 导入',
  roles: ['officer'],
  denied: '抱歉，只有工会干部可以导入关怀名单。',
  prompt:
    '请把关怀名单作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n' +
    '第一行是表头：姓名 或 open_id，以及 生日、退休日期 中的至少一列，可另加 部门。例如：\n' +
    '姓名,部门,生日,退休日期\n张三,第一车间,1980-05-17,2026-09-30\n' +
    '生日和退休日期由工会提供，机器人不会推测；前一天会提醒工会委员会。只要有一行有问题，整份文件都不导入。发送「取消」可退出。',
  maxBytes: ROSTER_MAX_BYTES,
  check: (ctx, text) => checkRoster(ctx.db, text),
  apply: (ctx, trx, rows) => upsertRoster(trx, rows, ctx.actorOpenId, ctx.now()),
  audit: { action: 'care.roster.import', subjectType: 'care_roster' },
  report: buildRosterReportCard,
})

export const startRosterImport = (ctx: MessageContext): Promise<void> => CARE_ROSTER_IMPORT.start(ctx)

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
  CARE_ROSTER_IMPORT.register(router)
  router.periodic({ name: 'care-reminders', run: remind })
}
