// In-process StateStore for the embedded default (one process only); expired keys are swept on a timer.
import type { StateStore } from './store.js'

export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>()
  private readonly sweeper: NodeJS.Timeout

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref()
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 })
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs })
    return true
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false
    this.entries.delete(key)
    return true
  }

  async ttlMs(key: string): Promise<number | null> {
    const entry = this.live(key)
    return entry ? entry.expiresAt - this.now() : null
  }

  async ping(): Promise<boolean> {
    return true
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.entries.clear()
  }

  /** Number of live keys (tests check that nothing accumulates). */
  size(): number {
    this.sweep()
    return this.entries.size
  }

  /** Every live key with its value (tests check what the store holds). */
  entriesNow(): Array<[string, string]> {
    this.sweep()
    return [...this.entries].map(([key, entry]) => [key, entry.value])
  }

  private live(key: string) {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  private sweep(): void {
    const now = this.now()
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}
