// Entry point (`npm start`): loads the configuration, starts one bot instance and drains it on SIGTERM/SIGINT.
// Without a Feishu app (or with PLAYGROUND=1) it also runs the local playground (playground/index.ts).
import { createBot } from './app.js'
import { loadConfig } from './config.js'
import { createLogger } from './logger.js'

const baseConfig = loadConfig()
const log = createLogger(baseConfig.logLevel)
// Loaded only in playground mode: production never imports the playground.
const playground = baseConfig.playground ? await (await import('../playground/index.js')).preparePlayground({ env: process.env, log }) : undefined
const config = playground?.config ?? baseConfig
const bot = await createBot(config, { logger: log, ...playground?.botOptions })
const { url } = await bot.listen()
log.info({ url, health: `${url}/healthz`, events: `${url}/feishu/events`, cards: `${url}/feishu/cards` }, `union bot listening on ${url}`)
if (playground) {
  const started = await playground.start(bot, url)
  log.info({ playground: started.url, openApi: playground.openApi.url, seeded: started.seeded }, `playground: open ${started.url}`)
  process.stderr.write(`\n  工会助手 playground — open ${started.url} in a browser (no Feishu app needed)\n\n`)
}

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
