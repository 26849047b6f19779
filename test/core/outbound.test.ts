// The outbound module against the fake Open API through the real node-sdk: retries, idempotency, permanent errors,
// token refresh, rate limits, and logs that never carry message text.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuApiError } from '../../src/feishu/api-errors.js'
import { Outbound, idempotencyUuid } from '../../src/feishu/outbound.js'
import { FEISHU_RATE_LIMITS, RateLimiter, WINDOW_MS } from '../../src/feishu/rate-limiter.js'
import { Metrics } from '../../src/metrics.js'
import { card, md } from '../../cards/kit.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

let fake: FakeOpenApi
let logLines: string[]
let outbound: Outbound
let metrics: Metrics

const SECRET_TEXT = '机密内容-不得写入日志'

function makeOutbound(overrides: Partial<ConstructorParameters<typeof Outbound>[0]> = {}) {
  metrics = new Metrics()
  const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) })
  return new Outbound({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: `${fake.url}/`, // a trailing slash must not break the paths
    log: pino({ level: 'debug' }, sink),
    metrics,
    retry: { baseDelayMs: 10, maxDelayMs: 2000, maxAttempts: 5 },
    timeoutMs: 300,
    ...overrides,
  })
}

beforeAll(async () => {
  fake = new FakeOpenApi()
  await fake.start()
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.reset()
  logLines = []
  outbound = makeOutbound()
})

const sends = () => fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')

describe('sending', () => {
  it('sends text and cards through the real SDK with the tenant token and a uuid', async () => {
    const sent = await outbound.sendToChat('oc_a', { text: 'hello' }, { uuid: 'u-1' })
    expect(sent.messageId).toMatch(/^om_/)
    await outbound.sendToUser('ou_a', { card: card({ title: 't', elements: [md('x')] }) }, { uuid: 'u-2' })
    expect(fake.messages.map((m) => [m.receiveIdType, m.receiveId, m.msgType])).toEqual([
      ['chat_id', 'oc_a', 'text'],
      ['open_id', 'ou_a', 'interactive'],
    ])
    expect(String(sends()[0]!.headers.authorization)).toMatch(/^Bearer t-/)
    expect(fake.requests.filter((r) => r.path.endsWith('tenant_access_token/internal'))).toHaveLength(1)
  })

  it('derives uuids of at most 50 characters, stable per cause and part', () => {
    const u = idempotencyUuid('evt_'.repeat(40), 3)
    expect(u.length).toBeLessThanOrEqual(50)
    expect(u).toBe(idempotencyUuid('evt_'.repeat(40), 3))
    expect(u).not.toBe(idempotencyUuid('evt_'.repeat(40), 4))
  })

  it('replies to a message and patches a card', async () => {
    const original = await outbound.sendToChat('oc_b', { card: card({ title: 'v1', elements: [md('one')] }) })
    await outbound.reply('om_user_x', { text: 'r' }, { uuid: 'u-r' })
    await outbound.patchCard(original.messageId, card({ title: 'v2', elements: [md('two')] }))
    expect(fake.currentCard(original.messageId).header.title.content).toBe('v2')
    expect(fake.messages.find((m) => m.via === 'reply')?.replyTo).toBe('om_user_x')
  })

  it('uploads a file and sends it privately', async () => {
    await outbound.sendFileToUser('ou_f', 'roster.csv', Buffer.from('name,time\n张三,09:00\n'), { uuid: 'u-f' })
    const msg = fake.messagesToUser('ou_f')[0]!
    expect(msg.msgType).toBe('file')
    expect(fake.files.get(msg.content.file_key)?.data.toString()).toContain('张三')
    expect(fake.files.get(msg.content.file_key)?.name).toBe('roster.csv')
  })

  it('fetches the bot open_id and user names', async () => {
    fake.users.set('ou_named', { name: '李四' })
    expect(await outbound.fetchBotOpenId()).toBe(fake.botOpenId)
    expect(await outbound.fetchUserName('ou_named')).toBe('李四')
    expect(await outbound.fetchUserName('ou_unknown')).toBeUndefined()
  })
})

