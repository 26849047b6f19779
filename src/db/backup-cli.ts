// `npm run backup`: a consistent dump of DATABASE_URL with pg_dump (custom format) into BACKUP_DIR, and the command
// that restores it; docs/upgrades.md has the restore drill. The embedded PGlite directory is backed up by copying it.
import { execFileSync } from 'node:child_process'
import { mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../config.js'
import { loadEnvFile } from '../env-file.js'

loadEnvFile()
const config = loadConfig()
if (!config.databaseUrl) {
  process.stderr.write(`No DATABASE_URL: the bot keeps its data in the embedded database at ${config.pgliteDataDir}. Stop the bot and copy that directory to back it up.\n`)
  process.exit(1)
}
const dir = resolve(process.env.BACKUP_DIR ?? 'backups')
mkdirSync(dir, { recursive: true })
// UTC in the file name, down to the second: one file per run, in order by name.
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')
const file = join(dir, `union-bot-${stamp}.dump`)
try {
  // --format=custom: compressed, restorable table by table with pg_restore; one snapshot (pg_dump is transactional).
  execFileSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, config.databaseUrl], { stdio: ['ignore', 'inherit', 'inherit'] })
} catch (err) {
  process.stderr.write(`pg_dump failed (${(err as Error).message}). It must be on PATH and of the server's major version or newer.\n`)
  process.exit(1)
}
const size = statSync(file).size
console.log(`backup written: ${file} (${Math.round(size / 1024)} KiB)`)
console.log(`restore into a new, empty database:  createdb union_bot_restored && pg_restore --no-owner --dbname=postgres://…/union_bot_restored ${file}`)
