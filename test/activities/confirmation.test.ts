// After 报名 on a group card (issue #14 "Small things", QA F21): the toast stays, and a private card gives the time,
// the place and 取消报名; on a full activity the button reads 候补报名 and the private card the waitlist position; the
// 活动已发布 card with the officer's instructions goes to the officer privately, the group keeps the facts only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, OFFICER, openForm, publish, submitForm } from '../helpers/activities.js'
import { buttonsOf, cardText, cardTitle, cardsTitled, cardsTo, clickOn, inbox } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => clock.set('2026-05-01T01:00:00Z'))

describe('the private confirmation of a sign-up', () => {
  it('报名 on the group card: the toast, then privately the time, the place and 取消报名, which cancels and says so on that card', async () => {
    const a = await publish(t, { capacity: '5', place: '沿江步道东入口' })
    const res = await clickOn(t, 'ou_c1', a.card, { text: '报名' })
    expect(res.body.toast).toEqual({ type: 'success', content: '报名成功' })
    const [mine, ...more] = cardsTitled(inbox(t, 'ou_c1'), `报名成功 · ${a.number}`)
    expect(more).toHaveLength(0)
    const shown = cardText(mine!.content)
    expect(shown).toContain('2026-05-03（周日）09:00 – 17:00')
    expect(shown).toContain('沿江步道东入口')
    expect(buttonsOf(mine!.content).map((b) => b.text)).toEqual(['取消报名'])
    // A second click changes nothing and sends nothing more.
    expect((await clickOn(t, 'ou_c1', a.card, { text: '报名' })).body.toast.content).toBe('您已报名')
    expect(cardsTitled(inbox(t, 'ou_c1'), `报名成功 · ${a.number}`)).toHaveLength(1)

    const left = await clickOn(t, 'ou_c1', mine!, { text: '取消报名' })
    expect(left.body.toast).toEqual({ type: 'success', content: '已取消报名' })
    expect(cardTitle({ msgType: 'interactive', content: left.body.card.data } as never)).toBe(`已取消报名 · ${a.number}`)
    const signup = await t.bot.services.db.selectFrom('activity_signups').select('status').where('activity_id', '=', a.id).where('open_id', '=', 'ou_c1').executeTakeFirst()
    expect(signup?.status).not.toBe('confirmed')
  })

  it('a full activity’s button reads 候补报名; the private card says the waitlist position and offers 退出候补', async () => {
    const a = await publish(t, { capacity: '1' })
    expect(buttonsOf(t.fake.currentCard(a.card.messageId)).map((b) => b.text)).toContain('报名')
    await clickOn(t, 'ou_f1', a.card, { text: '报名' })
    await t.settle()
    const labels = buttonsOf(t.fake.currentCard(a.card.messageId)).map((b) => b.text)
    expect(labels).toContain('候补报名')
    expect(labels).not.toContain('报名')
    const res = await clickOn(t, 'ou_f2', a.card, { text: '候补报名' })
    expect(res.body.toast).toEqual({ type: 'info', content: '已加入候补（第 1 位）' })
    const [waiting] = cardsTitled(inbox(t, 'ou_f2'), `候补报名 · ${a.number}`)
    expect(cardText(waiting!.content)).toContain('候补第 1 位')
    expect(buttonsOf(waiting!.content).map((b) => b.text)).toEqual(['退出候补'])
  })
})

describe('the published card', () => {
  it('from a form in a group: the group keeps the facts, the officer gets the instructions privately', async () => {
    const form = await openForm(t, GROUP)
    const res = await submitForm(t, form, { title: '车间羽毛球友谊赛' })
    const number = /A-\d{3,}/.exec(res.body.toast.content)![0]
    const inGroup = res.body.card.data
    expect(inGroup.header.title.content).toBe(`活动已发布 · ${number}`)
    const groupText = cardText(inGroup)
    for (const officerOnly of ['名单', '取消活动', '发布活动', '签到码']) expect(groupText).not.toContain(officerOnly)
    const own = cardsTo(t, OFFICER).filter((m) => cardTitle(m) === `活动已发布 · ${number}`)
    expect(own).toHaveLength(1)
    expect(own[0]!.chatId).not.toBe(GROUP)
    for (const instruction of [`名单 ${number}`, `取消活动 ${number}`, `发布活动 ${number}`]) expect(cardText(own[0]!.content)).toContain(instruction)
  })

  it('from a form in the officer’s private chat: one card there, with the instructions, and nothing more', async () => {
    const chat = `oc_p2p_${OFFICER}`
    const before = cardsTo(t, OFFICER).length
    const form = await openForm(t, chat)
    const res = await submitForm(t, form, { title: '插花课' })
    const number = /A-\d{3,}/.exec(res.body.toast.content)![0]
    expect(cardText(res.body.card.data)).toContain(`名单 ${number}`)
    expect(cardsTo(t, OFFICER).slice(before).filter((m) => cardTitle(m) === `活动已发布 · ${number}`)).toHaveLength(0)
  })
})
