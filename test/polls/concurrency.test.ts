// One vote each under concurrency (issue #15): two bot instances on one database take a burst of clicks, every
// voter clicking on both at once; every vote is counted once, nobody twice, and the card ends showing the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText } from '../helpers/chat.js'
import { startPoll } from '../helpers/polls.js'

let db: TestDatabase
let t1: TestBot
let t2: TestBot
const clock = new ManualClock('2026-06-01T02:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t1 = await startTestBot({ db, clock, instanceId: 'bot-1' })
  t2 = await startTestBot({ db, clock, fake: t1.fake, instanceId: 'bot-2' })
})
afterAll(async () => {
  await t2?.stop()
  await t1?.stop()
  await db?.drop()
})

describe('a burst of votes on two instances', () => {
  it('counts each voter once, anonymous and named', async () => {
    for (const secrecy of ['anonymous', 'named'] as const) {
      const p = await startPoll(t1, { title: `并发 ${secrecy}`, secrecy })
      const voters = Array.from({ length: 30 }, (_, i) => `ou_rush_${secrecy}_${i}`)
      const click = (via: TestBot, who: string, option: number) => via.click({ operator: who, value: { action: 'poll.vote', id: p.id, option }, messageId: p.card.messageId, chatId: p.card.chatId! })
      // Each voter clicks the same option on both instances at once (a double tap reaching two servers).
      const answers = await Promise.all(voters.flatMap((who, i) => [click(t1, who, i % 3), click(t2, who, i % 3)]))
      await t1.settle()
      await t2.settle()
      const toasts = answers.map((a) => a.body.toast?.content)
      expect(toasts.filter((c) => c === '已投票')).toHaveLength(voters.length)
      const services = t1.bot.services.db
      const poll = await services.selectFrom('polls').select(['voted_count']).where('id', '=', p.id).executeTakeFirstOrThrow()
      expect(poll.voted_count).toBe(voters.length)
      expect(await services.selectFrom('poll_voters').select('open_id').where('poll_id', '=', p.id).execute()).toHaveLength(voters.length)
      if (secrecy === 'anonymous') {
        const tallies = await services.selectFrom('poll_tallies').select('votes').where('poll_id', '=', p.id).orderBy('option_no').execute()
        expect(tallies.map((r) => r.votes)).toEqual([10, 10, 10])
      } else {
        expect(await services.selectFrom('poll_named_ballots').select('open_id').where('poll_id', '=', p.id).execute()).toHaveLength(voters.length)
      }
      // The live card catches up (the coalescing refresh, or the minute reconcile).
      await t1.bot.runPeriodic(clock.now())
      await t1.settle()
      expect(cardText(t1.fake.currentCard(p.card.messageId))).toContain(`已投票：${voters.length} 人`)
    }
  })
})
