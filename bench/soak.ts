// Soak run (issue #18, `npm run bench -- soak`): mixed realistic traffic — grievance filings and proposals walked
// step by step through their conversations, activity sign-ups by card click, officers' 受理 clicks, digests asked,
// plain questions, and duplicate deliveries — at a fixed rate (50 events/s) on two bot instances behind the
// round-robin balancer (BENCH_SOAK_INSTANCES for more), with Postgres and then Redis cut for a few seconds mid-run through TCP proxies (a real
// restart of the shared servers would hit everyone else using this machine). Checks: 0 lost (every acknowledged
// event processed), 0 doubled (each effect once, by counting rows and messages), no error log lines outside the
// outage windows; RSS and event-loop delay per interval (a table and a text plot). 20 minutes by default,
// BENCH_SOAK_SECONDS to shorten. Writes bench/results/soak-latest.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { Writable } from 'node:stream'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { sql } from 'kysely'
import { pino } from 'pino'
import { FakeOpenApi, type DeliveredMessage } from '../devtools/fake-open-api.js'
import { postToBot, type Envelope } from '../devtools/feishu-events.js'
import { MESSAGES } from '../src/dispatch/messages.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../test/rig/test-bot.js'
import { RoundRobin } from '../test/rig/round-robin.js'
import { TcpProxy } from '../test/rig/tcp-proxy.js'
import { formatDateTime } from '../src/time.js'
import { createDatabase } from './signup.js'
import { percentile, round } from './lib/stats.js'

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 1200)
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 50)
/** Two by default (issue #18); 3 to see the instances share the work (docs/scaling.md). */
const INSTANCES = Number(process.env.BENCH_SOAK_INSTANCES ?? 2)
const OUTAGE_SECONDS = Number(process.env.BENCH_SOAK_OUTAGE_SECONDS ?? 5)
/** After a cut is restored, redelivered events and inbox retries may still log what failed during it. */
const GRACE_SECONDS = 20
/** Per-minute samples on a full run; shorter runs sample every 10 s so the table has more than two rows. */
const SAMPLE_SECONDS = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? (SECONDS >= 600 ? 60 : 10))
/** Feishu redelivers an event it got no 2xx for; the soak does the same after this long. */
const REDELIVER_MS = 1000
const GROUP = 'oc_soak_group'
const REPS = Array.from({ length: 12 }, (_, i) => ({ openId: `ou_soak_rep_${i}`, name: `代表${i}` }))
const CONTACT = { openId: 'ou_soak_contact', name: '部门联系人' }
const DESCRIPTION = '车间连续三个月加班没有按规定支付加班费，每月约有三十个小时。'
const FILING_STEPS = ['投诉', '1', DESCRIPTION, '匿名', '确认']
const PROPOSAL_CONTENT = '夜班职工反映食堂夜间不供应热食，建议增设夜间窗口并延长供餐时间至凌晨两点。'
const proposalSteps = (n: number) => ['提交提案', `关于改善第${n}车间夜班就餐条件的提案`, PROPOSAL_CONTENT, '3', '确认']

type Kind = 'help' | 'signup' | 'filing' | 'proposal' | 'accept' | 'digest' | 'duplicate'
/** Shares of the traffic; a step that cannot be taken now (every walker waiting for a reply) becomes a question. */
const MIX: Array<[Kind, number]> = [['help', 20], ['signup', 20], ['filing', 20], ['proposal', 10], ['accept', 10], ['digest', 5], ['duplicate', 15]]

interface Delivery {
  key: string
  kind: Kind
  /** Kept while it may be sent again (refused, or recent enough to be duplicated); dropped after, to keep memory flat. */
  env: Envelope | undefined
  messageId?: string
  /** The person who clicked, for card actions. */
  operator?: string
  acked: boolean
  attempts: number
}

interface Walker {
  openId: string
  steps: string[]
  step: number
  /** Messages the person had received when the current step was sent; the next step waits for one more. */
  seenBefore: number
  waiting: boolean
  retryAt: number
  confirmAcked: boolean
  confirmKey?: string
}

