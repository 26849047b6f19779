// Configuration: every environment variable the bot reads, validated once and frozen (see .env.example).
import { z } from 'zod'
import { LOG_FORMATS, type LogFormat } from './logger.js'
import { MIN_STATE_KEY_SECRET_LENGTH } from './state/person-key.js'
import { parseGrievanceRoutes } from './grievances/model.js'

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))

const intWithDefault = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a non-negative integer, got "${v}"` })
        return z.NEVER
      }
      return n
    })

const idList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

const envSchema = z.object({
  PORT: intWithDefault(3000),
  HOST: optionalText,
  HTTP_REQUEST_TIMEOUT_MS: intWithDefault(15_000),
  HTTP_HEADERS_TIMEOUT_MS: intWithDefault(10_000),
  HTTP_BODY_TIMEOUT_MS: intWithDefault(5_000),
  HTTP_KEEPALIVE_TIMEOUT_MS: intWithDefault(5_000),
  HTTP_MAX_CONNECTIONS: intWithDefault(1000),
  INTERNAL_PORT: intWithDefault(9464),
  INTERNAL_HOST: optionalText,
  METRICS_TOKEN: optionalText,
  LOG_LEVEL: optionalText,
  LOG_FORMAT: optionalText,
  FEISHU_APP_ID: optionalText,
  FEISHU_APP_SECRET: optionalText,
  FEISHU_VERIFICATION_TOKEN: optionalText,
  FEISHU_ENCRYPT_KEY: optionalText,
  FEISHU_DOMAIN: optionalText,
  FEISHU_REPLAY_WINDOW_SECONDS: intWithDefault(300),
  FEISHU_TRANSPORT: optionalText,
  FEISHU_WS_PING_TIMEOUT_SECONDS: intWithDefault(30),
  ALLOW_UNSIGNED_WEBHOOK: optionalText,
  DATABASE_URL: optionalText,
  PGLITE_DATA_DIR: optionalText,
  REDIS_URL: optionalText,
  STATE_KEY_SECRET: optionalText,
  UNION_ADMIN_CHAT_ID: optionalText,
  UNION_OFFICER_OPEN_IDS: idList,
  UNION_SETUP_CODE: optionalText,
  UNION_SETUP_MAX_WRONG_CODES: intWithDefault(5),
  UNION_SETUP_WINDOW_MINUTES: intWithDefault(15),
  UNION_SETUP_LOCK_MINUTES: intWithDefault(15),
  CONVERSATION_TTL_SECONDS: intWithDefault(1800),
  INBOX_LEASE_SECONDS: intWithDefault(60),
  INBOX_SWEEP_INTERVAL_MS: intWithDefault(2000),
  INBOX_RETENTION_HOURS: intWithDefault(24),
  INBOX_MAX_ATTEMPTS: intWithDefault(5),
  TIMEZONE: optionalText,
  GRIEVANCE_ACCEPT_WORKDAYS: intWithDefault(3),
  GRIEVANCE_RESOLVE_WORKDAYS: intWithDefault(15),
  GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES: intWithDefault(10),
  GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES: intWithDefault(60),
  GRIEVANCE_DAILY_FILING_CAP: intWithDefault(5),
  GRIEVANCE_DAILY_FOLLOWUP_CAP: intWithDefault(20),
  GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD: intWithDefault(5),
  GRIEVANCE_ROUTES: optionalText,
  PROPOSAL_MIN_COSIGNERS: intWithDefault(2),
  MEMBERSHIP_TERMS: optionalText,
  DIGEST_TIMEZONE: optionalText,
  DIGEST_MIN_PUBLIC_COUNT: intWithDefault(3),
  ACTIVITY_RECONCILE_MAX_PATCHES: intWithDefault(100),
  SCHEDULER_ENABLED: optionalText,
  PLAYGROUND: optionalText,
})

export interface Config {
  /** HTTP port of the webhook server. */
  readonly port: number
  readonly host: string | undefined
  /** Limits of the HTTP server (security review F11): slow or idle clients cannot hold connections for long. */
  readonly http: {
    /** Whole request, headers and body (Node's server.requestTimeout). */
    readonly requestTimeoutMs: number
    readonly headersTimeoutMs: number
    /** Reading a webhook body; Feishu itself gives up after 3 s (docs/feishu-platform.md#delivery). */
    readonly bodyTimeoutMs: number
    /** Idle time of a kept-alive connection; above the idle timeout of a reverse proxy in front. */
    readonly keepAliveTimeoutMs: number
    readonly maxConnections: number
  }
  /**
   * /readyz and /metrics (security review F13): served on their own listener, loopback by default, and on the public
   * port only with `Authorization: Bearer <metricsToken>`. /healthz is served on both.
   */
  readonly ops: {
    /** Port of the internal listener; undefined = none (INTERNAL_PORT=0). */
    readonly port: number | undefined
    readonly host: string
    readonly metricsToken: string | undefined
  }
  readonly logLevel: string
  /** LOG_FORMAT: JSON lines (default, for log shippers) or one short human line each (`pretty`). */
  readonly logFormat: LogFormat
  readonly feishu: {
    readonly appId: string | undefined
    readonly appSecret: string | undefined
    readonly verificationToken: string | undefined
    /** When set, bodies are AES-encrypted and requests signed; both are enforced. */
    readonly encryptKey: string | undefined
    /** Open API base URL without a trailing slash (the node-sdk builds `${domain}/open-apis/...`). */
    readonly domain: string
    /** Requests whose X-Lark-Request-Timestamp is further than this from now are refused as replays. */
    readonly replayWindowSeconds: number
    /** ALLOW_UNSIGNED_WEBHOOK=1: accept token-only (unsigned) events, dated by header.create_time; off by default. */
    readonly allowUnsignedWebhook: boolean
    /**
     * How events and card callbacks arrive: the HTTP webhook, the long connection (an outbound WebSocket opened by
     * node-sdk's WSClient, docs/feishu-platform.md#long-connection), or both at once (one inbox de-duplicates).
     */
    readonly transport: FeishuTransport
    /** wsConfig.pingTimeout: seconds without any frame after a ping before the socket is taken for dead (SDK default: never). */
    readonly wsPingTimeoutSeconds: number
  }
  /** Postgres connection string; undefined means the embedded PGlite in `pgliteDataDir`. */
  readonly databaseUrl: string | undefined
  readonly pgliteDataDir: string
  /** Redis URL for conversation state; undefined means an in-process memory store. */
  readonly redisUrl: string | undefined
  /**
   * Key of the HMAC that replaces open_ids in state-store key names (src/state/person-key.ts); the same on every
   * instance. Undefined: generated once and kept in Postgres (server_secrets).
   */
  readonly stateKeySecret: string | undefined
  readonly union: {
    readonly adminChatId: string | undefined
    readonly officerOpenIds: readonly string[]
    /** UNION_SETUP_CODE: the one-time code of `初始化` while no chair exists; a random one is printed at start otherwise. */
    readonly setupCode: string | undefined
    /** Wrong setup codes (from anyone) within windowMinutes that lock `初始化` for lockMinutes. */
    readonly setupLimits: { readonly maxWrong: number; readonly windowMinutes: number; readonly lockMinutes: number }
  }
  readonly conversationTtlSeconds: number
  readonly inbox: {
    readonly leaseSeconds: number
    readonly sweepIntervalMs: number
    readonly retentionHours: number
    readonly maxAttempts: number
  }
  /** IANA zone for dates shown to users and for working-day deadlines (the server itself may run in UTC). */
  readonly timezone: string
  readonly grievance: {
    readonly acceptWorkdays: number
    readonly resolveWorkdays: number
    /** An anonymous reporter's 补充 and rating reach the committee after a random delay in this range (F7). */
    readonly anonRelayDelayMinMinutes: number
    readonly anonRelayDelayMaxMinutes: number
    /** Filings and 补充 one person may send per local day (0 = no limit). */
    readonly dailyFilingCap: number
    readonly dailyFollowUpCap: number
    /** More overdue cases than this: the daily reminder is a summary (counts, the most overdue) instead of every case. */
    readonly overdueSummaryThreshold: number
    /** Categories whose cases also go to a special committee's members (issue #13 routing): category → committee. */
    readonly routes: ReadonlyMap<string, string>
  }
  readonly proposal: { readonly minCosigners: number }
  /** What 入会 tells a worker membership means (dues, rights, duties); the default text when unset. */
  readonly members: { readonly terms: string | undefined }
  readonly digest: {
    readonly timezone: string
    /** Public digests show no grievance count (total, category, median, satisfaction) below this (issue #6's rule of 3). */
    readonly minPublicCount: number
  }
  /**
   * Most live-card patches one reconcile tick (each minute) sends, all subject types together; the rest wait for
   * the next tick, oldest first. 100 a minute is about 3% of Feishu's 50/s app budget
   * (docs/feishu-platform.md#rate-limits). Still set by ACTIVITY_RECONCILE_MAX_PATCHES, the name deployments know.
   */
  readonly liveCards: { readonly reconcileMaxPatches: number }
  /** Whether this process runs the periodic scheduler (pg-boss cron); tests switch it off and tick by hand. */
  readonly schedulerEnabled: boolean
  /**
   * Serve the local playground (a browser stand-in for Feishu): PLAYGROUND=1, or implied on a bare machine (no
   * FEISHU_* variable, no DATABASE_URL, no REDIS_URL at all), never because one of them is missing or blank.
   */
  readonly playground: boolean
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
}

export const FEISHU_TRANSPORTS = ['webhook', 'websocket', 'both'] as const
export type FeishuTransport = (typeof FEISHU_TRANSPORTS)[number]

/** node-sdk's WSClient silently does nothing for any other app id (docs/feishu-platform.md#long-connection). */
export const LONG_CONNECTION_APP_ID = /^cli_[0-9a-fA-F]{16}$/

export const usesWebhook = (config: Config): boolean => config.feishu.transport !== 'websocket'
export const usesLongConnection = (config: Config): boolean => config.feishu.transport !== 'webhook'

/**
 * Refuses a webhook that would take in events without a signature: a verification token but no Encrypt Key
 * means no signature and no clock check (security review F5). ALLOW_UNSIGNED_WEBHOOK=1 accepts that knowingly.
 * Without a token the webhook refuses every request anyway, so that configuration is left alone.
 */
export function assertWebhookSigned(config: Config): void {
  const f = config.feishu
  // Without the webhook (FEISHU_TRANSPORT=websocket) no HTTP event is taken in, signed or not.
  if (!usesWebhook(config)) return
  if (f.verificationToken && !f.encryptKey && !f.allowUnsignedWebhook) {
    throw new ConfigError(
      'FEISHU_ENCRYPT_KEY is not set: the webhook would accept unsigned events with the verification token alone. ' +
        'Set FEISHU_ENCRYPT_KEY (Feishu console → 事件与回调 → 加密策略), or set ALLOW_UNSIGNED_WEBHOOK=1 to accept unsigned events on purpose.',
    )
  }
}

/** The Feishu app's credentials: set but blank means a secret that did not mount, so the bot refuses to start. */
export const FEISHU_CREDENTIALS = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY'] as const

/**
 * Whether the environment holds anything of a real installation: any FEISHU_* variable, DATABASE_URL or REDIS_URL,
 * present at all (even blank). Only a bare environment implies the login-less playground (issue #19).
 */
export function looksLikeInstallation(env: NodeJS.ProcessEnv): boolean {
  return Object.entries(env).some(([k, v]) => v !== undefined && (k.startsWith('FEISHU_') || k === 'DATABASE_URL' || k === 'REDIS_URL'))
}

function grievanceRoutes(text: string | undefined): ReadonlyMap<string, string> {
  const r = parseGrievanceRoutes(text ?? '')
  if ('error' in r) throw new ConfigError(`GRIEVANCE_ROUTES: ${r.error}`)
  return r.routes
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blank = FEISHU_CREDENTIALS.filter((name) => env[name] !== undefined && env[name]!.trim() === '')
  if (blank.length) {
    throw new ConfigError(`${blank.join(', ')} ${blank.length > 1 ? 'are' : 'is'} set but empty: set the real value, or remove the variable (did a secret fail to mount?)`)
  }
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`invalid configuration: ${problems}`)
  }
  const e = parsed.data
  // Feishu retries for about 7.1 hours; we keep processed ids at least 8 hours (issue #2).
  if (e.INBOX_RETENTION_HOURS < 8) throw new ConfigError('INBOX_RETENTION_HOURS must be at least 8')
  // A short secret could be guessed, and then every known open_id hashed to find its keys (security review F2).
  if (e.STATE_KEY_SECRET !== undefined && e.STATE_KEY_SECRET.length < MIN_STATE_KEY_SECRET_LENGTH) {
    throw new ConfigError(`STATE_KEY_SECRET must be at least ${MIN_STATE_KEY_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`)
  }
  // A captured body is refused by its date once it leaves the replay window and by its de-duplication row before:
  // the row must outlive the window, or a replay in between would be taken in again (security review F5).
  if (e.INBOX_RETENTION_HOURS * 3600 <= e.FEISHU_REPLAY_WINDOW_SECONDS) {
    throw new ConfigError('FEISHU_REPLAY_WINDOW_SECONDS must be shorter than INBOX_RETENTION_HOURS')
  }
  for (const name of ['HTTP_REQUEST_TIMEOUT_MS', 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_BODY_TIMEOUT_MS', 'HTTP_MAX_CONNECTIONS'] as const) {
    if (e[name] < 1) throw new ConfigError(`${name} must be at least 1`)
  }
  if (e.INTERNAL_PORT > 65535) throw new ConfigError('INTERNAL_PORT must be at most 65535')
  if (e.METRICS_TOKEN !== undefined && e.METRICS_TOKEN.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters')
  // Node refuses a headers timeout above the request timeout.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS')
  const playground = e.PLAYGROUND === '1' || e.PLAYGROUND === 'true' || (e.PLAYGROUND === undefined && !looksLikeInstallation(env))
  // 1 would show every count, so a single case could be pointed at: the small-count rule needs at least 2.
  if (e.DIGEST_MIN_PUBLIC_COUNT < 2) throw new ConfigError('DIGEST_MIN_PUBLIC_COUNT must be at least 2')
  const transport = (e.FEISHU_TRANSPORT ?? 'webhook').toLowerCase()
  if (!(FEISHU_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new ConfigError(`FEISHU_TRANSPORT must be one of ${FEISHU_TRANSPORTS.join(', ')} (got "${e.FEISHU_TRANSPORT}")`)
  }
  if (transport !== 'webhook') {
    // Refused here rather than left to the SDK, which logs one line and never connects (docs/feishu-platform.md#long-connection).
    if (!e.FEISHU_APP_ID || !e.FEISHU_APP_SECRET) throw new ConfigError(`FEISHU_TRANSPORT=${transport} needs FEISHU_APP_ID and FEISHU_APP_SECRET`)
    if (!LONG_CONNECTION_APP_ID.test(e.FEISHU_APP_ID)) {
      throw new ConfigError(`FEISHU_APP_ID "${e.FEISHU_APP_ID}" is not an app id of the form cli_ + 16 hex digits: the long connection (FEISHU_TRANSPORT=${transport}) cannot use it`)
    }
    if (e.FEISHU_WS_PING_TIMEOUT_SECONDS < 1) throw new ConfigError('FEISHU_WS_PING_TIMEOUT_SECONDS must be at least 1 (without it a half-open socket loses events silently)')
    // The SDK re-arms its watchdog at every ping, so one as long as Feishu's ping interval (120 s) never fires.
    if (e.FEISHU_WS_PING_TIMEOUT_SECONDS >= 120) throw new ConfigError('FEISHU_WS_PING_TIMEOUT_SECONDS must be below 120, the ping interval of Feishu (a longer timeout never fires)')
  }
  // A short or spaced code could be guessed or mistyped; 初始化 reads the code as one word.
  if (e.UNION_SETUP_CODE !== undefined && (e.UNION_SETUP_CODE.length < 6 || e.UNION_SETUP_CODE.length > 64 || /\s/.test(e.UNION_SETUP_CODE))) {
    throw new ConfigError('UNION_SETUP_CODE must be 6 to 64 characters without spaces')
  }
  for (const name of ['UNION_SETUP_MAX_WRONG_CODES', 'UNION_SETUP_WINDOW_MINUTES', 'UNION_SETUP_LOCK_MINUTES'] as const) {
    if (e[name] < 1) throw new ConfigError(`${name} must be at least 1`)
  }
  const logFormat = (e.LOG_FORMAT ?? 'json').toLowerCase()
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')} (got "${e.LOG_FORMAT}")`)
  if (e.GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES > e.GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES) {
    throw new ConfigError('GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES must not exceed GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES')
  }
  return deepFreeze({
    port: e.PORT,
    // The playground has no login: it listens on loopback only, unless HOST says otherwise.
    host: e.HOST ?? (playground ? '127.0.0.1' : undefined),
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    ops: { port: e.INTERNAL_PORT === 0 ? undefined : e.INTERNAL_PORT, host: e.INTERNAL_HOST ?? '127.0.0.1', metricsToken: e.METRICS_TOKEN },
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: logFormat as LogFormat,
    feishu: {
      appId: e.FEISHU_APP_ID,
      appSecret: e.FEISHU_APP_SECRET,
      verificationToken: e.FEISHU_VERIFICATION_TOKEN,
      encryptKey: e.FEISHU_ENCRYPT_KEY,
      domain: (e.FEISHU_DOMAIN ?? 'https://open.feishu.cn').replace(/\/+$/, ''),
      replayWindowSeconds: e.FEISHU_REPLAY_WINDOW_SECONDS,
      allowUnsignedWebhook: e.ALLOW_UNSIGNED_WEBHOOK === '1' || e.ALLOW_UNSIGNED_WEBHOOK === 'true',
      transport: transport as FeishuTransport,
      wsPingTimeoutSeconds: e.FEISHU_WS_PING_TIMEOUT_SECONDS,
    },
    databaseUrl: e.DATABASE_URL,
    pgliteDataDir: e.PGLITE_DATA_DIR ?? './data/pglite',
    redisUrl: e.REDIS_URL,
    stateKeySecret: e.STATE_KEY_SECRET,
    union: {
      adminChatId: e.UNION_ADMIN_CHAT_ID,
      officerOpenIds: e.UNION_OFFICER_OPEN_IDS,
      setupCode: e.UNION_SETUP_CODE,
      setupLimits: { maxWrong: e.UNION_SETUP_MAX_WRONG_CODES, windowMinutes: e.UNION_SETUP_WINDOW_MINUTES, lockMinutes: e.UNION_SETUP_LOCK_MINUTES },
    },
    conversationTtlSeconds: e.CONVERSATION_TTL_SECONDS,
    inbox: {
      leaseSeconds: e.INBOX_LEASE_SECONDS,
      sweepIntervalMs: e.INBOX_SWEEP_INTERVAL_MS,
      retentionHours: e.INBOX_RETENTION_HOURS,
      maxAttempts: e.INBOX_MAX_ATTEMPTS,
    },
    timezone: e.TIMEZONE ?? 'Asia/Shanghai',
    grievance: {
      acceptWorkdays: e.GRIEVANCE_ACCEPT_WORKDAYS,
      resolveWorkdays: e.GRIEVANCE_RESOLVE_WORKDAYS,
      anonRelayDelayMinMinutes: e.GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES,
      anonRelayDelayMaxMinutes: e.GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES,
      dailyFilingCap: e.GRIEVANCE_DAILY_FILING_CAP,
      dailyFollowUpCap: e.GRIEVANCE_DAILY_FOLLOWUP_CAP,
      overdueSummaryThreshold: e.GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD,
      routes: grievanceRoutes(e.GRIEVANCE_ROUTES),
    },
    proposal: { minCosigners: e.PROPOSAL_MIN_COSIGNERS },
    members: { terms: e.MEMBERSHIP_TERMS?.replace(/\\n/g, '\n') },
    digest: { timezone: e.DIGEST_TIMEZONE ?? e.TIMEZONE ?? 'Asia/Shanghai', minPublicCount: e.DIGEST_MIN_PUBLIC_COUNT },
    liveCards: { reconcileMaxPatches: Math.max(1, e.ACTIVITY_RECONCILE_MAX_PATCHES) },
    schedulerEnabled: e.SCHEDULER_ENABLED !== '0' && e.SCHEDULER_ENABLED !== 'false',
    playground,
  })
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
