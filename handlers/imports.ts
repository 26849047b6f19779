// A file sent before its import's command (QA F13): instead of the menu, the sender is told the file arrived and
// offered the imports their roles allow, one button each; the file is remembered for a while, and the button imports
// that very file without sending it again (src/kit/csv-import.ts runs it). People who may import nothing get the
// usual answers.
import { buildFileOfferCard } from '../cards/imports.js'
import type { BotRouter } from '../src/dispatch/router.js'
import { OFFERED_FILE_SECONDS, rememberOfferedFile, takeOfferedFile } from '../src/kit/csv-import.js'
import { CSV_IMPORT_OFFERED } from '../src/kit/csv-import-actions.js'
import { isCsvName } from '../src/kit/csv-upload.js'

const MINUTES = Math.round(OFFERED_FILE_SECONDS / 60)
/** Spreadsheets people save their lists in (Excel, WPS, Numbers): told to save them as CSV. */
const SPREADSHEET = /\.(xlsx|xlsm|xls|et|ods|numbers)$/i

export function registerImports(router: BotRouter): void {
  router.fileFirst(async (ctx, file) => {
    const allowed = []
    for (const i of router.listFileImports()) if (await ctx.services.roles.hasAny(ctx.actorOpenId, i.roles)) allowed.push({ name: i.name, title: i.title })
    if (allowed.length === 0) return false
    const fileName = file.name ?? ''
    if (!isCsvName(file.name)) {
      // A spreadsheet that is not a CSV was meant for an import: say how to save it. Any other file (a PDF, a photo
      // of the list) is not the imports' business: the usual answers.
      if (!SPREADSHEET.test(fileName)) return false
      await ctx.reply({ card: buildFileOfferCard({ fileName, messageId: ctx.message.messageId, imports: [], minutes: MINUTES, notCsv: true }) })
      return true
    }
    await rememberOfferedFile(ctx, { messageId: ctx.message.messageId, fileKey: file.key, ...(file.name ? { name: file.name } : {}) })
    await ctx.reply({ card: buildFileOfferCard({ fileName, messageId: ctx.message.messageId, imports: allowed, minutes: MINUTES }) })
    return true
  })

  // Registered after every feature (handlers/index.ts): anyone who may run none of the imports is refused by the
  // dispatcher's role check (and the authorization matrix tries it); each import's own roles are checked below.
  const anyImport = [...new Set(router.listFileImports().flatMap((i) => i.roles))]
  router.action(CSV_IMPORT_OFFERED, {
    ...(anyImport.length ? { roles: anyImport } : {}),
    async handle(ctx, p) {
      const runner = router.findFileImport(p.import)
      if (!runner) return { toast: { type: 'warning', content: '该按钮已失效，请重新发送文件。' } }
      if (!(await ctx.services.roles.hasAny(ctx.actorOpenId, runner.roles))) return { toast: { type: 'error', content: runner.denied } }
      const file = await takeOfferedFile(ctx, p.m)
      if (file === 'gone') return { toast: { type: 'warning', content: `文件已超过 ${MINUTES} 分钟或已被新文件替换，请重新发送文件。` } }
      if (file === 'taken') return { toast: { type: 'info', content: '这份文件已经选过导入项了，结果已私聊发给您。' } }
      // Downloading and checking may take longer than the 3 s answer: done after it, the report sent privately.
      ctx.defer(() => runner.run(ctx, (content) => ctx.sendToUser(ctx.actorOpenId, content), file))
      return {
        toast: { type: 'info', content: `正在${runner.title}…` },
        card: buildFileOfferCard({ fileName: file.name ?? '', messageId: p.m, imports: [], minutes: MINUTES, chosen: runner.title }),
      }
    },
  })
}
