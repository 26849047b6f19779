// `npm run seed`: re-creates the playground's demo data. It empties the database (the embedded PGlite directory;
// a DATABASE_URL only with --reset-database), starts the bot with the playground on a free port, acts out the seed
// scenarios through the webhook, saves the chats the page shows, and stops. Playground mode only.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import pg from 'pg'
import { registerHandlers } from '../handlers/index.js'
import { createBot } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { preparePlayground } from './index.js'

const resetDatabase = process.argv.includes('--reset-database')
const base = loadConfig()
if (!base.playground) fail('npm run seed only runs in playground mode: nothing of a real installation configured (no FEISHU_*, DATABASE_URL or REDIS_URL), or PLAYGROUND=1 (it would otherwise empty a real database).')
const log = createLogger(base.logLevel)

if (base.databaseUrl) {
  if (!resetDatabase) fail('DATABASE_URL is set: `npm run seed -- --reset-database` drops and re-creates its "public" and "pgboss" schemas. Refusing without that flag.')
  const client = new pg.Client({ connectionString: base.databaseUrl })
  await client.connect()
  try {
    await client.query('drop schema if exists pgboss cascade; drop schema if exists public cascade; create schema public')
  } finally {
    await client.end()
  }
  log.info('seed: emptied the database at DATABASE_URL')
} else {
  const dir = base.pgliteDataDir
  const lock = join(dirname(dir), `${basename(dir)}.lock`)
  const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : undefined
  if (holder && isAlive(holder)) fail(`the embedded database in ${dir} is in use by process ${holder}: stop \`npm start\` first.`)
  rmSync(dir, { recursive: true, force: true })
  log.info({ dataDir: dir }, 'seed: removed the embedded database')
}

// A one-off run: no internal listener (INTERNAL_PORT's fixed default may be held by a running bot).
const playground = await preparePlayground({ env: { ...process.env, SCHEDULER_ENABLED: '0', INTERNAL_PORT: '0' }, log })
const bot = await createBot(playground.config, { logger: log, register: registerHandlers, ...playground.botOptions })
try {
  const { url } = await bot.listen(0, '127.0.0.1')
  const { seeded } = await playground.start(bot, url, { seed: 'force' })
  log.info({ scenarios: seeded }, `seed: done (${seeded.length} scenarios); \`npm start\` opens the playground with them`)
} finally {
  await playground.stop(bot)
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
