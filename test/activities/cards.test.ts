// Security review F6 (activity-card amplification): asking for an activity's card again and again keeps one live
// copy per person and one per chat, so one sign-up causes at most one patch per distinct copy; the reconcile patches
// at most ACTIVITY_RECONCILE_MAX_PATCHES cards a tick, longest-waiting first, and carries the rest over.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, publish } from '../helpers/activities.js'
import { cardsTitled, cardText, clickOn } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')
const MAX_PATCHES = 3

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({
    db,
    clock,
    env: { ACTIVITY_RECONCILE_MAX_PATCHES: String(MAX_PATCHES) },
    // Feishu's per-user and per-chat limits would stretch 400 cards over minutes; they are not what is tested here.
    botOptions: { outbound: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 5000, limits: { perApp: 1000, perChat: 1000, perUser: 1000 } } },
  })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => clock.set('2026-05-01T01:00:00Z'))

const liveCards = (activityId: string) =>
  t.bot.services.db.selectFrom('activity_cards').select(['message_id', 'chat_id', 'open_id', 'shared']).where('activity_id', '=', activityId).where('gone_at', 'is', null).orderBy('posted_at').execute()
const patchCount = () => t.fake.requests.filter((r) => r.method === 'PATCH').length
const ask = (sender: string, text: string, chatId = `oc_p2p_${sender}`) =>
  t.sendMessage({ sender, chatId, chatType: chatId.startsWith('oc_p2p') ? 'p2p' : 'group', text, mentionBot: !chatId.startsWith('oc_p2p') })

describe('one live copy per person and per chat', () => {
  it('keeps 1 private copy and 1 group card after 「活动 A-001」 200 times privately and 200 times in the group; a sign-up then patches each once', async () => {
    const a = await publish(t, { capacity: '0' })
    // As in the review: 200 times privately, then 200 times in the group (each its own event, handled in order).
    for (let batch = 0; batch < 4; batch++) await Promise.all(Array.from({ length: 50 }, () => ask('ou_spammer', `活动 ${a.number}`)))
    await t.settle()
    for (let batch = 0; batch < 4; batch++) await Promise.all(Array.from({ length: 50 }, () => ask('ou_spammer', `活动 ${a.number}`, GROUP)))
    await t.settle()
    const posted = cardsTitled(t.fake.messages, `活动报名 · ${a.number}`)
    expect(posted).toHaveLength(401)

    const live = await liveCards(a.id)
    expect(live.map((c) => ({ chat: c.chat_id, owner: c.open_id, shared: c.shared }))).toEqual([
      { chat: 'oc_p2p_ou_spammer', owner: 'ou_spammer', shared: false },
      { chat: GROUP, owner: null, shared: true },
    ])
    // posted: the published group card, 200 private copies, 200 group copies. The newest of each are the live ones;
    // every older copy was patched once, to say it has been replaced.
    expect(live.map((c) => c.message_id)).toEqual([posted[200]!.messageId, posted[400]!.messageId])
    expect(posted.filter((m) => m.patches.length === 1)).toHaveLength(399)
    for (const old of [a.card, posted[1]!, posted[199]!, posted[201]!, posted[399]!]) {
      expect(old.patches.length, old.messageId).toBe(1)
      expect(cardText(t.fake.currentCard(old.messageId))).toContain('此卡片已更新，请查看最新卡片')
    }

    const before = patchCount()
    expect((await clickOn(t, 'ou_joiner', posted.at(-1)!, { text: '报名' })).body.toast.content).toBe('报名成功')
    await t.settle()
    await t.bot.runPeriodic(clock.now())
    await t.bot.runPeriodic(clock.now())
    // One sign-up: at most one patch per distinct live copy (the group card at once, the private copy by the reconcile).
    expect(patchCount() - before).toBe(live.length)
    for (const c of live) expect(cardText(t.fake.currentCard(c.message_id))).toContain('已报名 1 人（不限名额）')
  }, 180_000)

  it('keeps one group card when many people ask for it in the group at the same moment', async () => {
    const a = await publish(t)
    await Promise.all(Array.from({ length: 12 }, (_, i) => ask(`ou_crowd_${i}`, `活动 ${a.number}`, GROUP)))
    await t.settle()
    const inGroup = (await liveCards(a.id)).filter((c) => c.chat_id === GROUP)
    expect(inGroup).toHaveLength(1)
    expect(inGroup[0]!.shared).toBe(true)
    expect(cardsTitled(t.fake.messagesInChat(GROUP), `活动报名 · ${a.number}`)).toHaveLength(13)
  })
})

describe('reconcile', () => {
  it(`patches at most ${MAX_PATCHES} cards a tick, the longest-waiting first, and carries the rest to the next ticks`, async () => {
    const a = await publish(t, { capacity: '0' })
    const people = Array.from({ length: 7 }, (_, i) => `ou_copy_${i}`)
    for (const [i, who] of people.entries()) {
      clock.set(new Date(Date.parse('2026-05-01T01:00:00Z') + (i + 1) * 1000))
      await ask(who, `活动 ${a.number}`)
      await t.settle()
    }
    const copies = people.map((who) => cardsTitled(t.fake.messagesInChat(`oc_p2p_${who}`), `活动报名 · ${a.number}`)[0]!)
    await clickOn(t, 'ou_copy_0', a.card, { text: '报名' })
    await t.settle()
    expect(cardText(t.fake.currentCard(a.card.messageId))).toContain('已报名 1 人')
    const patched = () => copies.map((c) => c.patches.length)

    clock.set('2026-05-01T01:01:00Z')
    await t.bot.runPeriodic(clock.now())
    expect(patched()).toEqual([1, 1, 1, 0, 0, 0, 0])
    clock.set('2026-05-01T01:02:00Z')
    await t.bot.runPeriodic(clock.now())
    expect(patched()).toEqual([1, 1, 1, 1, 1, 1, 0])
    clock.set('2026-05-01T01:03:00Z')
    await t.bot.runPeriodic(clock.now())
    expect(patched()).toEqual([1, 1, 1, 1, 1, 1, 1])
    await t.bot.runPeriodic(clock.now())
    expect(patched()).toEqual([1, 1, 1, 1, 1, 1, 1])
    for (const c of copies) expect(cardText(t.fake.currentCard(c.messageId))).toContain('已报名 1 人（不限名额）')
  })
})
