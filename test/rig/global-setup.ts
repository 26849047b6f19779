// Once per test run: check that Postgres and Redis are reachable (a missing service fails the run, never skips),
// build a migrated template database that every test file clones, and drop it afterwards.
import { Redis } from 'ioredis'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrateToLatest } from '../../src/db/migrate.js'
import { adminDatabaseUrl, databaseUrlFor, testRedisUrl } from './env.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string
  }
}

export default async function setup(project: TestProject) {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
  try {
    await admin.connect()
  } catch (err) {
    throw new Error(`Postgres is required for the tests and is not reachable at ${adminDatabaseUrl()}: ${(err as Error).message}`)
  }
  const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 })
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    throw new Error(`Redis is required for the tests and is not reachable at ${testRedisUrl()}: ${(err as Error).message}`)
  } finally {
    redis.disconnect()
  }

  // Leftovers of runs that crashed before teardown.
  const stale = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'ub_tmpl_%' or datname like 'ub_t_%'`)
  for (const { datname } of stale.rows) {
    const pid = Number(datname.split('_')[2])
    if (pid !== process.pid && !isAlive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`)
  }

  // One template per project (integration and drills each run this setup); the pid stays third for the cleanup above.
  const template = `ub_tmpl_${process.pid}_${project.name || 'default'}`
  await admin.query(`drop database if exists "${template}" with (force)`)
  await admin.query(`create database "${template}"`)
  const pool = new pg.Pool({ connectionString: databaseUrlFor(template), max: 1 })
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  try {
    await migrateToLatest(db)
  } finally {
    // CREATE DATABASE … TEMPLATE fails while the template has connections.
    await db.destroy()
  }
  project.provide('pgTemplate', template)

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`ub_t_${process.pid}_%`])
    for (const { datname } of leftovers.rows) await admin.query(`drop database if exists "${datname}" with (force)`)
    await admin.query(`drop database if exists "${template}" with (force)`)
    await admin.end()
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
