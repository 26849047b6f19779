// The long connection end to end: the real node-sdk WSClient in the bot against the stand-in for Feishu's endpoint
// (devtools/fake-long-connection.ts on the fake Open API's port): effects once, acks carry the card answer,
// redelivery, reconnects, discovery failures, both transports together, two instances sharing the events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FakeLongConnection } from '../../devtools/fake-long-connection.js'
import { decodeFrame, encodeFrame } from '../../devtools/long-connection-frames.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

const APP_ID = 'cli_0123456789abcdef'

/** How often each effect ran, across every bot instance of this file. */
const effects = new Map<string, number>()
const bump = (key: string) => effects.set(key, (effects.get(key) ?? 0) + 1)

function register(router: BotRouter): void {
  router.command({
    words: ['wscount'],
    async handle(ctx) {
      bump(`msg:${ctx.args}`)
      await ctx.reply({ text: `counted ${ctx.args}` })
    },
  })
  router.action('ws.click', {
    async handle(ctx) {
      bump(`click:${ctx.valueString('id') ?? ''}`)
      return { toast: { type: 'success', content: '已记录' } }
    },
  })
}

let db: TestDatabase
let fake: FakeOpenApi
let lc: FakeLongConnection
let t: TestBot

const fast = { restart: { baseDelayMs: 100, maxDelayMs: 400 } }

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi({ appId: APP_ID })
  await fake.start()
  // The SDK re-arms its ping watchdog at every ping: pingTimeout must be shorter than the ping interval to ever fire.
  lc = new FakeLongConnection({ appId: APP_ID, appSecret: fake.appSecret, redeliverAfterMs: 800, clientConfig: { PingInterval: 4 } })
  fake.use(lc)
  t = await startTestBot({ db, fake, env: { FEISHU_TRANSPORT: 'both', FEISHU_WS_PING_TIMEOUT_SECONDS: '2' }, botOptions: { register, longConnection: fast } })
  await waitReady(t)
})
afterAll(async () => {
  await t?.stop()
  await lc?.stop()
  await fake?.stop()
  await db?.drop()
})

async function readyz(bot: TestBot): Promise<{ status: number; body: any }> {
  const res = await fetch(`${bot.opsUrl}/readyz`)
  return { status: res.status, body: await res.json() }
}

