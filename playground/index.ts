// The local playground (issue #8): on a bare machine (or with PLAYGROUND=1), `npm start` also runs a local
// stand-in for the Feishu Open API, points the bot's own Feishu client at it, and serves /playground, a page that
// stands in for the Feishu client. The bot itself is unchanged: it gets generated credentials, an encrypt key (so
// every event is really encrypted and signed) and a domain, exactly as it would get Feishu's. Never the
// environment's: a real app's token and key would let real Feishu deliveries in and onto the page (issue #19).
import { randomBytes, randomInt } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { Bot, BotOptions } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import type { Logger } from '../src/logger.js'
import { FakeOpenApi } from '../devtools/fake-open-api.js'
import { FeishuEventBuilder } from '../devtools/feishu-events.js'
import { COMMITTEE_CHAT_ID, buildCast } from './cast.js'
import { newPlaygroundToken } from './guard.js'
import { mountPlaygroundRoutes } from './routes.js'
import { runSeed } from './seed/run.js'
import { PlaygroundSession } from './session.js'

export interface PlaygroundOptions {
  /** The environment the bot was started with (process.env). */
  env: NodeJS.ProcessEnv
  log: Logger
  /** Port of the stand-in Open API (127.0.0.1); a free one by default. */
  openApiPort?: number
}

export interface Playground {
  /** The bot's configuration, pointed at the stand-in. */
  readonly config: Config
  /** What the bot needs: the playground's routes on its HTTP server. */
  readonly botOptions: Pick<BotOptions, 'extraRoutes'>
  readonly session: PlaygroundSession
  readonly openApi: FakeOpenApi
  /** This start's API token; the page gets it in its URL (`/playground/#token=…`). */
  readonly token: string
  /**
   * Once the bot listens: connects the page to it and seeds a fresh database ('auto': only when the bot has never
   * joined the committee group in this database). Resolves with the page's URL, token included.
   */
  start(bot: Bot, botUrl: string, opts?: { seed?: 'auto' | 'never' | 'force' }): Promise<{ url: string; seeded: string[] }>
  /** Ends the pages' event streams, drains the bot, then stops the stand-in and saves the chats. */
  stop(bot: Bot, opts?: { drainTimeoutMs?: number }): Promise<void>
}

const set = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined)

export async function preparePlayground(opts: PlaygroundOptions): Promise<Playground> {
  const { env, log } = opts
  // All four generated, whatever the environment holds (PLAYGROUND=1 next to a real app's settings).
  const appId = `cli_playground_${randomBytes(6).toString('hex')}`
  const appSecret = randomBytes(16).toString('hex')
  const token = newPlaygroundToken()
  const openApi = new FakeOpenApi({ appId, appSecret, botName: '工会助手' })
  await openApi.start(opts.openApiPort ?? 0)
  const committeeChatId = set(env.UNION_ADMIN_CHAT_ID) ?? COMMITTEE_CHAT_ID
  // Set up the new way (issue #20): no open_id or chat_id in the configuration; the seed has the chair send
  // `初始化 <code>` privately and `设为委员会群` in the committee group. A code of its own at every start.
  const setupCode = set(env.UNION_SETUP_CODE) ?? String(randomInt(10_000_000, 100_000_000))
  const config = loadConfig({
    ...env,
    PLAYGROUND: '1',
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: appSecret,
    FEISHU_VERIFICATION_TOKEN: randomBytes(16).toString('hex'),
    // Always an encrypt key: the webhook then enforces decryption and the signature, as with a real app.
    FEISHU_ENCRYPT_KEY: randomBytes(24).toString('base64url'),
    FEISHU_DOMAIN: openApi.url,
    UNION_SETUP_CODE: setupCode,
    // The demo's 低保 (an illustrative 1,000 yuan a month, not any city's figure) so the hardship self-check can be
    // tried; a real deployment sets its own (no default: src/config.ts).
    HARDSHIP_DIBAO_MONTHLY: set(env.HARDSHIP_DIBAO_MONTHLY) ?? '1000',
  })
  const events = new FeishuEventBuilder({
    appId,
    verificationToken: config.feishu.verificationToken!,
    encryptKey: config.feishu.encryptKey!,
    botOpenId: openApi.botOpenId,
    botName: openApi.botName,
  })
  const session = new PlaygroundSession({
    fake: openApi,
    events,
    cast: buildCast({ committeeChatId }),
    log,
    // Next to the embedded database (./data by default), so deleting ./data starts the playground afresh.
    stateFile: join(dirname(config.pgliteDataDir), 'playground', 'chats.json'),
  })
  const streams = new Set<() => void>()

  return {
    config,
    session,
    openApi,
    token,
    botOptions: { extraRoutes: (router) => mountPlaygroundRoutes(router, { session, streams, token, configuredHost: config.host }) },
    async start(bot, botUrl, startOpts = {}) {
      session.attach(botUrl)
      const mode = startOpts.seed ?? 'auto'
      const joined = await bot.services.db
        .selectFrom('bot_chats')
        .select('chat_id')
        .where('chat_id', '=', committeeChatId)
        .where('removed_at', 'is', null)
        .executeTakeFirst()
      let seeded: string[] = []
      if (mode === 'force' || (mode === 'auto' && !joined)) {
        // A fresh database: chats kept from an earlier database would show cases that no longer exist.
        session.clear()
        log.info('playground: seeding a fresh database (first start)')
        try {
          seeded = await runSeed(session, bot, log)
        } catch (err) {
          if (mode === 'force') throw err
          // The page still works; `npm run seed` shows the failure again.
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'playground: seeding failed')
        }
      } else if (!session.load()) {
        log.info('playground: no saved chats; the database keeps its records')
      }
      session.saveNow()
      // In the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
      return { url: `${botUrl}/playground/#token=${token}`, seeded }
    },
    async stop(bot, stopOpts = {}) {
      for (const close of [...streams]) close()
      try {
        await bot.stop(stopOpts)
      } finally {
        session.close()
        await openApi.stop()
      }
    },
  }
}
