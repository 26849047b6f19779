// Files attached to a notice: kept as the message and file key the officer sent them in; fetched again from Feishu
// when someone asks (查看附件) and re-sent privately. The fetch uses outbound's downloadMessageFile for now — it
// should move onto the kit's evidence module (src/kit/evidence.ts, fetch + re-upload) once that lands.
import type { Database, Db } from '../db/schema.js'
import type { Transaction } from 'kysely'
import type { OutboundPort } from '../feishu/outbound-port.js'
import { NOTICE_ATTACHMENT_LIMITS } from './model.js'

export interface NoticeAttachment {
  seq: number
  messageId: string
  fileKey: string
  name: string
}

export async function attachmentsOf(db: Db, noticeId: string): Promise<NoticeAttachment[]> {
  const rows = await db.selectFrom('notice_attachments').selectAll().where('notice_id', '=', noticeId).orderBy('seq').execute()
  return rows.map((r) => ({ seq: r.seq, messageId: r.message_id, fileKey: r.file_key, name: r.file_name }))
}

/** Adds files (a file already attached is skipped), up to the limit; bumps the notice so its cards show them. */
export async function addAttachments(trx: Transaction<Database>, noticeId: string, files: Array<{ messageId: string; fileKey: string; name: string }>, by: { openId: string; at: Date }): Promise<number> {
  const have = await trx.selectFrom('notice_attachments').select(['seq', 'file_key']).where('notice_id', '=', noticeId).forUpdate().execute()
  let seq = Math.max(0, ...have.map((h) => h.seq))
  let added = 0
  for (const f of files) {
    if (have.length + added >= NOTICE_ATTACHMENT_LIMITS.files) break
    if (have.some((h) => h.file_key === f.fileKey)) continue
    const row = await trx
      .insertInto('notice_attachments')
      .values({ notice_id: noticeId, seq: ++seq, message_id: f.messageId, file_key: f.fileKey, file_name: f.name, added_by: by.openId, added_at: by.at })
      .onConflict((oc) => oc.columns(['notice_id', 'file_key']).doNothing())
      .returning('seq')
      .executeTakeFirst()
    if (row) added++
  }
  if (added) await trx.updateTable('notices').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', noticeId).execute()
  return added
}

/** The file's bytes, fetched again from the message the officer sent it in (at most Feishu's 30 MB upload). */
export function fetchAttachment(outbound: OutboundPort, a: NoticeAttachment): Promise<Buffer> {
  return outbound.downloadMessageFile(a.messageId, a.fileKey, NOTICE_ATTACHMENT_LIMITS.maxBytes)
}
