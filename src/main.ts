// Entry point (`npm start`): loads the configuration, starts one bot instance and drains it on SIGTERM/SIGINT.
// On a bare machine (nothing of a real installation configured) or with PLAYGROUND=1 it also runs the local
// playground (playground/index.ts). A bad configuration (e.g. a credential set but blank) stops it at once.
// `.env` is read first (src/env-file.ts); the variables already in the environment win over it.
import { registerHandlers } from '../handlers/index.js'
import { createBot } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { readUnion } from './doctor.js'
import { loadEnvFile, type EnvFileResult } from './env-file.js'
import { createLogger } from './logger.js'
import { startupSummary } from './startup-summary.js'

const envFile = readEnvFile()
const baseConfig = readConfig()
const log = createLogger(baseConfig.logLevel, undefined, baseConfig.logFormat)
if (envFile.path) log.info({ path: envFile.path, loaded: envFile.loaded, leftToEnvironment: envFile.overridden }, 'read .env (the environment wins over it)')
// Loaded only in playground mode: production never imports the playground.
const playground = baseConfig.playground ? await (await import('../playground/index.js')).preparePlayground({ env: process.env, log }) : undefined
const config = playground?.config ?? baseConfig
// With the playground, /readyz waits for its demo data too (issue #12).
const bot = await createBot(config, { logger: log, register: registerHandlers, ...playground?.botOptions, ...(playground ? { startupWork: 'the playground demo data' } : {}) })
const { url, bound, allInterfaces } = await bot.listen()
const webhookUrls = config.feishu.transport === 'websocket' ? {} : { events: `${url}/feishu/events`, cards: `${url}/feishu/cards` }
log.info({ url, bound, transport: config.feishu.transport, health: `${url}/healthz`, ...webhookUrls }, `union bot listening on ${bound}`)
// The committee group and officers set in chat count as configured (issue #20: a chair never sets the variables).
const union = await readUnion(bot.services.db, config).catch(() => undefined)
const summary = startupSummary(config, { bound, url, allInterfaces, internalUrl: bot.internalUrl, envFile, ...(union ? { union } : {}) })
log.info(summary.fields, 'start-up summary')
// On stderr, whatever LOG_FORMAT says: stdout stays one JSON object a line for log shippers.
process.stderr.write(summary.text)
if (playground) {
  // Said before the demo data is seeded (which takes seconds): the page is reachable from the moment of listen().
  const beyondLoopback = allInterfaces || !/^(127\.|\[::1\])/.test(bound)
  if (beyondLoopback) log.warn({ bound }, 'the playground has no login and acts as anyone, and it is reachable from other machines: set HOST=127.0.0.1 unless that is intended')
  const started = await playground.start(bot, url)
  bot.startupDone()
  // The page's URL carries its token: stderr only, not the structured log that may be shipped elsewhere.
  log.info({ bound, openApi: playground.openApi.url, seeded: started.seeded }, `playground: served on ${bound}`)
  process.stderr.write(`\n  工会助手 playground — open ${started.url} in a browser (no Feishu app needed)\n  listening on ${bound}${beyondLoopback ? ' — WARNING: reachable from other machines' : ''}\n\n`)
}
log.info('ready: start-up work done (/readyz now reports the services)')

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'draining')
    ;(playground ? playground.stop(bot) : bot.stop()).then(
      () => {
        log.info('stopped')
        process.exit(0)
      },
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'stop failed')
        process.exit(1)
      },
    )
  })
}

function readEnvFile(): EnvFileResult {
  try {
    return loadEnvFile()
  } catch (err) {
    process.stderr.write(`configuration error (ENV_FILE_UNREADABLE): ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
}

function readConfig(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`configuration error (${err.code}): ${err.message}\n`)
    process.exit(1)
  }
}
