// Composition root: builds one bot instance (database, state, Feishu client, inbox, dispatcher, HTTP app)
// from a Config. main.ts runs it; tests start several in one process, each with its own options.
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import type Router from '@koa/router'
import type Koa from 'koa'
import { WorkCalendar } from './calendar.js'
import { refreshCalendar } from './organisation/holiday-store.js'
import { prepareSetupCode } from './organisation/setup.js'
import { recordWebhookChallenge, seedCommitteeChat } from './organisation/store.js'
import { systemClock, type Clock } from './clock.js'
import { assertWebhookSigned, usesLongConnection, usesWebhook, type Config } from './config.js'
import { connectDatabase, type DatabaseHandle } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import type { BotServices } from './dispatch/context.js'
import { Dispatcher, type BotIdentity } from './dispatch/dispatcher.js'
import { BotRouter } from './dispatch/router.js'
import { configuredUnion, localChecks, readUnion } from './doctor.js'
import { errorCode } from './errors.js'
import { Outbound, type RetryPolicy } from './feishu/outbound.js'
import { UnconfiguredOutbound, type OutboundPort } from './feishu/outbound-port.js'
import { WINDOW_MS, type RateLimits } from './feishu/rate-limiter.js'
import { createHttpApp, createOpsApp, type Readiness } from './http/server.js'
import { Inbox } from './intake/inbox.js'
import { Intake } from './intake/intake.js'
import { LiveCards } from './kit/live-cards.js'
import { MassSendLoop } from './kit/mass-send.js'
import { EventProcessor, type ProcessorOptions } from './intake/processor.js'
import { createLogger, type Logger } from './logger.js'
import { Metrics } from './metrics.js'
import { Scheduler, type SchedulerTuning } from './scheduler.js'
import { Conversations } from './state/conversations.js'
import { ConversationDrafts } from './state/drafts.js'
import { Locks } from './state/locks.js'
import { MemoryStateStore } from './state/memory-store.js'
import { RedisStateStore } from './state/redis-store.js'
import { STATE_KEY_SECRET_NAME, serverSecret } from './state/server-secret.js'
import type { StateStore } from './state/store.js'
import { LongConnection, type RestartPolicy } from './transport/long-connection.js'
import { Roles } from './core/roles.js'
import { UserDirectory } from './core/users.js'


/** How often each instance re-reads the holiday arrangements officers load (`节假日 设置`). */
const CALENDAR_SYNC_MS = 30_000

export interface BotOptions {
  clock?: Clock
  logger?: Logger
  /** Distinguishes instances in inbox leases; random by default. */
  instanceId?: string
  /** Redis key prefix (tests give each file its own). */
  redisNamespace?: string
  outbound?: { retry?: Partial<RetryPolicy>; timeoutMs?: number; limits?: Partial<RateLimits>; port?: OutboundPort }
  processor?: Partial<ProcessorOptions>
  dbPoolSize?: number
  /** Registers the feature handlers: the composition root (src/main.ts) passes registerHandlers, so src/ never imports handlers/. */
  register: (router: BotRouter) => void
  /** pg-boss intervals (tests that wait for a real tick turn them down). */
  scheduler?: SchedulerTuning
  /** Extra HTTP routes (the playground). */
  extraRoutes?: (router: Router) => void
  /** Where the internal listener (/healthz, /readyz, /metrics) goes whatever INTERNAL_PORT says; port 0 = a free one. */
  ops?: { port: number; host?: string }
  /** Clock of the webhook's replay checks, in ms (tests move it forward); real time by default, not `clock`. */
  webhookNow?: () => number
  /** Backoff of long-connection restarts after the SDK gave up (tests shorten it). */
  longConnection?: { restart?: Partial<RestartPolicy> }
  /**
   * Start-up work the caller does after listen() (the playground's demo data), named for /readyz: it answers 503
   * until startupDone(). Without it the bot is ready once listen() has finished its own start-up work.
   */
  startupWork?: string
}

