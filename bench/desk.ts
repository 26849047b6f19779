// Benchmark (issue #13): the officers' desk on a busy union. Seeds a throw-away Postgres database with 2,000 open
// grievances (a quarter overdue, some assigned to the officer), 20,000 ended ones and 300 proposals waiting for the
// committee, then times the real card builders (every query plus the card) of `待办` (first and a deep page),
// `诉求列表` (open, 已超期, 我的) and `诉求 搜索`, p50/p99. Same-run baseline: a plain SELECT of one page of open
// cases. Target: p99 under 300 ms. `npx tsx bench/desk.ts`; writes bench/results/desk-latest.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { sql } from 'kysely'
import { pino } from 'pino'
import { queueCard } from '../handlers/desk/index.js'
import { listCard, searchCard } from '../handlers/grievances/lookup.js'
import { registerHandlers } from '../handlers/index.js'
import { createBot, type Bot } from '../src/app.js'
import { ManualClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import { BaseContext } from '../src/dispatch/context.js'
import { createBenchDatabase } from './lib/database.js'
import { percentile, ratio, round } from './lib/stats.js'

const OPEN = Number(process.env.BENCH_OPEN_GRIEVANCES ?? 2_000)
const ENDED = Number(process.env.BENCH_ENDED_GRIEVANCES ?? 20_000)
const PROPOSALS = 300
const ITERATIONS = Number(process.env.BENCH_DESK_ITERATIONS ?? 50)
const WARMUP = 3
const TARGET_P99_MS = 300
const OFFICER = 'ou_bench_officer'
/** Monday 16 November 2026, 10:00 in Shanghai. */
const NOW = new Date('2026-11-16T02:00:00Z')

interface Timing {
  p50Ms: number
  p99Ms: number
  runs: number
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now()
    await fn()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return { p50Ms: round(percentile(samples, 50), 2), p99Ms: round(percentile(samples, 99), 2), runs: ITERATIONS }
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('desk')
  let bot: Bot | undefined
  try {
    const clock = new ManualClock(NOW)
    const config = loadConfig({ DATABASE_URL: database.url, SCHEDULER_ENABLED: '0', PLAYGROUND: '0', LOG_LEVEL: 'silent', UNION_OFFICER_OPEN_IDS: OFFICER })
    bot = await createBot(config, { clock, logger: pino({ level: 'silent' }), register: registerHandlers })
    const db = bot.services.db
    const now = NOW.toISOString()
    const seeded = performance.now()
    // Open cases: filed over the last 40 days (the oldest past their deadlines), every 10th assigned to the officer.
    await sql`
      insert into grievances (number, category, description, anonymous, status, assignee_open_id, filed_at, accept_due_at, resolve_due_at, accepted_at, filing_key)
      select 'G-2026-' || lpad(i::text, 5, '0'),
             (array['劳动报酬','工作时间与休息休假','劳动安全卫生','社会保险与福利','劳动合同与解除','职场欺凌与骚扰','其他'])[1 + (i * 7919) % 7],
             '车间连续加班没有支付加班费，基准测试第 ' || i || ' 件', i % 3 = 0,
             case when i % 2 = 0 then 'accepted' else 'pending' end,
             case when i % 10 = 0 then ${OFFICER} end,
             f.filed, f.filed + interval '5 days', f.filed + interval '21 days',
             case when i % 2 = 0 then f.filed + interval '1 day' end,
             'bench-open-' || i
      from generate_series(1, ${OPEN}) i, lateral (select ${now}::timestamptz - make_interval(mins => (i * 29) % (40 * 24 * 60)) as filed) f`.execute(db)
    await sql`
      insert into grievances (number, category, description, anonymous, status, filed_at, accept_due_at, resolve_due_at, closed_at, filing_key)
      select 'G-2025-' || lpad(i::text, 5, '0'), '其他', '已办结的基准测试诉求 ' || i, true, case when i % 5 = 0 then 'declined' else 'closed' end,
             f.filed, f.filed + interval '5 days', f.filed + interval '21 days', f.filed + interval '10 days', 'bench-ended-' || i
      from generate_series(1, ${ENDED}) i, lateral (select ${now}::timestamptz - interval '60 days' - make_interval(mins => i * 13) as filed) f`.execute(db)
    await sql`insert into proposal_windows (name, opened_at, opened_by) values ('基准测试征集', ${now}::timestamptz - interval '30 days', 'ou_bench_chair')`.execute(db)
    await sql`
      insert into proposals (number, year, seq, window_id, proposer_open_id, title, content, category, status, submitted_at, review_ready_at, updated_at)
      select 'P-2026-' || lpad(i::text, 3, '0'), 2026, i, (select max(id) from proposal_windows), 'ou_bench_rep', '基准测试提案 ' || i, '内容', '其他',
             case when i % 2 = 0 then 'pending_review' else 'registered' end, ${now}::timestamptz - make_interval(hours => i), ${now}::timestamptz - make_interval(hours => i), ${now}::timestamptz
      from generate_series(1, ${PROPOSALS}) i`.execute(db)
    await sql`analyze`.execute(db)
    const seedSeconds = round((performance.now() - seeded) / 1000, 1)

    const ctx = new BaseContext(bot.services, 'bench', OFFICER)
    const timings = {
      queueFirstPage: await time(() => queueCard(ctx, 1)),
      queuePage100: await time(() => queueCard(ctx, 100)),
      listOpen: await time(() => listCard(ctx, 'open', 1)),
      listOverdue: await time(() => listCard(ctx, 'overdue', 1)),
      listMine: await time(() => listCard(ctx, 'mine', 1)),
      search: await time(() => searchCard(ctx, '加班费', 1)),
    }
    const baseline = await time(() => db.selectFrom('grievances').selectAll().where('status', 'in', ['pending', 'accepted']).orderBy('id').limit(8).execute())
    const worst = Math.max(...Object.values(timings).map((t) => t.p99Ms))
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, loadAverage: os.loadavg().map((x) => round(x, 2)) },
      seeded: { open: OPEN, ended: ENDED, proposals: PROPOSALS, seedSeconds },
      timings,
      baseline: { plainSelectPage: baseline },
      ratios: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, ratio(v.p99Ms, baseline.p99Ms)])),
      targetP99Ms: TARGET_P99_MS,
      ok: worst < TARGET_P99_MS,
    }
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
    writeFileSync(new URL('./results/desk-latest.json', import.meta.url), JSON.stringify(result, null, 2) + '\n')
    const rows = Object.entries(timings).map(([k, v]) => `| ${k} | ${v.p50Ms} | ${v.p99Ms} | ${result.ratios[k]}× |`)
    const md = [
      `# Desk benchmark (${result.at})`,
      '',
      `${OPEN} open grievances, ${ENDED} ended, ${PROPOSALS} proposals waiting; ${ITERATIONS} runs each; ${result.machine.cpus} CPUs, load ${result.machine.loadAverage.join(' ')}.`,
      '',
      '| card | p50 ms | p99 ms | p99 vs plain SELECT |',
      '| --- | --- | --- | --- |',
      ...rows,
      `| baseline: plain SELECT of one page | ${baseline.p50Ms} | ${baseline.p99Ms} | 1× |`,
      '',
      `Target p99 < ${TARGET_P99_MS} ms: ${result.ok ? 'met' : 'NOT met'} (worst ${worst} ms).`,
      '',
    ].join('\n')
    writeFileSync(new URL('./results/desk-latest.md', import.meta.url), md)
    console.log(md)
    if (!result.ok) process.exitCode = 1
  } finally {
    await bot?.stop().catch(() => undefined)
    await database.drop()
  }
}

await main()
