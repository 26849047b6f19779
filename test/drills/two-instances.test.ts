// Fault drill (issue #7): two bot instances behind one address (a round-robin balancer), receiving interleaved
// duplicates of feature events — grievance filing (typed and by button), co-signing (command and button),
// sign-ups (button and typed), officers' clicks. Every delivery is sent two or three times, freshly signed, in a
// shuffled order, so copies land on both instances at once. Every effect must happen exactly once.
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import type { Envelope } from '../../devtools/feishu-events.js'
import { ManualClock } from '../../src/clock.js'
import { Inbox } from '../../src/intake/inbox.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { RoundRobin } from '../rig/round-robin.js'
import { DESCRIPTION, grievanceNumberIn } from '../helpers/grievances.js'
import { formValue as activityForm } from '../helpers/activities.js'
import { cardClick, count, deliver, expectAll200, messageEnvelope, messageIdOf, p2pMessage, shuffle, until } from '../helpers/drills.js'
import { button, buttonValue, cardTitle, inbox, textsOf } from '../helpers/chat.js'

const clock = new ManualClock('2026-05-01T01:00:00Z') // Friday 09:00 in Shanghai; the activity is on 2026-05-03
const GROUP = 'oc_rr_members'
const REPS = [
  { openId: 'ou_rr_rep_1', name: '代表甲' },
  { openId: 'ou_rr_rep_2', name: '代表乙' },
  { openId: 'ou_rr_rep_3', name: '代表丙' },
]
const CONTACT = { openId: 'ou_rr_contact', name: '部门联系人' }
const WORKERS = Array.from({ length: 6 }, (_, i) => ({ openId: `ou_rr_worker_${i}`, name: `职工${i}` }))

let db: TestDatabase
let fake: FakeOpenApi
let a: TestBot
let b: TestBot
let lb: RoundRobin

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi()
  await fake.start()
  for (const p of [...REPS, CONTACT, ...WORKERS, { openId: CHAIR.openId, name: CHAIR.name }]) fake.users.set(p.openId, { name: p.name })
  // Short leases: an instance must renew those of events it is still working on, or the other takes them over.
  const env = { INBOX_LEASE_SECONDS: '1' }
  // A client timeout well above the slow reply below, so that reply is never retried for being late.
  const botOptions = { outbound: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 6000 } }
  a = await startTestBot({ db, fake, clock, env, instanceId: 'rr-a', botOptions })
  b = await startTestBot({ db, fake, clock, env, instanceId: 'rr-b', botOptions })
  lb = new RoundRobin([a.url, b.url])
  await lb.start()
})
afterAll(async () => {
  await lb?.stop()
  await a?.stop()
  await b?.stop()
  await fake?.stop()
  await db?.drop()
})

const settle = () => Promise.all([a.settle(), b.settle()])
let seed = 7

/** Sends every envelope `copies` times through the balancer, all at once in a shuffled order; all must get 200. */
async function burst(envelopes: Envelope[], copies = 3): Promise<Array<{ env: Envelope; status: number; body: any }>> {
  const deliveries = shuffle(envelopes.flatMap((env) => Array.from({ length: copies }, () => env)), seed++)
  const results = await Promise.all(deliveries.map(async (env) => ({ env, ...(await deliver(lb.url, a.events, env)) })))
  expectAll200(results, 'deliveries through the balancer')
  await settle()
  return results
}

const dbOf = () => a.bot.services.db
const say = (who: { openId: string }, text: string, mentions: Array<{ openId: string; name: string }> = []) => p2pMessage(a.events, fake, who.openId, text, { mentions })

