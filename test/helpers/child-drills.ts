// Shared by the drills that kill a bot process (test/drill-sigkill*.test.ts): the environment of a child bot on a
// test database, a direct database handle for the test, and cleanup of the Redis keys a child leaves behind
// (a child uses the default `unionbot:` prefix, not the test database's namespace).
import { Redis } from 'ioredis'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { FakeOpenApi } from '../../devtools/fake-open-api.js'
import type { Database } from '../../src/db/schema.js'
import { ADMIN_CHAT_ID, CHAIR, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'
import type { TestDatabase } from '../rig/test-db.js'

/** The key prefix every child bot uses (main.ts passes no namespace). */
export const CHILD_REDIS_PREFIX = 'unionbot:'

export function childEnv(db: TestDatabase, fake: FakeOpenApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: db.url,
    REDIS_URL: db.redisUrl,
    UNION_ADMIN_CHAT_ID: ADMIN_CHAT_ID,
    UNION_OFFICER_OPEN_IDS: CHAIR.openId,
    SCHEDULER_ENABLED: '0',
    PLAYGROUND: '0',
    INBOX_LEASE_SECONDS: '2',
    INBOX_SWEEP_INTERVAL_MS: '200',
    ...extra,
  }
}

export function openDatabase(db: TestDatabase): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 2 }) }) })
}

/** Keys under the children's prefix that contain `tag` (every open_id of a drill carries its run's tag). */
export async function redisKeysWith(redisUrl: string, tag: string): Promise<string[]> {
  const redis = new Redis(redisUrl)
  try {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${CHILD_REDIS_PREFIX}*${tag}*`, 'COUNT', 500)
      cursor = next
      found.push(...keys)
    } while (cursor !== '0')
    return found
  } finally {
    redis.disconnect()
  }
}

export async function deleteRedisKeysWith(redisUrl: string, tag: string): Promise<void> {
  const keys = await redisKeysWith(redisUrl, tag)
  if (keys.length === 0) return
  const redis = new Redis(redisUrl)
  try {
    await redis.del(...keys)
  } finally {
    redis.disconnect()
  }
}
