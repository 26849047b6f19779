// Redis StateStore (ioredis): namespaced keys, a TTL on every write, and fast failure when Redis is down
// (no offline queue), so the bot can tell the user instead of hanging.
import { Redis } from 'ioredis'
import { StateUnavailableError } from '../errors.js'
import { RedisRateBudget } from './redis-rate-budget.js'
import type { StateStore } from './store.js'

const DELETE_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

export class RedisStateStore implements StateStore {
  constructor(
    private readonly redis: Redis,
    /** Prefix for every key, e.g. `unionbot:`; lets several deployments or test files share one Redis. */
    private readonly namespace: string = 'unionbot:',
  ) {}

  /** Connects with settings that fail fast rather than queue commands while Redis is away. */
  static async connect(url: string, namespace?: string, onUnreachable?: (err: unknown) => void): Promise<RedisStateStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    })
    // Connection errors surface on commands; the 'error' event would otherwise crash the process.
    redis.on('error', () => undefined)
    // Starting without Redis is allowed: intake does not need it, and ioredis keeps reconnecting in the background.
    await redis.connect().catch((err: unknown) => onUnreachable?.(err))
    return new RedisStateStore(redis, namespace)
  }

  async get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(this.namespace + key))
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.run(() => this.redis.set(this.namespace + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))))
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.redis.del(this.namespace + key))
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const res = await this.run(() => this.redis.set(this.namespace + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'))
    return res === 'OK'
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    const res = await this.run(() => this.redis.eval(DELETE_IF_EQUALS, 1, this.namespace + key, value))
    return res === 1
  }

  async ttlMs(key: string): Promise<number | null> {
    const ttl = await this.run(() => this.redis.pttl(this.namespace + key))
    return ttl < 0 ? null : ttl
  }

  /** Feishu's rate windows on this connection and namespace, shared by every instance (src/state/redis-rate-budget.ts). */
  rateBudget(windowMs: number, keySecret: string): RedisRateBudget {
    return new RedisRateBudget(this.redis, this.namespace, windowMs, keySecret)
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect()
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command()
    } catch (err) {
      throw new StateUnavailableError({ cause: err })
    }
  }
}
