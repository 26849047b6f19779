// Benchmark 4, memory: resident memory of the bot process while it processes 100,000 events from 20,000 senders.
// De-duplication lives in Postgres and conversation state in Redis (both with TTLs), so RSS must stay flat. The
// process is the compiled production start (`node dist/src/main.js`, built first when dist/ is missing; issue #18:
// RSS < 150 MiB after 100k events); BENCH_MEMORY_START=dev measures `npm start`'s tsx process instead.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { FakeOpenApi } from '../devtools/fake-open-api.js'
import { FeishuEventBuilder, type EncodedRequest } from '../devtools/feishu-events.js'
import { BENCH_REDIS_URL, createBenchDatabase } from './lib/database.js'
import { InspectorClient, inspectorUrl } from './lib/inspector.js'
import { ROOT, rssMiB, spawnServer } from './lib/spawn.js'
import { round } from './lib/stats.js'

const TOKEN = 'bench-verification-token'
const KEY = 'bench-encrypt-key'

export interface MemoryResult {
  events: number
  /** Which start was measured: the compiled one (`node dist/src/main.js`) or tsx (`npm start`). */
  start: 'prod' | 'dev'
  samples: Array<{ processed: number; rssMiB: number; heapUsedMiB: number }>
  baselineRssMiB: number
  finalRssMiB: number
  growthMiB: number
  /** Least-squares slope of RSS and of the live V8 heap (after a forced full GC) past the first 30,000 events, per 10,000 events. */
  rssSlopePer10kMiB: number
  heapSlopePer10kMiB: number
  target: { flat: boolean; rssUnder150MiB: boolean }
}

/** Issue #18: the compiled start's resident memory after 100,000 events. */
const RSS_TARGET_MIB = 150

/** The V8 flags of `npm run start:prod` (package.json), so the bench measures the start that ships. */
function prodNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  return (pkg.scripts['start:prod'] ?? '').split(/\s+/).filter((w) => w.startsWith('--'))
}

/** The compiled entry point, built with `npm run build` when it is not there yet. */
function compiledMain(log: (s: string) => void): string {
  const main = join(ROOT, 'dist', 'src', 'main.js')
  if (!existsSync(main)) {
    log('memory: building dist/ (npm run build) for the compiled start')
    const r = spawnSync(process.execPath, [join(ROOT, 'deploy', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('npm run build failed')
  }
  return 'dist/src/main.js'
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((s, p) => s + p[0], 0) / n
  const my = points.reduce((s, p) => s + p[1], 0) / n
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0)
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}



async function processedCount(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>(`select count(*) as n from inbox_events where status = 'done'`)
  return Number(r.rows[0]!.n)
}

export async function runMemoryBench(opts: { events?: number; log?: (s: string) => void } = {}): Promise<MemoryResult> {
  const total = opts.events ?? 100_000
  const log = opts.log ?? console.log
  const fake = new FakeOpenApi()
  await fake.start()
  const builder = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TOKEN, encryptKey: KEY, botOpenId: fake.botOpenId })
  const db = await createBenchDatabase('memory')
  const start = process.env.BENCH_MEMORY_START === 'dev' ? 'dev' : 'prod'
  const bot = await spawnServer(start === 'prod' ? compiledMain(log) : 'src/main.ts', {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: TOKEN,
    FEISHU_ENCRYPT_KEY: KEY,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: db.url,
    REDIS_URL: BENCH_REDIS_URL,
    SCHEDULER_ENABLED: '0',
    LOG_LEVEL: 'info',
    ...(process.env.BENCH_MEMORY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_MEMORY_NODE_OPTIONS } : {}),
  }, 60_000, ['--inspect=127.0.0.1:0', ...(start === 'prod' ? prodNodeFlags() : [])])
  const inspector = await InspectorClient.connect(inspectorUrl(bot.output())!)
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const samples: MemoryResult['samples'] = []
  try {
    const baselineRssMiB = await rssMiB(bot.child.pid!)
    const chunk = 10_000
    for (let sent = 0; sent < total; sent += chunk) {
      // Fresh timestamps per chunk keep every request inside the replay window.
      const bodies: EncodedRequest[] = Array.from({ length: chunk }, (_, i) =>
        builder.encode(builder.message({ sender: `ou_mem_${(sent + i) % 20_000}`, chatId: `oc_mem_${(sent + i) % 300}`, chatType: 'group', text: `消息 ${sent + i}` })),
      )
      let next = 0
      await autocannon({
        url: `${bot.url}/feishu/events`,
        connections: 20,
        amount: chunk,
        requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, method: 'POST', path: '/feishu/events', body: bodies[next]!.body, headers: bodies[next++]!.headers }) }],
      })
      let processed = await processedCount(client)
      for (let i = 0; i < 120 && processed < sent + chunk; i++) {
        await new Promise((r) => setTimeout(r, 250))
        processed = await processedCount(client)
      }
      samples.push({ processed, rssMiB: await rssMiB(bot.child.pid!), heapUsedMiB: await inspector.liveHeapMiB() })
      log(`memory: ${processed} processed, RSS ${samples.at(-1)!.rssMiB} MiB, heap used ${samples.at(-1)!.heapUsedMiB} MiB`)
    }
    const finalRssMiB = samples.at(-1)!.rssMiB
    const warm = samples.filter((x) => x.processed > 30_000)
    const rssSlope = slope(warm.map((x) => [x.processed / 10_000, x.rssMiB])) 
    const heapSlope = slope(warm.map((x) => [x.processed / 10_000, x.heapUsedMiB]))
    return {
      events: total,
      start,
      samples,
      baselineRssMiB,
      finalRssMiB,
      growthMiB: round(finalRssMiB - baselineRssMiB),
      rssSlopePer10kMiB: round(rssSlope, 2),
      heapSlopePer10kMiB: round(heapSlope, 2),
      // Flat: the live heap grows by less than 0.2 MiB per 10,000 events once warm (a 20-byte-per-event leak
      // would show); RSS may still drift while V8 sizes its heap.
      target: { flat: heapSlope < 0.2, rssUnder150MiB: finalRssMiB < RSS_TARGET_MIB },
    }
  } finally {
    inspector.close()
    await client.end()
    await bot.stop()
    await db.drop()
    await fake.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runMemoryBench(), null, 2))
}
