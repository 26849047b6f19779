// 登记诉求 (issue #13): an officer registers a case received in person, by phone or by letter — the filing's steps
// after 来源 — for a worker named by a real @-mention or by a name on the roll (told the number; can follow it with
// 我的诉求), or not named (不记名: anonymous, no reporter link at all). Through the real webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { DESCRIPTION, OFFICER_2, OFFICERS_ENV, grievanceNumberIn, newWorker, reviewCard } from '../helpers/grievances.js'
import { answersTo, cardText, cardsOf, lastTo, say, textsOf, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const sdb = () => t.bot.services.db
const row = (number: string) => sdb().selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const linkOf = async (id: number) => sdb().selectFrom('grievance_reporters').selectAll().where('grievance_id', '=', id).execute()

describe('登记诉求', () => {
  it('for a worker @-mentioned: source, the filing steps, the worker told the number and able to follow it', async () => {
    const w = newWorker(t, '电话来的')
    await say(t, CHAIR.openId, '登记诉求 @电话来的', [w])
    expect(lastTo(t, CHAIR.openId)!.content.header.title.content).toBe('登记诉求 · 来源')
    await say(t, CHAIR.openId, '电话')
    await say(t, CHAIR.openId, '1')
    await say(t, CHAIR.openId, DESCRIPTION)
    await say(t, CHAIR.openId, '实名')
    expect(cardText(lastTo(t, CHAIR.openId)!.content)).toContain('**登记：**电话 · 为 电话来的 登记')
    await say(t, CHAIR.openId, '确认')
    const ack = textsTo(t, CHAIR.openId).at(-1)!
    const number = grievanceNumberIn(lastTo(t, CHAIR.openId))!
    expect(ack).toBe(`✅ 已登记。编号：${number}，状态：待受理，来源：电话。\n已把编号私信告知职工，职工可发送「我的诉求」查看进度。`)
    const g = await row(number)
    expect(g).toMatchObject({ source: 'phone', registered_by: CHAIR.openId, anonymous: false, reporter_open_id: w.openId, reporter_name: '电话来的' })
    expect((await linkOf(g.id)).map((l) => l.open_id)).toEqual([w.openId])
    expect(textsTo(t, w).at(-1)).toBe(`工会干部已为您登记诉求，编号：${number}，状态：待受理。查看进度请发送「诉求 ${number}」，补充材料请发送「补充 ${number} 内容」。`)
    expect(cardText(cardsOf(await answersTo(t, w, '我的诉求'))[0]!.content)).toContain(number)
    expect(cardText(reviewCard(t, number).card)).toContain('（电话，干部登记）')
  })

  it('not named: anonymous with no reporter link; the anonymity step is skipped and 实名 refused', async () => {
    await say(t, OFFICER_2.openId, '登记诉求')
    await say(t, OFFICER_2.openId, '来信')
    await say(t, OFFICER_2.openId, '3')
    await say(t, OFFICER_2.openId, '来信反映车间通风设备长期损坏，夏天温度超过三十五度。')
    expect(cardText(lastTo(t, OFFICER_2.openId)!.content)).toContain('不记名（职工未留姓名）')
    await say(t, OFFICER_2.openId, '修改匿名')
    await say(t, OFFICER_2.openId, '实名')
    expect(cardText(lastTo(t, OFFICER_2.openId)!.content)).toContain('不记名登记的诉求没有职工姓名，只能按匿名诉求处理。')
    await say(t, OFFICER_2.openId, '匿名')
    await say(t, OFFICER_2.openId, '确认')
    const number = grievanceNumberIn(lastTo(t, OFFICER_2.openId))!
    expect(textsTo(t, OFFICER_2.openId).at(-1)).toContain('不记名登记：职工无法在飞书上查看，请把编号告诉职工。')
    const g = await row(number)
    expect(g).toMatchObject({ source: 'letter', registered_by: OFFICER_2.openId, anonymous: true, reporter_open_id: null, reporter_name: null, category: '劳动安全卫生' })
    expect(await linkOf(g.id)).toEqual([])
  })

  it('a name on the roll is taken; an unknown name is refused politely; workers may not register', async () => {
    expect(textsOf(await answersTo(t, CHAIR.openId, '登记诉求 不存在的人'))[0]).toBe('名册里没有「不存在的人」。请 @ 这位职工（需在同一群里），或不写姓名，发送「登记诉求」按不记名登记。')
    const w = newWorker(t, '普通职工')
    expect(textsOf(await answersTo(t, w, '登记诉求'))[0]).toBe('抱歉，只有工会干部可以登记线下收到的诉求；您自己反映问题请发送「投诉」。')
    await sdb().insertInto('members').values({ open_id: w.openId, name: '普通职工', department: null, status: 'member', source: 'import', applied_at: null, joined_on: '2020-01-01', ended_on: null, end_reason: null, decided_by: null, refusal_reason: null, application_message_id: null, updated_at: new Date() }).execute()
    const answers = await answersTo(t, CHAIR.openId, '登记诉求 普通职工')
    expect(cardText(cardsOf(answers)[0]!.content)).toContain('为 **普通职工** 登记')
    await say(t, CHAIR.openId, '取消')
  })
})
