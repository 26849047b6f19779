import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, OFFICER, publish, type Published } from '../helpers/activities.js'
import { button, cardsTitled, cardText, patchesOf } from '../helpers/chat.js'

let db: TestDatabase
let t1: TestBot
let t2: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t1 = await startTestBot({ db, clock, instanceId: 'bot-1' })
  // A second instance on the same database, Redis namespace and fake Feishu.
  t2 = await startTestBot({ db, clock, fake: t1.fake, instanceId: 'bot-2' })
})
afterAll(async () => {
  await t2?.stop()
  await t1?.stop()
  await db?.drop()
})
beforeEach(() => clock.set('2026-05-01T01:00:00Z'))

// Each sign-up now also sends its person a private confirmation, paced by Feishu's 50 messages/s per app and 5/s
// per user (src/feishu/rate-limiter.ts), so hundreds of clicks take longer to settle than one settle() waits.
const settleBoth = async () => {
  for (let attempt = 1; ; attempt++) {
    try {
      await t1.settle()
      await t2.settle()
      return
    } catch (err) {
      if (attempt >= 6) throw err
    }
  }
}

/** Clicks a button of the activity's card as `operator`, through instance 1 or 2. */
function click(a: Published, text: string, operator: string, via: TestBot) {
  return via.click({ operator, value: button(a.card.content, text).value, messageId: a.card.messageId, chatId: GROUP })
}

async function places(activityId: string) {
  const db1 = t1.bot.services.db
  const a = await db1.selectFrom('activities').select(['capacity', 'confirmed_count', 'waitlist_count']).where('id', '=', activityId).executeTakeFirstOrThrow()
  const rows = await db1.selectFrom('activity_signups').select(['open_id', 'status', 'seq', 'promoted_at']).where('activity_id', '=', activityId).orderBy('seq').execute()
  const confirmed = rows.filter((r) => r.status === 'confirmed')
  const waitlisted = rows.filter((r) => r.status === 'waitlisted')
  // The counters the cards show always match the rows, and a waitlist exists only when every place is taken.
  expect(a.confirmed_count).toBe(confirmed.length)
  expect(a.waitlist_count).toBe(waitlisted.length)
  expect(confirmed.length).toBeLessThanOrEqual(a.capacity)
  if (waitlisted.length > 0) expect(confirmed.length).toBe(a.capacity)
  return { confirmed, waitlisted, rows }
}

