// 困难帮扶 where the union has not set its city's 低保 (HARDSHIP_DIBAO_MONTHLY has no default: it differs by city):
// the self-check still shows the per-person figure and 意外致困, says plainly why it cannot tell 深度/相对困难 and
// where the line comes from, and lets a worker whose sudden costs qualify apply; nothing is refused by a bare toast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { buttonValue, cardText, clickOn, lastCard, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const WORKER = { openId: 'ou_nd_worker', name: '周职工' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  t.fake.users.set(WORKER.openId, { name: WORKER.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('困难帮扶 without a local 低保', () => {
  it('the form says the 低保 is not set yet and where it comes from', async () => {
    await say(t, WORKER, '困难帮扶')
    const text = cardText(lastCard(t, WORKER).content)
    expect(text).toContain('还没有设置本地的最低生活保障标准')
    expect(text).toContain('民政')
  })

  it('the result shows the per-person figure, explains, and offers no application without 意外致困', async () => {
    await say(t, WORKER, '困难帮扶')
    const form = lastCard(t, WORKER)
    const res = await clickOn(t, WORKER, form, 'hardship.check', { formValue: { income: '36000', rigid: '0', size: '3', sudden: '0' } })
    expect(res.body.toast).toBeUndefined()
    const card = t.fake.currentCard(form.messageId)
    const text = cardText(card)
    expect(text).toContain('1,000 元')
    expect(text).toContain('工会尚未设置')
    expect(text).toContain('暂时无法判断')
    expect(text).toContain('低于两倍为相对困难')
    expect(buttonValue(card, 'hardship.apply')).toBeUndefined()
    expect(buttonValue(card, 'hardship.recheck')).toBeDefined()
  })

  it('意外致困 can still be told, and the worker may apply', async () => {
    await say(t, WORKER, '困难帮扶')
    const form = lastCard(t, WORKER)
    await clickOn(t, WORKER, form, 'hardship.check', { formValue: { income: '50000', rigid: '0', size: '2', sudden: '45000' } })
    const card = t.fake.currentCard(form.messageId)
    expect(cardText(card)).toContain('意外致困')
    expect(buttonValue(card, 'hardship.apply')).toBeDefined()
    const applied = await clickOn(t, WORKER, form.messageId, 'hardship.apply', { formValue: { reason: '家人突发重病，手术费用很高', name_public: 'no' } })
    expect(applied.body.toast.content).toContain('已提交申请')
    expect(await t.bot.services.db.selectFrom('hardship_cases').select(['level', 'sudden']).execute()).toEqual([{ level: 'none', sudden: true }])
  })
})