interface Sample {
  atSeconds: number
  rssMiB: number
  heapMiB: number
  loopP50Ms: number
  loopP99Ms: number
  loopMaxMs: number
  sent: number
}

interface Check {
  name: string
  ok: boolean
  detail: string
}

export interface SoakResult {
  at: string
  setup: { seconds: number; rate: number; instances: number; outageSeconds: number; sampleSeconds: number }
  sent: Record<string, number>
  deliveries: number
  redeliveries: number
  acknowledged: number
  servedPerInstance: number[]
  outages: Array<{ what: string; fromSeconds: number; toSeconds: number }>
  errorLogs: { total: number; insideWindows: number; outside: Array<{ atSeconds: number; msg: string }> }
  samples: Sample[]
  checks: Check[]
}

const dedupKey = (env: Envelope) =>
  env.header.event_type === 'im.message.receive_v1' ? `msg:${(env.event.message as { message_id: string }).message_id}` : `evt:${env.header.event_id}`
const pathOf = (env: Envelope) => (env.header.event_type === 'card.action.trigger' ? '/feishu/cards' : '/feishu/events')
const cardTitle = (m: DeliveredMessage | undefined) => (m?.msgType === 'interactive' ? String(m.content?.header?.title?.content ?? '') : '')
const textOf = (m: DeliveredMessage) => (m.msgType === 'text' ? String(m.content?.text ?? '') : '')

function buttonValues(card: unknown): Array<{ text: string; value: Record<string, unknown> }> {
  const found: Array<{ text: string; value: Record<string, unknown> }> = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>
      if (o.tag === 'button') found.push({ text: o.text?.content ?? '', value: o.behaviors?.[0]?.value ?? {} })
      Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return found
}

/** The fake's messages, indexed as they arrive (the list only grows): by private recipient, by message replied to. */
class MessageIndex {
  private seen = 0
  readonly toPerson = new Map<string, DeliveredMessage[]>()
  readonly replies = new Map<string, number>()
  readonly reviewCards: DeliveredMessage[] = []
  constructor(private readonly fake: FakeOpenApi) {}
  update(): void {
    const all = this.fake.messages
    for (; this.seen < all.length; this.seen++) {
      const m = all[this.seen]!
      const person = m.receiveIdType === 'open_id' ? m.receiveId : m.chatId?.startsWith('oc_p2p_') ? m.chatId.slice(7) : undefined
      if (person) this.toPerson.set(person, [...(this.toPerson.get(person) ?? []), m])
      if (m.replyTo) this.replies.set(m.replyTo, (this.replies.get(m.replyTo) ?? 0) + 1)
      if (m.chatId === ADMIN_CHAT_ID && cardTitle(m).startsWith('维权诉求 G-')) this.reviewCards.push(m)
    }
  }
  to(openId: string): DeliveredMessage[] {
    return this.toPerson.get(openId) ?? []
  }
}