describe('two instances behind one address, interleaved duplicates', () => {
  let proposal = ''
  let activityId = ''
  let activityCard = { messageId: '', content: undefined as unknown }
  const numbers = new Map<string, string>()

  it('set-up commands delivered three times each take effect once (representatives welcomed once, one department, one window)', async () => {
    await burst([say(CHAIR, '代表 添加', REPS)])
    await burst([say(CHAIR, '部门 添加 后勤保障部', [CONTACT])])
    await burst([say(CHAIR, '提案征集 开始 第六届职代会第一次会议')])
    for (const r of REPS) expect(textsOf(inbox(fake, r.openId)).filter((t) => t.includes('您已被登记为职工代表'))).toHaveLength(1)
    expect(await count(dbOf(), 'proposal_representatives')).toBe(3)
    expect(await count(dbOf(), 'proposal_departments')).toBe(1)
    expect(await count(dbOf(), 'proposal_windows')).toBe(1)
    expect(inbox(fake, CHAIR.openId).filter((m) => m.msgType === 'interactive')).toHaveLength(3)
  })

  it('a proposal submitted step by step, each step delivered three times, is filed once', async () => {
    const proposer = REPS[0]!
    for (const text of ['提交提案', '关于增设职工子女暑期托管班的提案', '双职工家庭暑期子女无人照看，建议工会联合行政在厂区开设暑期托管班。', '3', '确认']) {
      await burst([say(proposer, text)])
    }
    const confirmations = textsOf(inbox(fake, proposer.openId)).filter((t) => t.includes('提案已提交'))
    expect(confirmations).toHaveLength(1)
    proposal = /P-\d{4}-\d{3}/.exec(confirmations[0]!)![0]
    expect(await count(dbOf(), 'proposals')).toBe(1)
  })

  it('an activity form submitted three times at once creates one activity and posts one card', async () => {
    await burst([messageEnvelope(a.events, fake, { sender: CHAIR.openId, chatId: GROUP, chatType: 'group', text: '发起活动', mentionBot: true })])
    const forms = fake.messagesInChat(GROUP).filter((m) => cardTitle(m) === '发起活动')
    expect(forms).toHaveLength(1)
    const submit = button(forms[0]!.content, '发布活动').value
    await burst([cardClick(a.events, { operator: CHAIR.openId, value: submit, formValue: activityForm({ capacity: '10' }), messageId: forms[0]!.messageId, chatId: GROUP })])
    const cards = fake.messagesInChat(GROUP).filter((m) => cardTitle(m).startsWith('活动报名 · '))
    expect(cards).toHaveLength(1)
    expect(await count(dbOf(), 'activities')).toBe(1)
    activityCard = { messageId: cards[0]!.messageId, content: cards[0]!.content }
    activityId = String(button(activityCard.content, '报名').value.id)
  })

  it('six workers file grievances at the same time, every step duplicated across both instances: six cases, one number each', async () => {
    for (const step of ['投诉', '1', DESCRIPTION, '匿名']) await burst(WORKERS.map((w) => say(w, step)))
    // Half confirm by the card's button (the same callback delivered three times), half by typing 确认.
    const confirms = WORKERS.map((w, i) => {
      if (i % 2) return say(w, '确认')
      const card = inbox(fake, w.openId).filter((m) => m.msgType === 'interactive').at(-1)!
      return cardClick(a.events, { operator: w.openId, value: buttonValue(card.content, 'conversation.answer', { answer: '确认' })!, messageId: card.messageId, chatId: `oc_p2p_${w.openId}` })
    })
    await burst(confirms)
    for (const w of WORKERS) {
      const acks = inbox(fake, w.openId).filter((m) => m.msgType === 'text' && m.content.text.startsWith('✅ 已提交'))
      expect(acks, w.openId).toHaveLength(1)
      numbers.set(w.openId, grievanceNumberIn(acks[0])!)
    }
    // Gap-free numbers, one row and one committee card per case.
    expect([...numbers.values()].sort()).toEqual(Array.from({ length: 6 }, (_, i) => `G-2026-000${i + 1}`))
    expect(await count(dbOf(), 'grievances')).toBe(6)
    const reviewCards = fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m).startsWith('维权诉求 G-'))
    expect(reviewCards.map(cardTitle).sort()).toEqual([...numbers.values()].map((n) => `维权诉求 ${n}`).sort())
  })

  it('co-signatures, sign-ups and officers’ clicks, all duplicated and interleaved, each count once', async () => {
    const shared = inbox(fake, REPS[0]!.openId).find((m) => cardTitle(m) === `职代会提案 ${proposal}`)!
    const cosignValue = buttonValue(shared.content, 'proposal.cosign')!
    const signValue = button(activityCard.content, '报名').value
    const typed = Array.from({ length: 4 }, (_, i) => messageEnvelope(a.events, fake, { sender: `ou_rr_typist_${i}`, chatId: GROUP, chatType: 'group', text: '报名 A-001', mentionBot: true }))
    const envelopes: Envelope[] = [
      say(REPS[1]!, `附议 ${proposal}`),
      cardClick(a.events, { operator: REPS[2]!.openId, value: cosignValue, messageId: shared.messageId, chatId: `oc_p2p_${REPS[0]!.openId}` }),
      ...Array.from({ length: 16 }, (_, i) => cardClick(a.events, { operator: `ou_rr_fan_${i}`, value: signValue, messageId: activityCard.messageId, chatId: GROUP })),
      ...typed,
      ...WORKERS.map((w) => {
        const review = fake.messagesInChat(ADMIN_CHAT_ID).find((m) => cardTitle(m) === `维权诉求 ${numbers.get(w.openId)}`)!
        return cardClick(a.events, { operator: CHAIR.openId, value: buttonValue(review.content, 'grievance.accept')!, messageId: review.messageId, chatId: ADMIN_CHAT_ID })
      }),
    ]
    await burst(envelopes, 3)

    // Co-signing: two co-signers, 待审查 once, one review card, the proposer told of each co-signature once.
    const p = await dbOf().selectFrom('proposals').select(['id', 'status']).where('number', '=', proposal).executeTakeFirstOrThrow()
    expect(p.status).toBe('pending_review')
    expect(await count(dbOf(), 'proposal_cosigners', `proposal_id = ${p.id}`)).toBe(2)
    expect(await count(dbOf(), 'audit_log', `action = 'proposal.review_ready'`)).toBe(1)
    expect(fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `提案审查 ${proposal}`)).toHaveLength(1)
    expect(textsOf(inbox(fake, REPS[0]!.openId)).filter((t) => t.includes('新增 1 名职工代表附议'))).toHaveLength(2)

    // Sign-ups: 20 people, 10 places: 10 confirmed, 10 waiting, one row each; each typist answered once.
    const rows = await dbOf().selectFrom('activity_signups').select(['open_id', 'status']).where('activity_id', '=', activityId).execute()
    expect(rows).toHaveLength(20)
    expect(new Set(rows.map((r) => r.open_id)).size).toBe(20)
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(10)
    const act = await dbOf().selectFrom('activities').select(['confirmed_count', 'waitlist_count']).where('id', '=', activityId).executeTakeFirstOrThrow()
    expect(act).toEqual({ confirmed_count: 10, waitlist_count: 10 })
    for (const env of typed) expect(fake.messages.filter((m) => m.via === 'reply' && m.replyTo === messageIdOf(env))).toHaveLength(1)

    // Officers' 受理: once per case, one audit row, one notice to each worker.
    for (const w of WORKERS) {
      const number = numbers.get(w.openId)!
      expect(await count(dbOf(), 'audit_log', `action = 'grievance.accept' and subject_id = '${number}'`)).toBe(1)
      expect(textsOf(inbox(fake, w.openId)).filter((t) => t.includes(`您的诉求 ${number} 已受理`))).toHaveLength(1)
    }
    expect(await count(dbOf(), 'grievances', `status = 'accepted'`)).toBe(6)
    expect(await count(dbOf(), 'grievance_events', `kind = 'accepted'`)).toBe(6)
  })

  it('both instances took part, and nothing is left pending or failed', async () => {
    expect(lb.served[0]).toBeGreaterThan(50)
    expect(lb.served[1]).toBeGreaterThan(50)
    const processed = async (t: TestBot) => (await t.bot.metrics.eventsProcessed.get()).values.reduce((n, v) => n + v.value, 0)
    expect(await processed(a)).toBeGreaterThan(10)
    expect(await processed(b)).toBeGreaterThan(10)
    const duplicates = async (t: TestBot) => (await t.bot.metrics.eventsDuplicate.get()).values.reduce((n, v) => n + v.value, 0)
    expect((await duplicates(a)) + (await duplicates(b))).toBeGreaterThan(100)
    expect(await count(dbOf(), 'inbox_events', `status <> 'done'`)).toBe(0)
  })
})

