// Receiving a CSV file in a private conversation (会员 导入, 慰问 名单 导入, 学时 导入, 书屋 导入): the step's check that a
// file came, and its download as text (parsing is src/kit/csv.ts's). Sizes are the caller's (Feishu's message-resource API serves the file; docs/feishu-platform.md).
import type { BaseContext, ConversationInput } from '../dispatch/context.js'
import type { OutgoingContent } from '../feishu/outbound.js'
import type { Attachment } from '../feishu/updates.js'
import { UserFacingError } from '../errors.js'

/** A file a person sent: the message it came in and Feishu's file_key (both needed to download it), its name. */
export interface ReceivedFile {
  messageId: string
  fileKey: string
  name?: string
}

/** Whether a file's name is one an import reads (.csv, or .txt as some exports name it); a nameless file may be. */
export const isCsvName = (name: string | undefined): boolean => !name || /\.(csv|txt)$/i.test(name)

/** Said for a file that is not a CSV (an .xlsx, a photo of the list). */
export const NOT_CSV = '只能导入 CSV 文件（.csv）：在 Excel 里「另存为」→「CSV UTF-8（逗号分隔）」后再发给我。'

/** The file of a message's attachments, or the hint to re-ask with (not a file, not a .csv). */
export function receivedFileOf(attachments: readonly Attachment[], messageId: string | undefined): ReceivedFile | { hint: string } {
  const file = attachments.find((a) => a.kind === 'file')
  if (!file || !messageId) return { hint: '请发送 CSV 文件。' }
  if (!isCsvName(file.name)) return { hint: NOT_CSV }
  return { messageId, fileKey: file.key, ...(file.name ? { name: file.name } : {}) }
}

/** The file a step's answer carries, or the hint to re-ask with (not a file, not a .csv). */
export function csvFileOf(input: ConversationInput): ReceivedFile | { hint: string } {
  return receivedFileOf(input.attachments, input.messageId)
}

/**
 * The file as text; undefined when it could not be had (too large: the person has been told why). UTF-8 (with or
 * without a BOM) first; a file that is not valid UTF-8 is read as GB18030, the superset of GBK that Excel's plain
 * 「CSV（逗号分隔）」 writes on a Chinese Windows, so the officer need not know what an encoding is (QA finding F12).
 */
export async function downloadCsvText(ctx: BaseContext, tell: (content: OutgoingContent) => Promise<unknown>, file: ReceivedFile, maxBytes: number): Promise<string | undefined> {
  let data: Buffer
  try {
    data = await ctx.services.outbound.downloadMessageFile(file.messageId, file.fileKey, maxBytes)
  } catch (err) {
    if (err instanceof UserFacingError) return void (await tell({ text: err.userMessage }))
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
