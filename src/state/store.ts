// The key-value store behind conversation state and locks: Redis in production, memory for the embedded default.
// Every key carries a TTL, so nothing piles up (issue #2).

export interface StateStore {
  get(key: string): Promise<string | null>
  /** Sets key to value with a TTL in seconds. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
  /** Sets key only if absent (TTL in milliseconds); true when it was set. The basis of locks. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  /** Deletes key only if it still holds value (releasing one's own lock); true when deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>
  /** Remaining TTL in milliseconds, or null when the key does not exist. */
  ttlMs(key: string): Promise<number | null>
  ping(): Promise<boolean>
  close(): Promise<void>
}
