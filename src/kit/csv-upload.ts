// Receiving a CSV file in a private conversation (会员 导入, 慰问 名单 导入, 学时 导入, 书屋 导入): the step's check that a
// file came, and its download as text (parsing is src/kit/csv.ts's). Sizes are the caller's (Feishu's message-resource API serves the file; docs/feishu-platform.md).
import type { ConversationContext, ConversationInput } from '../dispatch/context.js'
import { UserFacingError } from '../errors.js'

/** The file a step's answer carries, or the hint to re-ask with (not a file, not a .csv). */
export function csvFileOf(input: ConversationInput): { messageId: string; fileKey: string } | { hint: string } {
  const file = input.attachments.find((a) => a.kind === 'file')
  if (!file || !input.messageId) return { hint: '请发送 CSV 文件。' }
  if (file.name && !/\.(csv|txt)$/i.test(file.name)) return { hint: '只能导入 CSV 文件（.csv）。' }
  return { messageId: input.messageId, fileKey: file.key }
}

/**
 * The file as text; undefined when it could not be had (too large: the person has been told why). UTF-8 (with or
 * without a BOM) first; a file that is not valid UTF-8 is read as GB18030, the superset of GBK that Excel's plain
 * 「CSV（逗号分隔）」 writes on a Chinese Windows, so the officer need not know what an encoding is (QA finding F12).
 */
export async function downloadCsvText(ctx: ConversationContext, file: { messageId: string; fileKey: string }, maxBytes: number): Promise<string | undefined> {
  let data: Buffer
  try {
    data = await ctx.services.outbound.downloadMessageFile(file.messageId, file.fileKey, maxBytes)
  } catch (err) {
    if (err instanceof UserFacingError) return void (await ctx.say({ text: err.userMessage }))
    throw err
  }
  return decodeCsvBytes(data)
}

export function decodeCsvBytes(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data)
  } catch {
    return new TextDecoder('gb18030').decode(data)
  }
}