describe('retries', () => {
  it('retries HTTP 429 / 99991400 after x-ogw-ratelimit-reset seconds, posting once', async () => {
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 429, headers: { 'x-ogw-ratelimit-reset': '1' }, body: { code: 99991400, msg: 'request trigger frequency limit' } })
    const started = Date.now()
    await outbound.sendToChat('oc_429', { text: SECRET_TEXT }, { uuid: 'u-429' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(sends()).toHaveLength(2)
    expect(fake.messagesInChat('oc_429')).toHaveLength(1)
    expect((await metrics.outboundRetries.get()).values.find((v) => v.labels.code === '99991400')?.value).toBe(1)
  })

  it('retries 500s and IM rate limits (230020) with backoff', async () => {
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 500, times: 2 })
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 400, body: { code: 230020, msg: 'rate limited' } })
    await outbound.sendToChat('oc_500', { text: 'x' }, { uuid: 'u-500' })
    expect(sends()).toHaveLength(4)
    expect(fake.messagesInChat('oc_500')).toHaveLength(1)
  })

  it('a timed-out or dropped response whose send took effect is retried with the same uuid: one message', async () => {
    fake.failNext({ path: '/open-apis/im/v1/messages', delayMs: 600, applyFirst: true, status: 200, body: {} })
    fake.failNext({ path: '/open-apis/im/v1/messages', drop: true, applyFirst: true })
    await outbound.sendToChat('oc_timeout', { text: 'x' }, { uuid: 'u-timeout' })
    expect(sends().length).toBeGreaterThanOrEqual(3)
    expect(fake.messagesInChat('oc_timeout')).toHaveLength(1)
  })

  it('gives up after maxAttempts with a typed, retryable error', async () => {
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 503, times: 10 })
    const err = await outbound.sendToChat('oc_down', { text: 'x' }, { uuid: 'u-down' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FeishuApiError)
    expect((err as FeishuApiError).retryClass).toBe('retry')
    expect(sends()).toHaveLength(5)
  })

  it('refetches the tenant token once when Feishu says it is invalid (99991663)', async () => {
    await outbound.sendToChat('oc_t', { text: 'first' })
    fake.revokeTokens()
    await outbound.sendToChat('oc_t', { text: 'second' })
    expect(fake.messagesInChat('oc_t')).toHaveLength(2)
    expect(fake.requests.filter((r) => r.path.endsWith('tenant_access_token/internal'))).toHaveLength(2)
  })
})

describe('permanent errors', () => {
  it.each([
    [230002, 'bot not in chat', true],
    [230013, 'user outside availability', true],
    [230099, 'card error', false],
  ])('does not retry %i (%s)', async (code, _what, gone) => {
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 400, body: { code, msg: 'no', error: { log_id: 'lg-1' } } })
    const err = (await outbound.sendToChat('oc_perm', { text: SECRET_TEXT }).catch((e: unknown) => e)) as FeishuApiError
    expect(err).toBeInstanceOf(FeishuApiError)
    expect(err.code).toBe(code)
    expect(err.permanent).toBe(true)
    expect(err.recipientGone).toBe(gone)
    expect(err.logId).toBe('lg-1')
    expect(sends()).toHaveLength(1)
  })

  it('logs failures with ids and codes, never the message text', async () => {
    fake.failNext({ path: '/open-apis/im/v1/messages', status: 400, body: { code: 230002, msg: 'no' } })
    await outbound.sendToChat('oc_log', { text: SECRET_TEXT }, { causeEventId: 'ev-cause-1' }).catch(() => undefined)
    const joined = logLines.join('\n')
    expect(joined).toContain('ev-cause-1')
    expect(joined).toContain('230002')
    expect(joined).not.toContain(SECRET_TEXT)
  })
})

describe('rate limits', () => {
  it('holds sends to one chat to 5 per second', async () => {
    await Promise.all(Array.from({ length: 11 }, (_, i) => outbound.sendToChat('oc_burst', { text: `m${i}` })))
    const times = sends().map((r) => r.at)
    // 5 at once, the next 5 a little over a second later, the 11th after two such windows: never 6 within a second.
    // Arrival times at the fake carry the loopback's jitter (tens of ms; more on a loaded 2-core machine), which is
    // why the limiter's window is 1.1 s and not 1 s. The exact spacing of grants is proven with a manual clock below.
    const JITTER_MS = 250
    expect(times[10]! - times[0]!).toBeGreaterThanOrEqual(2 * WINDOW_MS - JITTER_MS)
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(WINDOW_MS - JITTER_MS)
  })

  it('allows at most the limit within any one-second window and forgets idle keys', async () => {
    let now = 0
    const slept: number[] = []
    const limiter = new RateLimiter(
      () => now,
      async (ms) => {
        slept.push(ms)
        now += ms
      },
    )
    for (let i = 0; i < 5; i++) await limiter.acquire([['chat:x', 5]])
    expect(slept).toEqual([])
    // A token bucket would let the 6th go 200 ms later (9 within the first second); the window waits it out.
    await limiter.acquire([['chat:x', 5]])
    expect(slept).toEqual([WINDOW_MS])
    now += 300
    for (let i = 0; i < 4; i++) await limiter.acquire([['chat:x', 5]])
    expect(slept).toEqual([WINDOW_MS])
    await limiter.acquire([['chat:x', 5]])
    expect(slept).toEqual([WINDOW_MS, WINDOW_MS - 300])
    now += 60_000
    await limiter.acquire([['chat:y', 5]])
    expect(limiter.bucketCount()).toBe(1)
  })
})

