// Benchmark 1, webhook ingest: signed, encrypted im.message.receive_v1 events at 50 connections for 10 s against
// (a) bare Koa, (b) the node-sdk adaptKoa + EventDispatcher pipeline, (c) the bot's own verify + decrypt with no
// storage and (d) the bot, which also de-duplicates and commits every event to Postgres before its 200; interleaved
// rounds, the verdict on the median of per-round ratios with the spread beside it, and each server's CPU time per
// event (from /proc, which other processes on the machine do not inflate the way they do throughput). Then the bot
// at a fixed 1,000 events/s for the p99 target.
import autocannon from 'autocannon'
import pg from 'pg'
import { FakeOpenApi } from '../devtools/fake-open-api.js'
import { FeishuEventBuilder, type EncodedRequest } from '../devtools/feishu-events.js'
import { BENCH_REDIS_URL, createBenchDatabase } from './lib/database.js'
import { spawnServer, type Spawned } from './lib/spawn.js'
import { processCpuMs, ratio, round, spread, type Spread } from './lib/stats.js'

const TOKEN = 'bench-verification-token'
const KEY = 'bench-encrypt-key'

export interface LoadFigures {
  /** Requests sent; with unique bodies, each one is a different event unless `wrapped`. */
  sent: number
  /** The run needed more bodies than it was given and repeated some (duplicates, for bare Koa only). */
  wrapped: boolean
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  total: number
  non2xx: number
  errors: number
  /** CPU time (user + system) of the server process per 2xx event, in µs; for the bot including the background work. */
  cpuUsPerEvent?: number
}

