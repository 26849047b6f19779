// Who may vote in a poll, from the organisation (src/organisation: members and their departments; representatives
// with their 选区 and 届次) and, for the congress's items, the meeting's roll of checked-in representatives.
import type { Db } from '../db/schema.js'
import type { Poll } from './model.js'

/** Whether `openId` may vote in the poll. */
export async function mayVote(db: Db, poll: Pick<Poll, 'audience' | 'audienceValue' | 'meetingId'>, openId: string): Promise<boolean> {
  switch (poll.audience) {
    case 'all':
      return true
    case 'members':
      return !!(await db.selectFrom('members').select('open_id').where('open_id', '=', openId).where('status', '=', 'member').executeTakeFirst())
    case 'department':
      return !!(await db.selectFrom('members').select('open_id').where('open_id', '=', openId).where('status', '=', 'member').where('department', '=', poll.audienceValue ?? '').executeTakeFirst())
    case 'representatives':
      return !!(await db.selectFrom('proposal_representatives').select('open_id').where('open_id', '=', openId).where('removed_at', 'is', null).executeTakeFirst())
    case 'constituency':
      return !!(await db.selectFrom('proposal_representatives').select('open_id').where('open_id', '=', openId).where('removed_at', 'is', null).where('constituency', '=', poll.audienceValue ?? '').executeTakeFirst())
    case 'meeting':
      return !!(await db.selectFrom('congress_roll').select('open_id').where('meeting_id', '=', poll.meetingId ?? '0').where('open_id', '=', openId).where('checked_in', '=', true).executeTakeFirst())
    case 'electorate':
      return !!(await electorate(db, poll.audienceValue ?? '').where('open_id', '=', openId).select('open_id').executeTakeFirst())
  }
}

/**
 * How many may vote. 全体职工 has no list of every worker: the members on the roll stand in (the card says so,
 * QA F5), undefined when there are none.
 */
export async function eligibleCount(db: Db, poll: Pick<Poll, 'audience' | 'audienceValue' | 'meetingId'>): Promise<number | undefined> {
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await q.executeTakeFirstOrThrow()).n)
  switch (poll.audience) {
    case 'all': {
      const n = await count(db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'member'))
      return n > 0 ? n : undefined
    }
    case 'members':
      return count(db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'member'))
    case 'department':
      return count(db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'member').where('department', '=', poll.audienceValue ?? ''))
    case 'representatives':
      return count(db.selectFrom('proposal_representatives').select((eb) => eb.fn.countAll().as('n')).where('removed_at', 'is', null))
    case 'constituency':
      return count(db.selectFrom('proposal_representatives').select((eb) => eb.fn.countAll().as('n')).where('removed_at', 'is', null).where('constituency', '=', poll.audienceValue ?? ''))
    case 'meeting':
      return count(db.selectFrom('congress_roll').select((eb) => eb.fn.countAll().as('n')).where('meeting_id', '=', poll.meetingId ?? '0').where('checked_in', '=', true))
    case 'electorate':
      return count(electorate(db, poll.audienceValue ?? '').select((eb) => eb.fn.countAll().as('n')))
  }
}

/**
 * A constituency's workers (选区职工): the members on the roll whose 部门 belongs to it (constituency_departments,
 * set with 选区 设置); a constituency with no department set is the department of that name.
 */
export function electorate(db: Db, constituency: string) {
  return db
    .selectFrom('members')
    .where('status', '=', 'member')
    .where((eb) =>
      eb.or([
        eb('department', 'in', eb.selectFrom('constituency_departments').select('department').where('constituency', '=', constituency)),
        eb.and([eb.not(eb.exists(eb.selectFrom('constituency_departments').select('department').where('constituency', '=', constituency))), eb('department', '=', constituency)]),
      ]),
    )
}