export interface Bot {
  readonly config: Config
  readonly services: BotServices
  readonly router: BotRouter
  readonly dispatcher: Dispatcher
  readonly processor: EventProcessor
  readonly inbox: Inbox
  readonly metrics: Metrics
  readonly http: Koa
  readonly database: DatabaseHandle
  /** The long connection (FEISHU_TRANSPORT=websocket or both), started by listen(). */
  readonly longConnection: LongConnection | undefined
  /** Base URL of the internal listener once listening, if there is one (INTERNAL_PORT, BotOptions.ops). */
  readonly internalUrl: string | undefined
  /**
   * Starts the HTTP server (port 0 picks a free one) and the background work. `bound` names the address really
   * bound ("127.0.0.1:3000", "all interfaces (0.0.0.0:3000)"); `url` reaches it (over loopback for a wildcard).
   */
  listen(port?: number, host?: string): Promise<{ port: number; url: string; bound: string; allInterfaces: boolean }>
  /** Ends the start-up work named by BotOptions.startupWork: /readyz may say ready from now on. */
  startupDone(): void
  /** Runs every periodic task once, as a scheduler tick at `now` would. */
  runPeriodic(now?: Date): Promise<void>
  /** Drains: stop accepting, finish or park in-flight work, close pools. */
  stop(opts?: { drainTimeoutMs?: number }): Promise<void>
}

