// Status queries anyone may make: one proposal by a leniently written number, 我的提案 and 提案列表 with status
// filters and page buttons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { buttonValue, cardJson, clickOn, inbox, lastCard, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const numbers: string[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
  // Twelve proposals by REP_A (two pages of ten), the third co-signed to 待审查 and the fourth co-signed once by REP_B.
  for (let i = 1; i <= 12; i++) numbers.push(await submitProposal(t, REP_A, { title: `测试提案第${i}号` }))
  await say(t, REP_B, `附议 ${numbers[2]}`)
  await say(t, REP_C, `附议 ${numbers[2]}`)
  await say(t, REP_B, `附议 ${numbers[3]}`)
}, 120_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const lastCardText = (openId: string) => cardJson(lastCard(t, openId).content)

describe('提案 <number>', () => {
  it.each([
    ['提案 P-2026-003', 'P-2026-003'],
    ['提案 p-2026-3', 'P-2026-003'],
    ['提案 P2026003', 'P-2026-003'],
    ['提案 Ｐ－２０２６－００３', 'P-2026-003'],
    ['ｐｒｏｐｏｓａｌ　ｐ２０２６００３', 'P-2026-003'],
    ['提案 帮我查一下p-2026-12的进展，谢谢', 'P-2026-012'],
    ['提案P-2026-004', 'P-2026-004'],
  ])('finds %s', async (text, number) => {
    await say(t, WORKER, text)
    const card = lastCard(t, WORKER.openId)
    expect(card.content.header.title.content).toBe(`职代会提案 ${number}`)
  })

  it('shows title, proposer, co-signers, category, status and timeline', async () => {
    await say(t, WORKER, `提案 ${numbers[2]}`)
    const text = lastCardText(WORKER.openId)
    for (const s of ['测试提案第3号', '张代表', '李代表', '赵代表', '生活福利', '待审查', '附议人数达到 2 人，进入待审查', '提交提案，开始征集附议', '第五届职代会第三次会议']) {
      expect(text).toContain(s)
    }
  })

  it('answers in a group when the bot is mentioned', async () => {
    await t.sendMessage({ sender: WORKER, chatId: 'oc_workshop', chatType: 'group', text: '提案 p2026-1', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_workshop').at(-1)?.content.header.title.content).toBe('职代会提案 P-2026-001')
  })

  it('says clearly when a number does not exist or is missing', async () => {
    await say(t, WORKER, '提案 P-2026-099')
    expect(lastText(t, WORKER.openId)).toContain('没有找到编号为 P-2026-099 的提案')
    await say(t, WORKER, '提案')
    expect(lastText(t, WORKER.openId)).toContain('请在「提案」后写上提案编号')
  })
})

describe('我的提案', () => {
  it('lists the proposer’s proposals newest first, ten a page, turned by buttons', async () => {
    await say(t, REP_A, '我的提案')
    const msg = lastCard(t, REP_A.openId)
    const first = cardJson(msg.content)
    expect(first).toContain('P-2026-012')
    expect(first).not.toContain('P-2026-002')
    expect(first).toContain('第 1/2 页')
    expect(first).toContain('〔提案人〕')
    const { body: next } = await clickOn(t, REP_A, msg, 'proposal.mine.page', { text: '下一页' })
    const second = cardJson(next.card?.data)
    expect(second).toContain('P-2026-001')
    expect(second).toContain('第 2/2 页')
    expect(buttonValue(next.card?.data, 'proposal.mine.page', {}, '上一页')).toMatchObject({ page: 1 })
  })

  it('includes proposals the user co-signed, marked as such', async () => {
    await say(t, REP_B, '我的提案')
    const text = lastCardText(REP_B.openId)
    expect(text).toContain(numbers[2])
    expect(text).toContain(numbers[3])
    expect(text).toContain('〔附议人〕')
    expect(text).toContain('共 2 件')
  })

  it('tells someone with no proposals how to start', async () => {
    await say(t, WORKER, '我的提案')
    expect(lastCardText(WORKER.openId)).toContain('您还没有提交或附议过提案')
  })
})

describe('提案列表', () => {
  it('shows the window’s proposals by status with counts, paginated', async () => {
    await say(t, WORKER, '提案列表')
    const msg = lastCard(t, WORKER.openId)
    const text = cardJson(msg.content)
    expect(text).toContain('共 12 件')
    expect(text).toContain('征集附议 11 · 待审查 1')
    // Status order: 待审查 comes before the ones still collecting.
    expect(text.indexOf(numbers[2]!)).toBeLessThan(text.indexOf(numbers[0]!))
    expect(text).toContain('第 1/2 页')
    const { body: page2 } = await clickOn(t, WORKER, msg, 'proposal.list.page', { text: '下一页' })
    expect(cardJson(page2.card?.data)).toContain('第 2/2 页')
  })

  it('filters by status', async () => {
    await say(t, WORKER, '提案列表 待审查')
    const text = lastCardText(WORKER.openId)
    expect(text).toContain(numbers[2])
    expect(text).not.toContain(numbers[0])
    expect(text).toContain('筛选：**待审查**，1 件')
    await say(t, WORKER, '提案列表 办理中')
    expect(lastCardText(WORKER.openId)).toContain('暂无符合条件的提案')
  })

  it('explains the statuses when the filter is unknown', async () => {
    await say(t, WORKER, '提案列表 随便')
    expect(lastText(t, WORKER.openId)).toContain('可用的状态')
  })

  it('a page button pressed after the list shrank still lands on a real page', async () => {
    const res = await t.click({ operator: WORKER, value: { action: 'proposal.list.page', window: 1, filter: 'pending_review', page: 5 } })
    expect(cardJson(res.body.card.data)).toContain('第 1/1 页')
  })

  it('is open to every employee, officers included', async () => {
    await say(t, OFFICER, '提案列表')
    expect(inbox(t, OFFICER.openId).at(-1)?.content.header.title.content).toContain('提案列表')
  })
})
