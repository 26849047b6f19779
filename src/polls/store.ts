// Poll records: creating polls, casting ballots (one vote each, secret for anonymous polls), counting, closing.
// The secret ballot (docs/democracy.md#secret-ballots): a vote writes the voter row (who) and the tally (what) in
// one transaction — so a vote is never lost nor counted twice — but no row or column joins them; sealVotes() then
// rewrites every voter row and every tally row of the poll in one statement batch, so even Postgres's own
// transaction ids (xmin) no longer pair a voter with the options their vote changed.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database, Db } from '../db/schema.js'
import { nextInSequence } from '../core/sequences.js'
import type { Machine } from '../kit/transition.js'
import { POLL_TRANSITIONS, pollNumber, type Audience, type Poll, type PollStatus } from './model.js'
import type { PollsTable } from './tables.js'

export function toPoll(r: Selectable<PollsTable>): Poll {
  return {
    id: String(r.id),
    seqNo: r.seq_no,
    number: r.number,
    kind: r.kind === 'congress' || r.kind === 'election' ? r.kind : 'poll',
    title: r.title,
    options: r.options,
    multiple: r.multiple,
    anonymous: r.anonymous,
    audience: r.audience as Audience,
    audienceValue: r.audience_value ?? undefined,
    closesAt: r.closes_at ?? undefined,
    resultsLive: r.results_live,
    freeQuestion: r.free_question ?? undefined,
    status: r.status as PollStatus,
    votedCount: r.voted_count,
    eligibleCount: r.eligible_count ?? undefined,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    createdEventId: r.created_event_id,
    originChatId: r.origin_chat_id ?? undefined,
    closedAt: r.closed_at ?? undefined,
    closedEventId: r.closed_event_id ?? undefined,
    openedEventId: r.opened_event_id ?? undefined,
    meetingId: r.meeting_id === null ? undefined : String(r.meeting_id),
  }
}

export interface NewPoll {
  kind: 'poll' | 'congress' | 'election'
  title: string
  options: string[]
  multiple: boolean
  anonymous: boolean
  audience: Audience
  audienceValue: string | undefined
  closesAt: Date | undefined
  resultsLive: boolean
  freeQuestion: string | undefined
  status: 'draft' | 'open'
  createdBy: string
  createdAt: Date
  eventId: string
  sourceMessageId: string | undefined
  originChatId: string | undefined
  meetingId: string | undefined
}

