// Benchmark 1, webhook ingest: signed, encrypted im.message.receive_v1 events at 50 connections for 10 s against
// (a) bare Koa, (b) the node-sdk adaptKoa + EventDispatcher pipeline and (c) the bot, which also de-duplicates and
// commits every event to Postgres before its 200. Then the bot at a fixed 1,000 events/s for the p99 target.
import autocannon from 'autocannon'
import pg from 'pg'
import { FakeOpenApi } from '../devtools/fake-open-api.js'
import { FeishuEventBuilder, type EncodedRequest } from '../devtools/feishu-events.js'
import { BENCH_REDIS_URL, createBenchDatabase } from './lib/database.js'
import { spawnServer } from './lib/spawn.js'
import { ratio, round } from './lib/stats.js'

const TOKEN = 'bench-verification-token'
const KEY = 'bench-encrypt-key'

export interface LoadFigures {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  total: number
  non2xx: number
  errors: number
}

export interface IngestResult {
  connections: number
  durationSec: number
  bareKoa: LoadFigures
  sdkPipeline: LoadFigures
  bot: LoadFigures
  botAtFixedRate: LoadFigures & { targetRate: number }
  ratios: { botVsSdk: number; botVsBareKoa: number }
  durability: { acknowledged: number; recorded: number; processed: number }
  targets: { atLeastSdk: boolean; atLeastThirtyPercentOfKoa: boolean; p99Under20msAt1000: boolean }
}

/** Unique events, encoded (encrypted + signed) ahead of the run so the load generator only sends bytes. */
function generate(builder: FeishuEventBuilder, count: number): EncodedRequest[] {
  const out: EncodedRequest[] = new Array(count)
  for (let i = 0; i < count; i++) {
    // Group chatter that does not @-mention the bot: recorded and de-duplicated, then ignored by the dispatcher.
    out[i] = builder.encode(builder.message({ sender: `ou_load_${i % 5000}`, chatId: `oc_load_${i % 50}`, chatType: 'group', text: `第 ${i} 条群消息` }))
  }
  return out
}

async function load(url: string, bodies: EncodedRequest[], opts: { connections: number; duration: number; overallRate?: number }): Promise<LoadFigures> {
  let i = 0
  const result = await autocannon({
    url: `${url}/feishu/events`,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Record<string, unknown>) => {
          const e = bodies[i++ % bodies.length]!
          return { ...req, method: 'POST', path: '/feishu/events', body: e.body, headers: e.headers }
        },
      },
    ],
  })
  return {
    requestsPerSec: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

export async function runIngestBench(opts: { connections?: number; durationSec?: number; log?: (s: string) => void } = {}): Promise<IngestResult> {
  const connections = opts.connections ?? 50
  const duration = opts.durationSec ?? 10
  const log = opts.log ?? console.log
  const fake = new FakeOpenApi()
  await fake.start()
  const builder = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TOKEN, encryptKey: KEY, botOpenId: fake.botOpenId })
  const env = { FEISHU_VERIFICATION_TOKEN: TOKEN, FEISHU_ENCRYPT_KEY: KEY }
  // Enough unique events for the fastest server to run without repeats (bare Koa does not care about repeats).
  const perRun = 16_000 * (duration + 2)

  log('ingest: bare Koa')
  const koa = await spawnServer('bench/servers/bare-koa.ts', env)
  let bodies = generate(builder, perRun)
  await load(koa.url, bodies, { connections, duration: 2 })
  const bareKoa = await load(koa.url, bodies, { connections, duration })
  await koa.stop()

  log('ingest: node-sdk adaptKoa + EventDispatcher')
  const sdk = await spawnServer('bench/servers/sdk-pipeline.ts', env)
  bodies = generate(builder, perRun)
  await load(sdk.url, bodies, { connections, duration: 2 })
  const sdkPipeline = await load(sdk.url, bodies, { connections, duration })
  await sdk.stop()

  log('ingest: the bot (durable, de-duplicated)')
  const db = await createBenchDatabase('ingest')
  const bot = await spawnServer('src/main.ts', {
    ...env,
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: db.url,
    REDIS_URL: BENCH_REDIS_URL,
    SCHEDULER_ENABLED: '0',
    LOG_LEVEL: 'info',
  })
  let botFigures: LoadFigures
  let fixed: LoadFigures
  let durability: IngestResult['durability']
  try {
    bodies = generate(builder, perRun)
    const warm = await load(bot.url, bodies.slice(0, 8000), { connections, duration: 2 })
    botFigures = await load(bot.url, bodies.slice(8000), { connections, duration })
    bodies = generate(builder, 1000 * (duration + 1))
    fixed = await load(bot.url, bodies, { connections, duration, overallRate: 1000 })
    const acknowledged = warm.total - warm.non2xx + botFigures.total - botFigures.non2xx + fixed.total - fixed.non2xx
    // Every acknowledged event must be in the inbox; give the processor time to finish.
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    let recorded = 0
    let processed = 0
    for (let i = 0; i < 120; i++) {
      const r = await client.query<{ all: string; done: string }>(`select count(*) as all, count(*) filter (where status = 'done') as done from inbox_events`)
      recorded = Number(r.rows[0]!.all)
      processed = Number(r.rows[0]!.done)
      if (processed === recorded) break
      await new Promise((res) => setTimeout(res, 500))
    }
    await client.end()
    durability = { acknowledged, recorded, processed }
  } finally {
    await bot.stop()
    await db.drop()
    await fake.stop()
  }
  const result: IngestResult = {
    connections,
    durationSec: duration,
    bareKoa,
    sdkPipeline,
    bot: botFigures,
    botAtFixedRate: { ...fixed, targetRate: 1000 },
    ratios: { botVsSdk: ratio(botFigures.requestsPerSec, sdkPipeline.requestsPerSec), botVsBareKoa: ratio(botFigures.requestsPerSec, bareKoa.requestsPerSec) },
    durability,
    targets: {
      atLeastSdk: botFigures.requestsPerSec >= sdkPipeline.requestsPerSec,
      atLeastThirtyPercentOfKoa: botFigures.requestsPerSec >= 0.3 * bareKoa.requestsPerSec,
      p99Under20msAt1000: fixed.p99Ms < 20,
    },
  }
  return result
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runIngestBench()
  console.log(JSON.stringify(r, null, 2))
}
