// The periodic tick behind reminders, overdue checks and digests: a pg-boss cron job (one per minute across all
// instances, surviving restarts) that runs every registered periodic task with the injected clock.
// pg-boss because it is the one queue shown to run on both the embedded PGlite and Postgres (docs/architecture.md).
import PgBoss from 'pg-boss'
import type pg from 'pg'
import type { Logger } from './logger.js'
import { errorCode } from './errors.js'

const TICK_QUEUE = 'union-bot-tick'

export class Scheduler {
  private boss: PgBoss | undefined

  constructor(
    private readonly pool: pg.Pool,
    private readonly tick: () => Promise<void>,
    private readonly log: Logger,
    private readonly timezone: string,
  ) {}

  async start(): Promise<void> {
    // Share the bot's one pool: on PGlite there must be exactly one gate per instance (STACK-NOTES §2, §5).
    const boss = new PgBoss({
      db: { executeSql: async (text, values) => this.pool.query(text, values) },
      schema: 'pgboss',
      cronWorkerIntervalSeconds: 5,
      supervise: true,
    })
    boss.on('error', (err) => this.log.warn({ code: errorCode(err) }, 'scheduler error'))
    await boss.start()
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: 'short' } as never).catch(() => undefined)
    // Every minute; the tasks themselves decide (in DIGEST_TIMEZONE / TIMEZONE) whether their time has come.
    await boss.schedule(TICK_QUEUE, '* * * * *', {}, { tz: this.timezone })
    await boss.work(TICK_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
      await this.tick()
    })
    this.boss = boss
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000, close: false })
    this.boss = undefined
  }
}
