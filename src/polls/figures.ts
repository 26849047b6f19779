// The figures polls and the congress's votes contribute to the 月报 / 季报: polls closed in the period with their
// ballots, and congress meetings with their items and how many passed (赞成 > the pass share of ALL the term's
// representatives, CONGRESS_PASS_SHARE). Counts only: nothing about any ballot.
import { sql } from 'kysely'
import type { Db } from '../db/schema.js'
import type { DemocracyFigures, Share } from './model.js'

/** Over [from, to); undefined when nothing was voted on in it (the report then leaves the section out). */
export async function democracyFigures(db: Db, from: Date, to: Date, passShare: Share): Promise<DemocracyFigures | undefined> {
  const r = await sql<{ polls: number; ballots: number; meetings: number; items: number; passed: number }>`
    select
      (select count(*)::int from polls where kind = 'poll' and status = 'closed' and closed_at >= ${from} and closed_at < ${to}) as polls,
      (select coalesce(sum(voted_count), 0)::int from polls where kind = 'poll' and status = 'closed' and closed_at >= ${from} and closed_at < ${to}) as ballots,
      (select count(*)::int from congress_meetings where status = 'closed' and closed_at >= ${from} and closed_at < ${to}) as meetings,
      (select count(*)::int from polls where kind = 'congress' and status = 'closed' and closed_at >= ${from} and closed_at < ${to}) as items,
      (select count(*)::int from polls p
         join congress_meetings m on m.id = p.meeting_id
         join poll_tallies t on t.poll_id = p.id and t.option_no = 0
         where p.kind = 'congress' and p.status = 'closed' and p.closed_at >= ${from} and p.closed_at < ${to}
           and t.votes * ${passShare.den} > ${passShare.num} * m.expected_count) as passed`.execute(db)
  const row = r.rows[0]!
  if (row.polls === 0 && row.meetings === 0 && row.items === 0) return undefined
  return { polls: row.polls, ballots: row.ballots, meetings: row.meetings, items: row.items, passed: row.passed }
}
