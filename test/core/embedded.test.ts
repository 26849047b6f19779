// The embedded defaults that let `npm start` run on a bare machine: PGlite (same migrations) and in-memory state.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { registerHandlers } from '../../handlers/index.js'
import { createBot, type Bot } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { connectDatabase } from '../../src/db/connect.js'
import { MemoryStateStore } from '../../src/state/memory-store.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'

let dir: string
let fake: FakeOpenApi
let bot: Bot
let url: string
let events: FeishuEventBuilder

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unionbot-pglite-'))
  fake = new FakeOpenApi()
  await fake.start()
  const config = loadConfig({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_DOMAIN: fake.url,
    PGLITE_DATA_DIR: join(dir, 'pglite'),
    SCHEDULER_ENABLED: '0',
    PLAYGROUND: '0',
  })
  bot = await createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers, ops: { port: 0 } })
  url = (await bot.listen(0, '127.0.0.1')).url
  events = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: fake.botOpenId })
})
afterAll(async () => {
  await bot?.stop()
  await fake?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('embedded mode (no DATABASE_URL, no REDIS_URL)', () => {
  it('runs on PGlite with the same migrations and in-memory state', async () => {
    expect(bot.database.kind).toBe('pglite')
    expect(bot.services.state).toBeInstanceOf(MemoryStateStore)
    const tables = await bot.services.db.introspection.getTables()
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['inbox_events', 'users', 'officers', 'audit_log', 'sequences', 'bot_chats']))
  })

  it('answers 帮助 end to end, once, even when delivered twice', async () => {
    const env = events.message({ sender: 'ou_e', chatId: 'oc_emb', chatType: 'group', text: '帮助', mentionBot: true })
    fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_emb')
    expect((await postToBot(url, '/feishu/events', events.encode(env))).status).toBe(200)
    expect((await postToBot(url, '/feishu/events', events.encode(env))).status).toBe(200)
    await fake.waitFor(() => fake.messagesInChat('oc_emb').length === 1)
    await bot.processor.idle()
    expect(fake.messagesInChat('oc_emb')).toHaveLength(1)
  })

  it('reports ready with both embedded stores', async () => {
    const res = await fetch(`${bot.internalUrl}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
  })

  it('refuses to open a data directory another live process holds', async () => {
    await expect(connectDatabase({ databaseUrl: undefined, pgliteDataDir: join(dir, 'pglite') })).rejects.toThrow(/in use by process/)
  })
})