describe('leases on two instances', () => {
  it('an event one instance is still working on is not taken over by the other when its first lease runs out', async () => {
    const env = p2pMessage(a.events, fake, 'ou_rr_slow', '帮助')
    // The reply takes 3 s: three leases of 1 s (and well under the client's 6 s timeout).
    fake.failNext({ path: `/open-apis/im/v1/messages/${messageIdOf(env)}/reply`, delayMs: 3000 })
    const handled = async () => (await Promise.all([a, b].map(async (t) => (await t.bot.metrics.eventsProcessed.get()).values.reduce((n, v) => n + v.value, 0)))).reduce((x, y) => x + y)
    const before = await handled()
    expect((await deliver(a.url, a.events, env)).status).toBe(200)
    await settle()
    expect(fake.requests.filter((r) => r.path.endsWith(`${messageIdOf(env)}/reply`))).toHaveLength(1)
    expect(await handled()).toBe(before + 1)
  })
})

describe('group commit on two instances', () => {
  it('the same burst delivered to both instances at once, each in its own order, is accepted everywhere (no 503) and handled once', async () => {
    // Each instance group-commits what arrives together: two batches holding the same keys in different orders
    // must not deadlock in Postgres (a deadlock fails the whole batch with 503).
    const envelopes = Array.from({ length: 200 }, (_, i) => p2pMessage(a.events, fake, `ou_rr_burst_${i}`, '帮助'))
    const results = await Promise.all([
      ...shuffle(envelopes, 1).map((env) => deliver(a.url, a.events, env)),
      ...shuffle(envelopes, 2).map((env) => deliver(b.url, b.events, env)),
    ])
    expectAll200(results, 'the same burst on both instances')
    await settle()
    for (const env of envelopes) expect(fake.messages.filter((m) => m.replyTo === messageIdOf(env))).toHaveLength(1)
  })

  it('two instances’ batches holding the same keys in opposite orders do not deadlock', async () => {
    // What the burst above provokes now and then, made certain: both inboxes commit one batch each with the same
    // 500 keys in opposite orders, and a third transaction holds the key in the middle until both batches are
    // waiting, so they run into each other. (Long leases and keys of their own: the running bots leave them be.)
    const inboxes = ['rr-batch-x', 'rr-batch-y'].map((instanceId) => new Inbox(dbOf(), { instanceId, leaseSeconds: 7200 }))
    const entries = Array.from({ length: 500 }, (_, i) => {
      const eventId = `rr-batch-${String(i).padStart(3, '0')}`
      return { key: `evt:${eventId}`, eventId, eventType: 'bot_added', update: { kind: 'bot_added' as const, eventId, chatId: `oc_rr_batch_${i}`, chatName: '', operatorOpenId: undefined } }
    })
    const blocker = new pg.Client({ connectionString: db.url })
    await blocker.connect()
    try {
      await blocker.query('begin')
      await blocker.query(`insert into inbox_events (dedup_key, event_id, event_type, lease_until) values ('evt:rr-batch-250', 'rr-batch-250', 'bot_added', now())`)
      const results = Promise.all([Promise.allSettled(entries.map((e) => inboxes[0]!.accept(e))), Promise.allSettled([...entries].reverse().map((e) => inboxes[1]!.accept(e)))])
      await until('both batches waiting on a lock', async () => {
        // Asked outside the blocker's transaction: statistics views are a snapshot within one.
        const r = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(dbOf())
        return Number(r.rows[0]!.n) >= 2
      })
      await blocker.query('rollback')
      const [x, y] = await results
      const failed = [...x, ...y].filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.code)
      expect(failed, 'batches rejected').toEqual([])
      expect([...x, ...y].filter((r) => r.status === 'fulfilled' && r.value)).toHaveLength(500)
    } finally {
      await blocker.end()
      await dbOf().deleteFrom('inbox_events').where('dedup_key', 'like', 'evt:rr-batch-%').execute()
    }
  })
})