describe('concurrency', () => {
  it('fills the last places exactly when hundreds click at once on two instances: no overbooking, one place per person, first come first served', async () => {
    const a = await publish(t1, { capacity: '50' })
    for (let i = 0; i < 45; i++) await click(a, '报名', `ou_early_${i}`, i % 2 ? t1 : t2)
    const users = Array.from({ length: 300 }, (_, i) => `ou_rush_${i}`)
    // Every user clicks once; every tenth clicks twice at the same moment (a double click on another device).
    const clicks = [...users.map((u, i) => ({ u, via: i % 2 ? t1 : t2 })), ...users.filter((_, i) => i % 10 === 0).map((u, i) => ({ u, via: i % 2 ? t2 : t1 }))]
    const answers = await Promise.all(clicks.map(({ u, via }) => click(a, '报名', u, via).then((r) => ({ u, toast: r.body.toast }))))
    await settleBoth()

    const { confirmed, waitlisted } = await places(a.id)
    expect(confirmed).toHaveLength(50)
    expect(waitlisted).toHaveLength(295)
    expect(new Set([...confirmed, ...waitlisted].map((r) => r.open_id)).size).toBe(345)

    const success = answers.filter((x) => x.toast.content === '报名成功')
    expect(success).toHaveLength(5)
    const positions = answers.map((x) => /^已加入候补（第 (\d+) 位）$/.exec(x.toast.content)).filter(Boolean).map((m) => Number(m![1]))
    // Every waitlist position was handed out exactly once…
    expect(positions.sort((x, y) => x - y)).toEqual(Array.from({ length: 295 }, (_, i) => i + 1))
    // …in the order the queue keeps: the n-th waitlisted row is the one told 第 n 位.
    const told = new Map(answers.filter((x) => x.toast.content.startsWith('已加入候补')).map((x) => [x.u, Number(/\d+/.exec(x.toast.content)![0])]))
    waitlisted.forEach((r, i) => expect(told.get(r.open_id)).toBe(i + 1))
    // The last five places went to people served before anyone was put on the waitlist.
    const lastConfirmedSeq = Math.max(...confirmed.map((r) => Number(r.seq)))
    expect(lastConfirmedSeq).toBeLessThan(Number(waitlisted[0]!.seq))
    // Double clicks: the second answer says so, and takes nothing.
    expect(answers.filter((x) => x.toast.content === '您已报名' || x.toast.content.startsWith('您已在候补名单中'))).toHaveLength(30)
    expect(cardText(t1.fake.currentCard(a.card.messageId))).toContain('已报名 50/50（已满）　候补 295 人')
  })

  it('never loses a promotion when cancellations and sign-ups race on two instances', async () => {
    const a = await publish(t1, { capacity: '20' })
    for (let i = 0; i < 60; i++) await click(a, '报名', `ou_q_${i}`, i % 2 ? t1 : t2)
    await settleBoth()
    const before = await places(a.id)
    const leavingConfirmed = before.confirmed.slice(0, 15).map((r) => r.open_id)
    const leavingWaitlisted = before.waitlisted.filter((_, i) => i % 8 === 3).map((r) => r.open_id)
    const newcomers = Array.from({ length: 10 }, (_, i) => `ou_late_${i}`)
    const jobs = [
      ...leavingConfirmed.map((u, i) => () => click(a, '取消报名', u, i % 2 ? t1 : t2)),
      ...leavingWaitlisted.map((u, i) => () => click(a, '取消报名', u, i % 2 ? t2 : t1)),
      ...newcomers.map((u, i) => () => click(a, '报名', u, i % 2 ? t1 : t2)),
    ]
    const results = await Promise.all(jobs.map((j) => j()))
    expect(results.every((r) => r.status === 200)).toBe(true)
    await settleBoth()

    const after = await places(a.id)
    expect(after.confirmed).toHaveLength(20)
    const stillWaiting = before.waitlisted.map((r) => r.open_id).filter((u) => !leavingWaitlisted.includes(u))
    // The 15 freed places went to the 15 longest-waiting people who stayed, whatever the interleaving.
    const promoted = after.confirmed.filter((r) => r.promoted_at).map((r) => r.open_id)
    expect(new Set(promoted)).toEqual(new Set(stillWaiting.slice(0, 15)))
    expect(after.waitlisted.map((r) => r.open_id).slice(0, stillWaiting.length - 15)).toEqual(stillWaiting.slice(15))
    // Each promoted person is told exactly once, privately.
    for (const u of promoted) expect(cardsTitled(t1.fake.messagesToUser(u), `候补成功 · ${a.number}`), u).toHaveLength(1)
    const notified = (await t1.bot.services.db.selectFrom('activity_signups').select('open_id').where('activity_id', '=', a.id).where('promotion_notified_at', 'is not', null).execute()).map((r) => r.open_id)
    expect(notified).toEqual(expect.arrayContaining(promoted))
    // Anyone else told of a promotion was promoted while their own 取消报名 was on its way: legitimately told,
    // then cancelled (their place went on to the next person).
    expect(notified.filter((u) => !promoted.includes(u)).every((u) => leavingWaitlisted.includes(u))).toBe(true)
  })

  it('coalesces a burst of clicks into about one patch per card per second, on both instances, and ends on the final state', async () => {
    const a = await publish(t1, { capacity: '0' })
    await t1.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_second_group` })
    await settleBoth()
    const second = cardsTitled(t1.fake.messagesInChat('oc_second_group'), `活动报名 · ${a.number}`)[0]!
    const started = Date.now()
    // 120 clicks over about 2.4 seconds, alternating instances.
    const inflight: Array<Promise<unknown>> = []
    for (let i = 0; i < 120; i++) {
      inflight.push(click(a, '报名', `ou_burst_${i}`, i % 2 ? t1 : t2))
      await new Promise((r) => setTimeout(r, 20))
    }
    await Promise.all(inflight)
    const burstSeconds = (Date.now() - started) / 1000
    await settleBoth()

    for (const card of [a.card, second]) {
      const patches = patchesOf(t1, card.messageId)
      // One patch per second of burst, plus the trailing one that shows the end state.
      expect(patches.length).toBeGreaterThanOrEqual(2)
      expect(patches.length).toBeLessThanOrEqual(Math.ceil(burstSeconds) + 2)
      // (Not "a second apart": each click also sends its private confirmation (#14), and sends go before patches in
      // the app's rate budget, so a patch may leave late in its slot and the next one on time. The count above is the
      // coalescing: about one patch per second of burst.)
      expect(cardText(t1.fake.currentCard(card.messageId))).toContain('已报名 120 人（不限名额）')
    }
    const rendered = await t1.bot.services.db.selectFrom('activity_cards').select('rendered_version').where('activity_id', '=', a.id).execute()
    const { version } = await t1.bot.services.db.selectFrom('activities').select('version').where('id', '=', a.id).executeTakeFirstOrThrow()
    expect(rendered.map((r) => r.rendered_version)).toEqual([version, version])
  })

  it('catches cards up in the periodic reconcile when a refresh was cut short', async () => {
    const a = await publish(t1, { capacity: '10' })
    // A patch that fails on every retry (Feishu 5xx), as if the refresh died half-way.
    t1.fake.failNext({ method: 'PATCH', path: a.card.messageId, status: 500, times: 20 })
    await click(a, '报名', 'ou_r1', t1)
    await settleBoth()
    expect(cardText(t1.fake.currentCard(a.card.messageId))).toContain('已报名 0/10')
    t1.fake.clearFailures()
    await t2.bot.runPeriodic(clock.now())
    expect(cardText(t1.fake.currentCard(a.card.messageId))).toContain('已报名 1/10')
  })
})
