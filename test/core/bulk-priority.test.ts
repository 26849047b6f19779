// Bulk sends at the 'low' priority across instances (issue #18): two Outbounds share one Redis budget; their
// mass sends together never take more than the app's 50/s less the 10 reserved for replies, and a reply asked for
// in the middle goes out at once. Checked on Redis's own clock, where the budget lets each call through.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { Outbound, type SharedRateBudget } from '../../src/feishu/outbound.js'
import { FEISHU_RATE_LIMITS, WINDOW_MS } from '../../src/feishu/rate-limiter.js'
import { Metrics } from '../../src/metrics.js'
import { RedisRateBudget } from '../../src/state/redis-rate-budget.js'
import { busiestSpan as busiest } from '../helpers/drills.js'
import { testRedisUrl } from '../rig/env.js'

const namespace = `ub_bulk_${process.pid}_${randomBytes(3).toString('hex')}:`
const SECRET = 'y'.repeat(32)
let a: Redis
let b: Redis
let fake: FakeOpenApi

beforeAll(async () => {
  a = new Redis(testRedisUrl())
  b = new Redis(testRedisUrl())
  fake = new FakeOpenApi()
  await fake.start()
})
afterAll(async () => {
  const keys = await a.keys(`${namespace}*`)
  if (keys.length) await a.del(...keys)
  a.disconnect()
  b.disconnect()
  await fake.stop()
})

interface Take {
  at: number
  limit: number
  keys: string[]
}

/** The real Redis budget, noting Redis's time and the limit asked for each place taken on the app's window. */
function recording(redis: Redis, log: Take[]): SharedRateBudget {
  const budget = new RedisRateBudget(redis, namespace, WINDOW_MS, SECRET)
  return {
    async take(keys) {
      const r = await budget.take(keys)
      const app = keys.find(([k]) => k === 'app')
      if (r.waitMs === 0 && app) log.push({ at: r.at, limit: app[1], keys: keys.map(([k]) => k) })
      return r
    },
  }
}

const outbound = (redis: Redis, log: Take[]) =>
  new Outbound({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    log: pino({ level: 'silent' }),
    metrics: new Metrics(),
    retry: { baseDelayMs: 10, maxDelayMs: 2000, maxAttempts: 5 },
    sharedBudget: recording(redis, log),
  })


describe('bulk sends on two instances', () => {
  it('keep within the app rate less the reserve, and a reply goes out in the middle at once', async () => {
    const takes: Take[] = []
    const [one, two] = [outbound(a, takes), outbound(b, takes)]
    const bulk = (o: Outbound, i: number) => o.sendToUser(`ou_bulk_${i}`, { text: `通知 ${i}` }, { uuid: `bulk-${namespace}-${i}`, priority: 'low' })
    const all = Promise.all([...Array.from({ length: 100 }, (_, i) => bulk(one, i)), ...Array.from({ length: 100 }, (_, i) => bulk(two, 100 + i))])
    let bulkDone = 0
    void all.then(() => (bulkDone = Date.now()))
    // A second in, someone asks instance two something.
    await new Promise((r) => setTimeout(r, 1000))
    await two.sendToUser('ou_asker', { text: '回复' }, { uuid: `reply-${namespace}` })
    const replied = Date.now()
    await all
    expect(bulkDone, 'the reply went out while the bulk sends were still going').toBeGreaterThan(replied)

    const low = takes.filter((t) => t.limit < FEISHU_RATE_LIMITS.perApp).map((t) => t.at)
    const high = takes.filter((t) => t.limit === FEISHU_RATE_LIMITS.perApp)
    expect(low).toHaveLength(200)
    expect(high).toHaveLength(1)
    // The bulk sends asked for the app's window less the reserve, and never got more of it, whichever instance.
    expect(busiest(low, WINDOW_MS)).toBeLessThanOrEqual(FEISHU_RATE_LIMITS.perApp - FEISHU_RATE_LIMITS.reservedForSends)
    expect(busiest(takes.map((t) => t.at), WINDOW_MS)).toBeLessThanOrEqual(FEISHU_RATE_LIMITS.perApp)
    // Control: 200 at 40/s take at least four full windows after the first one (so the limit was really in force).
    expect(Math.max(...low) - Math.min(...low)).toBeGreaterThanOrEqual(4 * WINDOW_MS)
    expect(fake.messages.filter((m) => m.receiveId?.startsWith('ou_bulk_'))).toHaveLength(200)
  }, 30_000)
})
