// Secret ballots (issue #15, Quality bars): in an anonymous poll nothing joins a voter to their choice. The test
// reads every table, every log line and every card (delivered, patched, and the answers to clicks) and looks for
// any link: rows that hold a voter hold no ballot content and the other way round; who-voted rows have no time,
// no ballot id; counts are aggregates (no row per ballot); the free-text answers are in random order; and after
// sealing, every voter row and every tally row carry one transaction id, so not even Postgres's xmin pairs them.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, cardText, cardsTitled } from '../helpers/chat.js'
import { OFFICER, startPoll, vote } from '../helpers/polls.js'
import { columnsOf, everyRow, xminsOf } from '../helpers/secrecy.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-01T02:00:00Z')
const callbackAnswers: unknown[] = []

const VOTERS = Array.from({ length: 8 }, (_, i) => ({ openId: `ou_secret_voter_${i}`, name: `秘密投票人${'甲乙丙丁戊己庚辛'[i]}`, answer: `意见标记${'ABCDEFGH'[i]}${i}号` }))
const OPTIONS = ['方案红', '方案绿', '方案蓝']

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  for (const v of VOTERS) t.fake.users.set(v.openId, { name: v.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('an anonymous poll', () => {
  it('keeps nothing that joins a voter to a ballot: tables, transaction ids, answers order, logs, cards', async () => {
    const p = await startPoll(t, { title: '绩效方案', options: OPTIONS.join('\n'), freeQuestion: '对方案有什么意见？' })
    for (const [i, v] of VOTERS.entries()) {
      const res = await t.click({ operator: v.openId, value: { action: 'poll.vote', id: p.id, option: i % 3 }, messageId: p.card.messageId, chatId: p.card.chatId!, formValue: { free_answer: v.answer } })
      callbackAnswers.push(res.body)
      expect(res.body.toast).toEqual({ type: 'success', content: '已投票' })
      // The click's answer is a toast only: a card in it would be shown to the whole group.
      expect(res.body.card).toBeUndefined()
    }
    await t.settle()

    // While the poll is open, the minute task seals it: one transaction id for every voter row and every tally row.
    await t.bot.runPeriodic(clock.now())
    const sealed = [...(await xminsOf(t, 'poll_voters', p.id)), ...(await xminsOf(t, 'poll_tallies', p.id)), ...(await xminsOf(t, 'poll_free_answers', p.id))]
    expect(new Set(sealed).size).toBe(1)

    await answersTo(t, OFFICER, `结束投票 ${p.number}`)
    await t.settle()
    const afterClose = [...(await xminsOf(t, 'poll_voters', p.id)), ...(await xminsOf(t, 'poll_tallies', p.id)), ...(await xminsOf(t, 'poll_free_answers', p.id))]
    expect(new Set(afterClose).size).toBe(1)

    // Who voted: the poll and the person, nothing else (no time, no ballot id, no choice).
    expect(await columnsOf(t, 'poll_voters')).toEqual(['open_id', 'poll_id', 'sealed'])
    // What was voted: one count per option, no row per ballot, no person.
    expect(await columnsOf(t, 'poll_tallies')).toEqual(['option_no', 'poll_id', 'votes'])
    const tallies = await t.bot.services.db.selectFrom('poll_tallies').select(['option_no', 'votes']).where('poll_id', '=', p.id).orderBy('option_no').execute()
    expect(tallies).toEqual([
      { option_no: 0, votes: 3 },
      { option_no: 1, votes: 3 },
      { option_no: 2, votes: 2 },
    ])
    // The answers are there, but not in the order they were given (8! orders; insertion order is one of them).
    const box = await t.bot.services.db.selectFrom('poll_free_answers').select('answers').where('poll_id', '=', p.id).executeTakeFirstOrThrow()
    expect([...box.answers].sort()).toEqual(VOTERS.map((v) => v.answer).sort())
    expect(box.answers).not.toEqual(VOTERS.map((v) => v.answer))
    expect(await t.bot.services.db.selectFrom('poll_named_ballots').selectAll().execute()).toHaveLength(0)

    // Every row of every table: a row that names a voter holds no answer, and a row that holds an answer names nobody.
    const rows = await everyRow(t)
    for (const [table, list] of rows) {
      for (const row of list) {
        const names = VOTERS.filter((v) => row.includes(v.openId) || row.includes(v.name))
        const answers = VOTERS.filter((v) => row.includes(v.answer))
        expect(names.length && answers.length, `${table}: ${row.slice(0, 200)}`).toBeFalsy()
      }
    }
    // The tables naming voters are only who voted (and at most the people the bot has met).
    const naming = [...rows].filter(([, list]) => list.some((r) => VOTERS.some((v) => r.includes(v.openId)))).map(([table]) => table)
    expect(naming).toContain('poll_voters')
    for (const table of naming) expect(['poll_voters', 'users']).toContain(table)
    // No audit entry for a ballot.
    expect((rows.get('audit_log') ?? []).filter((r) => VOTERS.some((v) => r.includes(v.openId)))).toHaveLength(0)

    // Logs: no voter, no answer, no option.
    const logs = logLines.join('')
    expect(logs).toContain(p.number)
    for (const v of VOTERS) {
      expect(logs).not.toContain(v.openId)
      expect(logs).not.toContain(v.name)
      expect(logs).not.toContain(v.answer)
    }
    for (const o of OPTIONS) expect(logs).not.toContain(o)

    // Cards: the group's card (every version), the committee's results, the answers to clicks: no voter anywhere.
    const delivered = t.fake.messages.map((m) => JSON.stringify({ content: m.content, patches: m.patches }))
    const seen = [...delivered, JSON.stringify(callbackAnswers)].join('\n')
    for (const v of VOTERS) {
      expect(seen).not.toContain(v.openId)
      expect(seen).not.toContain(v.name)
    }
    // The committee gets the answers, without names, and the figures.
    const committee = cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)
    expect(committee).toHaveLength(1)
    const text = cardText(committee[0]!.content)
    for (const v of VOTERS) expect(text).toContain(v.answer)
    expect(text).toContain('方案红 — **3 票**（37.5%）')
    expect(text).toContain('意见不带姓名，顺序已随机打乱')
  })
})
