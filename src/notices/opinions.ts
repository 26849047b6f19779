// Workers' opinions on a notice: recorded without any link to an anonymous author (there is no sealed table to
// protect: the opinion row of an anonymous worker holds no open_id, name, chat, message or event id, and its date
// only), forwarded by an officer to the department responsible (the reply clock, 浙江省企业民主管理条例 Art. 19–23),
// answered by the department's contact, and the answer published under the notice.
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import { nextInSequence } from '../core/sequences.js'
import type { Machine } from '../kit/transition.js'
import { OPINION_TRANSITIONS, type PublishedReply } from './model.js'
import type { NoticeOpinionsTable, OpinionStatus } from './tables.js'

type Db = Kysely<Database> | Transaction<Database>
export type Opinion = Selectable<NoticeOpinionsTable>

export interface NewOpinion {
  noticeId: string
  body: string
  anonymous: boolean
  /** Named opinions only (an anonymous one is given none, and the table refuses one). */
  author?: { openId: string; name: string | null }
  submittedOn: string
  filingKey: string
  committeeDueAt: Date
}

/** Records the opinion, or finds the one this conversation already recorded (same filing key). */
export async function recordOpinion(db: Kysely<Database>, o: NewOpinion): Promise<Opinion> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('notice_opinions').selectAll().where('filing_key', '=', o.filingKey).executeTakeFirst()
    if (existing) return existing
    const seq = await nextInSequence(trx, `notice-opinion:${o.noticeId}`)
    return trx
      .insertInto('notice_opinions')
      .values({
        notice_id: o.noticeId,
        seq,
        body: o.body,
        anonymous: o.anonymous,
        author_open_id: o.anonymous ? null : (o.author?.openId ?? null),
        author_name: o.anonymous ? null : (o.author?.name ?? null),
        submitted_on: o.submittedOn,
        filing_key: o.filingKey,
        committee_due_at: o.committeeDueAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}

export async function findOpinion(db: Db, id: string): Promise<Opinion | undefined> {
  return db.selectFrom('notice_opinions').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockOpinion(trx: Transaction<Database>, id: string): Promise<Opinion | undefined> {
  return trx.selectFrom('notice_opinions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Opinions whose committee card is due and not yet posted, oldest first. */
export async function opinionsDueForCommittee(db: Db, now: Date, limit = 50): Promise<Opinion[]> {
  return db.selectFrom('notice_opinions').selectAll().where('committee_message_id', 'is', null).where('committee_due_at', '<=', now).orderBy('committee_due_at').orderBy('id').limit(limit).execute()
}

export async function setCommitteeMessage(db: Db, id: string, messageId: string): Promise<void> {
  await db.updateTable('notice_opinions').set({ committee_message_id: messageId }).where('id', '=', id).execute()
}

export const OPINION_MACHINE: Machine<Opinion, OpinionStatus> = {
  subject: 'notice_opinion',
  table: OPINION_TRANSITIONS,
  status: (o) => o.status,
  subjectId: (o) => `${o.notice_id}#${o.seq}`,
}

export async function markForwarded(
  trx: Transaction<Database>,
  id: string,
  f: { department: string; contactOpenId: string; summary: string | null; by: string; at: Date; dueAt: Date; eventId: string },
): Promise<Opinion> {
  return trx
    .updateTable('notice_opinions')
    .set({ status: 'forwarded', department: f.department, contact_open_id: f.contactOpenId, public_summary: f.summary, forwarded_by: f.by, forwarded_at: f.at, reply_due_at: f.dueAt, forwarded_event_id: f.eventId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function markAnswered(trx: Transaction<Database>, id: string, r: { reply: string; by: string; at: Date; eventId: string }): Promise<Opinion> {
  return trx
    .updateTable('notice_opinions')
    .set({ status: 'answered', reply: r.reply, replied_by: r.by, replied_at: r.at, replied_event_id: r.eventId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The answers published under a notice, oldest first: the department, the officer's summary and the reply. */
export async function publishedReplies(db: Db, noticeId: string): Promise<PublishedReply[]> {
  const rows = await db
    .selectFrom('notice_opinions')
    .select(['seq', 'department', 'public_summary', 'reply', 'replied_at'])
    .where('notice_id', '=', noticeId)
    .where('status', '=', 'answered')
    .orderBy('replied_at')
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({ seq: r.seq, department: r.department ?? '', summary: r.public_summary ?? undefined, reply: r.reply ?? '', repliedAt: r.replied_at! }))
}

/** Bumps the notice's version so its live cards show a new answer. */
export async function bumpNotice(trx: Db, noticeId: string): Promise<void> {
  await trx.updateTable('notices').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', noticeId).execute()
}

/** Forwarded opinions past their reply deadline and still unanswered, oldest deadline first. */
export async function overdueOpinions(db: Db, now: Date): Promise<Opinion[]> {
  return db.selectFrom('notice_opinions').selectAll().where('status', '=', 'forwarded').where('reply_due_at', '<', now).orderBy('reply_due_at').orderBy('id').limit(100).execute()
}

/** A notice's opinions the committee has already been shown (an anonymous one only after its delay), not yet answered. */
export async function openOpinionsOf(db: Db, noticeId: string, limit: number): Promise<Opinion[]> {
  return db.selectFrom('notice_opinions').selectAll().where('notice_id', '=', noticeId).where('committee_message_id', 'is not', null).where('status', '!=', 'answered').orderBy('seq').limit(limit).execute()
}
