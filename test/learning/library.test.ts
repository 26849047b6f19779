// The 职工书屋 through the real webhook: an officer imports the book list (all or nothing; workers may not), 书屋
// lists it, 借阅 lends one copy with a return date and refuses when every copy is out, the reminder goes once, the
// day before the return date from 09:00, 归还 (typed or the card's button) gives the copy back, and 读书打卡 counts
// one check-in a day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { toCsv } from '../../src/kit/csv.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitle, cardsTo, clickOn, expectEscaped, lastCard, lastText, say } from '../helpers/chat.js'
import { sendCsv } from '../helpers/recognition.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-04T02:00:00Z') // Monday 10:00 in Shanghai
const A = { openId: 'ou_lib_a', name: '张三' }
const B = { openId: 'ou_lib_b', name: '李四' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { LIBRARY_LOAN_DAYS: '14' } })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function tick(at: string): Promise<void> {
  clock.set(new Date(at))
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

describe('职工书屋', () => {
  it('the book list is imported by an officer, all or nothing; a worker is refused', async () => {
    await say(t, A, '书屋 导入')
    expect(lastText(t, A)).toContain('只有工会干部')
    expect((await t.bot.services.conversations.load(A.openId)).status).toBe('none')
    await say(t, CHAIR, '书屋 导入')
    await sendCsv(t, CHAIR, toCsv([['书名', '作者', '册数'], ['平凡的世界', '路遥', '1'], ['', '无名', '1'], ['活着', '余华', 'abc']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('没有导入任何一行')
    expect(await t.bot.services.db.selectFrom('library_books').selectAll().execute()).toEqual([])
    await say(t, CHAIR, '书屋 导入')
    await sendCsv(t, CHAIR, toCsv([['书名', '作者', '册数'], ['平凡的世界', '路遥', '1'], ['活着', '余华', '2'], ['大国工匠<at id=all></at>', '', '']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('全部 3 行已导入')
    await say(t, A, '书屋 添加 《人生》 路遥 2')
    expect(lastText(t, A)).toContain('只有工会干部')
    await say(t, CHAIR, '书屋 添加 《人生》 路遥 2')
    expect(lastText(t, CHAIR)).toBe('已登记《人生》（路遥），共 2 册。')
    await say(t, CHAIR, '书屋 添加')
    expect(lastText(t, CHAIR)).toContain('用法')
    await say(t, A, '书屋')
    const list = lastCard(t, A)
    expect(cardText(list.content)).toContain('人生')
    expect(cardText(list.content)).toContain('平凡的世界')
    expect(cardText(list.content)).toContain('可借 1/1')
    expectEscaped(list.content)
  })

  it('借阅 lends a copy with a return date; the last copy cannot be lent twice', async () => {
    await say(t, A, '借阅 平凡的世界')
    const loan = lastCard(t, A)
    expect(cardTitle(loan)).toBe('借阅登记')
    expect(cardText(loan.content)).toContain('2026-05-18')
    await say(t, B, '借阅 《平凡的世界》')
    expect(lastText(t, B)).toContain('都已借出')
    await say(t, B, '借阅 不存在的书')
    expect(lastText(t, B)).toContain('没有找到')
    // An exact title, or the only title containing the text, is lent; a text in several titles is asked about.
    await say(t, CHAIR, '书屋 添加 《人生海海》 麦家')
    await say(t, B, '借阅 人生')
    expect(cardTitle(lastCard(t, B))).toBe('借阅登记')
    await say(t, B, '借阅 人生海')
    expect(cardTitle(lastCard(t, B))).toBe('借阅登记')
    await say(t, B, '借阅 人')
    expect(lastText(t, B)).toContain('请写完整书名')
    await say(t, A, '书屋')
    expect(cardText(lastCard(t, A).content)).toContain('我借的书')
  })

  it('the reminder goes once, the day before the return date, from 09:00', async () => {
    await tick('2026-05-17T00:30:00Z') // 08:30 on the day before
    expect(cardsTo(t, A).filter((m) => cardTitle(m) === '还书提醒')).toHaveLength(0)
    await tick('2026-05-17T01:01:00Z')
    await tick('2026-05-17T01:02:00Z')
    await tick('2026-05-17T05:00:00Z')
    const reminders = cardsTo(t, A).filter((m) => cardTitle(m) === '还书提醒')
    expect(reminders).toHaveLength(1)
    // The reminder's 我已归还 gives the copy back; someone else's click cannot.
    expect((await clickOn(t, B, reminders[0]!, { text: '我已归还' })).body.toast.content).toBe('这不是您的借阅记录。')
    expect((await clickOn(t, A, reminders[0]!, { text: '我已归还' })).body.toast.content).toBe('已登记归还，谢谢！')
    await say(t, B, '借阅 平凡的世界')
    expect(cardTitle(lastCard(t, B))).toBe('借阅登记')
    await say(t, B, '归还 平凡的世界')
    expect(lastText(t, B)).toContain('已登记归还')
    await say(t, B, '归还 平凡的世界')
    expect(lastText(t, B)).toContain('或已归还')
  })

  it('读书打卡 counts one check-in a day', async () => {
    await say(t, A, '读书打卡 活着 读完第三章')
    expect(cardText(lastCard(t, A).content)).toContain('今年已打卡 1 天')
    await say(t, A, '读书打卡 活着 又读了一章')
    expect(cardText(lastCard(t, A).content)).toContain('今天已经打过卡了')
    clock.set(new Date('2026-05-18T02:00:00Z'))
    await say(t, A, '读书打卡 活着')
    expect(cardText(lastCard(t, A).content)).toContain('今年已打卡 2 天')
    await say(t, A, '读书打卡')
    expect(lastText(t, A)).toContain('请写上在读的书')
  })
})