/** Creates the poll with the next V- number, and (anonymous) a zero tally per option and an empty answer box. */
export async function createPoll(trx: Transaction<Database>, p: NewPoll): Promise<Poll> {
  const seq = await nextInSequence(trx, 'poll')
  const row = await trx
    .insertInto('polls')
    .values({
      seq_no: seq,
      number: pollNumber(seq),
      kind: p.kind,
      title: p.title,
      options: JSON.stringify(p.options),
      multiple: p.multiple,
      anonymous: p.anonymous,
      audience: p.audience,
      audience_value: p.audienceValue ?? null,
      closes_at: p.closesAt ?? null,
      results_live: p.resultsLive,
      free_question: p.freeQuestion ?? null,
      status: p.status,
      eligible_count: null,
      created_by: p.createdBy,
      created_at: p.createdAt,
      created_event_id: p.eventId,
      source_message_id: p.sourceMessageId ?? null,
      origin_chat_id: p.originChatId ?? null,
      opened_at: p.status === 'open' ? p.createdAt : null,
      opened_event_id: p.status === 'open' ? p.eventId : null,
      closed_at: null,
      closed_by: null,
      closed_event_id: null,
      meeting_id: p.meetingId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  if (p.anonymous) {
    await trx.insertInto('poll_tallies').values(p.options.map((_, i) => ({ poll_id: row.id, option_no: i, votes: 0 }))).execute()
    await trx.insertInto('poll_free_answers').values({ poll_id: row.id, answers: '[]' }).execute()
  }
  return toPoll(row)
}

export async function findPoll(db: Db, id: string): Promise<Poll | undefined> {
  const r = await db.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toPoll(r) : undefined
}

export async function findPollBySeq(db: Db, seq: number): Promise<Poll | undefined> {
  const r = await db.selectFrom('polls').selectAll().where('seq_no', '=', seq).executeTakeFirst()
  return r ? toPoll(r) : undefined
}

export async function findPollBySourceMessage(db: Db, messageId: string): Promise<Poll | undefined> {
  const r = await db.selectFrom('polls').selectAll().where('source_message_id', '=', messageId).executeTakeFirst()
  return r ? toPoll(r) : undefined
}

export async function lockPoll(trx: Transaction<Database>, id: string): Promise<Poll | undefined> {
  const r = await trx.selectFrom('polls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  return r ? toPoll(r) : undefined
}

export async function pollsOfMeeting(db: Db, meetingId: string): Promise<Poll[]> {
  const rows = await db.selectFrom('polls').selectAll().where('meeting_id', '=', meetingId).orderBy('seq_no').execute()
  return rows.map(toPoll)
}

export type VoteOutcome = 'voted' | 'changed' | 'same' | 'already' | 'closed' | 'not_open' | 'not_found'

/**
 * Casts one ballot under the poll's row lock (so the count is exact and closing never races a vote). Anonymous
 * (castSecretBallot): the voter row and the tally increments commit together; a second ballot is refused
 * ('already': final). Named: the ballot may be changed until closing.
 */
export async function castVote(db: Kysely<Database>, v: { pollId: string; openId: string; choices: number[]; answer: string | undefined; now: Date }): Promise<{ outcome: VoteOutcome; poll?: Poll }> {
  const secret = await castSecretBallot(db, v)
  if (secret) return { outcome: secret }
  const run = async (trx: Transaction<Database>) => {
    const poll = await lockPoll(trx, v.pollId)
    if (!poll) return { outcome: 'not_found' as const }
    if (poll.status === 'draft') return { outcome: 'not_open' as const, poll }
    if (poll.status === 'closed' || (poll.closesAt && v.now >= poll.closesAt)) return { outcome: 'closed' as const, poll }
    // Secret ballots never get here (castSecretBallot); a poll's kind never changes.
    if (poll.anonymous) throw new Error('castVote: a secret ballot must go through castSecretBallot')
    const inserted = await trx.insertInto('poll_voters').values({ poll_id: poll.id, open_id: v.openId }).onConflict((oc) => oc.columns(['poll_id', 'open_id']).doNothing()).returning('open_id').executeTakeFirst()
    const choices = JSON.stringify([...new Set(v.choices)].sort((a, b) => a - b))
    const before = await trx.selectFrom('poll_named_ballots').select(['choices', 'answer']).where('poll_id', '=', poll.id).where('open_id', '=', v.openId).executeTakeFirst()
    if (before && JSON.stringify(before.choices) === choices && (before.answer ?? undefined) === v.answer) return { outcome: 'same' as const, poll }
    await trx
      .insertInto('poll_named_ballots')
      .values({ poll_id: poll.id, open_id: v.openId, choices, answer: v.answer ?? null, changed_at: v.now })
      .onConflict((oc) => oc.columns(['poll_id', 'open_id']).doUpdateSet({ choices, answer: v.answer ?? null, changed_at: v.now }))
      .execute()
    if (!inserted) {
      if (poll.resultsLive) await trx.updateTable('polls').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', poll.id).execute()
      return { outcome: 'changed' as const, poll }
    }
    const after = await trx
      .updateTable('polls')
      .set((eb) => ({ voted_count: eb('voted_count', '+', 1), version: eb('version', '+', 1) }))
      .where('id', '=', poll.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return { outcome: 'voted' as const, poll: toPoll(after) }
  }
  return db.transaction().execute(run)
}

/**
 * A secret ballot in ONE statement (one round trip, so the poll's row lock is held for microseconds during a rush):
 * lock the poll, add the voter (one vote each: the primary key), and only if that row is new, increment the chosen
 * tallies, put the answer at a random place and bump the poll's counter and version. Undefined when the poll is not
 * an anonymous one (a named poll takes the transaction in castVote).
 */
async function castSecretBallot(db: Kysely<Database>, v: { pollId: string; openId: string; choices: number[]; answer: string | undefined; now: Date }): Promise<VoteOutcome | undefined> {
  const choices = JSON.stringify([...new Set(v.choices)])
  const { rows } = await sql<{ anonymous: boolean; status: string; closes_at: Date | null; inserted: number }>`
    with p as (select id, anonymous, status, closes_at from polls where id = ${v.pollId} for update),
    ok as (select id from p where anonymous and status = 'open' and (closes_at is null or closes_at > ${v.now})),
    voter as (insert into poll_voters (poll_id, open_id) select id, ${v.openId} from ok on conflict (poll_id, open_id) do nothing returning poll_id),
    tally as (update poll_tallies set votes = votes + 1
      where poll_id in (select poll_id from voter) and option_no in (select jsonb_array_elements_text(${choices}::jsonb)::int) returning 1),
    answer as (update poll_free_answers
      set answers = jsonb_insert(answers, array[floor(random() * (jsonb_array_length(answers) + 1))::int::text], to_jsonb(${v.answer ?? null}::text))
      where poll_id in (select poll_id from voter) and ${v.answer ?? null}::text is not null returning 1),
    counted as (update polls set voted_count = voted_count + 1, version = version + 1 where id in (select poll_id from voter) returning 1)
    select p.anonymous, p.status, p.closes_at, (select count(*)::int from voter) as inserted from p`.execute(db)
  const row = rows[0]
  if (!row) return 'not_found'
  if (!row.anonymous) return undefined
  if (row.status === 'draft') return 'not_open'
  if (row.status === 'closed' || (row.closes_at && v.now >= row.closes_at)) return 'closed'
  return Number(row.inserted) === 1 ? 'voted' : 'already'
}

/**
 * Rewrites every voter row and every tally and answer row of the poll together, so they all carry the same
 * transaction id afterwards: a vote's own transaction id, shared by the voter row and the tallies it changed, is
 * gone. Run at closing and each minute while an anonymous poll is open.
 */
export async function sealVotes(db: Kysely<Database>, pollId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('poll_voters').set({ sealed: true }).where('poll_id', '=', pollId).execute()
    await trx.updateTable('poll_tallies').set((eb) => ({ votes: eb.ref('votes') })).where('poll_id', '=', pollId).execute()
    await sql`update poll_free_answers set answers = answers where poll_id = ${pollId}`.execute(trx)
    await trx.updateTable('polls').set((eb) => ({ voted_count: eb.ref('voted_count') })).where('id', '=', pollId).execute()
  })
}

/** Open anonymous polls with votes cast since the last seal. */
export async function pollsToSeal(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('poll_voters').innerJoin('polls', 'polls.id', 'poll_voters.poll_id').select('polls.id').distinct().where('polls.anonymous', '=', true).where('poll_voters.sealed', '=', false).execute()
  return rows.map((r) => String(r.id))
}

/** Votes per option (index → count). */
export async function countsOf(db: Db, poll: Poll): Promise<Map<number, number>> {
  const counts = new Map<number, number>()
  if (poll.anonymous) {
    for (const r of await db.selectFrom('poll_tallies').select(['option_no', 'votes']).where('poll_id', '=', poll.id).execute()) counts.set(r.option_no, r.votes)
    return counts
  }
  const { rows } = await sql<{ option_no: number; votes: number }>`
    select c::int as option_no, count(*)::int as votes
    from poll_named_ballots b, jsonb_array_elements_text(b.choices) c
    where b.poll_id = ${poll.id} group by c`.execute(db)
  for (const r of rows) counts.set(Number(r.option_no), Number(r.votes))
  return counts
}

/** Free-text answers: anonymous ones in their random order without names; named ones with who wrote them. */
export async function freeAnswersOf(db: Db, poll: Poll): Promise<Array<{ openId?: string; text: string }>> {
  if (poll.anonymous) {
    const r = await db.selectFrom('poll_free_answers').select('answers').where('poll_id', '=', poll.id).executeTakeFirst()
    return (r?.answers ?? []).map((text) => ({ text }))
  }
  const rows = await db.selectFrom('poll_named_ballots').select(['open_id', 'answer']).where('poll_id', '=', poll.id).where('answer', 'is not', null).orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, text: r.answer! }))
}

