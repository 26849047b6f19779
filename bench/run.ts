// `npm run bench`: runs every benchmark section, each beside its baseline measured in the same run, and writes
// bench/results/latest.json and latest.md (quoted in docs/performance.md). `npm run bench -- ingest memory` runs some.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import pg from 'pg'
import { runIngestBench, type IngestResult } from './ingest.js'
import { runMemoryBench, type MemoryResult } from './memory.js'

type Section = 'ingest' | 'ws' | 'signup' | 'digest' | 'memory' | 'soak' | 'mass-notice'
const ALL: Section[] = ['ingest', 'ws', 'signup', 'digest', 'memory']
/** Sections run only when named (`npm run bench -- soak`, `-- mass-notice`): long, and best on a quiet machine. */
const ON_REQUEST: Section[] = ['soak', 'mass-notice']

async function machine() {
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' })
  await client.connect()
  const pgVersion = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version
  await client.end()
  let redisVersion = 'unknown'
  try {
    redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ?? 'unknown'
  } catch {
    // not on PATH
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    postgres: pgVersion,
    redis: redisVersion,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  }
}

const yes = (b: boolean) => (b ? 'met' : '**not met**')

function ingestMarkdown(r: IngestResult): string {
  const row = (name: string, f: IngestResult['bot']) => `| ${name} | ${f.requestsPerSec} | ${f.p50Ms} | ${f.p99Ms} | ${f.cpuUsPerEvent ?? '–'} | ${f.non2xx + f.errors} |`
  const per = (pick: (x: IngestResult['rounds'][number]) => number) => r.rounds.map((x) => `${pick(x)}×`).join(', ')
  const ratioLine = (name: string, value: number, s: { min: number; max: number }, target: string, met: boolean) =>
    `| ${name} | **${value}×** | ${s.min}–${s.max}× | ${target} | ${yes(met)} |`
  return [
    `## 1. Webhook ingest (${r.connections} connections, ${r.durationSec} s, signed + encrypted im.message.receive_v1)`,
    '',
    `${r.rounds.length} interleaved rounds (bare Koa, SDK pipeline, verify + decrypt, bot); the table shows each server's median round, the verdicts use the median of the per-round ratios. Per round, bot / SDK: ${per((x) => x.botVsSdk)}; bot / bare Koa: ${per((x) => x.botVsBareKoa)}; bot / verify + decrypt: ${per((x) => x.botVsVerifyDecrypt)}; bot CPU per event / SDK CPU per event: ${per((x) => x.botCpuVsSdk)}. The events are group messages that do not @-mention the bot: each is verified, decrypted, de-duplicated and committed before its 200, then claimed, dispatched (and ignored) and marked done in the background.`,
    '',
    '| server | req/s | p50 ms | p99 ms | CPU µs / event | non-2xx + errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('(a) bare Koa, 200 on the route (ceiling)', r.bareKoa),
    row('(b) node-sdk adaptKoa + EventDispatcher (decrypt + dispatch)', r.sdkPipeline),
    row('(c) the bot\'s verify + decrypt + normalize, no storage', r.verifyDecrypt),
    row('**the bot** (verify, decrypt, de-dup, durable commit before the 200; CPU includes the background processing)', r.bot),
    row('the bot at a fixed 1,000 events/s', r.botAtFixedRate),
    '',
    '| ratio (median of rounds) | value | spread | target | verdict |',
    '| --- | ---: | ---: | --- | --- |',
    ratioLine('bot / SDK pipeline (req/s)', r.ratios.botVsSdk, r.spreads.botVsSdk, '≥ 1.0', r.targets.atLeastSdk),
    ratioLine('bot / bare Koa (req/s)', r.ratios.botVsBareKoa, r.spreads.botVsBareKoa, '≥ 0.3', r.targets.atLeastThirtyPercentOfKoa),
    ratioLine('bot / verify + decrypt, no storage (req/s)', r.ratios.botVsVerifyDecrypt, r.spreads.botVsVerifyDecrypt, '≥ 0.9 (issue #18)', r.targets.atLeastNinetyPercentOfVerifyDecrypt),
    `| bot CPU per event / SDK CPU per event | ${r.ratios.botCpuVsSdk}× | ${r.spreads.botCpuVsSdk.min}–${r.spreads.botCpuVsSdk.max}× | (lower is better; not a target) | – |`,
    '',
    `p99 at 1,000/s = **${r.botAtFixedRate.p99Ms} ms** (target < 20 ms: ${yes(r.targets.p99Under20msAt1000)}).`,
    `Durability check (${r.durability.ok ? 'ok' : '**FAILED**'}): ${r.durability.acknowledged} distinct events acknowledged with 2xx, ${r.durability.recorded} recorded in the inbox (more when requests were still in flight as a run ended), ${r.durability.processed} processed.`,
  ].join('\n')
}

