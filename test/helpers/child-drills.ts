// Shared by the drills that kill a bot process (test/drill-sigkill*.test.ts): the environment of a child bot on a
// test database, a direct database handle for the test, and the Redis keys a child leaves behind (a child uses the
// default `unionbot:` prefix, not the test database's namespace; person keys are HMACs of open_ids, review F2).
import { Redis } from 'ioredis'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { FakeOpenApi } from '../../devtools/fake-open-api.js'
import type { Database } from '../../src/db/schema.js'
import { personKey } from '../../src/state/person-key.js'
import { STATE_KEY_SECRET_NAME } from '../../src/state/server-secret.js'
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

/**
 * The Redis keys (under the children's prefix) that stand for these people — conversation, expiry note, turn and
 * lock — computed with the state-key secret the bots generated in the test database.
 */
export async function personKeysOf(db: TestDatabase, openIds: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  let secret: string | undefined
  try {
    secret = (await client.query<{ value: string }>('select value from server_secrets where name = $1', [STATE_KEY_SECRET_NAME])).rows[0]?.value
  } finally {
    await client.end()
  }
  if (!secret) return []
  return openIds.flatMap((id) => ['conv:', 'conv-trace:', 'conv-turn:', 'lock:user:'].map((kind) => `${CHILD_REDIS_PREFIX}${kind}${personKey(secret, id)}`))
}

/** Those of `keys` that exist now. */
export async function existingKeys(redisUrl: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return []
  const redis = new Redis(redisUrl)
  try {
    const found = await Promise.all(keys.map(async (k) => ((await redis.exists(k)) ? k : undefined)))
    return found.filter((k): k is string => k !== undefined)
  } finally {
    redis.disconnect()
  }
}

/** Deletes the keys the children left for these people. */
export async function deletePersonKeys(db: TestDatabase, openIds: string[]): Promise<void> {
  const keys = await personKeysOf(db, openIds)
  if (keys.length === 0) return
  const redis = new Redis(db.redisUrl)
  try {
    await redis.del(...keys)
  } finally {
    redis.disconnect()
  }
}
