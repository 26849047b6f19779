// 会员 导入: an officer starts it, then sends a CSV file privately (or sends the file first and picks 会员导入 on the
// offer card); every row is checked, and the file is taken whole (one transaction) or not at all, with a report of
// the rows taken and refused (the shell is src/kit/csv-import.ts).
import { buildImportReportCard } from '../../cards/organisation/members.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { defineCsvImport } from '../../src/kit/csv-import.js'
import { IMPORT_MAX_BYTES, checkImport, type ImportRow } from '../../src/organisation/member-import.js'
import { importMember } from '../../src/organisation/member-steps.js'
import { localDate } from '../../src/time.js'

export const MEMBER_IMPORT = defineCsvImport<ImportRow>({
  name: 'member.import',
  title: '会员导入',
  command: '会员 导入',
  roles: ['officer'],
  denied: '抱歉，只有工会干部可以导入会员。',
  prompt:
    '请把会员名单作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n' +
    '第一行是表头：入会日期，以及 姓名 / 工号 / open_id 中的至少一列，可另加 部门。例如：\n' +
    '姓名,部门,入会日期\n张三,第一车间,2024-05-01\n' +
    '日期也可写 2024/5/1 或 2024年5月1日。每一行都会检查；只要有一行有问题，整份文件都不导入，并告诉您是哪几行。发送「取消」可退出。',
  maxBytes: IMPORT_MAX_BYTES,
  check(ctx, text) {
    const outbound = ctx.services.outbound
    const byEmployeeId = outbound.fetchUserByEmployeeId ? (id: string) => outbound.fetchUserByEmployeeId!(id) : undefined
    return checkImport(ctx.db, text, localDate(ctx.now(), ctx.config.timezone), byEmployeeId)
  },
  async apply(ctx, trx, rows) {
    for (const row of rows) await importMember(ctx, row, trx)
  },
  audit: { action: 'member.import.file', subjectType: 'member_import' },
  report: buildImportReportCard,
})

export const startMemberImport = (ctx: MessageContext): Promise<void> => MEMBER_IMPORT.start(ctx)

export function registerMemberImport(router: BotRouter): void {
  MEMBER_IMPORT.register(router)
}
