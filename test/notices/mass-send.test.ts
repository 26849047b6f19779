// A notice to every member privately through the mass-send queue (issue #18), through the real webhook on two
// instances sharing one database, one Redis rate budget and one fake Open API: 300 members get one card each, the
// app never goes over Feishu's 50 messages/s (the bulk sends never over the 40/s they may use), someone asking the
// bot something meanwhile is answered before the queue finishes, the officer sees sent N of M and one summary, and
// a send cut short by a restart (and a claim lapsed by a crash) finishes without sending anyone twice.
import { sql } from 'kysely'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi, type DeliveredMessage, type RecordedRequest } from '../../devtools/fake-open-api.js'
import { ManualClock } from '../../src/clock.js'
import { FEISHU_RATE_LIMITS, WINDOW_MS } from '../../src/feishu/rate-limiter.js'
import { cardTitle, inbox, p2p, textsOf, textsTo } from '../helpers/chat.js'
import { busiestSpan as busiest, busiestWindow, until } from '../helpers/drills.js'
import { enrol, massSendFinished, OFFICER, publishNotice } from '../helpers/notices.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t1: TestBot
let t2: TestBot
let fake: FakeOpenApi
const clock = new ManualClock('2026-06-01T01:00:00Z')
const COUNT = 300
const MEMBERS = Array.from({ length: COUNT }, (_, i) => ({ openId: `ou_mass_${String(i).padStart(3, '0')}`, name: `会员${i}`, department: i % 2 ? '一车间' : '仓储部' }))
// Short pauses and leases so a handed-back or lapsed claim is taken again within the test.
const env = { MASS_SEND_POLL_MS: '100', MASS_SEND_LEASE_SECONDS: '5' }

beforeAll(async () => {
  db = await createTestDatabase()
  // Owned here, not by a bot: the instances stop and start again around it.
  fake = new FakeOpenApi()
  await fake.start()
  t1 = await startTestBot({ db, clock, fake, instanceId: 'mass-1', env })
  t2 = await startTestBot({ db, clock, fake, instanceId: 'mass-2', env })
  await enrol(t1, MEMBERS)
}, 60_000)
afterAll(async () => {
  await t2?.stop()
  await t1?.stop()
  await fake?.stop()
  await db?.drop()
})

const isCreate = (r: RecordedRequest) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages'
const isMessageCall = (r: RecordedRequest) => isCreate(r) || (r.method === 'POST' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(r.path))
const noticeCardsTo = (openId: string, number: string): DeliveredMessage[] => inbox(t1.fake, openId).filter((m) => cardTitle(m) === `厂务公开 · ${number}`)


/**
 * Records every place taken in the shared rate windows (Redis sorted sets `<ns>rate:<hash>`, scored by Redis's own
 * clock when the call was let through), polling faster than a window empties. The app's window is the one every
 * call passes: the key with the most places.
 */
function watchRateWindows(redis: Redis, namespace: string) {
  const seen = new Map<string, Map<string, number>>()
  let stopped = false
  const poll = async () => {
    while (!stopped) {
      const keys = await redis.keys(`${namespace}rate:*`)
      for (const key of keys) {
        const flat = await redis.zrange(key, 0, -1, 'WITHSCORES')
        const places = seen.get(key) ?? new Map<string, number>()
        for (let i = 0; i < flat.length; i += 2) places.set(flat[i]!, Number(flat[i + 1]))
        seen.set(key, places)
      }
      await new Promise((r) => setTimeout(r, 150))
    }
  }
  const running = poll()
  return {
    async stop(): Promise<number[]> {
      stopped = true
      await running
      const app = [...seen.values()].sort((a, b) => b.size - a.size)[0] ?? new Map<string, number>()
      return [...app.values()]
    },
  }
}

