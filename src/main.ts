// Entry point (`npm start`): loads the configuration, starts one bot instance and drains it on SIGTERM/SIGINT.
import { createBot } from './app.js'
import { loadConfig } from './config.js'
import { createLogger } from './logger.js'

const config = loadConfig()
const log = createLogger(config.logLevel)
const bot = await createBot(config, { logger: log })
const { url } = await bot.listen()
log.info({ url, health: `${url}/healthz`, events: `${url}/feishu/events`, cards: `${url}/feishu/cards` }, `union bot listening on ${url}`)

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'draining')
    bot.stop().then(
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
