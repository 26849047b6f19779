// Configuration: every environment variable the bot reads, validated once and frozen (see .env.example).
import { z } from 'zod'

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
  LOG_LEVEL: optionalText,
  FEISHU_APP_ID: optionalText,
  FEISHU_APP_SECRET: optionalText,
  FEISHU_VERIFICATION_TOKEN: optionalText,
  FEISHU_ENCRYPT_KEY: optionalText,
  FEISHU_DOMAIN: optionalText,
  FEISHU_REPLAY_WINDOW_SECONDS: intWithDefault(300),
  DATABASE_URL: optionalText,
  PGLITE_DATA_DIR: optionalText,
  REDIS_URL: optionalText,
  UNION_ADMIN_CHAT_ID: optionalText,
  UNION_OFFICER_OPEN_IDS: idList,
  CONVERSATION_TTL_SECONDS: intWithDefault(1800),
  INBOX_LEASE_SECONDS: intWithDefault(60),
  INBOX_SWEEP_INTERVAL_MS: intWithDefault(2000),
  INBOX_RETENTION_HOURS: intWithDefault(24),
  INBOX_MAX_ATTEMPTS: intWithDefault(5),
  TIMEZONE: optionalText,
  GRIEVANCE_ACCEPT_WORKDAYS: intWithDefault(3),
  GRIEVANCE_RESOLVE_WORKDAYS: intWithDefault(15),
  PROPOSAL_MIN_COSIGNERS: intWithDefault(2),
  DIGEST_TIMEZONE: optionalText,
  ACTIVITY_RECONCILE_MAX_PATCHES: intWithDefault(100),
  SCHEDULER_ENABLED: optionalText,
  PLAYGROUND: optionalText,
})

export interface Config {
  /** HTTP port of the webhook server. */
  readonly port: number
  readonly host: string | undefined
  readonly logLevel: string
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
  }
  /** Postgres connection string; undefined means the embedded PGlite in `pgliteDataDir`. */
  readonly databaseUrl: string | undefined
  readonly pgliteDataDir: string
  /** Redis URL for conversation state; undefined means an in-process memory store. */
  readonly redisUrl: string | undefined
  readonly union: {
    readonly adminChatId: string | undefined
    readonly officerOpenIds: readonly string[]
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
  readonly grievance: { readonly acceptWorkdays: number; readonly resolveWorkdays: number }
  readonly proposal: { readonly minCosigners: number }
  readonly digest: { readonly timezone: string }
  /**
   * Most activity-card patches one reconcile tick (each minute) sends; the rest wait for the next tick, oldest
   * first. 100 a minute is about 3% of Feishu's 50/s app budget (REFERENCE.md §6).
   */
  readonly activity: { readonly reconcileMaxPatches: number }
  /** Whether this process runs the periodic scheduler (pg-boss cron); tests switch it off and tick by hand. */
  readonly schedulerEnabled: boolean
  /** Serve the local playground (a browser stand-in for Feishu); on by default when no Feishu app is configured. */
  readonly playground: boolean
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`invalid configuration: ${problems}`)
  }
  const e = parsed.data
  // Feishu retries for about 7.1 hours; we keep processed ids at least 8 hours (issue #2).
  if (e.INBOX_RETENTION_HOURS < 8) throw new ConfigError('INBOX_RETENTION_HOURS must be at least 8')
  return deepFreeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL ?? 'info',
    feishu: {
      appId: e.FEISHU_APP_ID,
      appSecret: e.FEISHU_APP_SECRET,
      verificationToken: e.FEISHU_VERIFICATION_TOKEN,
      encryptKey: e.FEISHU_ENCRYPT_KEY,
      domain: (e.FEISHU_DOMAIN ?? 'https://open.feishu.cn').replace(/\/+$/, ''),
      replayWindowSeconds: e.FEISHU_REPLAY_WINDOW_SECONDS,
    },
    databaseUrl: e.DATABASE_URL,
    pgliteDataDir: e.PGLITE_DATA_DIR ?? './data/pglite',
    redisUrl: e.REDIS_URL,
    union: { adminChatId: e.UNION_ADMIN_CHAT_ID, officerOpenIds: e.UNION_OFFICER_OPEN_IDS },
    conversationTtlSeconds: e.CONVERSATION_TTL_SECONDS,
    inbox: {
      leaseSeconds: e.INBOX_LEASE_SECONDS,
      sweepIntervalMs: e.INBOX_SWEEP_INTERVAL_MS,
      retentionHours: e.INBOX_RETENTION_HOURS,
      maxAttempts: e.INBOX_MAX_ATTEMPTS,
    },
    timezone: e.TIMEZONE ?? 'Asia/Shanghai',
    grievance: { acceptWorkdays: e.GRIEVANCE_ACCEPT_WORKDAYS, resolveWorkdays: e.GRIEVANCE_RESOLVE_WORKDAYS },
    proposal: { minCosigners: e.PROPOSAL_MIN_COSIGNERS },
    digest: { timezone: e.DIGEST_TIMEZONE ?? e.TIMEZONE ?? 'Asia/Shanghai' },
    activity: { reconcileMaxPatches: Math.max(1, e.ACTIVITY_RECONCILE_MAX_PATCHES) },
    schedulerEnabled: e.SCHEDULER_ENABLED !== '0' && e.SCHEDULER_ENABLED !== 'false',
    playground: e.PLAYGROUND === '1' || e.PLAYGROUND === 'true' || (e.PLAYGROUND === undefined && !e.FEISHU_APP_ID),
  })
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