describe('priorities: card patches only take what sends leave (security review F6)', () => {
  const flush = () => new Promise((r) => setImmediate(r))

  it('never lets low-priority calls use the share reserved for sends', async () => {
    let now = 0
    const slept: number[] = []
    const limiter = new RateLimiter(
      () => now,
      async (ms) => {
        slept.push(ms)
        now += ms
      },
    )
    for (let i = 0; i < 8; i++) await limiter.acquire([['app', 10, 2]], 'low')
    expect(slept).toEqual([])
    // The 9th patch waits for the window although the app has 2 calls left: those are the sends' share.
    await limiter.acquire([['app', 10, 2]], 'low')
    expect(slept).toEqual([WINDOW_MS])
    // Sends use the whole budget.
    for (let i = 0; i < 9; i++) await limiter.acquire([['app', 10, 2]])
    expect(slept).toEqual([WINDOW_MS])
  })

  it('makes a waiting patch stand back while a send waits on the same key', async () => {
    let now = 0
    const sleepers: Array<{ ms: number; wake: () => void }> = []
    const limiter = new RateLimiter(
      () => now,
      (ms) => new Promise<void>((wake) => sleepers.push({ ms, wake })),
    )
    for (let i = 0; i < 10; i++) await limiter.acquire([['app', 10, 2]])
    const order: string[] = []
    void limiter.acquire([['app', 10, 2]]).then(() => order.push('send'))
    await flush()
    void limiter.acquire([['app', 10, 2]], 'low').then(() => order.push('patch'))
    await flush()
    expect(sleepers.map((s) => s.ms)).toEqual([WINDOW_MS, WINDOW_MS])
    now = WINDOW_MS
    // The patch happens to wake first: with the send still waiting it looks again a little later.
    sleepers[1]!.wake()
    await flush()
    expect(order).toEqual([])
    expect(sleepers).toHaveLength(3)
    sleepers[0]!.wake()
    await flush()
    expect(order).toEqual(['send'])
    now += sleepers[2]!.ms
    sleepers[2]!.wake()
    await flush()
    expect(order).toEqual(['send', 'patch'])
  })

  it('sends a reply ahead of a queue of 100 card patches (counted in the fake Open API request log)', async () => {
    // The cards to patch, posted quickly by another client (limits raised only to save time here).
    const poster = makeOutbound({ limits: { perApp: 1000, perUser: 1000, perChat: 1000 }, timeoutMs: 10_000 })
    const client = makeOutbound({ timeoutMs: 10_000 })
    const ids = await Promise.all(Array.from({ length: 100 }, async (_, i) => (await poster.sendToUser(`ou_storm_${i}`, { card: card({ title: 'v1', elements: [md('x')] }) })).messageId))
    await client.fetchBotOpenId() // the client under test has its token
    const mark = fake.requests.length
    const patching = ids.map((id) => client.patchCard(id, card({ title: 'v2', elements: [md('y')] })))
    await client.reply('om_storm_question', { text: '已收到' }, { uuid: 'u-storm' })
    await Promise.all(patching)
    const log = fake.requests.slice(mark).filter((r) => r.method === 'PATCH' || r.path.endsWith('/reply'))
    expect(log.filter((r) => r.method === 'PATCH')).toHaveLength(100)
    const replyAt = log.findIndex((r) => r.path.endsWith('/reply'))
    // Only the patches' share of the first window went before it; the other 60 were still queued behind it.
    expect(replyAt).toBeLessThan(FEISHU_RATE_LIMITS.perApp - FEISHU_RATE_LIMITS.reservedForSends)
    expect(log.length - 1 - replyAt).toBeGreaterThanOrEqual(100 - (FEISHU_RATE_LIMITS.perApp - FEISHU_RATE_LIMITS.reservedForSends))
    for (const id of ids) expect(fake.currentCard(id).header.title.content).toBe('v2')
  })
})

describe('through the bot', () => {
  let db: TestDatabase
  let t: TestBot
  beforeAll(async () => {
    db = await createTestDatabase()
    t = await startTestBot({ db, fake })
  })
  afterAll(async () => {
    await t?.stop()
    await db?.drop()
  })

  it('a help reply hit by 429 and 500 is delivered exactly once', async () => {
    fake.failNext({ path: '/reply', status: 429, headers: { 'x-ogw-ratelimit-reset': '0' }, body: { code: 99991400, msg: 'limit' } })
    fake.failNext({ path: '/reply', status: 500 })
    await t.sendMessage({ sender: 'ou_r', chatId: 'oc_retry_bot', chatType: 'group', text: '帮助', mentionBot: true })
    await t.settle()
    expect(fake.messagesInChat('oc_retry_bot')).toHaveLength(1)
    expect(fake.requests.filter((r) => r.path.endsWith('/reply')).length).toBe(3)
  })

  it('a send that keeps failing does not crash the webhook: the event is retried later and then delivered once', async () => {
    fake.failNext({ path: '/reply', status: 500, times: 5 })
    const res = await t.sendMessage({ sender: 'ou_r2', chatId: 'oc_retry_later', chatType: 'group', text: '帮助', mentionBot: true })
    expect(res.status).toBe(200)
    await fake.waitFor(() => fake.messagesInChat('oc_retry_later').length === 1, 15_000)
    await t.settle()
    expect(fake.messagesInChat('oc_retry_later')).toHaveLength(1)
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  })
})