export async function runSoakBench(opts: { log?: (s: string) => void } = {}): Promise<{ result: SoakResult; markdown: string }> {
  const log = opts.log ?? console.log
  const db = await createDatabase()
  const pgUrl = new URL(db.url)
  const pgProxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432))
  const redisUrl = new URL(db.redisUrl)
  const redisProxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379))
  await pgProxy.start()
  await redisProxy.start()
  pgUrl.port = String(pgProxy.port)
  redisUrl.port = String(redisProxy.port)
  const proxied = { ...db, url: pgUrl.toString(), redisUrl: redisUrl.toString() }

  // Every log line at error level or above, with its time, from both instances.
  const started = Date.now()
  const errorLines: Array<{ at: number; msg: string }> = []
  const sink = (instance: string) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) {
          if (!line) continue
          try {
            const o = JSON.parse(line) as { level: number; time: number; msg?: string; err?: { message?: string } }
            if (o.level >= 50) errorLines.push({ at: o.time, msg: `${instance}: ${o.msg ?? ''}${o.err?.message ? ` (${o.err.message})` : ''}` })
          } catch {
            // not JSON: ignore
          }
        }
        done()
      },
    })

  const fake = new FakeOpenApi()
  await fake.start()
  for (const p of [...REPS, CONTACT, CHAIR]) fake.users.set(p.openId, { name: p.name })
  const env = { INBOX_LEASE_SECONDS: '5', LOG_LEVEL: 'warn' }
  const bots: TestBot[] = []
  let lb: RoundRobin | undefined
  const loop = monitorEventLoopDelay({ resolution: 10 })
  try {
    for (const id of Array.from({ length: INSTANCES }, (_, i) => `soak-${i + 1}`)) {
      bots.push(await startTestBot({ db: proxied, fake, env, instanceId: id, botOptions: { logger: pino({ level: 'warn' }, sink(id)) } }))
    }
    const a = bots[0]!
    lb = new RoundRobin(bots.map((t) => t.url))
    await lb.start()
    const settle = () => Promise.all(bots.map((t) => t.settle()))
    const index = new MessageIndex(fake)

    // Set-up, as the chair does it: representatives, a department, an open window, one activity in the group.
    const say = async (text: string, mentions: Array<{ openId: string; name: string }> = []) => {
      await a.sendMessage({ sender: CHAIR.openId, chatId: `oc_p2p_${CHAIR.openId}`, chatType: 'p2p', text, mentions })
      await settle()
    }
    await say('代表 添加', REPS)
    await say('部门 添加 后勤保障部', [CONTACT])
    await say('提案征集 开始 第六届职代会第一次会议')
    const day = 24 * 3600_000
    const at = (ms: number) => `${formatDateTime(new Date(Date.now() + ms), a.config.timezone)} +0800`
    await a.sendMessage({ sender: CHAIR.openId, chatId: GROUP, chatType: 'group', text: '发起活动', mentionBot: true })
    await settle()
    const form = fake.messages.find((m) => cardTitle(m) === '发起活动')
    if (!form) throw new Error('no 发起活动 form')
    const created = await a.click({
      operator: CHAIR.openId,
      value: { action: 'activity.create', chat: GROUP },
      formValue: { title: '年末职工运动会', place: '职工之家体育馆', capacity: '200', starts_at: at(7 * day), ends_at: at(7 * day + 3 * 3600_000), deadline: at(6 * day), cancel_after_deadline: 'no' },
      messageId: form.messageId,
      chatId: GROUP,
    })
    if (created.body?.toast?.type !== 'success') throw new Error(`activity not created: ${JSON.stringify(created.body?.toast)}`)
    await settle()
    const activityCard = fake.messages.find((m) => cardTitle(m).startsWith('活动报名'))
    if (!activityCard) throw new Error('no sign-up card')
    const signValue = buttonValues(activityCard.content).find((x) => x.text === '报名')!.value
    const activityId = String(signValue.id)

    // ---- the run ----
    const deliveries = new Map<string, Delivery>()
    const recent: Delivery[] = []
    const retry: Array<{ d: Delivery; at: number }> = []
    const sent: Record<string, number> = {}
    let redeliveries = 0
    const errorToasts = new Map<string, number>()
    const reclick: Array<{ operator: string; at: number }> = []
    const signers = new Set<string>()
    let inFlight = 0
    const send = (d: Delivery) => {
      if (!d.env) return
      d.attempts++
      inFlight++
      postToBot(lb!.url, pathOf(d.env), a.events.encode(d.env))
        .then((res) => {
          if (res.status >= 200 && res.status < 300) {
            d.acked = true
            // A click answered with an error toast (e.g. 系统正忙 during a cut) did not take: the person clicks again.
            const toast = (res.body as { toast?: { type?: string; content?: string } } | undefined)?.toast
            if (d.operator && toast?.type === 'error') {
              errorToasts.set(toast.content ?? '', (errorToasts.get(toast.content ?? '') ?? 0) + 1)
              reclick.push({ operator: d.operator, at: Date.now() + 2000 })
            }
          } else retry.push({ d, at: Date.now() + REDELIVER_MS })
        })
        .catch(() => retry.push({ d, at: Date.now() + REDELIVER_MS }))
        .finally(() => inFlight--)
    }
    const fresh = (kind: Kind, env: Envelope, chatId?: string): Delivery => {
      if (chatId && env.header.event_type === 'im.message.receive_v1') fake.inboundChats.set((env.event.message as { message_id: string }).message_id, chatId)
      const messageId = env.header.event_type === 'im.message.receive_v1' ? (env.event.message as { message_id: string }).message_id : undefined
      const d: Delivery = { key: dedupKey(env), kind, env, acked: false, attempts: 0, ...(messageId ? { messageId } : {}) }
      deliveries.set(d.key, d)
      recent.push(d)
      if (recent.length > 200) {
        const old = recent.shift()!
        if (old.acked) old.env = undefined
      }
      sent[kind] = (sent[kind] ?? 0) + 1
      send(d)
      return d
    }
    const p2p = (kind: Kind, openId: string, text: string) =>
      fresh(kind, a.events.message({ sender: openId, chatId: `oc_p2p_${openId}`, chatType: 'p2p', text }), `oc_p2p_${openId}`)

    let helpN = 0
    let signN = 0
    let filerN = 0
    let proposalN = 0
    const filers: Walker[] = []
    const proposers: Walker[] = REPS.map((r) => ({ openId: r.openId, steps: [], step: -1, seenBefore: 0, waiting: false, retryAt: 0, confirmAcked: false }))
    const confirmedProposals: Walker[] = []
    const accepted = new Set<string>()
    const acceptDeliveries: Delivery[] = []
    const signDeliveries: Delivery[] = []
    const questionDeliveries: Delivery[] = []

    /** Answers that say the step did not take (conversations unavailable, busy, failed): the person types it again later. */
    const RETYPE = new Set<string>([MESSAGES.stateDown, MESSAGES.busy, MESSAGES.failed])
    /** Takes the next step of a walker whose last step was answered; a RETYPE answer means: type it again later. */
    const advance = (w: Walker, kind: Kind): boolean => {
      const got = index.to(w.openId)
      if (w.waiting) {
        if (got.length <= w.seenBefore) return false
        const last = got.at(-1)!
        if (RETYPE.has(textOf(last))) {
          w.waiting = false
          w.retryAt = Date.now() + 2000
          return false
        }
        w.waiting = false
        w.step++
      }
      if (Date.now() < w.retryAt || w.step >= w.steps.length) return false
      w.seenBefore = got.length
      w.waiting = true
      const d = p2p(kind, w.openId, w.steps[w.step]!)
      if (w.step === w.steps.length - 1) {
        w.confirmKey = d.key
        if (kind === 'proposal') confirmedProposals.push({ ...w })
      }
      return true
    }
    const signUp = (operator: string) => {
      signers.add(operator)
      const d = fresh('signup', a.events.cardAction({ operator, value: signValue, messageId: activityCard.messageId, chatId: GROUP }))
      d.operator = operator
      signDeliveries.push(d)
    }
    const question = () => {
      const id = `ou_soak_q_${helpN++ % 500}`
      questionDeliveries.push(p2p('help', id, '帮助'))
    }
    const take: Record<Kind, () => void> = {
      help: question,
      signup: () => signUp(`ou_soak_s_${signN++}`),
      filing: () => {
        if (filers.some((w) => advance(w, 'filing'))) return
        if (filers.filter((w) => w.step < w.steps.length).length >= 150) return question()
        const w: Walker = { openId: `ou_soak_f_${filerN++}`, steps: FILING_STEPS, step: 0, seenBefore: 0, waiting: false, retryAt: 0, confirmAcked: false }
        filers.push(w)
        advance(w, 'filing')
      },
      proposal: () => {
        for (const w of proposers) {
          if (w.step === -1 || w.step >= w.steps.length) {
            // A representative who finished one proposal (or has not begun) starts the next.
            if (w.waiting && w.step >= 0) continue
            w.steps = proposalSteps(++proposalN)
            w.step = 0
            w.waiting = false
            w.retryAt = 0
            advance(w, 'proposal')
            return
          }
          if (advance(w, 'proposal')) return
        }
        question()
      },
      accept: () => {
        const card = index.reviewCards.find((c) => !accepted.has(c.messageId))
        const value = card && buttonValues(card.content).find((x) => x.value.action === 'grievance.accept')?.value
        if (!card || !value) return question()
        accepted.add(card.messageId)
        acceptDeliveries.push(fresh('accept', a.events.cardAction({ operator: CHAIR.openId, value, messageId: card.messageId, chatId: ADMIN_CHAT_ID })))
      },
      digest: () => {
        questionDeliveries.push(p2p('digest', CHAIR.openId, '周报'))
      },
      duplicate: () => {
        const d = recent[Math.floor(Math.random() * recent.length)]
        if (!d?.env) return question()
        sent.duplicate = (sent.duplicate ?? 0) + 1
        send(d)
      },
    }
    const totalWeight = MIX.reduce((s, [, w]) => s + w, 0)
    const pick = (): Kind => {
      let r = Math.random() * totalWeight
      for (const [k, w] of MIX) if ((r -= w) < 0) return k
      return 'help'
    }

    const outages = [
      { what: 'Postgres', proxy: pgProxy, fromSeconds: Math.round(SECONDS / 3) },
      { what: 'Redis', proxy: redisProxy, fromSeconds: Math.round((2 * SECONDS) / 3) },
    ].map((o) => ({ ...o, toSeconds: o.fromSeconds + OUTAGE_SECONDS }))
    const samples: Sample[] = []
    let ticks = 0
    const t0 = Date.now()
    loop.enable()
    let nextSample = t0 + SAMPLE_SECONDS * 1000
    log(`soak: ${SECONDS} s at ${RATE} events/s on ${INSTANCES} instances; Postgres cut at ${outages[0]!.fromSeconds} s, Redis at ${outages[1]!.fromSeconds} s, ${OUTAGE_SECONDS} s each`)
    while (Date.now() - t0 < SECONDS * 1000) {
      const elapsed = (Date.now() - t0) / 1000
      for (const o of outages) {
        const down = elapsed >= o.fromSeconds && elapsed < o.toSeconds
        if (down && !(o as { cut?: boolean }).cut) {
          o.proxy.cut()
          ;(o as { cut?: boolean }).cut = true
          log(`soak: ${o.what} cut at ${Math.round(elapsed)} s`)
        } else if (!down && (o as { cut?: boolean }).cut && elapsed >= o.toSeconds && !(o as { restored?: boolean }).restored) {
          o.proxy.restore()
          ;(o as { restored?: boolean }).restored = true
          log(`soak: ${o.what} restored at ${Math.round(elapsed)} s`)
        }
      }
      // Events due by now at RATE per second (a fixed rate, not as fast as answers come back).
      index.update()
      const due = Math.floor(((Date.now() - t0) / 1000) * RATE)
      while (ticks < due) {
        ticks++
        take[pick()]()
      }
      const now = Date.now()
      for (let i = reclick.length - 1; i >= 0; i--) if (reclick[i]!.at <= now) signUp(reclick.splice(i, 1)[0]!.operator)
      for (let i = retry.length - 1; i >= 0; i--) {
        if (retry[i]!.at <= now) {
          const [r] = retry.splice(i, 1)
          redeliveries++
          send(r!.d)
        }
      }
      if (now >= nextSample) {
        // The fake's request log is not needed here and would grow with the run (its messages are: replies are counted).
        fake.requests.length = 0
        const mem = process.memoryUsage()
        samples.push({
          atSeconds: Math.round((now - t0) / 1000),
          rssMiB: round(mem.rss / 1024 ** 2),
          heapMiB: round(mem.heapUsed / 1024 ** 2),
          loopP50Ms: round(loop.percentile(50) / 1e6),
          loopP99Ms: round(loop.percentile(99) / 1e6),
          loopMaxMs: round(loop.max / 1e6),
          sent: ticks,
        })
        log(`soak: ${samples.at(-1)!.atSeconds} s, ${ticks} events, RSS ${samples.at(-1)!.rssMiB} MiB, loop p99 ${samples.at(-1)!.loopP99Ms} ms, ${inFlight} in flight`)
        loop.reset()
        nextSample += SAMPLE_SECONDS * 1000
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    loop.disable()
    for (const o of outages) o.proxy.restore()

    // ---- drain: redeliver what is still refused, let both instances finish, run the periodic sweep once ----
    for (let i = 0; i < 600 && (inFlight > 0 || retry.length > 0 || reclick.length > 0); i++) {
      for (const r of reclick.splice(0)) signUp(r.operator)
      for (const r of retry.splice(0)) {
        redeliveries++
        send(r.d)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    await settle()
    await a.bot.runPeriodic(new Date(Date.now() + 5 * 60_000))
    await settle()
    index.update()

    // ---- checks ----
    const checks: Check[] = []
    const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail })
    const sdb = a.bot.services.db
    const all = [...deliveries.values()]
    const acked = all.filter((d) => d.acked)
    add('every delivery acknowledged in the end (refused ones redelivered, as Feishu does)', acked.length === all.length, `${acked.length} of ${all.length}`)
    const rows = new Map<string, string>()
    for (let i = 0; i < acked.length; i += 1000) {
      const keys = acked.slice(i, i + 1000).map((d) => d.key)
      for (const r of await sdb.selectFrom('inbox_events').select(['dedup_key', 'status']).where('dedup_key', 'in', keys).execute()) rows.set(r.dedup_key, r.status)
    }
    const notDone = acked.filter((d) => rows.get(d.key) !== 'done')
    add('0 lost: every acknowledged event recorded and processed (inbox status done)', notDone.length === 0, `${notDone.length} not done${notDone.length ? `: ${notDone.slice(0, 3).map((d) => `${d.kind} ${d.key} ${rows.get(d.key) ?? 'missing'}`).join(', ')}` : ''}`)

    const count = async (table: string, where = 'true') => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(sdb)).rows[0]!.n)
    // Filings: every filer whose 确认 got its answer filed exactly once.
    const filed = filers.filter((w) => w.confirmKey && deliveries.get(w.confirmKey)?.acked)
    // Told 已提交 at least once, always with one number, and no two people with the same number. A person who typed
    // 确认 again after a 系统正忙 answer is told the number again (handlers/grievances/filing.ts: the case is found, not
    // filed twice), so the check is on numbers, not on the count of messages.
    const numbersOf = (w: Walker) => new Set(index.to(w.openId).map((m) => /^✅ 已提交。编号：(G-\d{4}-\d+)/.exec(textOf(m))?.[1]).filter(Boolean))
    const grievances = await count('grievances')
    const told = filed.map(numbersOf)
    const retold = filed.filter((w) => index.to(w.openId).filter((m) => textOf(m).startsWith('✅ 已提交')).length > 1).length
    const allNumbers = new Set(told.flatMap((n) => [...n]))
    const odd = filed.filter((_, i) => told[i]!.size !== 1).slice(0, 3).map((w) => `${w.openId}: ${index.to(w.openId).slice(-3).map((m) => (textOf(m) || cardTitle(m)).slice(0, 40)).join(' / ')}`)
    add('filings: one case per confirmed conversation, each person told one number', grievances === filed.length && told.every((n) => n.size === 1) && allNumbers.size === filed.length, `${grievances} cases for ${filed.length} confirmed filings, ${allNumbers.size} numbers told; ${retold} told the same number again after typing 确认 again${odd.length ? `; odd: ${odd.join('; ')}` : ''}`)
    const reviewTitles = index.reviewCards.map(cardTitle)
    add('filings: one review card per case', reviewTitles.length === grievances && new Set(reviewTitles).size === grievances, `${reviewTitles.length} cards, ${new Set(reviewTitles).size} distinct`)
    // Proposals: every proposal whose 确认 was answered filed once.
    const proposals = await count('proposals')
    const proposalAcks = new Map<string, number>()
    for (const r of REPS) proposalAcks.set(r.openId, index.to(r.openId).filter((m) => textOf(m).includes('提案已提交')).length)
    const proposalAckTotal = [...proposalAcks.values()].reduce((s, n) => s + n, 0)
    add('proposals: one proposal per confirmation told', proposals === proposalAckTotal && proposals <= confirmedProposals.length, `${proposals} proposals, ${proposalAckTotal} 提案已提交, ${confirmedProposals.length} 确认 sent`)
    // Sign-ups: one row per person who clicked, none twice.
    const signups = await sdb.selectFrom('activity_signups').select('open_id').where('activity_id', '=', activityId).execute()
    const act = await sdb.selectFrom('activities').select(['confirmed_count', 'waitlist_count']).where('id', '=', activityId).executeTakeFirstOrThrow()
    const toasts = [...errorToasts].map(([t, n]) => `${n} × 「${t}」`).join(', ')
    add('sign-ups: one row per person, counters match', signups.length === signers.size && new Set(signups.map((s) => s.open_id)).size === signups.length && act.confirmed_count + act.waitlist_count === signups.length, `${signups.length} rows for ${signers.size} people (${signDeliveries.length} clicks; error toasts, clicked again: ${toasts || 'none'}); confirmed ${act.confirmed_count} + waitlisted ${act.waitlist_count}`)
    // 受理: once per case clicked, the worker told once.
    const acceptsAudited = await count('audit_log', `action = 'grievance.accept'`)
    const acceptedCases = await count('grievances', `status = 'accepted'`)
    add('受理 clicks: one audit row and one accepted case per click', acceptsAudited === acceptDeliveries.length && acceptedCases === acceptDeliveries.length, `${acceptsAudited} audited, ${acceptedCases} accepted, ${acceptDeliveries.length} clicked`)
    // Questions and digests: exactly one reply each.
    const replyCounts = questionDeliveries.map((d) => index.replies.get(d.messageId!) ?? 0)
    add('questions and digests: exactly one reply each', replyCounts.every((n) => n === 1), `${replyCounts.filter((n) => n === 1).length} of ${replyCounts.length} answered once; ${replyCounts.filter((n) => n === 0).length} unanswered, ${replyCounts.filter((n) => n > 1).length} answered twice or more`)
    const stuck = await count('inbox_events', `status <> 'done'`)
    add('nothing left pending or failed in the inbox', stuck === 0, `${stuck} rows not done`)

    const windows = outages.map((o) => [t0 + o.fromSeconds * 1000, t0 + (o.toSeconds + GRACE_SECONDS) * 1000] as const)
    const inside = (at: number) => windows.some(([from, to]) => at >= from && at <= to)
    const outsideLines = errorLines.filter((l) => l.at >= t0 && !inside(l.at))
    add(`no error log lines outside the outage windows (each + ${GRACE_SECONDS} s)`, outsideLines.length === 0, `${errorLines.length} error lines in all, ${outsideLines.length} outside`)

    const result: SoakResult = {
      at: new Date(started).toISOString(),
      setup: { seconds: SECONDS, rate: RATE, instances: INSTANCES, outageSeconds: OUTAGE_SECONDS, sampleSeconds: SAMPLE_SECONDS },
      sent,
      deliveries: all.length,
      redeliveries,
      acknowledged: acked.length,
      servedPerInstance: [...lb.served],
      outages: outages.map((o) => ({ what: o.what, fromSeconds: o.fromSeconds, toSeconds: o.toSeconds })),
      errorLogs: { total: errorLines.length, insideWindows: errorLines.filter((l) => inside(l.at)).length, outside: outsideLines.slice(0, 20).map((l) => ({ atSeconds: round((l.at - t0) / 1000), msg: l.msg })) },
      samples,
      checks,
    }
    const markdown = soakMarkdown(result)
    const dir = new URL('./results/', import.meta.url)
    mkdirSync(dir, { recursive: true })
    writeFileSync(new URL('soak-latest.json', dir), `${JSON.stringify(result, null, 2)}\n`)
    writeFileSync(new URL('soak-latest.md', dir), `${markdown}\n`)
    return { result, markdown }
  } finally {
    loop.disable()
    await lb?.stop()
    for (const t of bots) await t.stop().catch(() => undefined)
    await fake.stop()
    await pgProxy.stop()
    await redisProxy.stop()
    await db.drop()
  }
}

