// The file step every import shares (会员 导入, 学时 导入, 书屋 导入): the answer must be a CSV file sent privately, and
// its text is fetched from Feishu (message resource, at most maxBytes) and read as UTF-8. Parsing is src/kit/csv.ts's.
import type { ConversationContext, ConversationInput } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'

/** The CSV file an import step was answered with, or the hint to re-ask with. */
export function csvFileOf(input: ConversationInput): { messageId: string; fileKey: string } | { hint: string } {
  const file = input.attachments.find((a) => a.kind === 'file')
  if (!file || !input.messageId) return { hint: '请发送 CSV 文件。' }
  if (file.name && !/\.(csv|txt)$/i.test(file.name)) return { hint: '只能导入 CSV 文件（.csv）。' }
  return { messageId: input.messageId, fileKey: file.key }
}

/** The file's text; undefined when Feishu refused it politely (too large: the person was told, the step stays). */
export async function fetchCsvText(ctx: ConversationContext, file: { messageId: string; fileKey: string }, maxBytes: number): Promise<string | undefined> {
  try {
    const data = await ctx.services.outbound.downloadMessageFile(file.messageId, file.fileKey, maxBytes)
    return new TextDecoder('utf-8', { fatal: false }).decode(data)
  } catch (err) {
    if (err instanceof UserFacingError) return void (await ctx.say({ text: err.userMessage }))
    throw err
  }
}
