// Grievance numbers under concurrency (issue #3): many workers confirm at the same moment through two bot
// instances sharing Postgres and Redis; the numbers G-<year>-<4 digits> come out unique and gap-free.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { DESCRIPTION, OFFICERS_ENV, grievanceNumberIn, newWorker, type Person } from '../helpers/grievances.js'
import { lastTo } from '../helpers/chat.js'

let db: TestDatabase
let a: TestBot
let b: TestBot
const clock = new ManualClock('2026-07-01T02:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  a = await startTestBot({ db, clock, env: OFFICERS_ENV, instanceId: 'instance-a' })
  b = await startTestBot({ db, clock, env: OFFICERS_ENV, fake: a.fake, instanceId: 'instance-b' })
})
afterAll(async () => {
  await b?.stop()
  await a?.stop()
  await db?.drop()
})

const send = (t: TestBot, w: Person, text: string) => t.sendMessage({ sender: w.openId, chatId: `oc_p2p_${w.openId}`, chatType: 'p2p', text })

it('keeps numbers unique and gap-free when 40 workers confirm at once on two instances', async () => {
  const workers = Array.from({ length: 40 }, (_, i) => newWorker(a, `职工${i}`))
  // Bring everyone to the confirm step (messages of one user are handled in order).
  for (const w of workers) for (const text of ['投诉', String((workers.indexOf(w) % 7) + 1), DESCRIPTION, workers.indexOf(w) % 2 ? '匿名' : '实名']) await send(a, w, text)
  await a.settle()
  for (const w of workers) expect(lastTo(a, w)!.content.header.title.content).toContain('第 4/4 步')

  const started = Date.now()
  const results = await Promise.all(workers.map((w, i) => send(i % 2 ? b : a, w, '确认')))
  for (const r of results) expect(r.status).toBe(200)
  await Promise.all([a.settle(), b.settle()])
  const elapsed = Date.now() - started

  const rows = await a.bot.services.db.selectFrom('grievances').select(['number', 'filing_key']).orderBy('number').execute()
  expect(rows.map((r) => r.number)).toEqual(workers.map((_, i) => `G-2026-${String(i + 1).padStart(4, '0')}`))
  const seq = await a.bot.services.db.selectFrom('sequences').selectAll().where('name', '=', 'grievance:2026').executeTakeFirstOrThrow()
  expect(seq.value).toBe(40)
  // Each worker was told their own number, and every number went to exactly one worker.
  const told = workers.map((w) => grievanceNumberIn(lastTo(a, w)))
  expect(new Set(told).size).toBe(40)
  expect([...told].sort()).toEqual(rows.map((r) => r.number))
  console.log(`40 concurrent confirmations on 2 instances filed in ${elapsed} ms`)
})