/** Named polls: who voted what (the officers' CSV). */
export async function namedBallotsOf(db: Db, pollId: string): Promise<Array<{ openId: string; choices: number[]; answer: string | undefined; changedAt: Date }>> {
  const rows = await db.selectFrom('poll_named_ballots').selectAll().where('poll_id', '=', pollId).orderBy('changed_at').orderBy('open_id').execute()
  return rows.map((r) => ({ openId: r.open_id, choices: r.choices, answer: r.answer ?? undefined, changedAt: r.changed_at }))
}

export async function hasVoted(db: Db, pollId: string, openId: string): Promise<boolean> {
  return (await db.selectFrom('poll_voters').select('open_id').where('poll_id', '=', pollId).where('open_id', '=', openId).executeTakeFirst()) !== undefined
}

export async function markPollClosed(trx: Transaction<Database>, id: string, c: { by: string; at: Date; eventId: string; eligible: number | undefined }): Promise<Poll> {
  const r = await trx
    .updateTable('polls')
    .set((eb) => ({ status: 'closed', closed_at: c.at, closed_by: c.by, closed_event_id: c.eventId, eligible_count: c.eligible ?? null, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toPoll(r)
}

export async function markPollOpened(trx: Transaction<Database>, id: string, o: { at: Date; eventId: string }): Promise<Poll> {
  const r = await trx
    .updateTable('polls')
    .set((eb) => ({ status: 'open', opened_at: o.at, opened_event_id: o.eventId, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toPoll(r)
}

/** Open polls whose closing time has come. */
export async function pollsDue(db: Db, now: Date): Promise<string[]> {
  const rows = await db.selectFrom('polls').select('id').where('status', '=', 'open').where('closes_at', '<=', now).orderBy('id').execute()
  return rows.map((r) => String(r.id))
}

/** Closed polls whose closing work (committee notice, answers) is not yet done. */
export async function closingsPending(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('polls')
    .leftJoin('poll_closings', 'poll_closings.poll_id', 'polls.id')
    .select('polls.id')
    .where('polls.status', '=', 'closed')
    .where('poll_closings.done_at', 'is', null)
    .orderBy('polls.id')
    .execute()
  return rows.map((r) => String(r.id))
}

export const POLL_CLOSINGS_LEDGER = {
  table: 'poll_closings',
  keyColumns: ['poll_id'],
  unfinished: sql`poll_closings.done_at is null`,
} as const

export async function markClosingDone(db: Db, pollId: string, at: Date): Promise<void> {
  await db.updateTable('poll_closings').set({ done_at: at }).where('poll_id', '=', pollId).execute()
}

export const POLL_MACHINE: Machine<Poll, PollStatus> = {
  subject: 'poll',
  table: POLL_TRANSITIONS,
  status: (p) => p.status,
  subjectId: (p) => p.number,
}
