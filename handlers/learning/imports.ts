// 学时 导入 and 书屋 导入: an officer starts it, then sends a CSV file privately; every row is checked, and the file is
// taken whole (one transaction) or not at all, with a report of the refused rows (as 会员 导入 does).
import { buildLearningImportCard } from '../../cards/learning/hours.js'
import type { ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { csvFileOf, downloadCsvText } from '../../src/kit/csv-upload.js'
import type { Transaction } from 'kysely'
import type { Database } from '../../src/db/schema.js'
import { IMPORT_MAX_BYTES, checkBooks, checkCredits, type Refusal } from '../../src/learning/import.js'
import { addCredit, importDone, upsertBook } from '../../src/learning/store.js'
import { localDate } from '../../src/time.js'

type What = 'credits' | 'books'

const PROMPTS: Record<What, string> = {
  credits:
    '请把外部培训的学时作为 CSV 文件发给我（Excel 可「另存为 CSV UTF-8」）。\n第一行是表头：姓名（或 open_id）、日期、学时、内容。例如：\n姓名,日期,学时,内容\n张三,2026-05-20,1.5,安全生产培训\n' +
    '学时可写 2、1.5 或 90分钟。每一行都会检查；只要有一行有问题，整份文件都不导入。发送「取消」可退出。',
  books: '请把书目作为 CSV 文件发给我。第一行是表头：书名（必填）、作者、册数。例如：\n书名,作者,册数\n平凡的世界,路遥,3\n只要有一行有问题，整份文件都不导入。发送「取消」可退出。',
}

export const LEARNING_IMPORT = defineConversation<{ what: What }, 'file'>({
  name: 'learning.import',
  title: '导入',
  version: 1,
  initial: 'file',
  read: (d) => (d.what === 'credits' || d.what === 'books' ? { what: d.what } : undefined),
  outdated: '之前的导入已失效，请重新发送「学时 导入」或「书屋 导入」。',
  steps: {
    file: {
      prompt: async (ctx, d, note) => void (await ctx.say({ text: note && 'hint' in note ? `${note.hint}\n\n${PROMPTS[d.what]}` : PROMPTS[d.what] })),
      parse: (input, d) => {
        const file = csvFileOf(input)
        return 'hint' in file ? file : { run: (ctx) => runImport(ctx, d.what, file) }
      },
    },
  },
})

async function runImport(ctx: ConversationContext, what: What, file: { messageId: string; fileKey: string }): Promise<void> {
  if (!(await ctx.isOfficer())) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，只有工会干部可以导入。' }))
  }
  const text = await downloadCsvText(ctx, file, IMPORT_MAX_BYTES)
  if (text === undefined) return
  const now = ctx.now()
  if (what === 'credits') {
    const checked = await checkCredits(ctx.db, text, localDate(now, ctx.config.timezone))
    return take(ctx, '学时', checked, async (trx) => {
      // A re-run of the same file's event finds its rows already there (import_event_id) and adds nothing.
      if (await importDone(trx, ctx.eventId)) return
      for (const r of 'rows' in checked ? checked.rows : []) await addCredit(trx, { ...r, by: ctx.actorOpenId, eventId: ctx.eventId, at: now })
    })
  }
  const checked = checkBooks(text)
  return take(ctx, '书目', checked, async (trx) => {
    for (const r of 'rows' in checked ? checked.rows : []) await upsertBook(trx, { ...r, at: now })
  })
}

/** All rows in one transaction, or none when any was refused; then the report. */
async function take<R>(ctx: ConversationContext, what: '学时' | '书目', checked: { rows: R[]; refused: Refusal[]; total: number } | { error: string }, write: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  if ('error' in checked) return void (await ctx.say({ text: `${checked.error}请改正后重新发送文件，或发送「取消」。` }))
  if (checked.refused.length === 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await write(trx)
      await ctx.audit({ action: what === '学时' ? 'learning.import' : 'library.import', subjectType: 'learning_import', subjectId: ctx.eventId, detail: { rows: checked.rows.length } }, trx)
    })
  }
  await ctx.finish()
  await ctx.say({ card: buildLearningImportCard({ what, taken: checked.refused.length ? 0 : checked.rows.length, refused: checked.refused, total: checked.total }) })
  ctx.log.info({ eventId: ctx.eventId, rows: checked.total, refused: checked.refused.length }, 'learning import checked')
}

export async function startImport(ctx: MessageContext, what: What): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', `导入请私聊我发送「${what === 'credits' ? '学时 导入' : '书屋 导入'}」，再发送 CSV 文件。`)
  await LEARNING_IMPORT.start(ctx, { what })
  await ctx.reply({ text: PROMPTS[what] })
}

export function registerLearningImports(router: BotRouter): void {
  router.conversation(LEARNING_IMPORT)
}
