// Configuration: every environment variable the bot reads, validated once and frozen (see .env.example).
import { z } from 'zod'
import { LOG_FORMATS, type LogFormat } from './logger.js'
import { MIN_STATE_KEY_SECRET_LENGTH } from './state/person-key.js'
import { parseGrievanceRoutes } from './grievances/model.js'
import { CARE_KINDS, DEFAULT_CARE_CAPS, parseCap, parseYuan, type CareCaps, type CareKind } from './care/model.js'

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

/** A care cap `per/yearly` in yuan (`300/300`, `1000` = no yearly cap): parsed in src/care/model.ts's terms, fen. */
const capText = optionalText

/** Executables and scripts: nothing an officer should open from a chat (EVIDENCE_REFUSED_TYPES replaces the list). */
const DEFAULT_REFUSED_TYPES = 'exe,msi,bat,cmd,com,scr,pif,cpl,dll,apk,ipa,jar,js,jse,vbs,vbe,wsf,ps1,sh,lnk,hta,reg'

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
  FEISHU_SHARED_RATE_LIMITS: optionalText,
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
  MASS_SEND_POLL_MS: intWithDefault(1000),
  MASS_SEND_LEASE_SECONDS: intWithDefault(60),
  MASS_SEND_BATCH: intWithDefault(20),
  TIMEZONE: optionalText,
  GRIEVANCE_ACCEPT_WORKDAYS: intWithDefault(3),
  GRIEVANCE_RESOLVE_WORKDAYS: intWithDefault(15),
  GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES: intWithDefault(10),
  GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES: intWithDefault(60),
  GRIEVANCE_DAILY_FILING_CAP: intWithDefault(5),
  GRIEVANCE_DAILY_FOLLOWUP_CAP: intWithDefault(20),
  GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD: intWithDefault(5),
  GRIEVANCE_ROUTES: optionalText,
  GRIEVANCE_COMPLEX_RESOLVE_WORKDAYS: intWithDefault(30),
  GRIEVANCE_RETENTION_DAYS: intWithDefault(730),
  PROPOSAL_MIN_COSIGNERS: intWithDefault(2),
  NOTICE_REPLY_DAYS: intWithDefault(30),
  NOTICE_READ_REMINDER_WORKDAYS: intWithDefault(3),
  MEDIATION_PERIOD_DAYS: intWithDefault(15),
  MEDIATION_REMINDER_DAY: intWithDefault(12),
  SUPERVISION_REPLY_WORKDAYS: intWithDefault(15),
  SAFETY_HOTLINE: optionalText,
  DISMISSAL_HR_DEPARTMENT: optionalText,
  DISMISSAL_OPINION_WORKDAYS: intWithDefault(3),
  DISMISSAL_RESULT_WORKDAYS: intWithDefault(5),
  MEMBERSHIP_TERMS: optionalText,
  CARE_CAP_BIRTHDAY: capText,
  CARE_CAP_MARRIAGE: capText,
  CARE_CAP_BIRTH: capText,
  CARE_CAP_HOSPITAL: capText,
  CARE_CAP_RETIREMENT: capText,
  CARE_CAP_DEATH_MEMBER: capText,
  CARE_CAP_DEATH_RELATIVE: capText,
  CARE_CAP_FESTIVAL: capText,
  CARE_OVER_CAP: optionalText,
  HARDSHIP_DIBAO_MONTHLY: optionalText,
  HARDSHIP_SUDDEN_PERCENT: intWithDefault(80),
  HARDSHIP_REVIEW_MONTHS: intWithDefault(12),
  HARDSHIP_NOTICE_CHAT_ID: optionalText,
  RECOGNITION_PUBLICITY_WORKDAYS: intWithDefault(5),
  RECOGNITION_DEFAULT_COSIGNERS: intWithDefault(3),
  LIBRARY_LOAN_DAYS: intWithDefault(30),
  EVIDENCE_IMAGE_MAX_KB: intWithDefault(10 * 1024),
  EVIDENCE_FILE_MAX_KB: intWithDefault(30 * 1024),
  EVIDENCE_REFUSED_TYPES: optionalText,
  EVIDENCE_FETCH_ATTEMPTS: intWithDefault(8),
  DIGEST_TIMEZONE: optionalText,
  DIGEST_MIN_PUBLIC_COUNT: intWithDefault(3),
  ACTIVITY_RECONCILE_MAX_PATCHES: intWithDefault(100),
  POLL_MIN_PUBLISHED_BALLOTS: intWithDefault(3),
  CONGRESS_QUORUM: optionalText,
  CONGRESS_PASS_SHARE: optionalText,
  CONGRESS_REPORT_WORKDAYS: intWithDefault(7),
  CONGRESS_TERM: optionalText,
  ELECTION_TURNOUT: optionalText,
  ELECTION_WIN_SHARE: optionalText,
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
    /**
     * Feishu's rate limits hold per app across all instances: with Redis, every instance keeps to one shared budget
     * (src/state/redis-rate-budget.ts). On by default; FEISHU_SHARED_RATE_LIMITS=0 keeps each process to its own.
     */
    readonly sharedRateLimits: boolean
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
  /**
   * The mass-send queue (src/kit/mass-send.ts): how often each instance looks for sends to work on, how long a claim
   * on a batch of recipients holds before another instance may take it (a crash), and the batch size. Feishu's
   * 50/s per app, not these, sets the pace (docs/feishu-platform.md#rate-limits).
   */
  readonly massSend: {
    readonly pollMs: number
    readonly leaseSeconds: number
    readonly batch: number
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
    /**
     * 办结 limit of a case accepted as 复杂 (working days from filing; 一般 is resolveWorkdays): 《信访工作条例》第三十二条
     * (60 days, 情况复杂的 extended by up to 30 more) and the 12351 hotline's separate limits for hard cases (PRACTICE.md §2).
     */
    readonly complexResolveWorkdays: number
    /**
     * Days after a case ended before its text, attachments and reporter link are erased (numbers, categories, dates
     * and ratings stay for reports): 730 covers the one-year limitation of 劳动争议调解仲裁法第二十七条 with margin
     * and two yearly 职代会 reports; 个人信息保护法第十九条 asks for the shortest period the purpose needs.
     */
    readonly retentionDays: number
  }
  readonly proposal: { readonly minCosigners: number }
  /**
   * 厂务公开 notices: management answers workers' opinions within replyDays calendar days (浙江省企业民主管理条例
   * Art. 19–23: 30 days; other provinces' rules differ); one reminder to those who have not confirmed reading
   * after readReminderWorkdays working days.
   */
  readonly notices: { readonly replyDays: number; readonly readReminderWorkdays: number }
  /**
   * Labour-dispute mediation (issue #16): 《劳动争议调解仲裁法》第十四条 — no agreement within 15 days of the
   * application and either party may apply for arbitration (calendar days; the repealed 1993 rule of 30 days is not
   * used); the mediator and the committee are reminded on day `reminderDay`.
   */
  readonly mediation: { readonly periodDays: number; readonly reminderDay: number }
  /** Labour-law supervision (工会法第二十二、二十三条: the employer must study and reply): the reply deadline in working days. */
  readonly supervision: {
    readonly replyWorkdays: number
    /** The safety department's phone the 隐患 cards give (QA F20); unset: they say to contact the safety department. */
    readonly safetyHotline: string | undefined
    /**
     * Dismissal notices (《工会法》第二十二条第二款, 《劳动合同法》第四十三条: the employer notifies the union of the
     * reasons in advance and the result in writing). The HR department is the registered department (部门 添加) of
     * this name, its contact submits; the union is reminded when no opinion is given within opinionWorkdays working
     * days, HR when no result is reported within resultWorkdays working days of the opinion. Neither span is in the
     * statute: they are the union's settings.
     */
    readonly dismissal: { readonly hrDepartment: string; readonly opinionWorkdays: number; readonly resultWorkdays: number }
  }
  /** What 入会 tells a worker membership means (dues, rights, duties); the default text when unset. */
  readonly members: { readonly terms: string | undefined }
  /** 会员关怀: caps per kind in fen (src/care/model.ts, defaults from Anhui's rule) and what happens above one. */
  readonly care: { readonly caps: CareCaps; readonly overCap: 'refuse' | 'approval' }
  readonly hardship: {
    /**
     * The local 低保 in fen per person and month (HARDSHIP_DIBAO_MONTHLY). No default: it is the union's own city's
     * urban standard, published by its civil affairs bureau (docs/care.md); unset, the self-check shows the
     * per-person figure and 意外致困 only, and the doctor and the start summary warn.
     */
    readonly dibaoMonthlyFen: number | undefined
    /** Sudden costs above this share of the household's annual income make 意外致困 (Qingdao's rule: 80). */
    readonly suddenPercent: number
    /** Months after aid is paid when the annual review (年度复核) is due. */
    readonly reviewMonths: number
    /** Where a 公示 is posted; the committee group when unset. */
    readonly noticeChatId: string | undefined
  }
  /**
   * 评先评优 (issue #17): the 公示 period in working days (no national figure exists for unit-level 公示; local rules
   * say 张榜公布, Wenzhou Art. 23; 5 working days is the common practice, PRACTICE.md §1.9), and the co-signers a
   * member's nomination needs by default.
   */
  readonly recognition: { readonly publicityWorkdays: number; readonly defaultCosigners: number }
  /** 职工书屋 (总工发〔2008〕3号, the 借阅台账 of the "十有" standard): days a loan lasts before its return date. */
  readonly library: { readonly loanDays: number }
  /**
   * Evidence (src/kit/evidence.ts): what the bot fetches and re-uploads. Feishu's own upload limits are the ceilings:
   * images ≤ 10 MB (https://open.feishu.cn/document/server-docs/im-v1/image/create), files ≤ 30 MB
   * (https://open.feishu.cn/document/server-docs/im-v1/file/create). Refused types are file extensions (lower case).
   */
  readonly evidence: {
    readonly imageMaxBytes: number
    readonly fileMaxBytes: number
    readonly refusedExtensions: readonly string[]
    /** Fetch tries before an item is given up as failed (its reference is kept). */
    readonly fetchAttempts: number
  }
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
  /** Polls (issue #15): an anonymous poll with fewer ballots than this publishes no figures (a secret ballot of 2 is not secret). */
  readonly polls: { readonly minPublishedBallots: number }
  /**
   * The workers' congress (上海市职工代表大会条例; 北京、浙江 alike, /work/shared/union/PRACTICE.md): a meeting needs
   * `quorum` of the term's representatives present (default 2/3, reached at exactly two thirds); an item passes
   * when 赞成 is more than `passShare` of ALL the term's representatives (default 1/2; exactly half fails); the
   * meeting is reported to the upper union within `reportWorkdays` working days (default 7). `term` names the
   * current 届次 when representatives carry one; unset: every active representative.
   */
  readonly congress: {
    readonly quorum: { readonly num: number; readonly den: number }
    readonly passShare: { readonly num: number; readonly den: number }
    readonly reportWorkdays: number
    readonly term: string | undefined
    /**
     * Elections of representatives by constituency (上海市职工代表大会条例第十五条): valid when at least
     * `electionTurnout` of the constituency's workers vote (default 2/3, exactly two thirds is enough); a candidate
     * needs MORE than `electionWinShare` of ALL of them (default 1/2; exactly half fails).
     */
    readonly electionTurnout: { readonly num: number; readonly den: number }
    readonly electionWinShare: { readonly num: number; readonly den: number }
  }
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
  if (e.POLL_MIN_PUBLISHED_BALLOTS < 2) throw new ConfigError('POLL_MIN_PUBLISHED_BALLOTS must be at least 2')
  if (e.CONGRESS_REPORT_WORKDAYS < 1) throw new ConfigError('CONGRESS_REPORT_WORKDAYS must be at least 1')
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
  const caps = {} as Record<CareKind, CareCaps[CareKind]>
  for (const kind of CARE_KINDS) {
    const name = `CARE_CAP_${kind.toUpperCase()}` as keyof typeof e
    const raw = e[name] as string | undefined
    const cap = raw === undefined ? DEFAULT_CARE_CAPS[kind] : parseCap(raw)
    if (!cap) throw new ConfigError(`${name} must be a cap in yuan, "per-event" or "per-event/yearly" (e.g. 300/300), got "${raw}"`)
    caps[kind] = cap
  }
  const overCap = (e.CARE_OVER_CAP ?? 'refuse').toLowerCase()
  if (overCap !== 'refuse' && overCap !== 'approval') throw new ConfigError(`CARE_OVER_CAP must be refuse or approval (got "${e.CARE_OVER_CAP}")`)
  const dibao = e.HARDSHIP_DIBAO_MONTHLY === undefined ? undefined : parseYuan(e.HARDSHIP_DIBAO_MONTHLY)
  if (e.HARDSHIP_DIBAO_MONTHLY !== undefined && !dibao) throw new ConfigError(`HARDSHIP_DIBAO_MONTHLY must be an amount in yuan above 0 (got "${e.HARDSHIP_DIBAO_MONTHLY}")`)
  if (e.HARDSHIP_SUDDEN_PERCENT < 1 || e.HARDSHIP_SUDDEN_PERCENT > 100) throw new ConfigError('HARDSHIP_SUDDEN_PERCENT must be between 1 and 100')
  if (e.HARDSHIP_REVIEW_MONTHS < 1) throw new ConfigError('HARDSHIP_REVIEW_MONTHS must be at least 1')
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
      sharedRateLimits: e.FEISHU_SHARED_RATE_LIMITS !== '0' && e.FEISHU_SHARED_RATE_LIMITS !== 'false',
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
    massSend: { pollMs: Math.max(50, e.MASS_SEND_POLL_MS), leaseSeconds: Math.max(5, e.MASS_SEND_LEASE_SECONDS), batch: Math.min(200, Math.max(1, e.MASS_SEND_BATCH)) },
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
      complexResolveWorkdays: Math.max(1, e.GRIEVANCE_COMPLEX_RESOLVE_WORKDAYS),
      retentionDays: Math.max(1, e.GRIEVANCE_RETENTION_DAYS),
    },
    proposal: { minCosigners: e.PROPOSAL_MIN_COSIGNERS },
    notices: { replyDays: Math.max(1, e.NOTICE_REPLY_DAYS), readReminderWorkdays: Math.max(1, e.NOTICE_READ_REMINDER_WORKDAYS) },
    mediation: { periodDays: Math.max(1, e.MEDIATION_PERIOD_DAYS), reminderDay: Math.max(1, Math.min(e.MEDIATION_REMINDER_DAY, Math.max(1, e.MEDIATION_PERIOD_DAYS) - 1)) },
    supervision: {
      replyWorkdays: Math.max(1, e.SUPERVISION_REPLY_WORKDAYS),
      safetyHotline: e.SAFETY_HOTLINE?.trim() || undefined,
      dismissal: { hrDepartment: e.DISMISSAL_HR_DEPARTMENT?.trim() || '人力资源部', opinionWorkdays: Math.max(1, e.DISMISSAL_OPINION_WORKDAYS), resultWorkdays: Math.max(1, e.DISMISSAL_RESULT_WORKDAYS) },
    },
    members: { terms: e.MEMBERSHIP_TERMS?.replace(/\\n/g, '\n') },
    care: { caps, overCap },
    hardship: { dibaoMonthlyFen: dibao, suddenPercent: e.HARDSHIP_SUDDEN_PERCENT, reviewMonths: e.HARDSHIP_REVIEW_MONTHS, noticeChatId: e.HARDSHIP_NOTICE_CHAT_ID },
    recognition: { publicityWorkdays: Math.max(1, e.RECOGNITION_PUBLICITY_WORKDAYS), defaultCosigners: Math.max(0, e.RECOGNITION_DEFAULT_COSIGNERS) },
    library: { loanDays: Math.max(1, e.LIBRARY_LOAN_DAYS) },
    evidence: {
      imageMaxBytes: Math.max(1, Math.min(e.EVIDENCE_IMAGE_MAX_KB, 10 * 1024)) * 1024,
      fileMaxBytes: Math.max(1, Math.min(e.EVIDENCE_FILE_MAX_KB, 30 * 1024)) * 1024,
      refusedExtensions: (e.EVIDENCE_REFUSED_TYPES ?? DEFAULT_REFUSED_TYPES)
        .split(/[,，\s]+/)
        .map((x) => x.trim().replace(/^\./, '').toLowerCase())
        .filter(Boolean),
      fetchAttempts: Math.max(1, e.EVIDENCE_FETCH_ATTEMPTS),
    },
    digest: { timezone: e.DIGEST_TIMEZONE ?? e.TIMEZONE ?? 'Asia/Shanghai', minPublicCount: e.DIGEST_MIN_PUBLIC_COUNT },
    liveCards: { reconcileMaxPatches: Math.max(1, e.ACTIVITY_RECONCILE_MAX_PATCHES) },
    polls: { minPublishedBallots: e.POLL_MIN_PUBLISHED_BALLOTS },
    congress: {
      quorum: fraction('CONGRESS_QUORUM', e.CONGRESS_QUORUM, { num: 2, den: 3 }),
      passShare: fraction('CONGRESS_PASS_SHARE', e.CONGRESS_PASS_SHARE, { num: 1, den: 2 }),
      reportWorkdays: e.CONGRESS_REPORT_WORKDAYS,
      term: e.CONGRESS_TERM,
      electionTurnout: fraction('ELECTION_TURNOUT', e.ELECTION_TURNOUT, { num: 2, den: 3 }),
      electionWinShare: fraction('ELECTION_WIN_SHARE', e.ELECTION_WIN_SHARE, { num: 1, den: 2 }),
    },
    schedulerEnabled: e.SCHEDULER_ENABLED !== '0' && e.SCHEDULER_ENABLED !== 'false',
    playground,
  })
}

/** A share written "2/3" (numerator/denominator, 0 < share ≤ 1), so the rule is exact in integer arithmetic. */
function fraction(name: string, value: string | undefined, fallback: { num: number; den: number }): { num: number; den: number } {
  if (value === undefined) return fallback
  const m = /^(\d{1,4})\s*\/\s*(\d{1,4})$/.exec(value)
  const num = m ? Number(m[1]) : NaN
  const den = m ? Number(m[2]) : NaN
  if (!m || den === 0 || num === 0 || num > den) throw new ConfigError(`${name} must be a share like 2/3 (got "${value}")`)
  return { num, den }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
