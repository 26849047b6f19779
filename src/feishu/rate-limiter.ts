// Token buckets for Feishu's send limits, so the bot slows itself down before Feishu has to (REFERENCE.md §6):
// message create/reply/patch 50/s per app; 5/s to the same user; 5/s per group (shared by all bots in it);
// patch 5/s per message. Limits are per process: with N instances, lower the app rate to 50/N.

export interface RateLimits {
  perApp: number
  perChat: number
  perUser: number
  perMessagePatch: number
}

export const FEISHU_RATE_LIMITS: RateLimits = { perApp: 50, perChat: 5, perUser: 5, perMessagePatch: 5 }

interface Bucket {
  tokens: number
  updatedAt: number
  rate: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private lastSweep = 0

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits until every named bucket has a token, then takes one from each. */
  async acquire(keys: ReadonlyArray<readonly [key: string, perSecond: number]>): Promise<void> {
    for (;;) {
      const now = this.now()
      let wait = 0
      for (const [key, rate] of keys) {
        const b = this.refill(key, rate, now)
        if (b.tokens < 1) wait = Math.max(wait, ((1 - b.tokens) / b.rate) * 1000)
      }
      if (wait === 0) {
        for (const [key] of keys) this.buckets.get(key)!.tokens -= 1
        this.sweep(now)
        return
      }
      await this.sleep(Math.ceil(wait))
    }
  }

  private refill(key: string, rate: number, now: number): Bucket {
    let b = this.buckets.get(key)
    if (!b) {
      b = { tokens: rate, updatedAt: now, rate }
      this.buckets.set(key, b)
    } else {
      b.tokens = Math.min(rate, b.tokens + ((now - b.updatedAt) / 1000) * rate)
      b.updatedAt = now
    }
    return b
  }

  /** Forgets buckets that have refilled completely, so per-chat keys do not accumulate. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return
    this.lastSweep = now
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.updatedAt) / 1000) * b.rate >= b.rate) this.buckets.delete(key)
    }
  }

  bucketCount(): number {
    return this.buckets.size
  }
}
