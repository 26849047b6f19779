// One contract for both conversation-state stores (Redis and in-memory), plus conversations and locks on top.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockBusyError, errorCode } from '../../src/errors.js'
import { Conversations } from '../../src/state/conversations.js'
import { Locks } from '../../src/state/locks.js'
import { MemoryStateStore } from '../../src/state/memory-store.js'
import { personKey } from '../../src/state/person-key.js'
import { RedisStateStore } from '../../src/state/redis-store.js'
import type { StateStore } from '../../src/state/store.js'
import { testRedisUrl } from '../rig/env.js'

const namespace = `ub_state_${randomBytes(4).toString('hex')}:`
const SECRET = randomBytes(32).toString('base64url')
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
    const conv = new Conversations(store(), 1, SECRET)
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

  it('keys a conversation by personKey(open_id), not by the open_id', async () => {
    const s = store()
    const conv = new Conversations(s, 60, SECRET)
    await conv.save('ou_keyed', { v: 1, flow: 'f', step: 'a', data: {}, startedAt: 'x', id: 'c1' })
    expect(await s.get('conv:ou_keyed')).toBeNull()
    expect(await s.get('conv-trace:ou_keyed')).toBeNull()
    expect(JSON.parse((await s.get(`conv:${personKey(SECRET, 'ou_keyed')}`))!).step).toBe('a')
    expect(await s.get(`conv-trace:${personKey(SECRET, 'ou_keyed')}`)).toBe('f')
    // Another secret (another deployment) finds nothing.
    expect(await new Conversations(s, 60, `${SECRET}-other`).load('ou_keyed')).toEqual({ status: 'none' })
    await conv.end('ou_keyed')
  })

  it('keeps a turn’s state only while it is in flight; a closed turn is {event, conversation, step}', async () => {
    const s = store()
    const conv = new Conversations(s, 60, SECRET)
    const before = { v: 1, flow: 'f', step: 'confirm', data: { secret: '车间的秘密描述' }, startedAt: 'x', id: 'c2' }
    const recorded = await conv.recordTurn('ou_turn', 'evt_1', before)
    await conv.end('ou_turn')
    // Cut short (a crash before the close): the re-run replays from the state the turn started from.
    expect(await conv.replayOf('ou_turn', 'evt_1')).toEqual({ status: 'in-flight', before, current: true })
    expect(await conv.replayOf('ou_turn', 'evt_other')).toBeUndefined()
    await conv.closeTurn('ou_turn', recorded)
    expect(await conv.replayOf('ou_turn', 'evt_1')).toEqual({ status: 'done' })
    const raw = (await s.get(`conv-turn:${personKey(SECRET, 'ou_turn')}`))!
    // The event id is kept keyed too: a raw one could be joined to the inbox and a case's history.
    expect(JSON.parse(raw)).toEqual({ eventId: personKey(SECRET, 'event:evt_1'), conversation: 'c2', step: 'confirm' })
    expect(raw).not.toContain('车间')
    expect(raw).not.toContain('evt_1')
  })

  it('closing an old turn leaves a newer turn’s record alone; abandoning drops a cut-short turn’s state', async () => {
    const s = store()
    const conv = new Conversations(s, 60, SECRET)
    const state = (step: string) => ({ v: 1, flow: 'f', step, data: { n: step }, startedAt: 'x', id: 'c3' })
    const first = await conv.recordTurn('ou_two', 'evt_a', state('a'))
    await conv.recordTurn('ou_two', 'evt_b', state('b'))
    await conv.closeTurn('ou_two', first)
    expect(await conv.replayOf('ou_two', 'evt_b')).toMatchObject({ status: 'in-flight', before: { step: 'b' } })
    await conv.abandonTurn('ou_two', 'evt_a')
    expect(await conv.replayOf('ou_two', 'evt_b')).toMatchObject({ status: 'in-flight' })
    await conv.abandonTurn('ou_two', 'evt_b')
    expect(await conv.replayOf('ou_two', 'evt_b')).toEqual({ status: 'done' })
  })
})

describe('personKey', () => {
  it('is stable for one secret, differs across secrets and people, and does not contain the open_id', () => {
    const a = personKey(SECRET, 'ou_abc123')
    expect(personKey(SECRET, 'ou_abc123')).toBe(a)
    expect(personKey(`${SECRET}x`, 'ou_abc123')).not.toBe(a)
    expect(personKey(SECRET, 'ou_abc124')).not.toBe(a)
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(a).not.toContain('abc123')
  })
})

describe('locks', () => {
  it('serializes 50 concurrent read-modify-write cycles across two lock holders (Redis)', async () => {
    const a = new Locks(redis, SECRET)
    const b = new Locks(redis, SECRET)
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

  it('a person’s lock is keyed by personKey(open_id)', async () => {
    const locks = new Locks(redis, SECRET)
    await locks.withPersonLock('ou_locked', async () => {
      expect(await redis.ttlMs(`lock:user:${personKey(SECRET, 'ou_locked')}`)).not.toBeNull()
      expect(await redis.ttlMs('lock:user:ou_locked')).toBeNull()
    })
    expect(await redis.ttlMs(`lock:user:${personKey(SECRET, 'ou_locked')}`)).toBeNull()
  })

  it('a lock held past the wait gives up with LockBusyError, and the holder keeps it', async () => {
    const locks = new Locks(redis, SECRET)
    let ran = false
    await locks.withLock('busy', async () => {
      const refused = await locks.withLock('busy', async () => (ran = true), { waitMs: 30 }).catch((err: unknown) => err)
      expect(refused).toBeInstanceOf(LockBusyError)
      expect(errorCode(refused)).toBe('LOCK_BUSY')
    })
    expect(ran).toBe(false)
    expect(await locks.withLock('busy', async () => 'free again')).toBe('free again')
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
