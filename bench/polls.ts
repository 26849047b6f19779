// Benchmark (issue #15): a poll rush — BENCH_VOTERS (5,000) signed, encrypted vote callbacks from distinct people on
// TWO bot instances sharing Postgres and Redis, a tenth of the voters tapping twice (once on each instance). Checks:
// every vote counted once, nobody twice (voters = ballots = tallies), the card ends showing the count, and the
// patches of the shared card stay within Feishu's 5 per second per message. Beside it, in the same run, its
// baseline: as many callbacks to a no-op action. Writes bench/results/polls-latest.{json,md}. `npm run bench:polls`.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { startTestBot, CHAIR, type TestBot } from '../test/rig/test-bot.js'
import { formatDateTime } from '../src/time.js'
import { createDatabase, runClients, type Sent } from './signup.js'

const VOTERS = Number(process.env.BENCH_VOTERS ?? 5000)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100)
const REPEATERS = Math.floor(VOTERS / 10)
const GROUP = 'oc_bench_polls'
const voter = (i: number) => `ou_poll_bench_${String(i).padStart(5, '0')}`
const round = (x: number) => Math.round(x * 10) / 10

interface Check {
  name: string
  ok: boolean
  detail: string
}

async function startPoll(t: TestBot): Promise<{ id: string; messageId: string }> {
  await t.sendMessage({ sender: CHAIR.openId, chatId: GROUP, chatType: 'group', text: '发起投票', mentionBot: true })
  await t.settle()
  const form = t.fake.messages.find((m) => m.content?.header?.title?.content === '发起投票')
  if (!form) throw new Error('no poll form')
  const closes = `${formatDateTime(new Date(Date.now() + 24 * 3600_000), t.config.timezone)} +0800`
  const res = await t.click({
    operator: CHAIR.openId,
    value: { action: 'poll.create', chat: GROUP },
    formValue: { title: '年度职工福利方案', options: '方案一\n方案二\n方案三', mode: 'single', secrecy: 'anonymous', audience: 'all', closes_at: closes, results: 'after' },
    messageId: form.messageId,
    chatId: GROUP,
  })
  if (res.body?.toast?.type !== 'success') throw new Error(`poll not created: ${JSON.stringify(res.body?.toast)}`)
  await t.settle()
  const card = t.fake.messages.find((m) => String(m.content?.header?.title?.content ?? '').startsWith('投票 · V-'))
  const row = await t.bot.services.db.selectFrom('polls').select('id').executeTakeFirstOrThrow()
  if (!card) throw new Error('no vote card posted')
  return { id: String(row.id), messageId: card.messageId }
}

/** Half the requests to each instance, at the same time, each with half the connections. */
async function onBoth(t1: TestBot, t2: TestBot, requests: Array<{ via: 1 | 2; req: { body: string; headers: Record<string, string> } }>): Promise<{ sent: Sent[]; wallMs: number }> {
  const started = performance.now()
  const [a, b] = await Promise.all([
    runClients(`${t1.url}/feishu/cards`, requests.filter((r) => r.via === 1).map((r) => r.req), Math.max(1, CONNECTIONS / 2)),
    runClients(`${t2.url}/feishu/cards`, requests.filter((r) => r.via === 2).map((r) => r.req), Math.max(1, CONNECTIONS / 2)),
  ])
  return { sent: [...a, ...b], wallMs: performance.now() - started }
}

