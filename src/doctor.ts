// The set-up doctor (issue #12): checks a real installation against Feishu and the local services and says, in
// Chinese and English, how to fix each failure. `npm run doctor` prints it; /readyz?verbose=1 shows the local part.
// Every Feishu probe is read-only (or aimed at an id that does not exist): running the doctor changes nothing.
import { Migrator, Kysely, PostgresDialect } from 'kysely'
import { Redis } from 'ioredis'
import pg from 'pg'
import { migrationProvider } from '../migrations/index.js'
import { WorkCalendar } from './calendar.js'
import { usesLongConnection, usesWebhook, type Config } from './config.js'
import type { Database, Db } from './db/schema.js'
import { refreshCalendar } from './organisation/holiday-store.js'
import { committeeChatSetting, listOfficers, webhookChallengeSeenAt } from './organisation/store.js'
import { localParts } from './time.js'

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip'

export interface DoctorCheck {
  readonly id: string
  readonly status: CheckStatus
  /** "中文 / English". */
  readonly title: string
  /** What was seen (codes, counts; never a secret). */
  readonly detail: string
  /** How to fix it, when status is fail or warn. */
  readonly fix?: { readonly zh: string; readonly en: string }
}

/**
 * Feishu's "no permission" codes (docs/feishu-platform.md#error-codes): 99991672 the app lacks the scope,
 * 99991679 the scope is not granted (not yet published or not approved by the tenant admin).
 */
export const NO_PERMISSION_CODES = new Set([99991672, 99991679])

/** Each scope the features need (docs/feishu-platform.md#scopes), with the read-only call that needs it. */
interface ScopeProbe {
  id: string
  scope: string
  feature: string
  request(ctx: ProbeContext): { method: 'GET' | 'PATCH'; path: string; body?: unknown } | undefined
}

interface ProbeContext {
  config: Config
  union: UnionSetup
}

/**
 * Who and where the union is, as the running bot sees it: the committee group and the officers set in chat
 * (`设为委员会群`, `初始化`, `干部 添加`, kept in Postgres) win over UNION_ADMIN_CHAT_ID / UNION_OFFICER_OPEN_IDS, which
 * a chair following README's "first 10 minutes" never sets (src/organisation/store.ts#committeeChatId).
 */
export interface UnionSetup {
  committeeChatId: string | undefined
  /** true: chosen in chat with 设为委员会群; false: from UNION_ADMIN_CHAT_ID (or none). */
  committeeSetInChat: boolean
  /** Someone whose name the contact probe may look up: a configured officer, else one kept in the database. */
  someOfficer: string | undefined
  /** false: the database could not be read (embedded PGlite held by the bot, or unreachable), only the configuration is known. */
  storedKnown: boolean
  /** When the bot last answered Feishu's URL verification (the console's request URL reaches it); unknown without the database. */
  webhookChallengeSeenAt?: Date | undefined
}

/** The union's set-up from the configuration alone (no database readable). */
export function configuredUnion(config: Config): UnionSetup {
  return { committeeChatId: config.union.adminChatId, committeeSetInChat: false, someOfficer: config.union.officerOpenIds[0], storedKnown: false }
}

/** One connection to DATABASE_URL for the doctor's own reads (closed by the caller with destroy()). */
function openDatabase(databaseUrl: string, timeoutMs: number): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: timeoutMs }) }) })
}

/** The union's set-up as the bot uses it: what is stored in Postgres over what is configured. */
export async function readUnion(db: Db, config: Config): Promise<UnionSetup> {
  const configured = configuredUnion(config)
  const [stored, officers, challenge] = await Promise.all([committeeChatSetting(db), listOfficers(db), webhookChallengeSeenAt(db)])
  return {
    webhookChallengeSeenAt: challenge,
    committeeChatId: stored?.chatId ?? configured.committeeChatId,
    committeeSetInChat: stored?.setBy != null,
    someOfficer: configured.someOfficer ?? officers[0]?.openId,
    storedKnown: true,
  }
}

