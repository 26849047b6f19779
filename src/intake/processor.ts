// Works off accepted events after the 200: in order per user, a bounded number at a time, with retries.
// Events it cannot take now (queue full, shutting down) stay in the inbox, where the sweep finds them again;
// the sweep also recovers events of an instance that died after acknowledging them.
import type { Update } from '../feishu/updates.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { errorCode } from '../errors.js'
import type { ClaimedEvent, Inbox } from './inbox.js'

export interface UpdateHandler {
  handleUpdate(update: Update): Promise<'handled' | 'ignored'>
  notifyGivingUp(update: Update): Promise<void>
}

export interface ProcessorOptions {
  concurrency: number
  maxQueued: number
  maxAttempts: number
  sweepIntervalMs: number
  retentionHours: number
}

/** Events of one user (or chat) are handled one after another, so a conversation sees its messages in order. */
function serialKey(update: Update): string {
  switch (update.kind) {
    case 'message':
      return `user:${update.message.senderOpenId}`
    case 'card_action':
      return `user:${update.action.operatorOpenId}`
    case 'bot_menu':
      return `user:${update.operatorOpenId}`
    case 'bot_added':
      return `chat:${update.chatId}`
    case 'p2p_entered':
      return `user:${update.openId}`
    case 'user_left':
      return `user:${update.openId}`
  }
}

export class EventProcessor {
  private readonly queues = new Map<string, ClaimedEvent[]>()
  private readonly ready: string[] = []
  private readonly running = new Set<string>()
  private queued = 0
  private stopping = false
  private sweepTimer: NodeJS.Timeout | undefined
  private sweeping: Promise<void> | undefined
  private idleWaiters: Array<() => void> = []
  private lastPrune = 0
  /**
   * Keys of the events this instance is working on (queued, running, or a card action's deferred work). Their
   * leases are renewed by the sweep; a sweep that finds one of them again has only renewed its lease.
   */
  private readonly held = new Set<string>()
  private lastRenewal = Date.now()