async function waitReady(bot: TestBot, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if ((await readyz(bot)).status === 200) return
    if (Date.now() > until) throw new Error(`not ready: ${JSON.stringify((await readyz(bot)).body)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function metric(bot: TestBot, line: RegExp): Promise<number> {
  const text = await (await fetch(`${bot.opsUrl}/metrics`)).text()
  const m = text.split('\n').find((l) => line.test(l))
  return m ? Number(m.split(' ').pop()) : 0
}

function message(bot: TestBot, id: string) {
  const envelope = bot.events.message({ sender: `ou_ws_${id}`, chatId: `oc_p2p_${id}`, chatType: 'p2p', text: `wscount ${id}` })
  fake.inboundChats.set((envelope.event.message as { message_id: string }).message_id, `oc_p2p_${id}`)
  return envelope
}

const repliesTo = (envelope: ReturnType<typeof message>) => fake.messages.filter((m) => m.replyTo === (envelope.event.message as { message_id: string }).message_id)

describe('the frame format of the stand-in', () => {
  it('round-trips a frame, uint64 ids and UTF-8 headers included', () => {
    const frame = { seqId: 2n ** 63n + 5n, logId: 7n, service: 1001, method: 1, headers: [{ key: 'type', value: 'event' }, { key: 'trace_id', value: '追踪' }], payload: new Uint8Array([1, 2, 3]) }
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame)
    expect(() => decodeFrame(new Uint8Array([0x08, 0x01]))).toThrow(/required field 2/)
  })
})

describe('configuration', () => {
  it('refuses at start an app id the SDK would silently never connect with, and an unknown transport', () => {
    const base = { FEISHU_APP_SECRET: 's', PLAYGROUND: '0' }
    expect(() => loadConfig({ ...base, FEISHU_APP_ID: 'cli_fake_1234', FEISHU_TRANSPORT: 'websocket' })).toThrow(/cli_ \+ 16 hex digits/)
    expect(() => loadConfig({ ...base, FEISHU_APP_ID: APP_ID, FEISHU_TRANSPORT: 'carrier-pigeon' })).toThrow(ConfigError)
    expect(() => loadConfig({ FEISHU_APP_ID: APP_ID, FEISHU_TRANSPORT: 'both' })).toThrow(/FEISHU_APP_SECRET/)
    expect(loadConfig({ ...base, FEISHU_APP_ID: 'cli_fake_1234' }).feishu.transport).toBe('webhook')
    // Without the webhook, no Encrypt Key is needed (nothing is taken in over HTTP).
    const ws = loadConfig({ ...base, FEISHU_APP_ID: APP_ID, FEISHU_TRANSPORT: 'WebSocket', FEISHU_VERIFICATION_TOKEN: 'x' })
    expect(ws.feishu).toMatchObject({ transport: 'websocket', wsPingTimeoutSeconds: 30 })
    // The SDK re-arms its watchdog at every ping (every 120 s from Feishu): a timeout that long never fires.
    expect(() => loadConfig({ ...base, FEISHU_APP_ID: APP_ID, FEISHU_TRANSPORT: 'both', FEISHU_WS_PING_TIMEOUT_SECONDS: '120' })).toThrow(/below 120/)
  })
})

describe('over the long connection', () => {
  it('connects with the app credentials, pings, and says so in /readyz and /metrics', async () => {
    expect(lc.discoveries[0]).toEqual({ AppID: APP_ID, AppSecret: fake.appSecret })
    await lc.until(() => lc.pings.length > 0, 5000, 'ping')
    const ready = await readyz(t)
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: true, redis: true, longConnection: true } })
    expect(await metric(t, /^unionbot_long_connection_state\{state="connected"\}/)).toBe(1)
  })

  it('takes a message in once, fragmented or not, and acknowledges it after the inbox commit', async () => {
    const envelope = message(t, 'm1')
    const ack = await lc.push(envelope)
    expect(ack).toMatchObject({ code: 200, attempts: 1 })
    // The ack comes after the commit: the row is there when it arrives.
    const row = await t.bot.services.db.selectFrom('inbox_events').select('dedup_key').where('event_id', '=', envelope.header.event_id!).executeTakeFirst()
    expect(row?.dedup_key).toMatch(/^msg:/)
    const fragmented = message(t, 'm2')
    expect((await lc.push(fragmented, { fragments: 3 })).code).toBe(200)
    await t.settle()
    expect([effects.get('msg:m1'), effects.get('msg:m2')]).toEqual([1, 1])
    expect(repliesTo(envelope)).toHaveLength(1)
    expect(await metric(t, /^unionbot_transport_events_total\{transport="websocket",type="message"\}/)).toBe(2)
  })

  it('answers a card click in the ack (toast), once; the same click again gets an empty answer and no effect', async () => {
    const click = t.events.cardAction({ operator: 'ou_ws_clicker', value: { action: 'ws.click', id: 'c1' } })
    const ack = await lc.push(click)
    expect(ack).toMatchObject({ code: 200, hasData: true, data: { toast: { type: 'success', content: '已记录' } } })
    const again = await lc.push(click)
    // Never an empty ack for a callback: Feishu shows the user an error then (docs/feishu-platform.md#long-connection).
    expect(again).toMatchObject({ code: 200, hasData: true, data: {} })
    await t.settle()
    expect(effects.get('click:c1')).toBe(1)
  })

  it('de-duplicates a frame redelivered because its ack was lost', async () => {
    const envelope = message(t, 'm3')
    const ack = await lc.push(envelope, { loseAcks: 1 })
    expect(ack.attempts).toBe(2)
    await t.settle()
    expect(effects.get('msg:m3')).toBe(1)
    expect(repliesTo(envelope)).toHaveLength(1)
    expect(await metric(t, /^unionbot_events_duplicate_total\{type="message"\}/)).toBeGreaterThanOrEqual(1)
  })

  it('takes the same event once whether it comes over the webhook or the long connection', async () => {
    const envelope = message(t, 'm4')
    expect((await t.post(envelope)).status).toBe(200)
    expect((await lc.push(envelope)).code).toBe(200)
    const click = t.events.cardAction({ operator: 'ou_ws_clicker', value: { action: 'ws.click', id: 'c2' } })
    expect((await lc.push(click)).data).toEqual({ toast: { type: 'success', content: '已记录' } })
    expect((await t.post(click, '/feishu/cards')).body).toEqual({})
    await t.settle()
    expect([effects.get('msg:m4'), effects.get('click:c2')]).toEqual([1, 1])
    expect(repliesTo(envelope)).toHaveLength(1)
  })

  it('reconnects after the server drops the socket, and later events arrive', async () => {
    const before = lc.discoveries.length
    const reconnects = await metric(t, /^unionbot_long_connection_reconnects_total /)
    lc.terminateAll()
    await lc.until(() => lc.discoveries.length > before && lc.connected.length === 1, 10_000, 'reconnection')
    await waitReady(t)
    expect(await metric(t, /^unionbot_long_connection_reconnects_total /)).toBe(reconnects + 1)
    const envelope = message(t, 'm5')
    expect((await lc.push(envelope)).code).toBe(200)
    await t.settle()
    expect(effects.get('msg:m5')).toBe(1)
  })

  it('restarts the client when discovery answers "system busy" (the SDK gives up on it), with /readyz 503 meanwhile', async () => {
    // Three refusals in a row: the SDK stops its client at each, the bot restarts it after 100, 200, 400 ms.
    lc.failDiscovery(1, 'system busy', 3)
    lc.terminateAll()
    let seen: { status: number; body: any } | undefined
    for (let i = 0; i < 400 && !seen; i++) {
      const r = await readyz(t)
      if (r.status === 503 && /system busy/.test(r.body.reasons?.longConnection ?? '')) seen = r
      else await new Promise((res) => setTimeout(res, 10))
    }
    expect(seen?.body).toMatchObject({ status: 'unavailable', checks: { longConnection: false } })
    await waitReady(t)
    expect(await metric(t, /^unionbot_long_connection_restarts_total\{code="1"\}/)).toBe(3)
    const envelope = message(t, 'm6')
    expect((await lc.push(envelope)).code).toBe(200)
    await t.settle()
    expect(effects.get('msg:m6')).toBe(1)
  })

  it('takes a socket that stops answering for dead (pingTimeout) and reconnects', async () => {
    const [first] = lc.connected
    lc.silent = true
    try {
      await lc.until(() => lc.connected.some((id) => id > first!), 15_000, 'new connection after the ping timeout')
    } finally {
      lc.silent = false
    }
    await waitReady(t)
    expect((await lc.push(message(t, 'm7'))).code).toBe(200)
    await t.settle()
    expect(effects.get('msg:m7')).toBe(1)
  })
})

describe('two instances connected (websocket only on the second)', () => {
  let second: TestBot
  let secondStopped = false
  beforeAll(async () => {
    second = await startTestBot({ db, fake, env: { FEISHU_TRANSPORT: 'websocket' }, botOptions: { register, longConnection: fast } })
    await lc.waitForConnections(2)
    await waitReady(second)
  })
  afterAll(async () => {
    if (!secondStopped) await second?.stop()
  })

  it('has no webhook routes with FEISHU_TRANSPORT=websocket', async () => {
    expect((await second.post(message(second, 'x'))).status).toBe(404)
  })

  it('handles each event once, whichever instance Feishu picks', async () => {
    const envelopes = Array.from({ length: 20 }, (_, i) => message(t, `two${i}`))
    const acks = await Promise.all(envelopes.map((e) => lc.push(e)))
    expect(acks.every((a) => a.code === 200)).toBe(true)
    // Cluster delivery: with 20 events, both instances are picked (one in half a million runs one is not).
    expect(new Set(acks.flatMap((a) => a.deliveredTo)).size).toBe(2)
    await Promise.all([t.settle(), second.settle()])
    for (let i = 0; i < 20; i++) expect(effects.get(`msg:two${i}`)).toBe(1)
  })

  it('after a stop, its unacknowledged share goes to the other instance', async () => {
    secondStopped = true
    await second.stop()
    await lc.until(() => lc.connected.length === 1, 5000, 'one connection')
    const envelope = message(t, 'after-stop')
    expect((await lc.push(envelope)).code).toBe(200)
    await t.settle()
    expect(effects.get('msg:after-stop')).toBe(1)
  })
})

describe('a bot that cannot reach the endpoint', () => {
  it('is not ready, and says it is still connecting', async () => {
    // A closed port: discovery fails at the transport level, which the SDK retries by itself.
    const offline = await startTestBot({ db, fake, env: { FEISHU_TRANSPORT: 'websocket', FEISHU_DOMAIN: 'http://127.0.0.1:9' }, botOptions: { register } })
    try {
      const ready = await readyz(offline)
      expect(ready.status).toBe(503)
      expect(ready.body.checks).toMatchObject({ postgres: true, longConnection: false })
      expect(ready.body.reasons.longConnection).toMatch(/^connecting: /)
      expect(await metric(offline, /^unionbot_long_connection_state\{state="connecting"\}/)).toBe(1)
    } finally {
      await offline.stop()
    }
  })

  it('restarts a client that is not connected in time: after a transport-level discovery failure the SDK alone waits 120 s', async () => {
    fake.failNext({ path: '/callback/ws/endpoint', status: 503, body: { code: 503, msg: 'unavailable' } })
    const started = Date.now()
    const late = await startTestBot({ db, fake, env: { FEISHU_TRANSPORT: 'websocket' }, botOptions: { register, longConnection: { restart: { baseDelayMs: 100, connectTimeoutMs: 1000 } } } })
    try {
      await waitReady(late, 10_000)
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(await metric(late, /^unionbot_long_connection_restarts_total\{code="connect_timeout"\}/)).toBe(1)
    } finally {
      await late.stop()
    }
  })
})
