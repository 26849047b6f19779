// The start log's one human-readable block (issue #12): what this process is, where it listens, what it uses and
// what is missing, printed on stderr whatever LOG_FORMAT says, so a newcomer does not have to dig it out of JSON.
import { usesLongConnection, usesWebhook, type Config } from './config.js'
import type { UnionSetup } from './doctor.js'
import type { EnvFileResult } from './env-file.js'

export interface StartupFacts {
  /** What listen() reported as bound ("all interfaces (0.0.0.0:3000)", "127.0.0.1:3000"). */
  bound: string
  url: string
  allInterfaces: boolean
  internalUrl: string | undefined
  envFile: EnvFileResult
  /**
   * The committee group and officers as stored (set in chat: 设为委员会群, 初始化, 干部 添加) over the configured ones
   * (src/doctor.ts#readUnion). Without it, only the configuration is judged.
   */
  union?: UnionSetup
}

export interface StartupSummary {
  /** For the structured log: no secrets, no URLs with passwords. */
  fields: { mode: 'playground' | 'installation'; transport: string; database: string; redis: string; committeeGroup: boolean; missing: string[] }
  /** The block for stderr. */
  text: string
}

/**
 * What an installation lacks, with what each gap means; empty for the playground (it generates everything). The
 * committee group and the officers count as present when they were set in chat (README, "the first 10 minutes"):
 * then neither UNION_ADMIN_CHAT_ID nor UNION_OFFICER_OPEN_IDS is needed.
 */
export function missingSettings(config: Config, union?: UnionSetup): string[] {
  if (config.playground) return []
  const f = config.feishu
  const missing: string[] = []
  if (!f.appId || !f.appSecret) missing.push('FEISHU_APP_ID / FEISHU_APP_SECRET (the bot cannot send anything)')
  if (usesWebhook(config)) {
    if (!f.verificationToken) missing.push('FEISHU_VERIFICATION_TOKEN (every webhook request is refused)')
    if (!f.encryptKey) missing.push('FEISHU_ENCRYPT_KEY (webhook events are not signed)')
  }
  if (!(union?.committeeChatId ?? config.union.adminChatId)) missing.push('UNION_ADMIN_CHAT_ID (no committee group yet: the chair sends @工会助手 设为委员会群 in it, or set this; review cards and reminders need one)')
  if (!(union?.someOfficer ?? config.union.officerOpenIds[0])) missing.push('UNION_OFFICER_OPEN_IDS (no officer yet: send the bot 初始化 <setup code> privately to become the chair, or list officers here)')
  if (!config.databaseUrl) missing.push('DATABASE_URL (embedded PGlite: one process only)')
  if (!config.redisUrl) missing.push('REDIS_URL (conversations in memory: one instance only)')
  if (config.hardship.dibaoMonthlyFen === undefined) missing.push("HARDSHIP_DIBAO_MONTHLY (no local 低保: the 困难帮扶 self-check cannot tell 深度/相对困难; set your city's urban 低保, yuan per person and month)")
  return missing
}

/** A connection string without its password. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparsable URL)'
  }
}

export function startupSummary(config: Config, facts: StartupFacts): StartupSummary {
  const missing = missingSettings(config, facts.union)
  const committeeChat = facts.union?.committeeChatId ?? config.union.adminChatId
  const committeeRow = committeeChat ? `${committeeChat}${facts.union?.committeeSetInChat ? ' (set in chat with 设为委员会群)' : ''}` : 'not set'
  const transport = config.feishu.transport
  const database = config.databaseUrl ? `Postgres ${redactUrl(config.databaseUrl)}` : `embedded PGlite in ${config.pgliteDataDir}`
  const redis = config.redisUrl ? redactUrl(config.redisUrl) : 'none: conversation state in memory'
  const routes = usesWebhook(config) ? ` — webhook ${facts.url}/feishu/events and ${facts.url}/feishu/cards` : ''
  const ws = usesLongConnection(config) ? ` — long connection to ${config.feishu.domain}` : ''
  const env = facts.envFile.path
    ? `${facts.envFile.path} (${facts.envFile.loaded.length} set from it${facts.envFile.overridden.length ? `, ${facts.envFile.overridden.length} left to the environment: ${facts.envFile.overridden.join(', ')}` : ''})`
    : 'no .env file read'
  const rows: [string, string][] = [
    ['mode 模式', config.playground ? 'playground (local stand-in for Feishu, no login)' : 'installation'],
    ['listening 监听', `${facts.bound}${facts.allInterfaces ? ' — reachable from other machines' : ''}`],
    ['health 健康', `${facts.url}/healthz${facts.internalUrl ? `; /readyz and /metrics on ${facts.internalUrl}` : ''}`],
    ['transport 接入', `${transport}${routes}${ws}`],
    ['database 数据库', database],
    ['Redis', redis],
    ['committee 工会群', committeeRow],
    ['config 配置', env],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = ['', '  工会助手 union bot', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)]
  if (missing.length) {
    lines.push(`  ${'missing 缺少'.padEnd(width)}  ${missing[0]}`)
    for (const m of missing.slice(1)) lines.push(`  ${' '.repeat(width)}  ${m}`)
    lines.push(`  ${' '.repeat(width)}  → npm run doctor checks the installation and says how to fix each item (诊断)`)
  }
  lines.push('', '')
  return {
    fields: { mode: config.playground ? 'playground' : 'installation', transport, database: config.databaseUrl ? 'postgres' : 'pglite', redis: config.redisUrl ? 'redis' : 'memory', committeeGroup: Boolean(committeeChat), missing: missing.map((m) => m.split(' ')[0]!) },
    text: lines.join('\n'),
  }
}