export async function createBot(config: Config, options: BotOptions): Promise<Bot> {
  // Before anything is opened: a refused configuration leaves nothing to clean up.
  assertWebhookSigned(config)
  const log = options.logger ?? createLogger(config.logLevel)
  const clock = options.clock ?? systemClock
  const metrics = new Metrics()
  const instanceId = options.instanceId ?? `${process.pid}-${randomUUID().slice(0, 8)}`

  const database = await connectDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir, ...(options.dbPoolSize ? { poolSize: options.dbPoolSize } : {}) })
  let state: StateStore | undefined
  let stateKeySecret: string
  try {
    await migrateToLatest(database.db)
    // The key that hides open_ids in state-store key names; from the database unless configured (review F2).
    stateKeySecret = config.stateKeySecret ?? (await serverSecret(database.db, STATE_KEY_SECRET_NAME))
    // The committee group from UNION_ADMIN_CHAT_ID until one is chosen in chat; a setup code while no chair exists.
    await seedCommitteeChat(database.db, config.union.adminChatId)
    await prepareSetupCode(database.db, config, log)
    state = await openStateStore(config, log, options.redisNamespace)
  } catch (err) {
    await database.close()
    throw err
  }
  if (database.kind === 'pglite') log.info({ dataDir: config.pgliteDataDir }, 'DATABASE_URL not set: using the embedded PGlite database')

  let outbound: OutboundPort
  if (options.outbound?.port) outbound = options.outbound.port
  else if (config.feishu.appId && config.feishu.appSecret) {
    outbound = new Outbound({
      appId: config.feishu.appId,
      appSecret: config.feishu.appSecret,
      domain: config.feishu.domain,
      log,
      metrics,
      ...(options.outbound?.retry ? { retry: options.outbound.retry } : {}),
      ...(options.outbound?.limits ? { limits: options.outbound.limits } : {}),
      ...(options.outbound?.timeoutMs ? { timeoutMs: options.outbound.timeoutMs } : {}),
      // With Redis, every instance keeps to one budget (docs/scaling.md); the in-memory state serves one process.
      ...(state instanceof RedisStateStore && config.feishu.sharedRateLimits ? { sharedBudget: state.rateBudget(WINDOW_MS, stateKeySecret) } : {}),
    })
  } else {
    log.warn('FEISHU_APP_ID / FEISHU_APP_SECRET are not set: the bot cannot send anything to Feishu (see README, "Feishu app setup")')
    outbound = new UnconfiguredOutbound()
  }
  if (!usesWebhook(config)) log.info({ transport: config.feishu.transport }, 'events and card callbacks arrive over the long connection only: the webhook routes are off')
  else if (!config.feishu.verificationToken) log.warn('FEISHU_VERIFICATION_TOKEN is not set: every webhook request will be refused with 401')
  else if (!config.feishu.encryptKey) {
    log.warn(
      { replayWindowSeconds: config.feishu.replayWindowSeconds },
      'UNSIGNED WEBHOOK (ALLOW_UNSIGNED_WEBHOOK=1): events are not signed; anyone who has seen the verification token can forge them. Set FEISHU_ENCRYPT_KEY in production',
    )
  }

  const roles = new Roles(database.db, config.union.officerOpenIds)
  const services: BotServices = {
    config,
    db: database.db,
    dbKind: database.kind,
    clock,
    log,
    outbound,
    users: new UserDirectory(database.db, (openId) => outbound.fetchUserName(openId)),
    roles,
    conversations: new Conversations(state, config.conversationTtlSeconds, stateKeySecret, new ConversationDrafts(database.db, stateKeySecret)),
    locks: new Locks(state, stateKeySecret),
    state,
    calendar: new WorkCalendar(config.timezone),
    liveCards: new LiveCards(config.liveCards.reconcileMaxPatches),
  }

  const router = new BotRouter()
  options.register(router)
  for (const { role, check } of router.listRoles()) roles.define(role, (openId) => check(openId, services))
  for (const [subjectType, spec] of router.listLiveCards()) services.liveCards.define(subjectType, spec)

  const identity = new CachedBotIdentity(outbound, log)
  const dispatcher = new Dispatcher(router, services, identity, {
    understood: (via) => metrics.messagesUnderstood.inc({ via }),
    unmatched: (reason) => metrics.messagesUnmatched.inc({ reason }),
  })
  const inbox = new Inbox(database.db, { instanceId, leaseSeconds: config.inbox.leaseSeconds })
  const processor = new EventProcessor(
    inbox,
    dispatcher,
    {
      concurrency: 16,
      maxQueued: 5000,
      maxAttempts: config.inbox.maxAttempts,
      sweepIntervalMs: config.inbox.sweepIntervalMs,
      retentionHours: config.inbox.retentionHours,
      ...options.processor,
    },
    log,
    metrics,
  )
  const intake = new Intake(inbox, processor, dispatcher, log, metrics)
  // The same intake as the webhook's: one inbox, one set of de-duplication keys for both transports.
  const longConnection = usesLongConnection(config)
    ? new LongConnection({
        appId: config.feishu.appId!,
        appSecret: config.feishu.appSecret!,
        domain: config.feishu.domain,
        pingTimeoutSeconds: config.feishu.wsPingTimeoutSeconds,
        encryptKey: config.feishu.encryptKey,
        intake,
        log,
        metrics,
        ...(options.longConnection?.restart ? { restart: options.longConnection.restart } : {}),
      })
    : undefined
  // Start-up still under way (issue #12): the internal listener answers before listen() has finished, and the
  // playground seeds its demo data after it. `startup` shows in /readyz only while pending.
  let listenDone = false
  let callerWorkDone = options.startupWork === undefined
  const startupPending = (): string | undefined =>
    !listenDone ? 'start-up: background work not started yet' : !callerWorkDone ? `start-up: ${options.startupWork} not ready yet` : undefined
  const checkReady = async (): Promise<Readiness> => {
    const pending = startupPending()
    if (pending) return { ok: false, checks: { startup: false }, reasons: { startup: pending } }
    const [pgOk, stateOk] = await Promise.all([
      database.db.selectNoFrom((eb) => eb.val(1).as('one')).execute().then(() => true, () => false),
      state.ping(),
    ])
    if (!longConnection) return { ok: pgOk && stateOk, checks: { postgres: pgOk, redis: stateOk } }
    // Events reach this instance only while its long connection is up (docs/feishu-platform.md#long-connection).
    const lc = longConnection.status()
    const lcOk = lc.state === 'connected'
    return {
      ok: pgOk && stateOk && lcOk,
      checks: { postgres: pgOk, redis: stateOk, longConnection: lcOk },
      ...(lcOk ? {} : { reasons: { longConnection: `${lc.state}: ${lc.reason ?? 'not connected'}` } }),
    }
  }
  // The committee group and officers set in chat (kept in Postgres) count, not only the environment's (issue #20).
  const readyDetails = async () => localChecks(config, services.calendar, clock.now(), await readUnion(database.db, config).catch(() => configuredUnion(config)))
  const http = createHttpApp({
    feishu: config.feishu,
    intake,
    log,
    metrics,
    checkReady,
    readyDetails,
    metricsToken: config.ops.metricsToken,
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.webhookNow ? { now: options.webhookNow } : {}),
    bodyTimeoutMs: config.http.bodyTimeoutMs,
    webhook: usesWebhook(config),
    // Not awaited: the challenge's answer must not wait on Postgres (Feishu allows 3 s); a failure is only logged.
    onChallenge: () => void recordWebhookChallenge(database.db, clock.now()).catch((err: unknown) => log.warn({ code: errorCode(err) }, 'could not record the URL verification')),
  })
  const scheduler = config.schedulerEnabled
    ? new Scheduler(database.pool, () => dispatcher.runPeriodic(clock.now()), log, config.digest.timezone, options.scheduler)
    : undefined

  const opsListen = options.ops ?? (config.ops.port !== undefined ? { port: config.ops.port, host: config.ops.host } : undefined)
  const opsApp = opsListen ? createOpsApp({ metrics, checkReady, log, readyDetails }) : undefined
  let opsServer: Server | undefined
  let internalUrl: string | undefined
  let server: Server | undefined
  const sockets = new Set<import('node:net').Socket>()
  const stateStore = state
  let calendarSync: NodeJS.Timeout | undefined
  // Every instance works on every unfinished mass send (src/kit/mass-send.ts): claims keep them apart.
  const massSends = new MassSendLoop(
    database.db,
    instanceId,
    config.massSend.pollMs,
    (stopped) => dispatcher.runMassSends({ by: instanceId, batch: config.massSend.batch, leaseSeconds: config.massSend.leaseSeconds, stopped }),
    (err) => log.error({ code: errorCode(err) }, 'mass send loop failed'),
  )

  return {
    config,
    services,
    router,
    dispatcher,
    processor,
    inbox,
    metrics,
    http,
    database,
    longConnection,
    get internalUrl() {
      return internalUrl
    },
    async listen(port = config.port, host = config.host) {
      // Slow or idle clients must not hold connections (security review F11): Node's defaults are a 300 s request
      // timeout and no connection cap. Timeouts are checked every second (Node's default: every 30 s).
      server = createServer(
        {
          requestTimeout: config.http.requestTimeoutMs,
          headersTimeout: config.http.headersTimeoutMs,
          keepAliveTimeout: config.http.keepAliveTimeoutMs,
          connectionsCheckingInterval: Math.min(1000, config.http.headersTimeoutMs),
        },
        http.callback(),
      )
      server.maxConnections = config.http.maxConnections
      // Feishu keeps connections alive; remember them so a drain can close idle ones.
      server.on('connection', (s) => {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
      })
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject)
        server!.listen(port, host, () => resolve())
      })
      if (opsApp && opsListen) {
        const opsHost = opsListen.host ?? config.ops.host
        opsServer = createServer({ requestTimeout: config.http.requestTimeoutMs, headersTimeout: config.http.headersTimeoutMs }, opsApp.callback())
        // A probe and a scraper or two: a small cap keeps a misbehaving client from tying up the process.
        opsServer.maxConnections = 100
        try {
          await new Promise<void>((resolve, reject) => {
            opsServer!.once('error', reject)
            opsServer!.listen(opsListen.port, opsHost, () => resolve())
          })
        } catch (err) {
          // The public server is already up: close it, or the process would serve without its internal endpoints.
          await new Promise<void>((resolve) => server!.close(() => resolve()))
          throw err
        }
        internalUrl = `http://${opsHost.includes(':') ? `[${opsHost}]` : opsHost}:${(opsServer.address() as AddressInfo).port}`
        log.info({ internalUrl }, 'internal endpoints (/healthz, /readyz, /metrics) listening')
      }
      // Officer-loaded holiday arrangements: read before the first event, then re-read so a year loaded on another
      // instance is in use here within CALENDAR_SYNC_MS.
      await refreshCalendar(database.db, services.calendar).catch((err) => log.error({ code: errorCode(err) }, 'holiday arrangements not loaded'))
      calendarSync = setInterval(() => {
        refreshCalendar(database.db, services.calendar).catch((err) => log.warn({ code: errorCode(err) }, 'holiday arrangements not re-read'))
      }, CALENDAR_SYNC_MS)
      calendarSync.unref()
      processor.start()
      massSends.start()
      identity.warmUp()
      longConnection?.start()
      if (scheduler) {
        await scheduler.start().catch((err) => log.error({ code: errorCode(err) }, 'scheduler did not start'))
        // Catch up at start (a digest or reminder due while the bot was down, if still in its window).
        void dispatcher.runPeriodic(clock.now())
      }
      const address = server.address() as AddressInfo
      // What was really bound (issue #19): a wildcard is named as such; the URL then reaches it over loopback.
      const allInterfaces = address.address === '0.0.0.0' || address.address === '::'
      const shownHost = allInterfaces ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address
      const bound = allInterfaces ? `all interfaces (${address.family === 'IPv6' ? `[::]` : '0.0.0.0'}:${address.port})` : `${shownHost}:${address.port}`
      listenDone = true
      return { port: address.port, url: `http://${shownHost}:${address.port}`, bound, allInterfaces }
    },
    startupDone() {
      callerWorkDone = true
    },
    runPeriodic: (now = clock.now()) => dispatcher.runPeriodic(now),
    async stop(opts = {}) {
      if (calendarSync) clearInterval(calendarSync)
      // First stop taking events in: frames not yet acknowledged are redelivered by Feishu.
      longConnection?.stop()
      if (opsServer) {
        opsServer.closeAllConnections?.()
        await new Promise<void>((resolve) => opsServer!.close(() => resolve()))
      }
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()))
        server.closeIdleConnections?.()
        for (const s of sockets) if (!(s as unknown as { _httpMessage?: unknown })._httpMessage) s.destroy()
        await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())])
        for (const s of sockets) s.destroy()
      }
      await massSends.stop()
      const drained = await processor.drain(opts.drainTimeoutMs ?? 10_000)
      if (!drained) log.warn('drain timed out: unfinished events stay in the inbox for the next start')
      await scheduler?.stop().catch(() => undefined)
      await stateStore.close()
      await database.close()
    },
  }
}

