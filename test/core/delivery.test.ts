// At-least-once delivery made exactly-once: duplicates (sequential, concurrent, two instances, same message_id),
// an acknowledged event surviving a SIGKILL, and 503 while Postgres is unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { startChildBot } from '../rig/child-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN, type TestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'

let db: TestDatabase
let fake: FakeOpenApi
let a: TestBot
let b: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi()
  await fake.start()
  a = await startTestBot({ db, fake, instanceId: 'instance-a' })
  b = await startTestBot({ db, fake, instanceId: 'instance-b' })
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await fake?.stop()
  await db?.drop()
})

const groupHelp = (t: TestBot, chatId: string) => t.events.message({ sender: 'ou_worker', chatId, chatType: 'group', text: '帮助', mentionBot: true })
const repliesIn = (chatId: string) => fake.messagesInChat(chatId)

describe('duplicate deliveries take effect once', () => {
  it('a signed, encrypted 帮助 with an @-mention produces exactly one help card, even delivered 3 times', async () => {
    const env = groupHelp(a, 'oc_dup_seq')
    fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_dup_seq')
    for (let i = 0; i < 3; i++) expect((await a.post(env)).status).toBe(200)
    await a.settle()
    const replies = repliesIn('oc_dup_seq')
    expect(replies).toHaveLength(1)
    expect(replies[0]!.via).toBe('reply')
    expect(replies[0]!.msgType).toBe('interactive')
    expect(JSON.stringify(replies[0]!.content)).toContain('使用帮助')
  })

  it('concurrent duplicates, split across two instances, produce one reply', async () => {
    const env = groupHelp(a, 'oc_dup_conc')
    fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_dup_conc')
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).post(env)))
    expect(results.every((r) => r.status === 200)).toBe(true)
    await Promise.all([a.settle(), b.settle()])
    expect(repliesIn('oc_dup_conc')).toHaveLength(1)
  })

  it('a redelivery with a new event_id but the same message_id is dropped (Feishu: de-dup on message_id)', async () => {
    const env = groupHelp(a, 'oc_dup_msg')
    fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_dup_msg')
    await a.post(env)
    const again = structuredClone(env)
    again.header.event_id = `${env.header.event_id}-redelivered`
    await b.post(again)
    await Promise.all([a.settle(), b.settle()])
    expect(repliesIn('oc_dup_msg')).toHaveLength(1)
    const dups = async (t: TestBot) => (await t.bot.metrics.eventsDuplicate.get()).values.find((v) => v.labels.type === 'message')?.value ?? 0
    expect((await dups(a)) + (await dups(b))).toBeGreaterThanOrEqual(1)
  })

  it('interleaved duplicates of many events across two instances: each event answered exactly once', async () => {
    const envs = Array.from({ length: 20 }, (_, i) => {
      const env = a.events.message({ sender: `ou_p${i}`, chatId: `oc_p2p_${i}`, chatType: 'p2p', text: '帮助' })
      fake.inboundChats.set((env.event.message as { message_id: string }).message_id, `oc_p2p_${i}`)
      return env
    })
    const deliveries = envs.flatMap((env) => [a.post(env), b.post(env), a.post(env)])
    expect((await Promise.all(deliveries)).every((r) => r.status === 200)).toBe(true)
    await Promise.all([a.settle(), b.settle()])
    for (let i = 0; i < 20; i++) expect(repliesIn(`oc_p2p_${i}`)).toHaveLength(1)
  })

  it('remembers processed ids (8 h or more) and drops the message text once handled', async () => {
    const rows = await a.bot.services.db.selectFrom('inbox_events').select(['status', 'payload']).where('event_type', '=', 'message').execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.status === 'done' && r.payload === null)).toBe(true)
    expect(a.config.inbox.retentionHours).toBeGreaterThanOrEqual(8)
  })
})

describe('an acknowledged event is not lost', () => {
  it('is processed exactly once after the process that acknowledged it was killed (SIGKILL)', async () => {
    // A database of its own: the in-process instances above would otherwise recover the events themselves.
    const killDb = await createTestDatabase()
    const childFake = new FakeOpenApi()
    await childFake.start()
    const env = {
      FEISHU_APP_ID: childFake.appId,
      FEISHU_APP_SECRET: childFake.appSecret,
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_DOMAIN: childFake.url,
      DATABASE_URL: killDb.url,
      REDIS_URL: killDb.redisUrl,
      SCHEDULER_ENABLED: '0',
      INBOX_LEASE_SECONDS: '1',
      INBOX_SWEEP_INTERVAL_MS: '200',
    }
    const child = await startChildBot(env)
    const builder = new FeishuEventBuilder({ appId: childFake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: childFake.botOpenId })
    // Every reply hangs in the Open API, so the child acknowledges but never finishes handling.
    childFake.failNext({ path: '/reply', delayMs: 60_000, times: 100 })
    const events = Array.from({ length: 5 }, (_, i) => {
      const e = builder.message({ sender: `ou_k${i}`, chatId: `oc_kill_${i}`, chatType: 'p2p', text: '帮助' })
      childFake.inboundChats.set((e.event.message as { message_id: string }).message_id, `oc_kill_${i}`)
      return e
    })
    for (const e of events) expect((await postToBot(child.url, '/feishu/events', builder.encode(e))).status).toBe(200)
    await childFake.waitFor(() => childFake.requests.filter((r) => r.path.endsWith('/reply')).length >= 5, 10_000)
    child.kill('SIGKILL')
    await child.exited
    childFake.clearFailures()

    const survivor = await startChildBot(env)
    try {
      await childFake.waitFor(() => childFake.messages.length >= 5, 15_000)
      await new Promise((r) => setTimeout(r, 1500)) // room for any duplicate to show up
      for (let i = 0; i < 5; i++) expect(childFake.messagesInChat(`oc_kill_${i}`)).toHaveLength(1)
    } finally {
      survivor.kill('SIGTERM')
      expect(await survivor.exited).toBe(0)
      await childFake.stop()
      await killDb.drop()
    }
  }, 60_000)

  it('answers 503 while Postgres is unreachable, and the redelivery afterwards takes effect once', async () => {
    const url = new URL(db.url)
    const proxy = new TcpProxy(url.hostname, Number(url.port || 5432))
    await proxy.start()
    url.port = String(proxy.port)
    const t = await startTestBot({ db: { ...db, url: url.toString() }, fake, instanceId: 'instance-proxy' })
    try {
      const env = t.events.message({ sender: 'ou_pgdown', chatId: 'oc_pgdown', chatType: 'p2p', text: '帮助' })
      fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_pgdown')
      proxy.cut()
      const down = await t.post(env)
      expect(down.status).toBe(503)
      proxy.restore()
      // Feishu retries (15 s later in reality).
      const retried = await t.post(env)
      expect(retried.status).toBe(200)
      await t.settle()
      expect(repliesIn('oc_pgdown')).toHaveLength(1)
    } finally {
      await t.stop()
      await proxy.stop()
    }
  })
})
