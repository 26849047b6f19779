// The periodic tick behind reminders, overdue checks and digests: a pg-boss cron job (one per minute across all
// instances, surviving restarts) that runs every registered periodic task with the injected clock.
// pg-boss because it is the one queue shown to run on both the embedded PGlite and Postgres (docs/architecture.md).
import PgBoss from 'pg-boss'
import type pg from 'pg'
import type { Logger } from './logger.js'
import { errorCode } from './errors.js'

export const TICK_QUEUE = 'union-bot-tick'

/**
 * pg-boss's own intervals. The defaults suit production (the tick is once a minute anyway); a test that wants to
 * see the first tick within seconds of start turns them down.
 */
export interface SchedulerTuning {
  /** How often pg-boss checks the cron schedules (pg-boss default 30 s; 1–45). */
  cronMonitorIntervalSeconds?: number
  /** How often the internal cron worker turns due schedules into jobs (1–45). */
  cronWorkerIntervalSeconds?: number
  /** How often this instance polls the tick queue. */
  pollingIntervalSeconds?: number
}

export class Scheduler {
  private boss: PgBoss | undefined

  constructor(
    private readonly pool: pg.Pool,
    private readonly tick: () => Promise<void>,
    private readonly log: Logger,
    private readonly timezone: string,
    private readonly tuning: SchedulerTuning = {},
  ) {}

  async start(): Promise<void> {
    // Share the bot's one pool: on PGlite there must be exactly one gate per instance (docs/stack.md#pglite, #pg-boss).
    const boss = new PgBoss({
      db: { executeSql: async (text, values) => this.pool.query(text, values) },
      schema: 'pgboss',
      cronWorkerIntervalSeconds: this.tuning.cronWorkerIntervalSeconds ?? 5,
      ...(this.tuning.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: this.tuning.cronMonitorIntervalSeconds } : {}),
      supervise: true,
    })
    boss.on('error', (err) => this.log.warn({ code: errorCode(err) }, 'scheduler error'))
    await boss.start()
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: 'short' } as never).catch(() => undefined)
    // Every minute; the tasks themselves decide (in DIGEST_TIMEZONE / TIMEZONE) whether their time has come.
    await boss.schedule(TICK_QUEUE, '* * * * *', {}, { tz: this.timezone })
    await boss.work(TICK_QUEUE, { pollingIntervalSeconds: this.tuning.pollingIntervalSeconds ?? 2 }, async () => {
      await this.tick()
    })
    this.boss = boss
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000, close: false })
    this.boss = undefined
  }
}