function memoryMarkdown(r: MemoryResult): string {
  return [
    `## 4. Memory after ${r.events.toLocaleString('en')} processed events (${r.start === 'prod' ? 'the compiled start, `node dist/src/main.js`' : "`npm start`'s tsx process"})`,
    '',
    '| processed | RSS MiB | live heap MiB (after forced GC) |',
    '| ---: | ---: | ---: |',
    ...r.samples.map((s) => `| ${s.processed} | ${s.rssMiB} | ${s.heapUsedMiB} |`),
    '',
    `Baseline RSS at start ${r.baselineRssMiB} MiB, final ${r.finalRssMiB} MiB. Slope past 30,000 events: RSS ${r.rssSlopePer10kMiB} MiB and live heap **${r.heapSlopePer10kMiB} MiB per 10,000 events** (target: flat, < 0.2: ${yes(r.target.flat)}). Final RSS < 150 MiB (issue #18, compiled start): ${yes(r.target.rssUnder150MiB)}.`,
  ].join('\n')
}

const wanted = (process.argv.slice(2).filter((a) => ALL.includes(a as Section) || ON_REQUEST.includes(a as Section)) as Section[]) || []
const sections = wanted.length ? wanted : ALL
const results: Record<string, unknown> = { machine: await machine() }
const markdown: string[] = [`# Benchmark results`, ['```json', JSON.stringify(results.machine, null, 2), '```'].join('\n')]

/** Above this 1-minute load average per core, a section's figures are marked noisy (other work shared the cores). */
const NOISY_LOAD_PER_CORE = Number(process.env.BENCH_NOISY_LOAD_PER_CORE ?? 1.5)
const load1 = () => Math.round(os.loadavg()[0]! * 100) / 100
const loads: Record<string, { before: number; after: number; noisy: boolean }> = {}
results.load = loads

for (const section of sections) {
  console.log(`== ${section}`)
  const before = load1()
  const at = markdown.length
  if (section === 'ingest') {
    const r = await runIngestBench()
    results.ingest = r
    markdown.push(ingestMarkdown(r))
  } else if (section === 'memory') {
    const r = await runMemoryBench()
    results.memory = r
    markdown.push(memoryMarkdown(r))
  } else {
    // Sections contributed by features: bench/<section>.ts exporting run<Section>Bench() → { result, markdown }.
    const modulePath = `./${section}.js`
    try {
      const mod = (await import(modulePath)) as Record<string, () => Promise<{ result: unknown; markdown: string }>>
      const run = mod[`run${section[0]!.toUpperCase()}${section.slice(1).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Bench`]
      if (!run) throw new Error(`bench/${section}.ts exports no run function`)
      const { result, markdown: md } = await run()
      results[section] = result
      markdown.push(md)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      console.error(`${section}: ${message}`)
      results[section] = { error: message }
      markdown.push(`## ${section}\n\nNot run: ${message}`)
    }
  }
  const after = load1()
  const noisy = Math.max(before, after) > NOISY_LOAD_PER_CORE * os.cpus().length
  loads[section] = { before, after, noisy }
  const note = `Machine load (1-minute average) before ${before}, after ${after} on ${os.cpus().length} cores${noisy ? ': **NOISY** — other work shared the cores; do not count this section\'s verdicts.' : '.'}`
  markdown.splice(at + 1, 0, note)
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2) + '\n')
writeFileSync(new URL('./results/latest.md', import.meta.url), markdown.join('\n\n') + '\n')
console.log(markdown.join('\n\n'))
