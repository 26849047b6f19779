// 会员 导入: an officer starts it, then sends a CSV file privately; every row is checked, and the file is taken whole
// (one transaction) or not at all, with a report of the rows taken and refused.
import { buildImportReportCard } from '../../cards/organisation/members.js'
import type { ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import { csvFileOf, downloadCsvText } from '../../src/kit/csv-upload.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { IMPORT_MAX_BYTES, checkImport } from '../../src/organisation/member-import.js'
import { importMember } from '../../src/organisation/member-steps.js'
import { localDate } from '../../src/time.js'

const PROMPT =
  '请把会员名单作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n' +
  '第一行是表头：入会日期，以及 姓名 / 工号 / open_id 中的至少一列，可另加 部门。例如：\n' +
  '姓名,部门,入会日期\n张三,第一车间,2024-05-01\n' +
  '每一行都会检查；只要有一行有问题，整份文件都不导入，并告诉您是哪几行。发送「取消」可退出。'

type Step = 'file'

export const MEMBER_IMPORT = defineConversation<Record<string, never>, Step>({
  name: 'member.import',
  title: '会员导入',
  version: 1,
  initial: 'file',
  read: () => ({}),
  outdated: '之前的会员导入已失效，请重新发送「会员 导入」。',
  steps: {
    file: {
      prompt: async (ctx, _data, note) => void (await ctx.say({ text: note && 'hint' in note ? `${note.hint}\n\n${PROMPT}` : PROMPT })),
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
    return void (await ctx.say({ text: '抱歉，只有工会干部可以导入会员。' }))
  }
  const text = await downloadCsvText(ctx, file, IMPORT_MAX_BYTES)
  if (text === undefined) return
  const outbound = ctx.services.outbound
  const byEmployeeId = outbound.fetchUserByEmployeeId ? (id: string) => outbound.fetchUserByEmployeeId!(id) : undefined
  const checked = await checkImport(ctx.db, text, localDate(ctx.now(), ctx.config.timezone), byEmployeeId)
  if ('error' in checked) return void (await ctx.say({ text: `${checked.error}请改正后重新发送文件，或发送「取消」。` }))
  if (checked.refused.length === 0) {
    // All or nothing: a row that changed since the check (someone applied meanwhile) rolls the whole file back.
    await ctx.db.transaction().execute(async (trx) => {
      for (const row of checked.rows) await importMember(ctx, row, trx)
    })
    await ctx.audit({ action: 'member.import.file', subjectType: 'member_import', subjectId: ctx.eventId, detail: { rows: checked.rows.length } })
  }
  await ctx.finish()
  await ctx.say({ card: buildImportReportCard({ taken: checked.refused.length ? 0 : checked.rows.length, refused: checked.refused, total: checked.total }) })
  ctx.log.info({ eventId: ctx.eventId, rows: checked.total, refused: checked.refused.length }, 'member import checked')
}

export async function startMemberImport(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '会员导入请私聊我发送「会员 导入」，再发送 CSV 文件。')
  await MEMBER_IMPORT.start(ctx, {})
  await ctx.reply({ text: PROMPT })
}

export function registerMemberImport(router: BotRouter): void {
  router.conversation(MEMBER_IMPORT)
}
