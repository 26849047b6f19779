// Notice records: publishing (with the first version and who is asked to confirm reading), corrections as new
// versions, withdrawal, read confirmations and their figures, and the once-only deliveries (src/kit/periodic.ts).
// Opinions are in opinions.ts.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import { nextInSequence } from '../core/sequences.js'
import { claimOnce, type ClaimLedger } from '../kit/periodic.js'
import type { Machine } from '../kit/transition.js'
import { NOTICE_NUMBER, NOTICE_TRANSITIONS, type RollEntry } from './model.js'
import type { NoticeAudience, NoticeDeliveriesTable, NoticeRevisionsTable, NoticesTable, NoticeStatus } from './tables.js'

export type Db = Kysely<Database> | Transaction<Database>
export type Notice = Selectable<NoticesTable>
export type NoticeRevision = Selectable<NoticeRevisionsTable>

export interface NewNotice {
  title: string
  body: string
  category: string
  audience: NoticeAudience
  chatIds: string[]
  confirmReading: boolean
  opinionsUntil: Date | undefined
  createdBy: string
  createdAt: Date
  eventId: string
  sourceMessageId: string | undefined
}

/** Publishes the notice with the next number, its first version and, when reading is to be confirmed, its recipients. */
export async function createNotice(trx: Transaction<Database>, n: NewNotice): Promise<Notice> {
  const seqNo = await nextInSequence(trx, 'notice')
  const notice = await trx
    .insertInto('notices')
    .values({
      seq_no: seqNo,
      number: NOTICE_NUMBER.format(seqNo),
      title: n.title,
      body: n.body,
      category: n.category,
      audience: n.audience,
      chat_ids: JSON.stringify(n.chatIds),
      confirm_reading: n.confirmReading,
      opinions_until: n.opinionsUntil ?? null,
      created_by: n.createdBy,
      created_at: n.createdAt,
      created_event_id: n.eventId,
      source_message_id: n.sourceMessageId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('notice_revisions')
    .values({ notice_id: notice.id, revision: 1, title: n.title, body: n.body, category: n.category, change_note: null, by_open_id: n.createdBy, at: n.createdAt, event_id: n.eventId })
    .execute()
  if (n.confirmReading) {
    // The members at publication, with their department then: the figures of 公开 阅读 do not move as people transfer.
    await sql`insert into notice_recipients (notice_id, open_id, department)
      select ${notice.id}, open_id, department from members where status = 'member'
      on conflict do nothing`.execute(trx)
  }
  return notice
}

export async function findNotice(db: Db, id: string): Promise<Notice | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findNoticeBySeqNo(db: Db, seqNo: number): Promise<Notice | undefined> {
  return db.selectFrom('notices').selectAll().where('seq_no', '=', seqNo).executeTakeFirst()
}

export async function findNoticeBySourceMessage(db: Db, messageId: string): Promise<Notice | undefined> {
  return db.selectFrom('notices').selectAll().where('source_message_id', '=', messageId).executeTakeFirst()
}

export async function lockNotice(trx: Transaction<Database>, id: string): Promise<Notice | undefined> {
  return trx.selectFrom('notices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Notices under the kit's transition(), audited by number (N-012). */
export const NOTICE_MACHINE: Machine<Notice, NoticeStatus> = {
  subject: 'notice',
  table: NOTICE_TRANSITIONS,
  status: (n) => n.status,
  subjectId: (n) => n.number,
}

export async function markWithdrawn(trx: Transaction<Database>, id: string, by: { openId: string; at: Date; reason: string; eventId: string }): Promise<Notice> {
  return trx
    .updateTable('notices')
    .set((eb) => ({ status: 'withdrawn', withdrawn_at: by.at, withdrawn_by: by.openId, withdraw_reason: by.reason || null, withdrawn_event_id: by.eventId, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The version a given event made, if any (a re-run of a correction finds its own). */
export async function revisionByEvent(db: Db, noticeId: string, eventId: string): Promise<NoticeRevision | undefined> {
  return db.selectFrom('notice_revisions').selectAll().where('notice_id', '=', noticeId).where('event_id', '=', eventId).executeTakeFirst()
}

/** A correction: a new version (the old ones stay), the notice showing it from now on. Under the notice's row lock. */
export async function addRevision(
  trx: Transaction<Database>,
  n: Notice,
  c: { title: string; body: string; category: string; note: string; by: string; at: Date; eventId: string },
): Promise<Notice> {
  const revision = n.revision + 1
  await trx
    .insertInto('notice_revisions')
    .values({ notice_id: n.id, revision, title: c.title, body: c.body, category: c.category, change_note: c.note, by_open_id: c.by, at: c.at, event_id: c.eventId })
    .execute()
  return trx
    .updateTable('notices')
    .set((eb) => ({ title: c.title, body: c.body, category: c.category, revision, version: eb('version', '+', 1) }))
    .where('id', '=', n.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The last two versions (newest first): a correction card shows what changed from the one before. */
export async function latestRevisions(db: Db, noticeId: string): Promise<NoticeRevision[]> {
  return db.selectFrom('notice_revisions').selectAll().where('notice_id', '=', noticeId).orderBy('revision', 'desc').limit(2).execute()
}

/** Published notices, newest first, of one category or all. */
export async function listNotices(db: Db, opts: { category?: string; limit: number; includeWithdrawn?: boolean }): Promise<Notice[]> {
  let q = db.selectFrom('notices').selectAll()
  if (!opts.includeWithdrawn) q = q.where('status', '=', 'published')
  if (opts.category) q = q.where('category', '=', opts.category)
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute()
}

// ---- read confirmations ----

/** Records that `openId` confirmed reading; false when they already had. Bumps the count the cards show. */
export async function confirmRead(db: Kysely<Database>, noticeId: string, openId: string, at: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('notice_reads').values({ notice_id: noticeId, open_id: openId, read_at: at }).onConflict((oc) => oc.columns(['notice_id', 'open_id']).doNothing()).returning('open_id').executeTakeFirst()
    if (!row) return false
    await trx
      .updateTable('notices')
      .set((eb) => ({ read_count: eb('read_count', '+', 1), version: eb('version', '+', 1) }))
      .where('id', '=', noticeId)
      .execute()
    return true
  })
}

export async function hasRead(db: Db, noticeId: string, openId: string): Promise<boolean> {
  return (await db.selectFrom('notice_reads').select('open_id').where('notice_id', '=', noticeId).where('open_id', '=', openId).executeTakeFirst()) !== undefined
}

/** The recipients at publication, each with whether they confirmed; and how many confirmed without being one. */
export async function readRoll(db: Db, noticeId: string): Promise<{ roll: RollEntry[]; othersConfirmed: number }> {
  const { rows } = await sql<{ open_id: string; department: string | null; confirmed: boolean }>`
    select r.open_id, r.department, (d.open_id is not null) as confirmed
    from notice_recipients r left join notice_reads d on d.notice_id = r.notice_id and d.open_id = r.open_id
    where r.notice_id = ${noticeId} order by r.open_id`.execute(db)
  const others = await sql<{ n: string }>`
    select count(*) as n from notice_reads d
    where d.notice_id = ${noticeId} and not exists (select 1 from notice_recipients r where r.notice_id = d.notice_id and r.open_id = d.open_id)`.execute(db)
  return { roll: rows.map((r) => ({ openId: r.open_id, department: r.department, confirmed: r.confirmed === true || String(r.confirmed) === 'true' })), othersConfirmed: Number(others.rows[0]?.n ?? 0) }
}

/** Recipients who have not confirmed reading, with their names as the member roll has them. */
export async function unconfirmedRecipients(db: Db, noticeId: string): Promise<Array<{ openId: string; name: string; department: string | null }>> {
  const { rows } = await sql<{ open_id: string; name: string | null; department: string | null }>`
    select r.open_id, m.name, r.department from notice_recipients r
    left join members m on m.open_id = r.open_id
    where r.notice_id = ${noticeId} and not exists (select 1 from notice_reads d where d.notice_id = r.notice_id and d.open_id = r.open_id)
    order by r.department nulls last, m.name, r.open_id`.execute(db)
  return rows.map((r) => ({ openId: r.open_id, name: r.name ?? '（未登记姓名）', department: r.department }))
}

/** The open_ids a notice for all members goes to: every member now. */
export async function memberOpenIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('members').select('open_id').where('status', '=', 'member').orderBy('open_id').execute()).map((r) => r.open_id)
}

/** Published notices asking for confirmation whose read reminder has not been sent. */
export async function noticesAwaitingReminder(db: Db): Promise<Notice[]> {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('status', '=', 'published')
    .where('confirm_reading', '=', true)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('notice_deliveries').select('ref').where('kind', '=', 'read-reminder').where('sent_at', 'is not', null).whereRef('ref', '=', sql`notices.id::text`))))
    .orderBy('id')
    .execute()
}

// ---- once-only deliveries ----

const DELIVERY_LEDGER: ClaimLedger = { table: 'notice_deliveries', keyColumns: ['kind', 'ref'], unfinished: sql`notice_deliveries.sent_at is null` }

export type DeliveryKind = NoticeDeliveriesTable['kind']

/** Claims a once-only delivery for this run: false when it was sent or another run holds it. */
export async function claimDelivery(db: Db, kind: DeliveryKind, ref: string, now: Date, leaseMs: number): Promise<boolean> {
  return (await claimOnce(db, DELIVERY_LEDGER, { kind, ref }, { now, leaseMs })) !== undefined
}

export async function markDelivered(db: Db, kind: DeliveryKind, ref: string, at: Date): Promise<void> {
  await db.updateTable('notice_deliveries').set({ sent_at: at }).where('kind', '=', kind).where('ref', '=', ref).execute()
}
