// A fresh Postgres database per test file (cloned from the migrated template) and a Redis namespace of its own.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { inject } from 'vitest'
import { adminDatabaseUrl, databaseUrlFor, testRedisUrl } from './env.js'

export interface TestDatabase {
  name: string
  url: string
  redisUrl: string
  /** Redis key prefix for this database's bots, e.g. `ub_t_123_1_ab12:`. */
  redisNamespace: string
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('pgTemplate')
  const name = `ub_t_${process.ppid}_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
  await admin.connect()
  try {
    await admin.query(`create database "${name}" template "${template}"`)
  } finally {
    await admin.end()
  }
  const redisNamespace = `${name}:`
  return {
    name,
    url: databaseUrlFor(name),
    redisUrl: testRedisUrl(),
    redisNamespace,
    drop: () => dropTestDatabase(name, redisNamespace),
  }
}

/** Drops a test (or benchmark) database and deletes its Redis keys. */
export async function dropTestDatabase(name: string, redisNamespace: string): Promise<void> {
  const redis = new Redis(testRedisUrl())
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisNamespace}*`, 'COUNT', 500)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
  const client = new pg.Client({ connectionString: adminDatabaseUrl() })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name}" with (force)`)
  } finally {
    await client.end()
  }
}
