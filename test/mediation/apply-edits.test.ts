// 申请调解's confirm card and the one-year limit, through the real webhook (QA F22, F23): each step can be reopened
// from the confirm card with its 修改 button and the rest is kept; a knew-date more than a year back is taken but the
// worker is told plainly that the limit (第二十七条) may have run out and of 第二十七条第四款, and no card says
// 「请最迟在 <past date> 前提出」 as if that day were ahead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { button, cardText, cardsTo, clickOn, lastCard, say, textsTo } from '../helpers/chat.js'
import { APPLICATION, MEMBER_2, caseCardTo, setUpCommittee } from '../helpers/mediation.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-12-05T01:30:00Z') // Saturday 09:30 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  await setUpCommittee(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const row = (number: string) => t.bot.services.db.selectFrom('mediation_cases').selectAll().where('number', '=', number).executeTakeFirstOrThrow()

async function upToConfirm(w: { openId: string }, knew: string, party = APPLICATION.party): Promise<void> {
  await say(t, w, '申请调解')
  for (const text of [APPLICATION.facts, APPLICATION.request, APPLICATION.reasons, knew, party]) await say(t, w, text)
}

describe('申请调解: 修改 on the confirm card (F23)', () => {
  it('reopens one step, keeps the others, and comes back to the confirm card', async () => {
    const w = newWorker(t, '陈静')
    await upToConfirm(w, '2026-11-20', '10月1日')
    const confirm = lastCard(t, w)
    expect(cardText(confirm.content)).toContain('10月1日')
    for (const label of ['修改事实', '修改请求', '修改理由', '修改日期', '修改对方']) expect(button(confirm.content, label)).toBeDefined()
    await clickOn(t, w, confirm, { text: '修改对方' })
    expect(cardText(lastCard(t, w).content)).toContain('修改第 5 步')
    await say(t, w, '生产部')
    const again = cardText(lastCard(t, w).content)
    expect(again).toContain('请确认')
    for (const s of [APPLICATION.facts, APPLICATION.request, APPLICATION.reasons, '2026-11-20', '生产部']) expect(again).toContain(s)
    // Typing the button's words works as well.
    await say(t, w, '修改请求')
    expect(cardText(lastCard(t, w).content)).toContain('修改第 2 步')
    await say(t, w, '补发十月份的加班费两千元。')
    expect(cardText(lastCard(t, w).content)).toContain('补发十月份的加班费两千元。')
    await say(t, w, '确认')
    const number = textsTo(t, w).at(-1)!.match(/M-2026-\d{3}/)![0]
    expect(await row(number)).toMatchObject({ other_party: '生产部', request: '补发十月份的加班费两千元。', facts: APPLICATION.facts, knew_on: '2026-11-20' })
  })
})

describe('申请调解: a knew-date more than a year back (F22)', () => {
  it('is taken, with a plain warning and 第二十七条第四款; no card puts the past last day ahead', async () => {
    const w = newWorker(t, '王五')
    await say(t, w, '申请调解')
    for (const text of [APPLICATION.facts, APPLICATION.request, APPLICATION.reasons, '2025年10月1日']) await say(t, w, text)
    const party = cardText(lastCard(t, w).content)
    expect(party).toContain('第 5 步 / 共 5 步')
    for (const s of ['已超过一年', '2026-10-01 届满', '第二十七条第四款', '劳动关系存续期间因拖欠劳动报酬']) expect(party).toContain(s)
    await say(t, w, APPLICATION.party)
    const confirm = cardText(lastCard(t, w).content)
    for (const s of ['已于 2026-10-01 届满', '时效可能已过', '第二十七条第四款']) expect(confirm).toContain(s)
    await say(t, w, '确认')
    const number = textsTo(t, w).at(-1)!.match(/M-2026-\d{3}/)![0]
    expect((await row(number)).knew_on).toBe('2025-10-01')
    expect(cardText(caseCardTo(t, w, number, '我的调解').content)).toContain('已于 2026-10-01 届满')
    expect(cardText(caseCardTo(t, MEMBER_2, number).content)).toContain('时效可能已过')
    // Withdrawal: the arbitration hint says the limit may have run out, not 「最迟在 2026-10-01 前」.
    const own = caseCardTo(t, w, number, '我的调解')
    await clickOn(t, w, own, 'mediation.withdraw')
    await t.settle()
    const all = cardsTo(t, w).map((m) => cardText(m.content)).join('\n')
    expect(all).toContain('您已撤回调解申请')
    expect(all).toContain('时效可能已过')
    expect(all).not.toMatch(/最迟(在 )?2026-10-01 前/)
  })

  it('a date within the year still shows the last day ahead', async () => {
    const w = newWorker(t, '赵六')
    await upToConfirm(w, '2026-03-05')
    const confirm = cardText(lastCard(t, w).content)
    expect(confirm).toContain('最迟 2027-03-05 前申请仲裁')
    expect(confirm).not.toContain('时效可能已过')
  })
})
