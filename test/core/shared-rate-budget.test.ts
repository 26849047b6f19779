// Feishu's limits hold per app, not per process (issue #18): two instances take their calls from one budget in Redis
// (src/state/redis-rate-budget.ts). Checked on Redis's own clock, which the budget uses: no window ever holds more
// calls than its limit, whichever instance made them; and through two Outbounds sending to one chat.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { Outbound } from '../../src/feishu/outbound.js'
import { WINDOW_MS } from '../../src/feishu/rate-limiter.js'
import { Metrics } from '../../src/metrics.js'
import { personKey } from '../../src/state/person-key.js'
import { RedisRateBudget } from '../../src/state/redis-rate-budget.js'
import { busiestWindow } from '../helpers/drills.js'
import { testRedisUrl } from '../rig/env.js'

const namespace = `ub_rate_${process.pid}_${randomBytes(3).toString('hex')}:`
const SECRET = 'x'.repeat(32)
const keyOf = (bucket: string) => `${namespace}rate:${personKey(SECRET, bucket)}`
let a: Redis
let b: Redis

beforeAll(async () => {
  a = new Redis(testRedisUrl())
  b = new Redis(testRedisUrl())
})

afterAll(async () => {
  const keys = await a.keys(`${namespace}*`)
  if (keys.length) await a.del(...keys)
  a.disconnect()
  b.disconnect()
})

/** Takes `count` places on `key`, waiting as told, and returns Redis's time of each place taken. */
async function takeMany(budget: RedisRateBudget, key: string, limit: number, count: number): Promise<number[]> {
  const at: number[] = []
  while (at.length < count) {
    const r = await budget.take([[key, limit]])
    if (r.waitMs === 0) at.push(r.at)
    else await new Promise((res) => setTimeout(res, r.waitMs))
  }
  return at
}

describe('the shared rate budget', () => {
  it('two instances together never put more than the limit into one window', async () => {
    const one = new RedisRateBudget(a, namespace, WINDOW_MS, SECRET)
    const two = new RedisRateBudget(b, namespace, WINDOW_MS, SECRET)
    const [x, y] = await Promise.all([takeMany(one, 'app', 10, 20), takeMany(two, 'app', 10, 20)])
    const all = [...x, ...y].sort((p, q) => p - q)
    expect(all).toHaveLength(40)
    // The 11th call after any call is at least a window later: no window holds 11.
    for (let i = 0; i + 10 < all.length; i++) expect(all[i + 10]! - all[i]!, `calls ${i}..${i + 10}`).toBeGreaterThanOrEqual(WINDOW_MS)
    // Both instances took places in the shared windows (not one starving the other).
    expect(x).toHaveLength(20)
    expect(y).toHaveLength(20)
    // Control: on a fresh key a limit's worth of calls go at once, and the next one is told to wait.
    for (let i = 0; i < 10; i++) expect((await one.take([['fresh', 10]])).waitMs).toBe(0)
    expect((await two.take([['fresh', 10]])).waitMs).toBeGreaterThan(0)
  })

  it('takes a place on every key of a call or on none', async () => {
    const budget = new RedisRateBudget(a, namespace, WINDOW_MS, SECRET)
    expect((await budget.take([['chat:k1', 1], ['user:k2', 1]])).waitMs).toBe(0)
    // user:k2 is full: the call waits, and chat:k3 is not charged for it.
    expect((await budget.take([['chat:k3', 1], ['user:k2', 1]])).waitMs).toBeGreaterThan(0)
    expect((await budget.take([['chat:k3', 1]])).waitMs).toBe(0)
    expect(await a.zcard(keyOf('chat:k3'))).toBe(1)
    // The key names the bucket by a keyed hash only: nobody reading Redis sees whom the bot wrote to.
    expect(await a.keys(`${namespace}rate:*k3*`)).toEqual([])
  })

  it('keeps deployments apart by namespace', async () => {
    const mine = new RedisRateBudget(a, namespace, WINDOW_MS, SECRET)
    const theirs = new RedisRateBudget(a, `${namespace}other:`, WINDOW_MS, SECRET)
    expect((await mine.take([['chat:ns', 1]])).waitMs).toBe(0)
    expect((await theirs.take([['chat:ns', 1]])).waitMs).toBe(0)
  })
})

describe('two Outbounds with one budget', () => {
  let fake: FakeOpenApi
  beforeAll(async () => {
    fake = new FakeOpenApi()
    await fake.start()
  })
  afterAll(async () => {
    await fake.stop()
  })

  const outbound = (redis: Redis) =>
    new Outbound({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.url,
      log: pino({ level: 'silent' }),
      metrics: new Metrics(),
      retry: { baseDelayMs: 10, maxDelayMs: 2000, maxAttempts: 5 },
      sharedBudget: new RedisRateBudget(redis, `${namespace}ob:`, WINDOW_MS, SECRET),
    })

  it('send to one chat at 5 a second between them, not 5 each', async () => {
    const chat = 'oc_shared_budget'
    const [one, two] = [outbound(a), outbound(b)]
    const send = (o: Outbound, i: number) => o.sendToChat(chat, { text: `消息 ${i}` }, { uuid: `shared-${i}` })
    await Promise.all([...Array.from({ length: 8 }, (_, i) => send(one, i)), ...Array.from({ length: 8 }, (_, i) => send(two, 8 + i))])
    const sent = fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/open-apis/im/v1/messages'))
    expect(sent).toHaveLength(16)
    // Per process alone, 10 would arrive at once (5 from each). Half a window allows for a loaded machine delaying
    // one call's arrival against the next: 6 in 550 ms would need the shared windows to be broken.
    expect(busiestWindow(fake, sent, WINDOW_MS / 2).count).toBeLessThanOrEqual(5)
  }, 30_000)
})
