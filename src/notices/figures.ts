// The figures 厂务公开 notices contribute to the 月报 / 季报 (issue #15): notices published, the share of the members
// asked to confirm reading who did, opinions received, and management's replies within the 30 days of
// 浙江省企业民主管理条例 Art. 23 (NOTICE_REPLY_DAYS). Counts only: never titles, opinions, replies or who read.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'

export interface NoticeFigures {
  /** Notices published in the period (withdrawn ones included: they were published). */
  published: number
  /** Of the notices published in the period that ask for confirmation: the members asked and those who confirmed. */
  readAsked: number
  readConfirmed: number
  /** Opinions received on the period's local days. */
  opinions: number
  /** Replies published in the period, and those within their reply deadline. */
  replies: number
  repliesOnTime: number
}

/** Over [from, to) for timestamps and the local days [fromDate, untilDate) for the opinions' dates. */
export async function noticeFigures(db: Db, q: { from: Date; to: Date; fromDate: string; untilDate: string }): Promise<NoticeFigures> {
  const r = await sql<NoticeFigures>`
    select
      (select count(*)::int from notices where created_at >= ${q.from} and created_at < ${q.to}) as "published",
      (select count(*)::int from notice_recipients r join notices n on n.id = r.notice_id
        where n.confirm_reading and n.created_at >= ${q.from} and n.created_at < ${q.to}) as "readAsked",
      (select count(*)::int from notice_recipients r join notices n on n.id = r.notice_id
        where n.confirm_reading and n.created_at >= ${q.from} and n.created_at < ${q.to}
          and exists (select 1 from notice_reads d where d.notice_id = r.notice_id and d.open_id = r.open_id)) as "readConfirmed",
      (select count(*)::int from notice_opinions where submitted_on >= ${q.fromDate} and submitted_on < ${q.untilDate}) as "opinions",
      (select count(*)::int from notice_opinions where replied_at >= ${q.from} and replied_at < ${q.to}) as "replies",
      (select count(*)::int from notice_opinions where replied_at >= ${q.from} and replied_at < ${q.to} and replied_at <= reply_due_at) as "repliesOnTime"`.execute(db)
  return r.rows[0]!
}
