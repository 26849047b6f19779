// Opens the records database: Postgres when DATABASE_URL is set, else an embedded PGlite in a data directory.
// Both go through one pg.Pool and Kysely's PostgresDialect, so types and behaviour match (docs/stack.md#pglite).
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

export interface DatabaseHandle {
  db: Kysely<Database>
  /** The single pool; pg-boss shares it (on PGlite there must be exactly one gate per instance). */
  pool: pg.Pool
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
}

export interface ConnectOptions {
  databaseUrl: string | undefined
  pgliteDataDir: string
  /** Max connections for a real Postgres server. */
  poolSize?: number
}

export async function connectDatabase(opts: ConnectOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Fail fast when Postgres is unreachable so the webhook can answer 5xx and Feishu retries later.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 10_000,
    })
    // A client losing its connection (Postgres restarted, network cut) must not crash the process: idle clients
    // report on the pool, checked-out ones on themselves; the query in flight rejects and the next one reconnects.
    pool.on('error', () => undefined)
    pool.on('connect', (client) => client.on('error', () => undefined))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, pool, kind: 'postgres', close: () => db.destroy() }
  }
  return connectPglite(opts.pgliteDataDir)
}

async function connectPglite(dataDir: string): Promise<DatabaseHandle> {
  const releaseLock = lockDataDir(dataDir)
  try {
    const { PGlite } = await import('@electric-sql/pglite')
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres')
    const pglite = await PGlite.create(dataDir === ':memory:' ? undefined : dataDir)
    // PGlite is one Postgres session: exactly one pool (max 1) for everything, or transactions leak across
    // pools (docs/stack.md#pglite). idleTimeoutMillis 0 keeps pg-pool's idle timer from holding the process open.
    const pool = new pg.Pool({ ...createPgConfig(pglite), idleTimeoutMillis: 0 } as pg.PoolConfig)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      pool,
      kind: 'pglite',
      close: async () => {
        await db.destroy()
        await pglite.close()
        releaseLock()
      },
    }
  } catch (err) {
    releaseLock()
    throw err
  }
}

/**
 * PGlite has no lock of its own: two processes opening one data directory corrupt it (docs/stack.md#pglite).
 * A lock file holding our pid; a stale one (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  if (dataDir === ':memory:') return () => undefined
  mkdirSync(dataDir, { recursive: true })
  const lockPath = join(dataDir, '..', `${dataDir.split('/').filter(Boolean).pop() ?? 'pglite'}.lock`)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockPath, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(readFileSync(lockPath, 'utf8'))
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`the embedded database in ${dataDir} is in use by process ${pid}`)
      }
      rmSync(lockPath, { force: true })
    }
  }
  throw new Error(`could not lock ${dataDir}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
