// Rate limits for Feishu's send limits, so the bot slows itself down before Feishu has to (docs/feishu-platform.md#rate-limits):
// message create/reply/patch 50/s per app; 5/s to the same user; 5/s per group (shared by all bots in it);
// patch 5/s per message. Limits are per process: with N instances, lower the app rate to 50/N.
//
// Each key allows at most `perSecond` calls in any window of a little over a second (sliding, over the last calls).
// A token bucket of the same rate would let a full bucket go out and then refill during the same second:
// nearly twice the limit within one second, which is exactly what Feishu answers with 429 / 230020.

export interface RateLimits {
  perApp: number
  perChat: number
  perUser: number
  perMessagePatch: number
}

export const FEISHU_RATE_LIMITS: RateLimits = { perApp: 50, perChat: 5, perUser: 5, perMessagePatch: 5 }

/**
 * Feishu counts a second at its end, after the network: calls sent exactly a second apart can arrive closer
 * together. A tenth of a second more keeps what arrives within Feishu's second under the limit.
 */
export const WINDOW_MS = 1100

export class RateLimiter {
  /** Times of the calls within the last window, oldest first, per key. */
  private readonly windows = new Map<string, number[]>()
  private lastSweep = 0

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits until every named key has room in its window, then records one call on each. */
  async acquire(keys: ReadonlyArray<readonly [key: string, perSecond: number]>): Promise<void> {
    for (;;) {
      const now = this.now()
      let wait = 0
      for (const [key, rate] of keys) {
        const calls = this.recent(key, now)
        const limit = Math.max(1, Math.floor(rate))
        // The call `limit` places back must have left the window before another may go.
        if (calls.length >= limit) wait = Math.max(wait, calls[calls.length - limit]! + WINDOW_MS - now)
      }
      if (wait <= 0) {
        for (const [key] of keys) this.recent(key, now).push(now)
        this.sweep(now)
        return
      }
      await this.sleep(Math.ceil(wait))
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