/** The stored committee group and officers over the configured ones; the configured ones when the database cannot tell. */
async function unionSetup(config: Config, timeoutMs: number): Promise<UnionSetup> {
  const configured = configuredUnion(config)
  // The embedded PGlite belongs to the running bot (one process at a time): not opened here.
  if (!config.databaseUrl) return configured
  const db = openDatabase(config.databaseUrl, timeoutMs)
  try {
    return await readUnion(db, config)
  } catch {
    // Unreachable or not migrated: the database check says so; judge by the configuration meanwhile.
    return configured
  } finally {
    await db.destroy().catch(() => undefined)
  }
}

/**
 * PATCH of a message id that cannot exist: Feishu checks the scope before it looks the message up, so a missing
 * scope answers 99991672 and a granted one "invalid message" (230001). **[inferred]** Likewise a download of a file
 * key that cannot exist for im:resource.
 */
const SCOPE_PROBES: ScopeProbe[] = [
  { id: 'scope.send', scope: 'im:message:send_as_bot', feature: 'send, reply and update cards 发消息、回复、更新卡片', request: () => ({ method: 'PATCH', path: '/open-apis/im/v1/messages/om_doctor_probe_0000', body: { content: '{}' } }) },
  { id: 'scope.resource', scope: 'im:resource', feature: 'CSV exports 导出文件', request: () => ({ method: 'GET', path: '/open-apis/im/v1/files/file_doctor_probe_0000' }) },
  {
    id: 'scope.chat',
    scope: 'im:chat:readonly',
    feature: 'groups the bot is added to, and the member check of 设为委员会群 入群事件、核对委员会群成员',
    request: ({ union }) => (union.committeeChatId ? { method: 'GET', path: `/open-apis/im/v1/chats/${encodeURIComponent(union.committeeChatId)}/members/is_in_chat` } : { method: 'GET', path: '/open-apis/im/v1/chats?page_size=1' }),
  },
  {
    id: 'scope.contact',
    scope: 'contact:user.base:readonly',
    feature: "people's names 显示姓名",
    request: ({ union }) => {
      const someone = union.someOfficer
      return someone ? { method: 'GET', path: `/open-apis/contact/v3/users/${encodeURIComponent(someone)}?user_id_type=open_id` } : undefined
    },
  },
]

export interface DoctorOptions {
  /** Per request, ms (Feishu and the services). */
  timeoutMs?: number
  now?: Date
}

interface ApiAnswer {
  status: number
  code: number | undefined
  msg: string
  body: Record<string, unknown>
}

const ok = (id: string, title: string, detail: string): DoctorCheck => ({ id, status: 'ok', title, detail })
const skip = (id: string, title: string, detail: string): DoctorCheck => ({ id, status: 'skip', title, detail })
const bad = (status: 'fail' | 'warn', id: string, title: string, detail: string, zh: string, en: string): DoctorCheck => ({ id, status, title, detail, fix: { zh, en } })

/** Runs every check; never throws (a check that cannot run is a failure with the reason). */
export async function runDoctor(config: Config, opts: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const timeoutMs = opts.timeoutMs ?? 5000
  const checks: DoctorCheck[] = []
  const union = await unionSetup(config, timeoutMs)
  checks.push(...(await feishuChecks(config, union, timeoutMs)))
  checks.push(...transportChecks(config, union))
  if (usesLongConnection(config)) checks.push(await longConnectionCheck(config, timeoutMs))
  const database = await databaseChecks(config, timeoutMs, opts.now ?? new Date())
  checks.push(...database)
  checks.push(await redisCheck(config, timeoutMs))
  checks.push(dibaoCheck(config))
  return checks
}

/**
 * The local 低保 (HARDSHIP_DIBAO_MONTHLY) has no default: it differs by city and is revised every year or two
 * (docs/care.md). Unset, the 困难帮扶 self-check shows the per-person figure but cannot classify: a warning.
 */
