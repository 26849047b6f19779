// Rate limits for Feishu's send limits, so the bot slows itself down before Feishu has to (docs/feishu-platform.md#rate-limits):
// message create/reply/patch 50/s per app; 5/s to the same user; 5/s per group (shared by all bots in it);
// patch 5/s per message. Limits are per process: with N instances, lower the app rate to 50/N.
//
// Each key allows at most `perSecond` calls in any window of a little over a second (sliding, over the last calls).
// A token bucket of the same rate would let a full bucket go out and then refill during the same second:
// nearly twice the limit within one second, which is exactly what Feishu answers with 429 / 230020.
//
// Two priorities share the app budget (security review F6): sends and replies are 'high'; card patches are 'low'
// and only take what sends leave: they never use the share reserved for sends, and they stand back while a send
// waits. So a storm of patches (a popular activity card in many chats) cannot delay the answer to someone's message.

export interface RateLimits {
  perApp: number
  perChat: number
  perUser: number
  perMessagePatch: number
  /** Calls of the app budget that low-priority calls (card patches) may never use: kept for sends and replies. */
  reservedForSends: number
}

/** A fifth of the app's 50/s stays free for sends and replies however many patches are queued. */
export const FEISHU_RATE_LIMITS: RateLimits = { perApp: 50, perChat: 5, perUser: 5, perMessagePatch: 5, reservedForSends: 10 }

export type Priority = 'high' | 'low'

/** A key to acquire: its name, its rate, and optionally how much of it low-priority calls must leave to others. */
export type Bucket = readonly [key: string, perSecond: number, reservedForHigh?: number]

/** How long a low-priority call stands back while a high-priority one waits on the same key, before it looks again. */
const YIELD_MS = 20

/**
 * Feishu counts a second at its end, after the network: calls sent exactly a second apart can arrive closer
 * together. A tenth of a second more keeps what arrives within Feishu's second under the limit.
 */
export const WINDOW_MS = 1100

export class RateLimiter {
  /** Times of the calls within the last window, oldest first, per key. */
  private readonly windows = new Map<string, number[]>()
  private lastSweep = 0
  /** High-priority calls currently waiting for room, per key: low-priority calls on that key stand back. */
  private readonly highWaiting = new Map<string, number>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Waits until every named key has room in its window, then records one call on each. A low-priority call sees
   * each key's limit less its reserve and also waits while a high-priority call is waiting on that key.
   */
  async acquire(keys: ReadonlyArray<Bucket>, priority: Priority = 'high'): Promise<void> {
    let waitingOn: string[] = []
    try {
      for (;;) {
        const now = this.now()
        let wait = 0
        const blocked: string[] = []
        for (const [key, rate, reserve = 0] of keys) {
          const calls = this.recent(key, now)
          const full = Math.max(1, Math.floor(rate))
          const limit = priority === 'low' ? Math.max(1, full - Math.max(0, Math.floor(reserve))) : full
          // The call `limit` places back must have left the window before another may go.
          let keyWait = calls.length >= limit ? calls[calls.length - limit]! + WINDOW_MS - now : 0
          if (priority === 'low' && (this.highWaiting.get(key) ?? 0) > 0) keyWait = Math.max(keyWait, YIELD_MS)
          if (keyWait > 0) blocked.push(key)
          wait = Math.max(wait, keyWait)
        }
        if (wait <= 0) {
          for (const [key] of keys) this.recent(key, now).push(now)
          this.sweep(now)
          return
        }
        if (priority === 'high') {
          this.unmarkWaiting(waitingOn)
          waitingOn = blocked
          for (const key of waitingOn) this.highWaiting.set(key, (this.highWaiting.get(key) ?? 0) + 1)
        }
        await this.sleep(Math.ceil(wait))
      }
    } finally {
      this.unmarkWaiting(waitingOn)
    }
  }

  private unmarkWaiting(keys: string[]): void {
    for (const key of keys) {
      const n = (this.highWaiting.get(key) ?? 0) - 1
      if (n > 0) this.highWaiting.set(key, n)
      else this.highWaiting.delete(key)
    }
  }

  /** The calls of `key` still inside the window ending at `now` (older ones dropped). */
  private recent(key: string, now: number): number[] {
    let calls = this.windows.get(key)
    if (!calls) {
      calls = []
      this.windows.set(key, calls)
    }
    let expired = 0
    while (expired < calls.length && calls[expired]! <= now - WINDOW_MS) expired++
    if (expired) calls.splice(0, expired)
    return calls
  }

  /** Forgets keys without calls in the window, so per-chat keys do not accumulate. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return
    this.lastSweep = now
    for (const [key, calls] of this.windows) {
      if (calls.length === 0 || calls[calls.length - 1]! <= now - WINDOW_MS) this.windows.delete(key)
    }
  }

  bucketCount(): number {
    return this.windows.size
  }
}
