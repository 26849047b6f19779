import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, OFFICER, publish } from '../helpers/activities.js'
import { HOSTILE, answersTo, button, buttonsOf, cardsTitled, cardText, clickOn, textsOf } from '../helpers/chat.js'

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

const toastOf = async (p: Promise<{ body: any }>) => (await p).body.toast
const say = (sender: string, text: string, chatId?: string) => answersTo(t, sender, text, chatId)

describe('signing up on the card', () => {
  it('answers every toast: 报名成功, 您已报名, 已加入候补（第 N 位）, 已取消报名, and keeps the card current', async () => {
    const a = await publish(t, { capacity: '2' })
    expect(await toastOf(clickOn(t, 'ou_a', a.card, SIGN_UP.name))).toEqual({ type: 'success', content: '报名成功' })
    expect(await toastOf(clickOn(t, 'ou_a', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '您已报名' })
    expect(await toastOf(clickOn(t, 'ou_b', a.card, SIGN_UP.name))).toEqual({ type: 'success', content: '报名成功' })
    expect(await toastOf(clickOn(t, 'ou_c', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '已加入候补（第 1 位）' })
    expect(await toastOf(clickOn(t, 'ou_d', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '已加入候补（第 2 位）' })
    expect(await toastOf(clickOn(t, 'ou_d', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '您已在候补名单中（第 2 位）' })
    await t.settle()
    expect(cardText(t.fake.currentCard(a.card.messageId))).toContain('已报名 2/2（已满）　候补 2 人')

    // ou_a gives the place back: ou_c (first waitlisted) is promoted and told privately; ou_d moves up.
    expect(await toastOf(clickOn(t, 'ou_a', a.card, { text: '取消报名' }))).toEqual({ type: 'success', content: '已取消报名' })
    await t.settle()
    const notice = cardsTitled(t.fake.messagesToUser('ou_c'), `候补成功 · ${a.number}`)
    expect(notice).toHaveLength(1)
    expect(cardText(notice[0]!.content)).toContain('您已从候补**转为正式报名**')
    expect(cardsTitled(t.fake.messagesToUser('ou_d'), '候补成功')).toHaveLength(0)
    expect(await toastOf(clickOn(t, 'ou_d', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '您已在候补名单中（第 1 位）' })
    expect(await toastOf(clickOn(t, 'ou_a', a.card, { text: '取消报名' }))).toEqual({ type: 'info', content: '您没有报名此活动' })
    await t.settle()
    expect(cardText(t.fake.currentCard(a.card.messageId))).toContain('已报名 2/2（已满）　候补 1 人')

    // Signing up again after cancelling goes to the back of the queue.
    expect(await toastOf(clickOn(t, 'ou_a', a.card, SIGN_UP.name))).toEqual({ type: 'info', content: '已加入候补（第 2 位）' })
    const rows = await t.bot.services.db.selectFrom('activity_signups').select(['open_id', 'status']).where('activity_id', '=', a.id).orderBy('seq').execute()
    expect(rows).toEqual([
      { open_id: 'ou_b', status: 'confirmed' },
      { open_id: 'ou_c', status: 'confirmed' },
      { open_id: 'ou_d', status: 'waitlisted' },
      { open_id: 'ou_a', status: 'waitlisted' },
    ])
    await t.settle()
  })

  it('refuses after the deadline (报名已截止), lets waitlisted people leave, and keeps places locked unless the officer allowed cancelling', async () => {
    const locked = await publish(t, { capacity: '1', cancelAfter: 'no' })
    const open = await publish(t, { capacity: '1', cancelAfter: 'yes' })
    for (const a of [locked, open]) {
      await clickOn(t, 'ou_p', a.card, SIGN_UP.name)
      await clickOn(t, 'ou_q', a.card, SIGN_UP.name)
      await clickOn(t, 'ou_r', a.card, SIGN_UP.name)
    }
    await t.settle()
    clock.set('2026-05-02T10:00:01Z') // one second after the 18:00 deadline
    expect(await toastOf(clickOn(t, 'ou_new', locked.card, SIGN_UP.name))).toEqual({ type: 'warning', content: '报名已截止' })
    expect(await toastOf(clickOn(t, 'ou_p', locked.card, SIGN_UP.name))).toEqual({ type: 'info', content: '您已报名' })
    expect(await toastOf(clickOn(t, 'ou_p', locked.card, { text: '取消报名' }))).toEqual({ type: 'warning', content: '报名已截止，不能取消报名' })
    expect(await toastOf(clickOn(t, 'ou_q', locked.card, { text: '取消报名' }))).toEqual({ type: 'success', content: '已取消报名' })
    expect(await toastOf(clickOn(t, 'ou_p', open.card, { text: '取消报名' }))).toEqual({ type: 'success', content: '已取消报名' })
    await t.settle()
    // The freed place still goes to the first waitlisted person.
    const promoted = await t.bot.services.db.selectFrom('activity_signups').select('status').where('activity_id', '=', open.id).where('open_id', '=', 'ou_q').executeTakeFirstOrThrow()
    expect(promoted.status).toBe('confirmed')
    expect(cardsTitled(t.fake.messagesToUser('ou_q'), `候补成功 · ${open.number}`)).toHaveLength(1)
    expect(textsOf(await say('ou_new', `报名 ${locked.number}`))).toEqual([`报名已截止（${locked.number}）。`])

    // The periodic task moves the card to 报名已截止: no 报名 button any more.
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    const card = t.fake.currentCard(locked.card.messageId)
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['取消报名'])
    expect(card.header.text_tag_list[0].text.content).toBe('报名已截止')
  })

  it('refuses a cancelled activity (活动已取消) and an ended one (活动已结束), by card and by text', async () => {
    const a = await publish(t)
    const b = await publish(t)
    await clickOn(t, 'ou_x', b.card, SIGN_UP.name)
    await t.settle()
    await t.bot.services.db.updateTable('activities').set({ status: 'cancelled' }).where('id', '=', a.id).execute()
    expect(await toastOf(clickOn(t, 'ou_x', a.card, SIGN_UP.name))).toEqual({ type: 'warning', content: '活动已取消' })
    expect(await toastOf(clickOn(t, 'ou_x', a.card, { text: '取消报名' }))).toEqual({ type: 'warning', content: '活动已取消' })
    expect(textsOf(await say('ou_x', `报名 ${a.number}`))).toEqual([`活动已取消（${a.number}）。`])

    clock.set('2026-05-03T09:00:00Z') // 17:00 in Shanghai: over
    expect(await toastOf(clickOn(t, 'ou_y', b.card, SIGN_UP.name))).toEqual({ type: 'warning', content: '活动已结束' })
    expect(await toastOf(clickOn(t, 'ou_x', b.card, { text: '取消报名' }))).toEqual({ type: 'warning', content: '活动已结束' })
    expect(textsOf(await say('ou_x', `取消报名 ${b.number}`))).toEqual([`活动已结束（${b.number}）。`])
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    const row = await t.bot.services.db.selectFrom('activities').select(['status', 'card_phase']).where('id', '=', b.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'ended', card_phase: 'ended' })
    expect(cardText(t.fake.currentCard(b.card.messageId))).toContain('活动已结束')
    expect(buttonsOf(t.fake.currentCard(b.card.messageId))).toEqual([])
  })
})

describe('text commands', () => {
  it('signs up and cancels with 报名 A-012 / 取消报名 A-012, in private or by @-mentioning the bot in a group', async () => {
    const a = await publish(t, { capacity: '1' })
    expect(textsOf(await say('ou_t1', `报名 ${a.number}`))).toEqual([`报名成功（${a.number}）。活动开始前 24 小时我会私信提醒您。`])
    expect(textsOf(await say('ou_t1', `报名${a.number.toLowerCase()}`))).toEqual([`您已报名（${a.number}）。`])
    const mark = t.fake.messages.length
    await t.sendMessage({ sender: 'ou_t2', chatId: GROUP, chatType: 'group', text: `报名 ${a.number}`, mentionBot: true })
    await t.settle()
    expect(textsOf(t.fake.messagesInChat(GROUP).filter((m) => t.fake.messages.indexOf(m) >= mark))).toEqual([
      `已加入候补（第 1 位）（${a.number}）。有人取消时按先后顺序递补，递补成功会私信通知您。`,
    ])
    expect(textsOf(await say('ou_t1', `取消报名 ${a.number}`))).toEqual([`已取消报名（${a.number}）。`])
    expect(cardsTitled(t.fake.messagesToUser('ou_t2'), `候补成功 · ${a.number}`)).toHaveLength(1)
    expect(textsOf(await say('ou_t1', `取消报名 ${a.number}`))).toEqual([`您没有报名此活动（${a.number}）。`])
    expect(cardText(t.fake.currentCard(a.card.messageId))).toContain('已报名 1/1（已满）　候补 0 人')
    expect(textsOf(await say('ou_t1', '报名'))).toEqual(['请写上活动编号，如：报名 A-012。发送「活动」查看近期活动的编号。'])
  })

  it('lists open activities with numbers and remaining places (活动), and sends one card with 活动 A-012', async () => {
    const base = await t.bot.services.db.selectFrom('activities').select('id').execute()
    await t.bot.services.db.updateTable('activities').set({ status: 'ended' }).where('id', 'in', base.length ? base.map((r) => r.id) : ['0']).execute()
    const small = await publish(t, { title: '羽毛球赛', capacity: '3', start: '2026-05-04 19:00 +0800', end: '2026-05-04 21:00 +0800', deadline: '' })
    const free = await publish(t, { title: '读书会', capacity: '0', start: '2026-05-05 19:00 +0800', end: '2026-05-05 21:00 +0800', deadline: '' })
    await clickOn(t, 'ou_l1', small.card, SIGN_UP.name)
    const list = cardsTitled(await say('ou_l1', '活动'), '近期活动')
    expect(list).toHaveLength(1)
    const shown = cardText(list[0]!.content)
    expect(shown).toContain(`**${small.number}**　羽毛球赛`)
    expect(shown).toContain('剩余 **2** 个名额（1/3）')
    expect(shown).toContain(`**${free.number}**　读书会`)
    expect(shown).toContain('不限名额，已报名 0 人')
    expect(shown.indexOf(small.number)).toBeLessThan(shown.indexOf(free.number))

    const own = cardsTitled(await say('ou_l1', `活动 ${free.number}`), `活动报名 · ${free.number}`)
    expect(own).toHaveLength(1)
    expect(await toastOf(clickOn(t, 'ou_l1', own[0]!, SIGN_UP.name))).toEqual({ type: 'success', content: '报名成功' })
    await t.settle()
    expect(cardText(t.fake.currentCard(free.card.messageId))).toContain('已报名 1 人（不限名额）')
    // The private copy catches up in the periodic reconcile, not on every click (no patch storm in a rush).
    expect(cardText(t.fake.currentCard(own[0]!.messageId))).toContain('已报名 0 人（不限名额）')
    await t.bot.runPeriodic(clock.now())
    expect(cardText(t.fake.currentCard(own[0]!.messageId))).toContain('已报名 1 人（不限名额）')
  })

  it('shows 我的活动: current sign-ups with waitlist positions, and what the worker attended this year', async () => {
    clock.set('2025-12-30T01:00:00Z')
    const lastYear = await publish(t, { title: '新年登高', start: '2025-12-31 09:00 +0800', end: '2025-12-31 12:00 +0800', deadline: '' })
    await clickOn(t, 'ou_me', lastYear.card, SIGN_UP.name)
    clock.set('2025-12-31T01:10:00Z')
    await say('ou_me', `签到 ${lastYear.number}`)
    clock.set('2026-05-01T01:00:00Z')
    const attended = await publish(t, { title: '五一观影', start: '2026-05-01 14:00 +0800', end: '2026-05-01 16:00 +0800', deadline: '' })
    const full = await publish(t, { title: '插花课', capacity: '1' })
    await clickOn(t, 'ou_me', attended.card, SIGN_UP.name)
    await clickOn(t, 'ou_other', full.card, SIGN_UP.name)
    await clickOn(t, 'ou_me', full.card, SIGN_UP.name)
    clock.set('2026-05-01T06:00:00Z')
    expect(textsOf(await say('ou_me', `签到 ${attended.number}`))).toEqual([`签到成功（${attended.number}）。`])
    clock.set('2026-05-01T09:00:00Z')
    const mine = cardsTitled(await say('ou_me', '我的活动'), '我的活动')
    expect(mine).toHaveLength(1)
    const shown = cardText(mine[0]!.content)
    expect(shown).toContain(`**${full.number}**　插花课`)
    expect(shown).toContain('候补第 1 位')
    expect(shown).toContain('2026 年参加过的活动：1 次')
    expect(shown).toContain(`2026-05-01　${attended.number} 五一观影`)
    expect(shown).not.toContain('新年登高')

    // In a group the card goes privately.
    const mark = t.fake.messages.length
    await t.sendMessage({ sender: 'ou_me', chatId: GROUP, chatType: 'group', text: '我的活动', mentionBot: true })
    await t.settle()
    const after = t.fake.messages.slice(mark)
    expect(cardsTitled(after.filter((m) => m.receiveId === 'ou_me'), '我的活动')).toHaveLength(1)
    expect(textsOf(after)).toEqual(['已私信发给您。'])
  })
})

describe('escaping', () => {
  it('shows user-typed titles, descriptions, places and reasons escaped in every card, and never in text messages', async () => {
    const mark = t.fake.messages.length
    const a = await publish(t, {
      title: '<at id=all></at>**bold**[link](http://x)',
      description: HOSTILE.join(' '),
      place: '# heading <font color=red>x</font> <at user_id="ou_x"></at>',
      capacity: '1',
    })
    await clickOn(t, 'ou_e1', a.card, SIGN_UP.name)
    await clickOn(t, 'ou_e2', a.card, SIGN_UP.name)
    await say('ou_e1', '活动')
    await say('ou_e2', '我的活动')
    await say('ou_e1', `活动 ${a.number}`)
    await clickOn(t, 'ou_e1', a.card, { text: '取消报名' }) // promotes ou_e2: a notice with the title
    await t.settle()
    await say(OFFICER, `取消活动 ${a.number} ${HOSTILE.join(' ')}`)
    const confirm = cardsTitled(t.fake.messages, `取消活动 · ${a.number}`).at(-1)!
    await t.click({ operator: OFFICER, value: button(confirm.content, '确认取消活动').value, messageId: confirm.messageId, chatId: confirm.chatId! })
    await t.settle()

    const sent = t.fake.messages.slice(mark)
    const cards = sent.filter((m) => m.msgType === 'interactive')
    expect(cards.length).toBeGreaterThanOrEqual(7)
    const everything = [
      ...cards.filter((m) => m.content.header.title.content !== '发起活动').map((m) => JSON.stringify(m.content)),
      ...sent.flatMap((m) => m.patches.map((p) => JSON.stringify(p))),
    ]
    for (const json of everything) for (const bad of HOSTILE) expect(json).not.toContain(JSON.stringify(bad).slice(1, -1))
    // Escaped, the words are still there to read.
    expect(cardText(t.fake.currentCard(a.card.messageId))).toContain('&#60;at id&#61;all&#62;&#60;&#47;at&#62;&#42;&#42;bold&#42;&#42;&#91;link&#93;&#40;http&#58;&#47;&#47;x&#41;')
    for (const text of textsOf(sent)) expect(text).not.toMatch(/<at|\[link\]|heading|bold/)
  })
})