export function dibaoCheck(config: Config): DoctorCheck {
  const title = '低保标准 / local minimum living allowance'
  const fen = config.hardship.dibaoMonthlyFen
  if (fen !== undefined) return ok('hardship.dibao', title, `${Math.trunc(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''} yuan per person and month`)
  return bad(
    'warn',
    'hardship.dibao',
    title,
    'HARDSHIP_DIBAO_MONTHLY not set: the 困难帮扶 self-check cannot tell 深度困难 / 相对困难',
    '把本单位所在城市民政部门公布的城市最低生活保障标准（元/人·月）设为 HARDSHIP_DIBAO_MONTHLY，标准调整后同步修改。',
    "Set HARDSHIP_DIBAO_MONTHLY to the urban 低保 your city's civil affairs bureau publishes (yuan per person and month), and update it when the city revises it.",
  )
}

async function feishuChecks(config: Config, union: UnionSetup, timeoutMs: number): Promise<DoctorCheck[]> {
  const f = config.feishu
  const title = '凭证 / credentials'
  if (!f.appId || !f.appSecret) {
    return [
      bad(
        'fail',
        'credentials',
        title,
        'FEISHU_APP_ID / FEISHU_APP_SECRET not set',
        '在飞书开放平台 → 凭证与基础信息 复制 App ID 和 App Secret，设置 FEISHU_APP_ID 和 FEISHU_APP_SECRET（.env 或环境变量）。',
        'Copy App ID and App Secret from the developer console (凭证与基础信息) into FEISHU_APP_ID and FEISHU_APP_SECRET (.env or the environment).',
      ),
    ]
  }
  let token: string
  try {
    const answer = await call(f.domain, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', undefined, { app_id: f.appId, app_secret: f.appSecret }, timeoutMs)
    if (answer.code !== 0 || typeof answer.body.tenant_access_token !== 'string') {
      return [
        bad(
          'fail',
          'credentials',
          title,
          `tenant_access_token refused: code ${answer.code ?? `HTTP ${answer.status}`} ${answer.msg}`,
          '核对 FEISHU_APP_ID / FEISHU_APP_SECRET 是否与开放平台一致（重置过 Secret 要同步更新）；国际版 Lark 需设置 FEISHU_DOMAIN=https://open.larksuite.com。',
          'Check FEISHU_APP_ID / FEISHU_APP_SECRET against the console (update it after resetting the secret); Lark tenants set FEISHU_DOMAIN=https://open.larksuite.com.',
        ),
      ]
    }
    token = answer.body.tenant_access_token
  } catch (err) {
    return [
      bad(
        'fail',
        'credentials',
        title,
        `${f.domain} not reachable: ${describe(err)}`,
        `本机无法访问 ${f.domain}：检查网络、代理和防火墙（出站 HTTPS 443）。`,
        `This machine cannot reach ${f.domain}: check the network, proxy and firewall (outbound HTTPS, port 443).`,
      ),
    ]
  }
  const checks: DoctorCheck[] = [ok('credentials', title, 'tenant access token issued')]

  // The bot object is at the top level of the answer (docs/feishu-platform.md#mentions).
  const botTitle = '机器人能力 / bot capability'
  const info = await call(f.domain, 'GET', '/open-apis/bot/v3/info', token, undefined, timeoutMs).catch((err: unknown) => err)
  if (info instanceof Error || (info as ApiAnswer).code !== 0 || typeof ((info as ApiAnswer).body.bot as { open_id?: unknown } | undefined)?.open_id !== 'string') {
    const detail = info instanceof Error ? describe(info) : `bot/v3/info: code ${(info as ApiAnswer).code} ${(info as ApiAnswer).msg}`
    checks.push(
      bad(
        'fail',
        'bot',
        botTitle,
        detail,
        '在开放平台 → 应用能力 → 添加“机器人”能力，然后创建并发布一个版本。',
        'In the console, 应用能力 → add the Bot capability, then create and publish a version.',
      ),
    )
  } else {
    const bot = (info as ApiAnswer).body.bot as { open_id: string; app_name?: string }
    checks.push(ok('bot', botTitle, `bot ${bot.app_name ?? ''} (${bot.open_id})`.replace('  ', ' ')))
  }

  for (const probe of SCOPE_PROBES) {
    const scopeTitle = `权限 ${probe.scope} / scope (${probe.feature})`
    const req = probe.request({ config, union })
    if (!req) {
      checks.push(skip(probe.id, scopeTitle, 'no officer yet (初始化 not done, UNION_OFFICER_OPEN_IDS empty): no person to look up'))
      continue
    }
    const answer: ApiAnswer | Error = await call(f.domain, req.method, req.path, token, req.body, timeoutMs).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
    if (answer instanceof Error) {
      checks.push(bad('fail', probe.id, scopeTitle, describe(answer), `无法访问 ${f.domain}，请稍后重试。`, `${f.domain} did not answer; try again.`))
    } else if (answer.code !== undefined && NO_PERMISSION_CODES.has(answer.code)) {
      checks.push(
        bad(
          'fail',
          probe.id,
          scopeTitle,
          `code ${answer.code}: ${answer.msg}`,
          `在开放平台 → 权限管理 开通 ${probe.scope}，然后发布新版本（企业管理员审核后生效）。`,
          `In the console, 权限管理 → add ${probe.scope}, then publish a new version (it takes effect once the tenant admin approves it).`,
        ),
      )
    } else {
      checks.push(ok(probe.id, scopeTitle, answer.code === 0 ? 'granted' : `granted (the probe's own answer: code ${answer.code})`))
    }
    // The committee group: the same is_in_chat answer says whether the bot is a member.
    if (probe.id === 'scope.chat') checks.push(committeeCheck(union, answer))
  }
  return checks
}

/** Where the committee group came from, for the detail line. */
const committeeSource = (union: UnionSetup) => (union.committeeSetInChat ? '(set in chat with 设为委员会群)' : '(UNION_ADMIN_CHAT_ID)')

function committeeCheck(union: UnionSetup, answer: ApiAnswer | unknown): DoctorCheck {
  const title = '工会群 / committee group'
  const chat = union.committeeChatId
  if (!chat && !union.storedKnown) {
    // PGlite: the running bot holds the database, and a group chosen in chat is kept there.
    return bad(
      'warn',
      'committee',
      title,
      'UNION_ADMIN_CHAT_ID not set, and a group chosen in chat (设为委员会群) cannot be read from here: see /readyz?verbose=1 of the running bot',
      '若主席还没有在委员会群里 @工会助手 发送“设为委员会群”，请完成这一步；运行中的机器人在 /readyz?verbose=1 里显示当前的委员会群。',
      'If the chair has not yet sent @工会助手 设为委员会群 in the committee group, do that; the running bot shows the group in use at /readyz?verbose=1.',
    )
  }
  if (!chat) {
    return bad(
      'fail',
      'committee',
      title,
      'no committee group: 设为委员会群 not sent in any group, UNION_ADMIN_CHAT_ID not set',
      '把机器人拉进工会委员会群，由主席在群里 @工会助手 发送“设为委员会群”；或从日志或群设置里取得 chat_id（oc_…），设置 UNION_ADMIN_CHAT_ID。',
      "Add the bot to the union committee's group and have the chair send @工会助手 设为委员会群 there; or find its chat_id (oc_…: the bot-added log line or the group's settings) and set UNION_ADMIN_CHAT_ID.",
    )
  }
  if (answer instanceof Error || !answer || typeof answer !== 'object') return skip('committee', title, `${chat} ${committeeSource(union)}: membership not checked (the chat API did not answer)`)
  const a = answer as ApiAnswer
  if (a.code !== undefined && NO_PERMISSION_CODES.has(a.code)) return skip('committee', title, `${chat} ${committeeSource(union)}: membership not checked: grant im:chat:readonly first`)
  const inChat = (a.body.data as { is_in_chat?: unknown } | undefined)?.is_in_chat
  if (a.code === 0 && inChat === true) return ok('committee', title, `the bot is in ${chat} ${committeeSource(union)}`)
  const fixZh = union.committeeSetInChat ? '把机器人加回该群（群设置 → 群机器人 → 添加机器人），或由主席在新的委员会群里发送“设为委员会群”。' : `把机器人加入群 ${chat}（群设置 → 群机器人 → 添加机器人），或改正 UNION_ADMIN_CHAT_ID。`
  const fixEn = union.committeeSetInChat ? 'Add the bot back to that group (group settings → 群机器人 → add bot), or have the chair send 设为委员会群 in the new committee group.' : `Add the bot to ${chat} (group settings → 群机器人 → add bot), or correct UNION_ADMIN_CHAT_ID.`
  return bad('fail', 'committee', title, `${a.code === 0 ? `the bot is not in ${chat}` : `${chat}: code ${a.code} ${a.msg}`} ${committeeSource(union)}`, fixZh, fixEn)
}

function transportChecks(config: Config, union: UnionSetup): DoctorCheck[] {
  if (!usesWebhook(config)) return []
  const f = config.feishu
  const title = 'Webhook 加密 / webhook keys'
  const missing = [!f.verificationToken && 'FEISHU_VERIFICATION_TOKEN', !f.encryptKey && 'FEISHU_ENCRYPT_KEY'].filter(Boolean) as string[]
  if (missing.length === 0) return [ok('webhook', title, 'verification token and encrypt key set'), ...challengeCheck(union)]
  // An unsigned webhook the operator accepted knowingly is a warning, not a failure (config.ts#assertWebhookSigned).
  const status = !f.verificationToken || !f.allowUnsignedWebhook ? 'fail' : 'warn'
  return [
    bad(
      status,
      'webhook',
      title,
      `${missing.join(', ')} not set`,
      '在开放平台 → 事件与回调 → 加密策略 复制 Verification Token 和 Encrypt Key，设置到 FEISHU_VERIFICATION_TOKEN 和 FEISHU_ENCRYPT_KEY；没有公网地址时可改用长连接 FEISHU_TRANSPORT=websocket。',
      'Copy the Verification Token and Encrypt Key from the console (事件与回调 → 加密策略) into FEISHU_VERIFICATION_TOKEN and FEISHU_ENCRYPT_KEY; without a public URL use the long connection, FEISHU_TRANSPORT=websocket.',
    ),
  ]
}

/**
 * Whether Feishu has verified the request URL: it sends a challenge when the URL is saved in the console (事件与回调
 * → 事件配置 → 请求地址; docs/feishu-platform.md#url-verification), and the bot records answering it. Not seen yet
 * is a warning: the console step may simply not be done, or the URL does not reach this bot.
 */
function challengeCheck(union: UnionSetup): DoctorCheck[] {
  if (!union.storedKnown) return []
  const title = '请求地址 / request URL'
  if (union.webhookChallengeSeenAt) return [ok('webhook.challenge', title, `Feishu's URL verification answered at ${union.webhookChallengeSeenAt.toISOString()}`)]
  return [
    bad(
      'warn',
      'webhook.challenge',
      title,
      "no URL verification from Feishu seen yet",
      '在开放平台 → 事件与回调 → 事件配置 填写请求地址 https://<本机公网地址>/feishu/events 并保存（回调配置同样填写 /feishu/cards）；飞书会发来验证请求，机器人应答后这里显示通过。',
      'In the console (事件与回调 → 事件配置) set the request URL to https://<public address>/feishu/events and save (and /feishu/cards for callbacks); Feishu then sends a verification the bot answers, and this check passes.',
    ),
  ]
}

/** Endpoint discovery, as node-sdk's WSClient does it first (docs/feishu-platform.md#long-connection). */
async function longConnectionCheck(config: Config, timeoutMs: number): Promise<DoctorCheck> {
  const title = '长连接 / long connection'
  const f = config.feishu
  try {
    const answer = await call(f.domain, 'POST', '/callback/ws/endpoint', undefined, { AppID: f.appId, AppSecret: f.appSecret }, timeoutMs)
    const url = (answer.body.data as { URL?: unknown } | undefined)?.URL
    if (answer.code === 0 && typeof url === 'string') return ok('longConnection', title, `endpoint discovery answered a socket URL (${new URL(url).host})`)
    return bad(
      'fail',
      'longConnection',
      title,
      `endpoint discovery: code ${answer.code ?? `HTTP ${answer.status}`} ${answer.msg}`,
      '确认是企业自建应用；在开放平台 → 事件与回调 把订阅方式设为“使用长连接接收事件/回调”并发布版本；每个应用最多 50 个连接。',
      'The app must be self-built (企业自建); in the console (事件与回调) choose the long connection for events and for callbacks and publish a version; at most 50 connections per app.',
    )
  } catch (err) {
    return bad('fail', 'longConnection', title, `${f.domain} not reachable: ${describe(err)}`, `本机无法访问 ${f.domain}（出站 HTTPS 和 WSS）。`, `This machine cannot reach ${f.domain} (outbound HTTPS and WSS).`)
  }
}

async function databaseChecks(config: Config, timeoutMs: number, now: Date): Promise<DoctorCheck[]> {
  const title = '数据库 / Postgres'
  const calendarTitle = '工作日历 / working-day calendar'
  if (!config.databaseUrl) {
    // The embedded PGlite belongs to the running bot (one process at a time, docs/stack.md#pglite): not opened here.
    return [
      bad(
        'warn',
        'postgres',
        title,
        `DATABASE_URL not set: embedded PGlite in ${config.pgliteDataDir} (one process only)`,
        '生产环境请使用 PostgreSQL 15：设置 DATABASE_URL=postgres://user:password@host:5432/union。',
        'In production use PostgreSQL 15: set DATABASE_URL=postgres://user:password@host:5432/union.',
      ),
      skip('calendar', calendarTitle, 'needs the database (officer-loaded years are kept there)'),
    ]
  }
  const db = openDatabase(config.databaseUrl, timeoutMs)
  try {
    let migrations
    try {
      migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations()
    } catch (err) {
      return [
        bad(
          'fail',
          'postgres',
          title,
          `not reachable: ${describe(err)}`,
          '确认 PostgreSQL 已启动、DATABASE_URL 的主机、端口、用户、密码和库名正确，且本机可以连接。',
          "Make sure PostgreSQL is running and DATABASE_URL's host, port, user, password and database are right and reachable from here.",
        ),
        skip('calendar', calendarTitle, 'needs the database'),
      ]
    }
    const pending = migrations.filter((m) => !m.executedAt).map((m) => m.name)
    const checks: DoctorCheck[] = [
      pending.length === 0
        ? ok('postgres', title, `reachable, ${migrations.length} migrations applied`)
        : bad('fail', 'postgres', title, `reachable; ${pending.length} migrations pending: ${pending.join(', ')}`, '运行 npm run migrate（机器人启动时也会自动迁移）。', 'Run npm run migrate (the bot also migrates at start).'),
    ]
    if (pending.length) {
      checks.push(skip('calendar', calendarTitle, 'needs the migrated database'))
      return checks
    }
    const calendar = new WorkCalendar(config.timezone)
    await refreshCalendar(db, calendar)
    checks.push(...calendarChecks(calendar, config.timezone, now))
    return checks
  } finally {
    await db.destroy().catch(() => undefined)
  }
}

/** The current year must be known (fail), the next one should be (warn): `sourceOf(year) !== 'estimate'`. */
export function calendarChecks(calendar: WorkCalendar, timeZone: string, now: Date): DoctorCheck[] {
  const calendarTitle = '工作日历 / working-day calendar'
  const year = localParts(now, timeZone).year
  return ([[year, 'fail'], [year + 1, 'warn']] as const).map(([y, status]) => {
    const source = calendar.sourceOf(y)
    if (source !== 'estimate') return ok(`calendar.${y}`, `${calendarTitle} ${y}`, source === 'loaded' ? 'loaded by the officers' : 'from the chinese-days package')
    return bad(
      status,
      `calendar.${y}`,
      `${calendarTitle} ${y}`,
      `${y}: only estimated from the statutory holidays (调休 unknown): deadlines may be off by days`,
      `国务院公布 ${y} 年放假安排后，由工会干部在机器人里录入该年的放假和调休（节假日设置），或升级 chinese-days。`,
      `Once the State Council publishes ${y}'s holiday arrangement, an officer loads it in the bot (节假日设置: days off and make-up workdays), or upgrade chinese-days.`,
    )
  })
}

/**
 * The part of the doctor a running bot can answer without calling Feishu (/readyz?verbose=1): webhook keys, the
 * committee group in use (set in chat or configured), whether Feishu verified the request URL, the calendar years. Readiness itself already covers Postgres,
 * Redis and the long connection.
 */
export function localChecks(config: Config, calendar: WorkCalendar, now: Date, union: UnionSetup = configuredUnion(config)): DoctorCheck[] {
  const committee = union.committeeChatId
    ? ok('committee', '工会群 / committee group', `${union.committeeChatId} ${committeeSource(union)} (membership: npm run doctor)`)
    : committeeCheck(union, undefined)
  return [...transportChecks(config, union), committee, ...calendarChecks(calendar, config.timezone, now), dibaoCheck(config)]
}

async function redisCheck(config: Config, timeoutMs: number): Promise<DoctorCheck> {
  const title = 'Redis'
  if (!config.redisUrl) {
    return bad('warn', 'redis', title, 'REDIS_URL not set: conversations in memory (one instance only)', '多实例部署请设置 REDIS_URL（Redis 7，建议开启密码）。', 'For more than one instance set REDIS_URL (Redis 7, with a password).')
  }
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    const pong = await redis.ping()
    return pong === 'PONG' ? ok('redis', title, 'reachable') : bad('fail', 'redis', title, `PING answered ${pong}`, '检查 REDIS_URL。', 'Check REDIS_URL.')
  } catch (err) {
    return bad('fail', 'redis', title, `not reachable: ${describe(err)}`, '确认 Redis 已启动，REDIS_URL 的主机、端口和密码正确。', "Make sure Redis is running and REDIS_URL's host, port and password are right.")
  } finally {
    redis.disconnect()
  }
}

