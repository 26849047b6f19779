// 学时 导入 and 书屋 导入: an officer starts it, then sends a CSV file privately (or sends the file first and picks the
// import on the offer card); every row is checked, and the file is taken whole (one transaction) or not at all, with
// a report of the refused rows (the shell is src/kit/csv-import.ts, as for 会员 导入).
import { buildLearningImportCard } from '../../cards/learning/hours.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { defineCsvImport } from '../../src/kit/csv-import.js'
import { IMPORT_MAX_BYTES, checkBooks, checkCredits, type BookRow, type CreditRow } from '../../src/learning/import.js'
import { addCredit, importDone, upsertBook } from '../../src/learning/store.js'
import { localDate } from '../../src/time.js'

export const CREDITS_IMPORT = defineCsvImport<CreditRow>({
  name: 'learning.credits',
  title: '学时导入',
  command: '学时 导入',
  roles: ['officer'],
  denied: '抱歉，只有工会干部可以导入。',
  prompt:
    '请把外部培训的学时作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n第一行是表头：姓名（或 open_id）、日期、学时、内容。例如：\n姓名,日期,学时,内容\n张三,2026-05-20,1.5,安全生产培训\n' +
    '学时可写 2、1.5 或 90分钟。每一行都会检查；只要有一行有问题，整份文件都不导入。发送「取消」可退出。',
  maxBytes: IMPORT_MAX_BYTES,
  check: (ctx, text) => checkCredits(ctx.db, text, localDate(ctx.now(), ctx.config.timezone)),
  async apply(ctx, trx, rows) {
    // A re-run of the same file's event finds its rows already there (import_event_id) and adds nothing.
    if (await importDone(trx, ctx.eventId)) return
    for (const r of rows) await addCredit(trx, { ...r, by: ctx.actorOpenId, eventId: ctx.eventId, at: ctx.now() })
  },
  audit: { action: 'learning.import', subjectType: 'learning_import' },
  report: (r) => buildLearningImportCard({ what: '学时', ...r }),
})

export const BOOKS_IMPORT = defineCsvImport<BookRow>({
  name: 'learning.books',
  title: '书目导入',
  command: '书屋 导入',
  roles: ['officer'],
  denied: '抱歉，只有工会干部可以导入。',
  prompt: '请把书目作为 CSV 文件发给我。第一行是表头：书名（必填）、作者、册数。例如：\n书名,作者,册数\n平凡的世界,路遥,3\n只要有一行有问题，整份文件都不导入。发送「取消」可退出。',
  maxBytes: IMPORT_MAX_BYTES,
  check: async (_ctx, text) => checkBooks(text),
  async apply(ctx, trx, rows) {
    for (const r of rows) await upsertBook(trx, { ...r, at: ctx.now() })
  },
  audit: { action: 'library.import', subjectType: 'learning_import' },
  report: (r) => buildLearningImportCard({ what: '书目', ...r }),
})

export function startImport(ctx: MessageContext, what: 'credits' | 'books'): Promise<void> {
  return (what === 'credits' ? CREDITS_IMPORT : BOOKS_IMPORT).start(ctx)
}

export function registerLearningImports(router: BotRouter): void {
  CREDITS_IMPORT.register(router)
  BOOKS_IMPORT.register(router)
}