const pendingOf = async (noticeId: string) =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from mass_send_recipients r join mass_sends s on s.id = r.send_id
        where s.subject_type = 'notice' and s.subject_id = ${noticeId} and r.status = 'pending'`.execute(t1.bot.services.db)
    ).rows[0]!.n,
  )

describe('a notice to 300 members on two instances', () => {
  it('sends each member one card within Feishu’s rate, answers others first, and reports progress', async () => {
    t1.fake.reset()
    const redis = new Redis(db.redisUrl)
    const windows = watchRateWindows(redis, db.redisNamespace)
    const n = await publishNotice(t1, { audience: 'members', confirm: 'yes', title: '2026 年职工福利费使用情况', category: '福利' })
    const started = textsTo(t1, OFFICER).find((x) => x.includes(`公开 ${n.number} 正在逐一私信 ${COUNT} 位会员`))
    expect(started, textsTo(t1, OFFICER).join('\n')).toContain(`公开 进度 ${n.number}`)

    // While the queue runs: a worker asks the bot something, on the other instance.
    await until('the queue is under way', async () => t1.fake.requests.filter(isCreate).length > 40)
    const asker = 'ou_mass_asker'
    const asked = await t2.sendMessage({ sender: asker, chatId: p2p(asker), chatType: 'p2p', text: '帮助' })
    expect(asked.status).toBe(200)
    const answer = await t1.fake.waitFor(() => t1.fake.messagesInChat(p2p(asker)).find((m) => m.via === 'reply'), 10_000)
    const pendingWhenAnswered = await pendingOf(n.id)
    expect(pendingWhenAnswered, 'the reply came before the queue finished').toBeGreaterThan(0)

    // The officer asks how far it has got: sent N of M.
    await t1.sendMessage({ sender: OFFICER, chatId: p2p(OFFICER), chatType: 'p2p', text: `公开 进度 ${n.number}` })
    const progress = await t1.fake.waitFor(() => textsOf(t1.fake.messagesInChat(p2p(OFFICER))).find((x) => x.startsWith(`公开 ${n.number} `) && x.includes(`/ ${COUNT} 位`)), 10_000)
    expect(progress).toMatch(new RegExp(`已发送 \\d+ / ${COUNT} 位`))

    await massSendFinished(t1, n.id, 60_000)
    await t2.settle()

    // Everyone got exactly one card, and nobody else did.
    for (const m of MEMBERS) expect(noticeCardsTo(m.openId, n.number), m.openId).toHaveLength(1)
    const cardSends = t1.fake.requests.filter((r) => isCreate(r) && r.query.receive_id_type === 'open_id' && JSON.stringify(r.body).includes(`厂务公开 · ${n.number}`))
    expect(cardSends).toHaveLength(COUNT)
    // Both instances took part (each names itself on its claims).
    const by = await t1.bot.services.db.selectFrom('mass_send_recipients').select('claimed_by').distinct().execute()
    expect(by.map((r) => r.claimed_by).sort()).toEqual(['mass-1', 'mass-2'])

    // The reply arrived before the last card went out.
    expect(answer.at).toBeLessThan(Math.max(...cardSends.map((r) => r.at)))

    // Within Feishu's limits in every window, on Redis's clock (when each call was let through, whichever instance
    // made it): never more than 50 in any 1,100 ms. Every call of the app passed the shared window (a control: with
    // each instance on its own budget nothing is recorded, and two instances' 40 each would make 80).
    const allMessages = t1.fake.requests.filter(isMessageCall)
    const takes = await windows.stop()
    redis.disconnect()
    expect(takes.length, 'calls recorded in the shared window').toBeGreaterThanOrEqual(allMessages.length)
    expect(busiest(takes, WINDOW_MS), 'all calls of the app, Redis time').toBeLessThanOrEqual(FEISHU_RATE_LIMITS.perApp)
    // And as the fake saw them arrive, with half a window for a loaded machine delaying one arrival against another
    // (bots, fake and test share one event loop here).
    expect(busiest(allMessages.map((r) => r.at), WINDOW_MS / 2), 'all messages, arrival time').toBeLessThanOrEqual(FEISHU_RATE_LIMITS.perApp)
    expect(busiestWindow(t1.fake, allMessages, WINDOW_MS / 2).count, 'per person').toBeLessThanOrEqual(FEISHU_RATE_LIMITS.perUser)

    // One summary, on one of the two instances; the live cards are registered for later corrections.
    await t1.fake.waitFor(() => textsTo(t1, OFFICER).some((x) => x.startsWith(`公开 ${n.number} 已私信`)), 10_000)
    const summaries = textsTo(t1, OFFICER).filter((x) => x.startsWith(`公开 ${n.number} 已私信`))
    expect(summaries).toEqual([`公开 ${n.number} 已私信 ${COUNT} / ${COUNT} 位会员。`])
    const live = await t1.bot.services.db.selectFrom('live_cards').select('open_id').where('subject_type', '=', 'notice').where('subject_id', '=', n.id).execute()
    expect(live).toHaveLength(COUNT)
    // 公开 进度 after the end.
    t1.fake.reset()
    await t1.sendMessage({ sender: OFFICER, chatId: p2p(OFFICER), chatType: 'p2p', text: `公开 进度 ${n.number}` })
    await t1.settle()
    expect(textsTo(t1, OFFICER)).toEqual([`公开 ${n.number} 已全部发完：已私信 ${COUNT} / ${COUNT} 位会员。`])
  }, 120_000)

  it('finishes after both instances stop mid-send, and a lapsed claim is sent again without a second message', async () => {
    t1.fake.reset()
    const n = await publishNotice(t1, { audience: 'members', title: '食堂承包招标结果', category: '其他' })
    await until('the queue is under way', async () => t1.fake.requests.filter(isCreate).length > 60)
    await t1.stop()
    await t2.stop()
    const sentBefore = t1.fake.requests.filter((r) => isCreate(r) && JSON.stringify(r.body).includes(`厂务公开 · ${n.number}`)).length
    expect(sentBefore, 'stopped before the end').toBeLessThan(COUNT)
    // A crash after a send but before it was marked: the row is pending again under a claim that has lapsed.
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const crashed = await client.query(`update mass_send_recipients set status = 'pending', done_at = null, claimed_by = 'crashed', claimed_until = now() - interval '1 second'
        where (send_id, open_id) in (select send_id, open_id from mass_send_recipients where status = 'sent' order by done_at desc limit 1) returning open_id`)
      expect(crashed.rowCount).toBe(1)
    } finally {
      await client.end()
    }
    // Nothing goes out while no instance runs.
    const before = t1.fake.requests.filter(isCreate).length
    await new Promise((r) => setTimeout(r, 300))
    expect(t1.fake.requests.filter(isCreate).length).toBe(before)

    t1 = await startTestBot({ db, clock, fake, instanceId: 'mass-3', env })
    await massSendFinished(t1, n.id, 60_000)
    for (const m of MEMBERS) expect(noticeCardsTo(m.openId, n.number), m.openId).toHaveLength(1)
    await fake.waitFor(() => textsTo(t1, OFFICER).some((x) => x.startsWith(`公开 ${n.number} 已私信`)), 10_000)
    expect(textsTo(t1, OFFICER).filter((x) => x.startsWith(`公开 ${n.number} 已私信`))).toEqual([`公开 ${n.number} 已私信 ${COUNT} / ${COUNT} 位会员。`])
    t2 = await startTestBot({ db, clock, fake, instanceId: 'mass-4', env })
  }, 120_000)
})