export async function runPollBench(): Promise<{ ok: boolean; markdown: string }> {
  const db = await createDatabase()
  let t1: TestBot | undefined
  let t2: TestBot | undefined
  try {
    t1 = await startTestBot({ db, instanceId: 'bench-1' })
    t2 = await startTestBot({ db, fake: t1.fake, instanceId: 'bench-2' })
    const { id, messageId } = await startPoll(t1)
    const vote = (i: number, via: 1 | 2) => ({ via, req: t1!.events.encode(t1!.events.cardAction({ operator: voter(i), value: { action: 'poll.vote', id, option: i % 3 }, messageId, chatId: GROUP })) })
    const requests = [...Array.from({ length: VOTERS }, (_, i) => vote(i, i % 2 === 0 ? 1 : 2)), ...Array.from({ length: REPEATERS }, (_, i) => vote(i, i % 2 === 0 ? 2 : 1))]
    process.stdout.write(`${requests.length} vote callbacks (${VOTERS} voters, ${REPEATERS} tapping twice) on two instances … `)
    const patchesBefore = t1.fake.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(messageId)).map((r) => r)
    const { sent, wallMs } = await onBoth(t1, t2, requests)
    process.stdout.write('done\n')
    await t1.settle()
    await t2.settle()
    // The minute reconcile brings the card up to the last vote whatever the coalescing left.
    await t1.bot.runPeriodic(new Date())
    await t1.settle()

    const checks: Check[] = []
    const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail })
    const toasts = sent.map((s) => {
      try {
        return String(JSON.parse(s.body)?.toast?.content ?? '')
      } catch {
        return ''
      }
    })
    add('every callback answered 200', sent.every((s) => s.status === 200), `${sent.filter((s) => s.status !== 200).length} not 200`)
    add(`${VOTERS} toasts 已投票`, toasts.filter((x) => x === '已投票').length === VOTERS, `${toasts.filter((x) => x === '已投票').length}`)
    add(`${REPEATERS} second taps refused`, toasts.filter((x) => x.startsWith('您已投过票')).length === REPEATERS, `${toasts.filter((x) => x.startsWith('您已投过票')).length}`)
    const s = t1.bot.services.db
    const poll = await s.selectFrom('polls').select('voted_count').where('id', '=', id).executeTakeFirstOrThrow()
    const voters = await s.selectFrom('poll_voters').select((eb) => eb.fn.countAll().as('n')).where('poll_id', '=', id).executeTakeFirstOrThrow()
    const tallies = await s.selectFrom('poll_tallies').select(['option_no', 'votes']).where('poll_id', '=', id).orderBy('option_no').execute()
    const expected = [0, 1, 2].map((o) => Array.from({ length: VOTERS }, (_, i) => i).filter((i) => i % 3 === o).length)
    add('every vote counted once: voters = counter = sum of tallies', Number(voters.n) === VOTERS && poll.voted_count === VOTERS && tallies.reduce((x, r) => x + r.votes, 0) === VOTERS, `voters ${voters.n}, counter ${poll.voted_count}, tallies ${tallies.map((r) => r.votes).join('/')}`)
    add('each option got exactly its votes', JSON.stringify(tallies.map((r) => r.votes)) === JSON.stringify(expected), `expected ${expected.join('/')}`)
    const patches = t1.fake.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(messageId)).length - patchesBefore.length
    const perSecond = patches / Math.max(1, wallMs / 1000)
    add('card shows the final count', JSON.stringify(t1.fake.currentCard(messageId)).includes(`已投票：${VOTERS} 人`), `${patches} patches`)
    add("card patched within Feishu's 5 per second per message", perSecond <= 5, `${round(perSecond)}/s over ${round(wallMs / 1000)} s`)

    const lat = sent.map((x) => x.endedAt - x.startedAt).sort((a, b) => a - b)
    const pct = (arr: number[], p: number) => round(arr[Math.min(arr.length - 1, Math.ceil((p / 100) * arr.length) - 1)]!)
    const noop = (i: number, via: 1 | 2) => ({ via, req: t1!.events.encode(t1!.events.cardAction({ operator: voter(i), value: { action: 'bench.noop' }, messageId, chatId: GROUP })) })
    const base = await onBoth(t1, t2, requests.map((r, i) => noop(i, r.via)))
    const baseLat = base.sent.map((x) => x.endedAt - x.startedAt).sort((a, b) => a - b)
    const r = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version },
      setup: { voters: VOTERS, repeaters: REPEATERS, connections: CONNECTIONS, instances: 2 },
      latencyMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: round(lat.at(-1)!) },
      throughputPerSecond: round(sent.length / (wallMs / 1000)),
      wallSeconds: round(wallMs / 1000),
      baseline: { p50: pct(baseLat, 50), p99: pct(baseLat, 99), throughputPerSecond: round(base.sent.length / (base.wallMs / 1000)) },
      cardPatches: patches,
      checks,
    }
    const dir = new URL('./results/', import.meta.url)
    mkdirSync(dir, { recursive: true })
    writeFileSync(new URL('polls-latest.json', dir), `${JSON.stringify(r, null, 2)}\n`)
    const md = [
      '# Poll rush benchmark (latest run)',
      '',
      `${r.at} · ${r.machine.cpus} × ${r.machine.model} · Node ${r.machine.node}`,
      '',
      `${sent.length} signed, encrypted vote callbacks (${VOTERS} voters of an anonymous poll, ${REPEATERS} tapping twice, once on each instance) over ${CONNECTIONS} connections to two bot instances sharing Postgres and Redis.`,
      '',
      '| | p50 | p99 | max | throughput | wall |',
      '| --- | --- | --- | --- | --- | --- |',
      `| votes | ${r.latencyMs.p50} ms | ${r.latencyMs.p99} ms | ${r.latencyMs.max} ms | ${r.throughputPerSecond}/s | ${r.wallSeconds} s |`,
      `| baseline (no-op action, same run) | ${r.baseline.p50} ms | ${r.baseline.p99} ms | | ${r.baseline.throughputPerSecond}/s | |`,
      '',
      '| check | result | detail |',
      '| --- | --- | --- |',
      ...checks.map((c) => `| ${c.name} | ${c.ok ? 'ok' : '**FAILED**'} | ${c.detail} |`),
      '',
    ].join('\n')
    writeFileSync(new URL('polls-latest.md', dir), md)
    console.log(md)
    return { ok: checks.every((c) => c.ok), markdown: md }
  } finally {
    await t2?.stop().catch(() => undefined)
    await t1?.stop().catch(() => undefined)
    await db.drop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await runPollBench()
  if (!ok) process.exitCode = 1
}