  constructor(
    private readonly inbox: Inbox,
    private readonly handler: UpdateHandler,
    private readonly opts: ProcessorOptions,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Queues an event this instance holds the lease of; false when full (the caller releases the lease). */
  submit(event: ClaimedEvent): boolean {
    // Already here (its lease lapsed while it waited, and the sweep claimed it back): do not run it twice.
    if (this.held.has(event.key)) return true
    if (this.stopping || this.queued >= this.opts.maxQueued) return false
    this.held.add(event.key)
    const key = serialKey(event.update)
    let queue = this.queues.get(key)
    if (!queue) {
      queue = []
      this.queues.set(key, queue)
    }
    queue.push(event)
    this.queued++
    if (queue.length === 1 && !this.running.has(key)) this.ready.push(key)
    this.pump()
    return true
  }

  start(): void {
    const tick = () => {
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = undefined
        if (!this.stopping) this.sweepTimer = setTimeout(tick, this.opts.sweepIntervalMs)
      })
    }
    this.sweepTimer = setTimeout(tick, 0)
  }

  /** Marks an event this instance works on outside the queue (a card action's deferred work), for lease renewal. */
  hold(key: string): void {
    this.held.add(key)
  }

  unhold(key: string): void {
    this.held.delete(key)
  }

  /** Claims expired leases (recovery, retries, overflow) and prunes old rows now and then. */
  async sweep(): Promise<void> {
    try {
      // Renew what is still being worked on here (a third of a lease apart), before anything is claimed.
      if (this.held.size > 0 && Date.now() - this.lastRenewal >= this.inbox.leaseMs / 3) {
        this.lastRenewal = Date.now()
        await this.inbox.renewLeases([...this.held])
      }
      // Claim in batches while there is room and work, so a backlog (overflow, a dead instance's events) drains fast.
      for (;;) {
        const room = this.opts.maxQueued - this.queued
        if (room <= 0 || this.stopping) break
        const batch = Math.min(room, 500)
        const claimed = await this.inbox.claimExpired(batch)
        if (claimed.length > 0) this.log.info({ count: claimed.length }, 'inbox sweep claimed events (recovery or retry)')
        const refused = claimed.filter((e) => !this.submit(e)).map((e) => e.key)
        await this.inbox.release(refused)
        if (claimed.length < batch) break
      }
      if (Date.now() - this.lastPrune > 10 * 60_000) {
        this.lastPrune = Date.now()
        await this.inbox.prune(this.opts.retentionHours)
      }
    } catch (err) {
      this.log.warn({ code: errorCode(err) }, 'inbox sweep failed')
    }
  }

  private pump(): void {
    while (this.running.size < this.opts.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!
      this.running.add(key)
      void this.runKey(key)
    }
  }

  private async runKey(key: string): Promise<void> {
    const queue = this.queues.get(key)!
    while (queue.length > 0) {
      await this.process(queue[0]!)
      queue.shift()
      this.queued--
    }
    this.queues.delete(key)
    this.running.delete(key)
    this.pump()
    if (this.queued === 0 && this.running.size === 0) for (const w of this.idleWaiters.splice(0)) w()
  }

  private async process(event: ClaimedEvent): Promise<void> {
    const type = event.update.kind
    const started = performance.now()
    try {
      const outcome = await this.handler.handleUpdate(event.update)
      // Ids, type and timing only (never text). Messages not addressed to the bot log at debug: they can be many.
      const level = outcome === 'ignored' ? 'debug' : 'info'
      if (this.log.isLevelEnabled(level)) {
        const ms = Math.round((performance.now() - started) * 10) / 10
        this.log[level]({ eventId: event.eventId, type, outcome, ms, attempt: event.attempts + 1 }, 'event handled')
      }
      // Not awaited: the next event of this user need not wait for the done-mark's round trip. If it is lost
      // (crash, Postgres gone), the lease expires and the idempotent handler runs again.
      this.inbox
        .markDone(event.key)
        .catch((err: unknown) => this.log.warn({ eventId: event.eventId, code: errorCode(err) }, 'could not mark event done'))
        .finally(() => this.held.delete(event.key))
      this.metrics.eventsProcessed.inc({ type })
      this.metrics.intakeToHandled.observe({ type }, (Date.now() - event.receivedAt.getTime()) / 1000)
    } catch (err) {
      const attempts = event.attempts + 1
      const code = errorCode(err)
      this.metrics.eventsFailed.inc({ type, code })
      this.log.error({ eventId: event.eventId, type, code, attempt: attempts }, 'event handling failed')
      try {
        if (attempts >= this.opts.maxAttempts) await this.handler.notifyGivingUp(event.update)
        await this.inbox.markFailed(event.key, attempts, this.opts.maxAttempts, code)
      } catch (markErr) {
        // The lease will expire and the sweep will retry it.
        this.log.warn({ eventId: event.eventId, code: errorCode(markErr) }, 'could not record failure')
      } finally {
        this.held.delete(event.key)
      }
    }
  }

  /** Stops taking work and waits (up to timeoutMs) for what is running; the rest stays parked in the inbox. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true
    if (this.sweepTimer) clearTimeout(this.sweepTimer)
    if (this.sweeping) await this.sweeping
    // Queued but not started events: give their leases back so another instance takes them at once.
    const notStarted: string[] = []
    for (const [key, queue] of this.queues) {
      const pending = this.running.has(key) ? queue.slice(1) : queue.slice()
      notStarted.push(...pending.map((e) => e.key))
      for (const e of pending) this.held.delete(e.key)
      queue.splice(this.running.has(key) ? 1 : 0)
    }
    this.ready.length = 0
    this.queued = [...this.queues.values()].reduce((n, q) => n + q.length, 0)
    await this.inbox.release(notStarted).catch(() => undefined)
    const idle = this.queued === 0 && this.running.size === 0
    const finished = idle || (await Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]))
    await this.inbox.flushPending().catch(() => undefined)
    return finished
  }

  /** Resolves when nothing is queued or running (tests and benchmarks). */
  async idle(): Promise<void> {
    if (this.queued === 0 && this.running.size === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  get queuedCount(): number {
    return this.queued
  }
}
