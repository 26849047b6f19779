// Mutual exclusion across bot instances (SET NX PX with an owner token; released only by its owner).
import { randomUUID } from 'node:crypto'
import { LockBusyError } from '../errors.js'
import { personKey } from './person-key.js'
import type { StateStore } from './store.js'

export class Locks {
  constructor(
    private readonly store: StateStore,
    /** Key of personKey(), for locks that belong to a person (see withPersonLock). */
    private readonly secret: string,
  ) {}

  /** Runs fn while holding `lock:{key}`; waits up to waitMs for it, then gives up with LockBusyError. */
  async withLock<T>(key: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
    const ttlMs = opts.ttlMs ?? 15_000
    const deadline = Date.now() + (opts.waitMs ?? 5_000)
    const token = randomUUID()
    let delay = 5
    while (!(await this.store.setIfAbsent(`lock:${key}`, token, ttlMs))) {
      if (Date.now() > deadline) throw new LockBusyError()
      await new Promise((r) => setTimeout(r, delay))
      delay = Math.min(delay * 2, 100)
    }
    try {
      return await fn()
    } finally {
      await this.store.deleteIfEquals(`lock:${key}`, token).catch(() => false)
    }
  }

  /** One person's lock (`lock:user:<personKey>`): serializes their conversation turns across instances. */
  withPersonLock<T>(openId: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
    return this.withLock(`user:${personKey(this.secret, openId)}`, fn, opts)
  }
}
