// The pg-boss wiring behind every periodic task (and so behind scheduled digests): a bot started with
// SCHEDULER_ENABLED=1 against the test database gets its tick from pg-boss's cron — not only the catch-up run it
// makes at start — and that tick delivers the digest that has fallen due.
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { ManualClock } from '../../src/clock.js'
import { TICK_QUEUE } from '../../src/scheduler.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { digestsIn } from '../helpers/digests.js'

let db: TestDatabase
let t: TestBot | undefined
const clock = new ManualClock('2026-11-16T00:30:00Z') // Monday 08:30 in Shanghai
const runs: Date[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  // The committee group subscribed to the weekly digest before the bot starts.
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  await client.query(`insert into digest_subscriptions (chat_id, kind, created_by, created_at) values ($1, 'weekly', $2, '2026-11-10T02:00:00Z')`, [ADMIN_CHAT_ID, CHAIR.openId])
  await client.end()
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

it('runs the periodic tasks from the pg-boss cron tick, which sends the digest due at 09:00', async () => {
  t = await startTestBot({
    db,
    clock,
    env: { SCHEDULER_ENABLED: '1' },
    botOptions: {
      // pg-boss's shortest intervals: the first cron tick comes within seconds of start instead of up to a minute.
      scheduler: { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, pollingIntervalSeconds: 1 },
      register: (router) => {
        registerHandlers(router)
        router.periodic({ name: 'test.observer', run: async (ctx) => void runs.push(ctx.runAt) })
      },
    },
  })
  // listen() has made its catch-up run at 08:30 (nothing due yet). From now on only pg-boss ticks run the tasks.
  clock.set('2026-11-16T01:00:00Z')
  await t.fake.waitFor(() => digestsIn(t!, ADMIN_CHAT_ID, '周报').length === 1, 75_000)
  expect(digestsIn(t, ADMIN_CHAT_ID, '周报')[0]!.content.header.subtitle.content).toBe('2026-11-09 至 2026-11-15')
  // The observer runs after the digest task in the same tick.
  await t.fake.waitFor(() => runs.length >= 2, 5_000)
  expect(runs[0]!.toISOString()).toBe('2026-11-16T00:30:00.000Z')
  expect(runs[1]!.toISOString()).toBe('2026-11-16T01:00:00.000Z')
  const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${TICK_QUEUE}`.execute(t.bot.services.db)
  expect(jobs.rows[0]!.n).toBeGreaterThanOrEqual(1)
}, 120_000)