async function call(domain: string, method: string, path: string, token: string | undefined, body: unknown, timeoutMs: number): Promise<ApiAnswer> {
  const res = await fetch(`${domain}${path}`, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let parsed: Record<string, unknown> = {}
  try {
    parsed = JSON.parse(text) as Record<string, unknown>
  } catch {
    parsed = {}
  }
  return { status: res.status, code: typeof parsed.code === 'number' ? parsed.code : undefined, msg: typeof parsed.msg === 'string' ? parsed.msg : text.slice(0, 200), body: parsed }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (err as { code?: string }).code ?? err.message
}

const MARK: Record<CheckStatus, string> = { ok: '[ OK ]', fail: '[FAIL]', warn: '[WARN]', skip: '[SKIP]' }

/** The checklist as printed by `npm run doctor`. */
export function formatChecklist(checks: readonly DoctorCheck[]): string {
  const lines = ['工会助手 安装自检 / union bot set-up doctor', '']
  for (const c of checks) {
    lines.push(`${MARK[c.status]} ${c.title}: ${c.detail}`)
    if (c.fix) {
      lines.push(`       修复: ${c.fix.zh}`)
      lines.push(`       fix:  ${c.fix.en}`)
    }
  }
  const failed = checks.filter((c) => c.status === 'fail').length
  const warned = checks.filter((c) => c.status === 'warn').length
  lines.push('', failed ? `${failed} 项失败 / ${failed} failed, ${warned} warnings` : warned ? `全部通过，${warned} 项提醒 / all passed, ${warned} warnings` : '全部通过 / all passed', '')
  return lines.join('\n')
}
