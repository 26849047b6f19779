// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite) and exits.
import { loadConfig } from '../config.js'
import { loadEnvFile } from '../env-file.js'
import { connectDatabase } from './connect.js'
import { migrateToLatest } from './migrate.js'

// The same .env as `npm start` (src/env-file.ts): the environment wins over it.
loadEnvFile()
const config = loadConfig()
const handle = await connectDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
try {
  const applied = await migrateToLatest(handle.db)
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date')
} finally {
  await handle.close()
}
