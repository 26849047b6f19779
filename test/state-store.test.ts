// One contract for both conversation-state stores (Redis and in-memory), plus conversations and locks on top.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Conversations } from '../src/state/conversations.js'
import { Locks } from '../src/state/locks.js'
import { MemoryStateStore } from '../src/state/memory-store.js'
import { RedisStateStore } from '../src/state/redis-store.js'
import type { StateStore } from '../src/state/store.js'
import { testRedisUrl } from './rig/env.js'

const namespace = `ub_state_${randomBytes(4).toString('hex')}:`
let redis: RedisStateStore
let memoryNow = Date.now()
const memory = new MemoryStateStore(() => memoryNow)

beforeAll(async () => {
  redis = await RedisStateStore.connect(testRedisUrl(), namespace)
})
afterAll(async () => {
  await redis.close()
  await memory.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.each([
  ['redis', () => redis as StateStore, (ms: number) => sleep(ms + 50)],
  ['memory', () => memory as StateStore, async (ms: number) => void (memoryNow += ms + 1)],
])('%s state store', (_name, store, pass) => {
  it('gets, sets with a TTL, and deletes', async () => {
    const s = store()
    expect(await s.get('k1')).toBeNull()
    await s.set('k1', 'v1', 60)
    expect(await s.get('k1')).toBe('v1')
    const ttl = await s.ttlMs('k1')
    expect(ttl).toBeGreaterThan(55_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
    await s.delete('k1')
    expect(await s.get('k1')).toBeNull()
    expect(await s.ttlMs('k1')).toBeNull()
  })

  it('expires keys after their TTL', async () => {
    const s = store()
    await s.set('k2', 'v', 1)
    await pass(1000)
    expect(await s.get('k2')).toBeNull()
  })

  it('sets only if absent, and deletes only with the right value', async () => {
    const s = store()
    expect(await s.setIfAbsent('lock:a', 'me', 1000)).toBe(true)
    expect(await s.setIfAbsent('lock:a', 'you', 1000)).toBe(false)
    expect(await s.deleteIfEquals('lock:a', 'you')).toBe(false)
    expect(await s.deleteIfEquals('lock:a', 'me')).toBe(true)
    expect(await s.setIfAbsent('lock:a', 'you', 100)).toBe(true)
    await pass(100)
    expect(await s.setIfAbsent('lock:a', 'again', 100)).toBe(true)
  })

  it('answers ping', async () => {
    expect(await store().ping()).toBe(true)
  })

  it('keeps conversations with a TTL and reports an expired one once', async () => {
    const conv = new Conversations(store(), 1)
    expect(await conv.load('ou_1')).toEqual({ status: 'none' })
    await conv.save('ou_1', { v: 1, flow: 'grievance', step: 'category', data: { a: 1 }, startedAt: 'x' })
    const loaded = await conv.load('ou_1')
    expect(loaded.status === 'active' && loaded.state.data).toEqual({ a: 1 })
    await pass(1000)
    expect(await conv.load('ou_1')).toEqual({ status: 'expired', flow: 'grievance' })
    expect(await conv.load('ou_1')).toEqual({ status: 'none' })
    await conv.save('ou_1', { v: 1, flow: 'grievance', step: 'category', data: {}, startedAt: 'x' })
    await conv.end('ou_1')
    expect(await conv.load('ou_1')).toEqual({ status: 'none' })
  })
})

describe('locks', () => {
  it('serializes 50 concurrent read-modify-write cycles across two lock holders (Redis)', async () => {
    const a = new Locks(redis)
    const b = new Locks(redis)
    await redis.set('counter', '0', 60)
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).withLock('counter', async () => {
          const n = Number(await redis.get('counter'))
          await sleep(1)
          await redis.set('counter', String(n + 1), 60)
        }, { waitMs: 20_000 }),
      ),
    )
    expect(await redis.get('counter')).toBe('50')
  })
})

describe('memory store housekeeping', () => {
  it('does not accumulate expired keys', async () => {
    const m = new MemoryStateStore(() => memoryNow)
    for (let i = 0; i < 1000; i++) await m.set(`k${i}`, 'v', 1)
    memoryNow += 2000
    expect(m.size()).toBe(0)
    await m.close()
  })
})
