// Benchmark section `ws`: the long connection beside the webhook, in one bot process (FEISHU_TRANSPORT=both) and at
// the same concurrency. Over the long connection the real node-sdk WSClient in the bot receives protobuf frames from
// the stand-in (devtools/fake-long-connection.ts) and acks after the inbox commit; over the webhook the same kind of
// event is POSTed signed and encrypted. Reported: events/s and the p50/p99 of the time from send to ack (or 200).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { FakeLongConnection } from '../devtools/fake-long-connection.js'
import { FakeOpenApi } from '../devtools/fake-open-api.js'
import { FeishuEventBuilder, type Envelope } from '../devtools/feishu-events.js'
import { BENCH_REDIS_URL, createBenchDatabase } from './lib/database.js'
import { spawnServer } from './lib/spawn.js'
import { percentile, ratio, round } from './lib/stats.js'

const TOKEN = 'bench-verification-token'
const KEY = 'bench-encrypt-key'

export interface TransportFigures {
  events: number
  eventsPerSec: number
  p50Ms: number
  p99Ms: number
  failures: number
}

export interface WsResult {
  concurrency: number
  websocket: TransportFigures & { redeliveries: number }
  webhook: TransportFigures
  wsVsWebhook: number
  /** Every acknowledged event is in the inbox. */
  durability: { acknowledged: number; recorded: number; ok: boolean }
}

/** Runs `count` sends with at most `concurrency` in flight and times each one. */
async function drive(count: number, concurrency: number, send: (i: number) => Promise<boolean>): Promise<TransportFigures> {
  const latencies: number[] = []
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const t0 = performance.now()
        const ok = await send(i).catch(() => false)
        latencies.push(performance.now() - t0)
        if (!ok) failures++
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { events: count, eventsPerSec: round(count / seconds, 0), p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), failures }
}

export async function runWsBench(opts: { events?: number; concurrency?: number; log?: (s: string) => void } = {}): Promise<{ result: WsResult; markdown: string }> {
  const events = opts.events ?? 10_000
  const concurrency = opts.concurrency ?? 50
  const log = opts.log ?? console.log
  const appId = `cli_${randomBytes(8).toString('hex')}`
  const fake = new FakeOpenApi({ appId })
  await fake.start()
  const lc = new FakeLongConnection({ appId, appSecret: fake.appSecret, clientConfig: { PingInterval: 60 } })
  fake.use(lc)
  const builder = new FeishuEventBuilder({ appId, verificationToken: TOKEN, encryptKey: KEY, botOpenId: fake.botOpenId })
  // Group chatter that does not @-mention the bot, as in the ingest section: committed, then ignored.
  const event = (tag: string, i: number): Envelope => builder.message({ sender: `ou_ws_${i % 5000}`, chatId: `oc_ws_${i % 50}`, chatType: 'group', text: `${tag} ${i}` })
  const db = await createBenchDatabase('ws')
  const bot = await spawnServer('src/main.ts', {
    FEISHU_TRANSPORT: 'both',
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: TOKEN,
    FEISHU_ENCRYPT_KEY: KEY,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: db.url,
    REDIS_URL: BENCH_REDIS_URL,
    SCHEDULER_ENABLED: '0',
    PLAYGROUND: '0',
    LOG_LEVEL: 'info',
  })
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  let redeliveries = 0
  const overWs = (tag: string) => async (i: number) => {
    const ack = await lc.push(event(tag, i))
    redeliveries += ack.attempts - 1
    return ack.code === 200
  }
  const overWebhook = (tag: string) => async (i: number) => {
    const req = builder.encode(event(tag, i))
    const res = await fetch(`${bot.url}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body })
    await res.arrayBuffer()
    return res.status === 200
  }
  try {
    await lc.waitForConnections(1, 30_000)
    log('ws: warm-up')
    await drive(1000, concurrency, overWs('warm-ws'))
    await drive(1000, concurrency, overWebhook('warm-http'))
    redeliveries = 0
    log(`ws: ${events} events over the long connection`)
    const websocket = await drive(events, concurrency, overWs('ws'))
    const wsRedeliveries = redeliveries
    log(`ws: ${events} events over the webhook`)
    const webhook = await drive(events, concurrency, overWebhook('http'))
    const recorded = Number((await client.query<{ n: string }>(`select count(*) as n from inbox_events`)).rows[0]!.n)
    const acknowledged = 2000 + 2 * events - websocket.failures - webhook.failures
    const result: WsResult = {
      concurrency,
      websocket: { ...websocket, redeliveries: wsRedeliveries },
      webhook,
      wsVsWebhook: ratio(websocket.eventsPerSec, webhook.eventsPerSec),
      durability: { acknowledged, recorded, ok: recorded >= acknowledged },
    }
    return { result, markdown: markdown(result) }
  } finally {
    await client.end()
    await bot.stop()
    await lc.stop()
    await fake.stop()
    await db.drop()
  }
}

function markdown(r: WsResult): string {
  const row = (name: string, f: TransportFigures) => `| ${name} | ${f.events} | ${f.eventsPerSec} | ${f.p50Ms} | ${f.p99Ms} | ${f.failures} |`
  return [
    `## Long connection beside the webhook (${r.concurrency} in flight, one bot process with FEISHU_TRANSPORT=both)`,
    '',
    'Group messages that do not @-mention the bot, each committed to the inbox before its ack (long connection: the real node-sdk WSClient against devtools/fake-long-connection.ts, plaintext protobuf frames) or its 200 (webhook: signed and encrypted). Latency is from send to ack, measured by the sender.',
    '',
    '| transport | events | events/s | p50 ms | p99 ms | failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('long connection (WSClient)', r.websocket),
    row('webhook (HTTP)', r.webhook),
    '',
    `Long connection / webhook = **${r.wsVsWebhook}×** events/s; ${r.websocket.redeliveries} redeliveries (no ack within 3 s). Durability (${r.durability.ok ? 'ok' : '**FAILED**'}): ${r.durability.acknowledged} acknowledged, ${r.durability.recorded} in the inbox.`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const events = Number(process.env.WS_BENCH_EVENTS ?? 10_000)
  const { markdown: md } = await runWsBench({ events })
  console.log(md)
}
