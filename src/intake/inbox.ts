// Durable intake: each accepted event is committed to Postgres before the webhook answers 200, de-duplicated on
// its key (message_id for messages, event_id otherwise), and leased to the instance that will process it. Writes are group-committed: events
// arriving while one INSERT is in flight share the next one, so the 200 stays fast under load.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Update } from '../feishu/updates.js'

/** Postgres refused an entry's data (class 22 data exception, 54 limit exceeded): the event is bad, not the store. */
export class InboxRejectedError extends Error {
  readonly code = 'INBOX_REJECTED'
}

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'))
}

export interface InboxEntry {
  /** De-duplication key and row identity: `msg:<message_id>` or `evt:<event_id>`. */
  key: string
  eventId: string
  eventType: string
  update: Update
}

export interface ClaimedEvent {
  key: string
  eventId: string
  eventType: string
  update: Update
  attempts: number
  receivedAt: Date
}

interface Pending {
  entry: InboxEntry
  /** JSON of entry.update, made before batching: an entry that cannot be serialised never joins a batch. */
  payload: string
  resolve: (fresh: boolean) => void
  reject: (err: unknown) => void
}

export interface InboxOptions {
  instanceId: string
  leaseSeconds: number
  /** Most rows per INSERT; more waiting events go in the following batch. */
  maxBatch?: number
  /** INSERT batches allowed in flight at once. */
  maxInFlight?: number
}

