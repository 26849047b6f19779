// Plain sentences through the real webhook (issue #14, "Understanding"): command words inside a sentence, case
// numbers anywhere, greetings and bare mentions answered with the menu, near misses with "您是不是想：" buttons that
// run the command, choice synonyms at the category step, and what was not understood counted by reason in /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DID_YOU_MEAN, NOT_UNDERSTOOD } from '../../cards/talk.js'
import { SAY } from '../../src/kit/say.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { answersTo, buttonsOf, cardText, clickOn, clickValue, lastTo, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: OFFICERS_ENV })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const stepOf = async (openId: string) => {
  const loaded = await t.bot.services.conversations.load(openId)
  return loaded.status === 'active' ? `${loaded.state.step}` : loaded.status
}
const counted = async (name: 'messagesUnmatched' | 'messagesUnderstood', label: Record<string, string>) =>
  (await t.bot.metrics[name].get()).values.find((v) => Object.entries(label).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))?.value ?? 0

describe('command words inside a sentence', () => {
  it('我想投诉我们班长 starts filing; 工资 picks 劳动报酬; 我们班长 starts the description', async () => {
    const w = newWorker(t)
    await say(t, w, '我想投诉我们班长')
    expect(cardText(lastTo(t, w)!.content)).toContain('第 1/4 步')
    await say(t, w, '工资')
    expect(await stepOf(w.openId)).toBe('description')
    await say(t, w, '每个月都少算我们的加班时间，已经三个月了。')
    await say(t, w, '实名')
    expect(cardText(lastTo(t, w)!.content)).toContain('劳动报酬')
    await say(t, w, '确认')
    const row = await t.bot.services.db.selectFrom('grievances').select(['description', 'category']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row).toEqual({ description: '我们班长每个月都少算我们的加班时间，已经三个月了。', category: '劳动报酬' })
    expect(await counted('messagesUnderstood', { via: 'sentence' })).toBeGreaterThanOrEqual(1)
  })

  it('福利 at the category step is 社会保险与福利; 加班费没发 is 劳动报酬, not working time', async () => {
    for (const [answer, category] of [
      ['福利', '社会保险与福利'],
      ['加班费没发', '劳动报酬'],
    ] as const) {
      const w = newWorker(t)
      await say(t, w, '投诉')
      await say(t, w, answer)
      const loaded = await t.bot.services.conversations.load(w.openId)
      expect(loaded.status === 'active' && loaded.state.data.category).toBe(category)
      await say(t, w, '取消')
    }
  })

  it('查一下提案P-2026-003的进展 asks about that proposal; a bare G number asks about that case', async () => {
    const w = newWorker(t)
    const [proposal] = await answersTo(t, w, '查一下提案P-2026-003的进展')
    expect(proposal!.content.text).toContain('P-2026-003')
    const [grievance] = await answersTo(t, w, '我想问问G-2026-0042怎么样了')
    expect(grievance!.content.text).toContain('未找到诉求 G-2026-0042')
  })
})

describe('greetings and mentions', () => {
  it('你好 gets the short menu; its 活动 button lists the activities privately', async () => {
    const w = newWorker(t)
    const [menu] = await answersTo(t, w, '你好')
    expect(cardText(menu!.content)).toContain('您好！我是**工会助手**')
    expect(buttonsOf(menu!.content).map((b) => b.text)).toEqual(['投诉', '我的诉求', '活动', '提案列表', '帮助'])
    await clickOn(t, w, menu!, { text: '活动' })
    expect(cardText(lastTo(t, w)!.content)).toContain('活动')
    expect(lastTo(t, w)!.messageId).not.toBe(menu!.messageId)
  })

  it('a bare @-mention in a group gets the menu there; @李娜 @工会助手 活动 lists the activities', async () => {
    const w = newWorker(t)
    const res = await t.sendMessage({ sender: w, chatId: 'oc_g_talk', chatType: 'group', text: '', mentionBot: true })
    expect(res.status).toBe(200)
    await t.settle()
    const menu = t.fake.messagesInChat('oc_g_talk').at(-1)!
    expect(cardText(menu.content)).toContain('我在。您想办理什么？')
    await t.sendMessage({ sender: w, chatId: 'oc_g_talk', chatType: 'group', text: '活动', mentionBot: true, mentions: [{ openId: 'ou_lina', name: '李娜' }], inlineMentions: false })
    await t.settle()
    const list = t.fake.messagesInChat('oc_g_talk').at(-1)!
    expect(list.messageId).not.toBe(menu.messageId)
    expect(cardText(list.content)).not.toContain(NOT_UNDERSTOOD)
  })
})

describe('near misses', () => {
  it('头诉 gets "您是不是想：" with 投诉 first; the button starts filing; counted as near-miss', async () => {
    const w = newWorker(t)
    const before = await counted('messagesUnmatched', { reason: 'near-miss' })
    const [card] = await answersTo(t, w, '头诉')
    expect(cardText(card!.content)).toContain(DID_YOU_MEAN)
    const buttons = buttonsOf(card!.content)
    expect(buttons[0]!.text).toBe('投诉')
    expect(buttons.length).toBeLessThanOrEqual(3)
    await clickOn(t, w, card!, { text: '投诉' })
    expect(await stepOf(w.openId)).toBe('category')
    expect(await counted('messagesUnmatched', { reason: 'near-miss' })).toBe(before + 1)
    await say(t, w, '取消')
  })

  it('nothing close gets the menu buttons, counted as nothing-close; a forged button word is refused', async () => {
    const w = newWorker(t)
    const before = await counted('messagesUnmatched', { reason: 'nothing-close' })
    const [card] = await answersTo(t, w, '今天食堂吃什么')
    expect(cardText(card!.content)).toContain(NOT_UNDERSTOOD)
    expect(buttonsOf(card!.content).length).toBeGreaterThan(0)
    expect(await counted('messagesUnmatched', { reason: 'nothing-close' })).toBe(before + 1)
    const sent = t.fake.messages.length
    const forged = await clickValue(t, w, SAY.value({ text: '投诉 我们班长' }))
    expect(forged.body.toast.type).toBe('error')
    expect(t.fake.messages.length).toBe(sent)
    // /metrics shows the counts by reason, never the text.
    const exposed = await t.bot.metrics.registry.metrics()
    expect(exposed).toContain('unionbot_messages_unmatched_total{reason="nothing-close"}')
    expect(exposed).not.toContain('食堂')
  })
})