/** A row of block characters, `value` against `max`, for the text plot. */
const bar = (value: number, max: number, width = 30) => '█'.repeat(Math.max(0, Math.round((value / Math.max(max, 1e-9)) * width)))

export function soakMarkdown(r: SoakResult): string {
  const maxRss = Math.max(...r.samples.map((s) => s.rssMiB), 1)
  const maxLoop = Math.max(...r.samples.map((s) => s.loopP99Ms), 1)
  const loopP99s = r.samples.map((s) => s.loopP99Ms).sort((x, y) => x - y)
  const label = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
  return [
    `## Soak: ${r.setup.seconds} s of mixed traffic at ${r.setup.rate} events/s on ${r.setup.instances} instances, Postgres and Redis cut mid-run`,
    '',
    `${r.at} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? ''} · Node ${process.version}. Both instances, the fake Open API (which keeps every message it was sent) and the load generator (which signs and encrypts every delivery) share one process, so RSS and event-loop delay are those of the whole process; \`npm run bench -- memory\` measures the bot's own process alone.`,
    '',
    `Sent (fresh events by kind, duplicates are re-deliveries of recent ones): ${Object.entries(r.sent).map(([k, n]) => `${k} ${n}`).join(', ')}; ${r.deliveries} distinct events, ${r.redeliveries} redeliveries of refused ones, ${r.acknowledged} acknowledged; served by instance: ${r.servedPerInstance.join(' / ')}. Outages: ${r.outages.map((o) => `${o.what} ${o.fromSeconds}–${o.toSeconds} s`).join(', ')}. Error log lines: ${r.errorLogs.total} (${r.errorLogs.insideWindows} inside the outage windows).`,
    '',
    '| check | result | detail |',
    '| --- | --- | --- |',
    ...r.checks.map((c) => `| ${c.name} | ${c.ok ? 'ok' : '**FAILED**'} | ${c.detail.replace(/\|/g, '\\|')} |`),
    '',
    ...(r.errorLogs.outside.length ? ['Error lines outside the windows (first 20):', '', ...r.errorLogs.outside.map((l) => `- ${l.atSeconds} s: ${l.msg}`), ''] : []),
    `Every ${r.setup.sampleSeconds} s (event-loop delay p99 over the run's intervals: median ${percentile(loopP99s, 50)} ms, worst ${loopP99s.at(-1) ?? 0} ms):`,
    '',
    '| at | events sent | RSS MiB | heap used MiB (no forced GC) | loop delay p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.samples.map((s) => `| ${label(s.atSeconds)} | ${s.sent} | ${s.rssMiB} | ${s.heapMiB} | ${s.loopP50Ms} | ${s.loopP99Ms} | ${s.loopMaxMs} |`),
    '',
    '```text',
    `RSS (MiB, full bar = ${maxRss})            event-loop delay p99 (ms, full bar = ${maxLoop})`,
    ...r.samples.map((s) => `${label(s.atSeconds)} ${bar(s.rssMiB, maxRss).padEnd(30)} ${String(s.rssMiB).padStart(6)} | ${bar(s.loopP99Ms, maxLoop).padEnd(30)} ${s.loopP99Ms}`),
    '```',
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, markdown } = await runSoakBench()
  console.log(markdown)
  if (!result.checks.every((c) => c.ok)) process.exitCode = 1
}