export class Inbox {
  private queue: Pending[] = []
  /** INSERT batches in flight; a few at once keep Postgres busy while the next batch gathers. */
  private inFlight = 0
  private flushScheduled = false
  private doneQueue: string[] = []
  private doneFlush: Promise<void> | undefined
  private readonly maxBatch: number

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: InboxOptions,
  ) {
    this.maxBatch = opts.maxBatch ?? 500
    this.maxInFlight = opts.maxInFlight ?? 3
  }

  private readonly maxInFlight: number

  /**
   * Records the event durably, leased to this instance. Resolves true for a new event, false for a duplicate
   * (already recorded by any instance); rejects when the database is unreachable (the webhook then answers 503).
   */
  accept(entry: InboxEntry): Promise<boolean> {
    // Serialised here, alone: a poison entry (nested too deep for JSON.stringify, a cycle, a BigInt) is refused by
    // itself (400) instead of throwing inside the batch statement and failing every batch-mate with 503 (review F10).
    let payload: string
    try {
      payload = JSON.stringify(entry.update)
    } catch (err) {
      return Promise.reject(new InboxRejectedError('event could not be serialised', { cause: err }))
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, payload, resolve, reject })
      this.scheduleFlush()
    })
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return
    this.flushScheduled = true
    // Let the other requests already parsed in this tick join the batch.
    setImmediate(() => {
      this.flushScheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.inFlight >= this.maxInFlight) return
    const batch = this.queue.splice(0, this.maxBatch)
    this.inFlight++
    try {
      const inserted = await this.insertBatch(batch)
      for (const p of batch) p.resolve(inserted.has(p.entry.key))
    } catch (err) {
      if (!isDataError(err)) for (const p of batch) p.reject(err)
      // One bad entry must not fail its neighbours: retry them one by one.
      else for (const p of batch) await this.insertAlone(p)
    } finally {
      this.inFlight--
      this.scheduleFlush()
    }
  }

  private async insertAlone(p: Pending): Promise<void> {
    try {
      const inserted = await this.insertBatch([p])
      p.resolve(inserted.has(p.entry.key))
    } catch (err) {
      p.reject(isDataError(err) ? new InboxRejectedError('event refused by the store', { cause: err }) : err)
    }
  }

  private async insertBatch(batch: Pending[]): Promise<Set<string>> {
    // One statement for the whole batch; arrays keep the parameter count at 5 whatever the batch size.
    // ON CONFLICT DO NOTHING covers both unique keys and duplicates inside the batch itself.
    // Rows go in key order: ON CONFLICT still waits for another transaction's uncommitted insert of the same key,
    // so two instances committing the same redelivered events in different arrival orders would deadlock (40P01,
    // the whole batch refused with 503). One order for everyone makes that impossible.
    const entries = batch.map((p) => ({ ...p.entry, payload: p.payload })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    const result = await sql<{ dedup_key: string }>`
      insert into inbox_events (dedup_key, event_id, event_type, payload, lease_owner, lease_until)
      select e.dedup_key, e.event_id, e.event_type, e.payload, ${this.opts.instanceId}, now() + make_interval(secs => ${this.opts.leaseSeconds})
      from unnest(${entries.map((e) => e.key)}::text[], ${entries.map((e) => e.eventId)}::text[],
                  ${entries.map((e) => e.eventType)}::text[], ${entries.map((e) => e.payload)}::text[])
           as e(dedup_key, event_id, event_type, payload)
      on conflict do nothing
      returning dedup_key`.execute(this.db)
    return new Set(result.rows.map((r) => r.dedup_key))
  }

  /** Marks events handled; batched, and the payload (message text) is dropped once it is no longer needed. */
  markDone(key: string): Promise<void> {
    this.doneQueue.push(key)
    if (!this.doneFlush) {
      this.doneFlush = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushDone())
    }
    return this.doneFlush
  }

  private async flushDone(): Promise<void> {
    try {
      while (this.doneQueue.length > 0) {
        const ids = this.doneQueue.splice(0, 1000)
        await sql`update inbox_events set status = 'done', payload = null, done_at = now(), lease_owner = null
                  where dedup_key = any(${ids}::text[])`.execute(this.db)
      }
    } finally {
      this.doneFlush = undefined
    }
  }

  /** A failed attempt: retried after a backoff by whichever instance sweeps it, or parked as failed for good. */
  async markFailed(key: string, attempts: number, maxAttempts: number, errorCode: string): Promise<void> {
    const final = attempts >= maxAttempts
    const backoffSeconds = Math.min(300, 5 * 2 ** Math.max(0, attempts - 1))
    await this.db
      .updateTable('inbox_events')
      .set({
        status: final ? 'failed' : 'pending',
        attempts,
        lease_owner: null,
        lease_until: sql<Date>`now() + make_interval(secs => ${backoffSeconds})`,
        last_error: errorCode.slice(0, 200),
        ...(final ? { payload: null } : {}),
      })
      .where('dedup_key', '=', key)
      .execute()
  }

  /** How long a lease lasts; an instance renews the leases of events it still works on well before that. */
  get leaseMs(): number {
    return this.opts.leaseSeconds * 1000
  }

  /**
   * Extends this instance's leases on events it is still working on (queued behind others, or waiting for a rate
   * limit), so that no sweep — here or on another instance — takes them for abandoned and runs them a second time.
   */
  async renewLeases(keys: string[]): Promise<void> {
    if (keys.length === 0) return
    await sql`update inbox_events set lease_until = now() + make_interval(secs => ${this.opts.leaseSeconds})
              where dedup_key = any(${keys}::text[]) and lease_owner = ${this.opts.instanceId} and status = 'pending'`.execute(this.db)
  }

  /** Gives back leases this instance cannot serve now (too busy), so any instance's sweep picks them up. */
  async release(keys: string[]): Promise<void> {
    if (keys.length === 0) return
    await sql`update inbox_events set lease_owner = null, lease_until = now() where dedup_key = any(${keys}::text[]) and status = 'pending'`.execute(this.db)
  }

  /**
   * Claims pending events whose lease has expired (their instance died, was busy, or a retry is due).
   * FOR UPDATE SKIP LOCKED lets several instances sweep at once without taking the same rows.
   */
  async claimExpired(limit: number): Promise<ClaimedEvent[]> {
    const result = await sql<{ dedup_key: string; event_id: string; event_type: string; payload: unknown; attempts: number; received_at: Date }>`
      update inbox_events i
      set lease_owner = ${this.opts.instanceId}, lease_until = now() + make_interval(secs => ${this.opts.leaseSeconds})
      from (select dedup_key from inbox_events
            where status = 'pending' and lease_until < now()
            order by received_at
            limit ${limit}
            for update skip locked) c
      where i.dedup_key = c.dedup_key
      returning i.dedup_key, i.event_id, i.event_type, i.payload, i.attempts, i.received_at`.execute(this.db)
    return result.rows
      .filter((r) => r.payload !== null)
      .map((r) => ({
        key: r.dedup_key,
        eventId: r.event_id,
        eventType: r.event_type,
        update: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Update,
        attempts: r.attempts,
        receivedAt: new Date(r.received_at),
      }))
  }

  /** Deletes handled and failed rows older than the retention (≥ 8 h: Feishu retries for about 7.1 h). */
  async prune(retentionHours: number): Promise<number> {
    const result = await this.db
      .deleteFrom('inbox_events')
      .where('status', 'in', ['done', 'failed'])
      .where('received_at', '<', sql<Date>`now() - make_interval(hours => ${retentionHours})`)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /** Waits for pending done-marks to be written (used when draining). */
  async flushPending(): Promise<void> {
    while (this.inFlight > 0 || this.queue.length > 0 || this.doneFlush) {
      if (this.doneFlush) await this.doneFlush
      else await new Promise((r) => setTimeout(r, 5))
    }
  }
}
