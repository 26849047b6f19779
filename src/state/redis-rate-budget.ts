// Feishu's rate limits shared by every instance (issue #18): the same sliding windows as src/feishu/rate-limiter.ts,
// kept in Redis so N instances together stay within 50 calls/s per app, 5/s per chat, user and message
// (docs/feishu-platform.md#rate-limits, docs/scaling.md). One Lua script checks every key of a call and takes a
// place on all of them or on none; time is Redis's own clock, so instances' clocks may disagree. Key names are keyed
// hashes of the bucket (chat:oc_…, user:ou_…): Redis never shows whom the bot wrote to (security review F2); the
// windows' times live 2.2 s (docs/security.md, residual risks).
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { personKey } from './person-key.js'

/**
 * KEYS: the windows (sorted sets of call times); ARGV[1]: window ms; ARGV[2..n+1]: each key's limit; ARGV[n+2]: a
 * unique member for this call. Returns { wait ms (0: taken), Redis time ms }.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[i + 1])
  local n = redis.call('ZCARD', key)
  if n >= limit then
    -- the call limit places back must leave the window before another may go (as the local limiter)
    local at = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local w = tonumber(at[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return { math.max(1, wait), now } end
local member = ARGV[#KEYS + 2]
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window * 2)
end
return { 0, now }
`

export interface BudgetTake {
  /** 0 when the call may go now; otherwise how long to wait before asking again. */
  waitMs: number
  /** Redis's clock when it answered (ms): for the tests that check no window ever held more than its limit. */
  at: number
}

export class RedisRateBudget {
  private seq = 0
  private readonly id = randomUUID().slice(0, 8)

  constructor(
    private readonly redis: Redis,
    /** The state store's namespace, so deployments (and test files) sharing a Redis keep apart budgets. */
    private readonly namespace: string,
    private readonly windowMs: number,
    /** STATE_KEY_SECRET (or the server's generated one): the same on every instance, so they hash to the same keys. */
    private readonly keySecret: string,
  ) {}

  /** Takes one place on each key's window, or none and says how long to wait. Rejects when Redis does not answer. */
  async take(keys: ReadonlyArray<readonly [key: string, limit: number]>): Promise<BudgetTake> {
    const names = keys.map(([key]) => `${this.namespace}rate:${personKey(this.keySecret, key)}`)
    const limits = keys.map(([, limit]) => String(Math.max(1, Math.floor(limit))))
    const member = `${this.id}:${++this.seq}`
    const [waitMs, at] = (await this.redis.eval(TAKE, names.length, ...names, String(this.windowMs), ...limits, member)) as [number, number]
    return { waitMs, at }
  }
}