async function openStateStore(config: Config, log: Logger, namespace?: string): Promise<StateStore> {
  if (!config.redisUrl) {
    log.info('REDIS_URL not set: conversation state is kept in memory (single instance only)')
    return new MemoryStateStore()
  }
  return RedisStateStore.connect(config.redisUrl, namespace, (err) => log.warn({ code: errorCode(err) }, 'redis not reachable at start; will keep retrying'))
}

/** Fetches the bot's open_id once (retrying in the background until Feishu answers). */
class CachedBotIdentity implements BotIdentity {
  private value: string | undefined
  private pending: Promise<string | undefined> | undefined
  private lastFailure = 0

  constructor(
    private readonly outbound: OutboundPort,
    private readonly log: Logger,
  ) {}

  warmUp(): void {
    void this.openId()
  }

  async openId(): Promise<string | undefined> {
    if (this.value) return this.value
    // Do not hammer the API while it is failing; group messages wait for the identity (they are retried).
    if (Date.now() - this.lastFailure < 5000 && !this.pending) return undefined
    this.pending ??= this.outbound
      .fetchBotOpenId()
      .then((id) => (this.value = id))
      .catch((err) => {
        this.lastFailure = Date.now()
        this.log.warn({ code: errorCode(err) }, 'could not fetch the bot open_id (bot/v3/info)')
        return undefined
      })
      .finally(() => (this.pending = undefined))
    return this.pending
  }
}