export interface IngestResult {
  connections: number
  durationSec: number
  /** Each round runs the three servers one after another; the figures below are the medians over the rounds. */
  rounds: Array<{
    bareKoa: LoadFigures
    sdkPipeline: LoadFigures
    verifyDecrypt: LoadFigures
    bot: LoadFigures
    botVsSdk: number
    botVsBareKoa: number
    botVsVerifyDecrypt: number
    /** bot CPU µs per event / SDK CPU µs per event: below 1 means the bot spends less CPU on each event. */
    botCpuVsSdk: number
  }>
  bareKoa: LoadFigures
  sdkPipeline: LoadFigures
  verifyDecrypt: LoadFigures
  bot: LoadFigures
  botAtFixedRate: LoadFigures & { targetRate: number }
  /** Medians of the per-round ratios (each round's servers share whatever else the machine was doing). */
  ratios: { botVsSdk: number; botVsBareKoa: number; botVsVerifyDecrypt: number; botCpuVsSdk: number }
  /** min–max of each per-round ratio. */
  spreads: { botVsSdk: Spread; botVsBareKoa: Spread; botVsVerifyDecrypt: Spread; botCpuVsSdk: Spread }
  /** Every event answered 2xx must be in the inbox (recorded may be higher: requests still in flight at the end). */
  durability: { acknowledged: number; recorded: number; processed: number; ok: boolean }
  targets: { atLeastSdk: boolean; atLeastThirtyPercentOfKoa: boolean; atLeastNinetyPercentOfVerifyDecrypt: boolean; p99Under20msAt1000: boolean }
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
    sent: i,
    wrapped: i > bodies.length,
    requestsPerSec: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

export async function runIngestBench(opts: { connections?: number; durationSec?: number; rounds?: number; log?: (s: string) => void } = {}): Promise<IngestResult> {
  const roundsWanted = opts.rounds ?? 5
  const connections = opts.connections ?? 50
  const duration = opts.durationSec ?? 10
  const log = opts.log ?? console.log
  const fake = new FakeOpenApi()
  await fake.start()
  const builder = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TOKEN, encryptKey: KEY, botOpenId: fake.botOpenId })
  const env = { FEISHU_VERIFICATION_TOKEN: TOKEN, FEISHU_ENCRYPT_KEY: KEY }
  // Enough unique events for the fastest server to run without repeats (bare Koa does not care about repeats).
  const perRun = 16_000 * (duration + 2)

  const koa = await spawnServer('bench/servers/bare-koa.ts', env)
  const sdk = await spawnServer('bench/servers/sdk-pipeline.ts', env)
  const crypto = await spawnServer('bench/servers/verify-decrypt.ts', env)
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
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const inboxCounts = async () => {
    const r = await client.query<{ all: string; done: string }>(`select count(*) as all, count(*) filter (where status = 'done') as done from inbox_events`)
    return { recorded: Number(r.rows[0]!.all), processed: Number(r.rows[0]!.done) }
  }
  /** Lets the bot work off what it acknowledged, so the next measurement does not share the CPU with it. */
  const drained = async () => {
    let c = await inboxCounts()
    for (let i = 0; i < 240 && c.processed < c.recorded; i++) {
      await new Promise((res) => setTimeout(res, 250))
      c = await inboxCounts()
    }
    return c
  }
  const rounds: IngestResult['rounds'] = []
  let acknowledged = 0
  let fixed: LoadFigures
  let durability: IngestResult['durability']
  try {
    // Warm-up of each server (JIT, connection pools), then interleaved rounds: a burst of load from other
    // processes on this 2-core machine then hits all three alike, and the medians are compared.
    await load(koa.url, generate(builder, 16_000 * 3), { connections, duration: 2 })
    await load(sdk.url, generate(builder, 16_000 * 3), { connections, duration: 2 })
    await load(crypto.url, generate(builder, 16_000 * 3), { connections, duration: 2 })
    const warm = await load(bot.url, generate(builder, 16_000 * 3), { connections, duration: 2 })
    acknowledged += warm.total - warm.non2xx
    await drained()
    for (let round = 1; round <= roundsWanted; round++) {
      log(`ingest: round ${round} of ${roundsWanted}`)
      const bareKoa = await load(koa.url, generate(builder, perRun), { connections, duration })
      const sdkPipeline = await withCpu(sdk, () => load(sdk.url, generate(builder, perRun), { connections, duration }))
      const verifyDecrypt = await withCpu(crypto, () => load(crypto.url, generate(builder, perRun), { connections, duration }))
      // Disjoint, large enough slices: no event is sent twice, so every 2xx is a distinct acknowledged event. The bot's
      // CPU is counted until it has worked off what it acknowledged (claim, dispatch, done-mark belong to each event).
      const botRun = await withCpu(bot, async () => {
        const figures = await load(bot.url, generate(builder, perRun), { connections, duration })
        await drained()
        return figures
      })
      if (botRun.wrapped) throw new Error('ingest bench ran out of unique events; raise the slice size')
      acknowledged += botRun.total - botRun.non2xx
      rounds.push({
        bareKoa,
        sdkPipeline,
        verifyDecrypt,
        bot: botRun,
        botVsSdk: ratio(botRun.requestsPerSec, sdkPipeline.requestsPerSec),
        botVsBareKoa: ratio(botRun.requestsPerSec, bareKoa.requestsPerSec),
        botVsVerifyDecrypt: ratio(botRun.requestsPerSec, verifyDecrypt.requestsPerSec),
        botCpuVsSdk: ratio(botRun.cpuUsPerEvent ?? 0, sdkPipeline.cpuUsPerEvent ?? 0),
      })
    }
    log('ingest: the bot at a fixed 1,000 events/s')
    fixed = await load(bot.url, generate(builder, 1000 * (duration + 2)), { connections, duration, overallRate: 1000 })
    acknowledged += fixed.total - fixed.non2xx
    // Every acknowledged event must be in the inbox, and processed.
    const { recorded, processed } = await drained()
    durability = { acknowledged, recorded, processed, ok: recorded >= acknowledged && processed === recorded }
  } finally {
    await client.end()
    await Promise.all([koa.stop(), sdk.stop(), crypto.stop(), bot.stop()])
    await db.drop()
    await fake.stop()
  }
  const median = (pick: (r: IngestResult['rounds'][number]) => LoadFigures): LoadFigures => {
    const sorted = rounds.map(pick).sort((a, b) => a.requestsPerSec - b.requestsPerSec)
    return sorted[Math.floor(sorted.length / 2)]!
  }
  const bareKoa = median((r) => r.bareKoa)
  const sdkPipeline = median((r) => r.sdkPipeline)
  const verifyDecrypt = median((r) => r.verifyDecrypt)
  const botFigures = median((r) => r.bot)
  const medianOf = (pick: (r: IngestResult['rounds'][number]) => number) => {
    const sorted = rounds.map(pick).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]!
  }
  const ratios = {
    botVsSdk: medianOf((r) => r.botVsSdk),
    botVsBareKoa: medianOf((r) => r.botVsBareKoa),
    botVsVerifyDecrypt: medianOf((r) => r.botVsVerifyDecrypt),
    botCpuVsSdk: medianOf((r) => r.botCpuVsSdk),
  }
  const result: IngestResult = {
    connections,
    durationSec: duration,
    rounds,
    bareKoa,
    sdkPipeline,
    verifyDecrypt,
    bot: botFigures,
    botAtFixedRate: { ...fixed, targetRate: 1000 },
    ratios,
    spreads: {
      botVsSdk: spread(rounds.map((r) => r.botVsSdk)),
      botVsBareKoa: spread(rounds.map((r) => r.botVsBareKoa)),
      botVsVerifyDecrypt: spread(rounds.map((r) => r.botVsVerifyDecrypt)),
      botCpuVsSdk: spread(rounds.map((r) => r.botCpuVsSdk)),
    },
    durability,
    targets: {
      atLeastSdk: ratios.botVsSdk >= 1,
      atLeastThirtyPercentOfKoa: ratios.botVsBareKoa >= 0.3,
      atLeastNinetyPercentOfVerifyDecrypt: ratios.botVsVerifyDecrypt >= 0.9,
      p99Under20msAt1000: fixed.p99Ms < 20,
    },
  }
  return result
}

/** Runs one measurement and adds the server's CPU time per 2xx event to its figures. */
async function withCpu(server: Spawned, run: () => Promise<LoadFigures>): Promise<LoadFigures> {
  const before = processCpuMs(server.child.pid!)
  const figures = await run()
  const events = figures.total - figures.non2xx
  const cpuMs = processCpuMs(server.child.pid!) - before
  return { ...figures, cpuUsPerEvent: events > 0 ? round((cpuMs * 1000) / events, 0) : 0 }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runIngestBench()
  console.log(JSON.stringify(r, null, 2))
}
