import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, OFFICER, openForm, publish, submitForm } from '../helpers/activities.js'
import { button, buttonsOf, cardsTitled, cardText, cardTitle, clickOn, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z') // Friday 09:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => {
  clock.set('2026-05-01T01:00:00Z')
  t.fake.reset()
})

const activityCount = async () => Number((await t.bot.services.db.selectFrom('activities').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

describe('publishing', () => {
  it('answers 发起活动 from an officer with the form, and refuses a worker politely', async () => {
    const form = await openForm(t)
    expect(form.content.schema).toBe('2.0')
    const names = JSON.stringify(form.content)
    for (const field of ['"title"', '"description"', '"starts_at"', '"ends_at"', '"place"', '"capacity"', '"deadline"', '"cancel_after_deadline"']) expect(names).toContain(field)
    expect(names).toContain('picker_datetime')

    t.fake.reset()
    await t.sendMessage({ sender: 'ou_worker', chatId: GROUP, chatType: 'group', text: '发起活动', mentionBot: true })
    await t.settle()
    expect(textsOf(t.fake.messages)).toEqual(['抱歉，只有工会干部可以使用此功能。'])
  })

  it('creates A-001 from the form and posts its sign-up card to the chat where the command was given', async () => {
    const before = await activityCount()
    const a = await publish(t, { title: '春季健步走', capacity: '50' })
    expect(a.number).toBe(`A-${String(before + 1).padStart(3, '0')}`)
    const shown = cardText(a.card.content)
    expect(cardTitle(a.card)).toBe(`活动报名 · ${a.number}`)
    expect(shown).toContain('春季健步走')
    expect(shown).toContain('2026-05-03（周日）09:00 – 17:00')
    expect(shown).toContain('滨江公园南门')
    expect(shown).toContain('已报名 0/50')
    expect(shown).toContain('候补 0 人')
    expect(shown).toContain('**报名截止：**2026-05-02 18:00')
    expect(buttonsOf(a.card.content).map((b) => b.text)).toEqual(['报名', '取消报名'])
    expect(a.card.content.config.update_multi).toBe(true)
    const row = await t.bot.services.db.selectFrom('activities').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow()
    expect(row.starts_at.toISOString()).toBe('2026-05-03T01:00:00.000Z')
    expect(row.signup_deadline.toISOString()).toBe('2026-05-02T10:00:00.000Z')
    expect(row).toMatchObject({ capacity: 50, status: 'open', created_by: OFFICER, allow_cancel_after_deadline: false })
    const cards = await t.bot.services.db.selectFrom('activity_cards').selectAll().where('activity_id', '=', a.id).execute()
    expect(cards.map((c) => c.message_id)).toEqual([a.card.messageId])
  })

  it('accepts capacity 0 as unlimited and a missing deadline as "until the start"', async () => {
    const a = await publish(t, { capacity: '0', deadline: '' })
    expect(cardText(a.card.content)).toContain('已报名 0 人（不限名额）')
    expect(cardText(a.card.content)).toContain('**报名截止：**2026-05-03 09:00')
  })

  const refusals: Array<[string, Parameters<typeof submitForm>[2], string]> = [
    ['end before start', { start: '2026-05-03 09:00 +0800', end: '2026-05-03 08:00 +0800' }, '结束时间必须晚于开始时间'],
    ['end equal to start', { start: '2026-05-03 09:00 +0800', end: '2026-05-03 09:00 +0800' }, '结束时间必须晚于开始时间'],
    ['deadline after start', { deadline: '2026-05-03 10:00 +0800' }, '报名截止时间不能晚于开始时间'],
    ['negative capacity', { capacity: '-5' }, '人数上限不能为负数（0 表示不限）'],
    ['capacity not a whole number', { capacity: '3.5' }, '人数上限请填写整数（0 表示不限）'],
    ['capacity missing', { capacity: '' }, '请填写人数上限（0 表示不限）'],
    ['capacity too large', { capacity: '1000000' }, '人数上限不能超过 100000'],
    ['start in the past', { start: '2026-04-30 09:00 +0800', end: '2026-05-03 17:00 +0800', deadline: '' }, '开始时间已经过去，请选择将来的时间'],
    ['deadline in the past', { deadline: '2026-05-01 08:00 +0800' }, '报名截止时间已经过去，请选择将来的时间'],
    ['missing title', { title: '  ' }, '请填写活动名称'],
    ['title too long', { title: '长'.repeat(51) }, '活动名称不能超过 50 个字'],
    ['missing place', { place: '' }, '请填写活动地点'],
    ['missing start', { start: '' }, '请选择开始时间'],
    ['unreadable time', { end: '2026-02-30 10:00 +0800' }, '结束时间的格式不正确，请用日期时间选择器重新选择'],
  ]
  for (const [what, input, reason] of refusals) {
    it(`refuses ${what} on the form with the reason`, async () => {
      const before = await activityCount()
      const form = await openForm(t)
      const res = await submitForm(t, form, input)
      expect(res.status).toBe(200)
      expect(res.body.toast).toEqual({ type: 'error', content: reason })
      // The form comes back with the reason and what was typed, ready to correct.
      const again = res.body.card.data
      expect(again.header.title.content).toBe('发起活动')
      expect(cardText(again)).toContain(`- ${reason}`)
      expect(JSON.stringify(again)).toContain('滨江公园南门'.slice(0, input.place === '' ? 0 : 6))
      expect(await activityCount()).toBe(before)
      expect(cardsTitled(t.fake.messages, '活动报名')).toHaveLength(0)
    })
  }

  it('lists every reason at once when several values are wrong', async () => {
    const form = await openForm(t)
    const res = await submitForm(t, form, { title: '', capacity: '-1', start: '2026-05-03 09:00 +0800', end: '2026-05-02 09:00 +0800' })
    const shown = cardText(res.body.card.data)
    for (const reason of ['请填写活动名称', '结束时间必须晚于开始时间', '人数上限不能为负数']) expect(shown).toContain(reason)
  })

  it('creates one activity when the same form is submitted twice (double click), even at the same moment', async () => {
    const before = await activityCount()
    const form = await openForm(t)
    const [r1, r2] = await Promise.all([submitForm(t, form, {}), submitForm(t, form, {})])
    const toasts = [r1.body.toast.content, r2.body.toast.content].sort()
    expect(toasts[0]).toMatch(/^活动 A-\d{3} 已发布$/)
    expect(toasts[1]).toMatch(/^该活动已发布（A-\d{3}）$/)
    const r3 = await submitForm(t, form, {})
    expect(r3.body.toast.content).toMatch(/^该活动已发布/)
    expect(await activityCount()).toBe(before + 1)
    expect(cardsTitled(t.fake.messagesInChat(GROUP), '活动报名')).toHaveLength(1)
  })

  it('refuses the form submit from a worker and creates nothing', async () => {
    const before = await activityCount()
    const form = await openForm(t)
    const res = await submitForm(t, form, {}, 'ou_worker')
    expect(res.body.toast).toEqual({ type: 'error', content: '抱歉，只有工会干部可以进行此操作。' })
    expect(await activityCount()).toBe(before)
  })

  it('posts the card to further chats with 发布活动, or where the officer @-mentions the bot, and reports chats without the bot', async () => {
    const a = await publish(t)
    t.fake.reset()
    t.fake.chatsWithoutBot.add('oc_no_bot_here')
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_workshop_1 oc_workshop_2 oc_no_bot_here` })
    await t.settle()
    expect(cardsTitled(t.fake.messagesInChat('oc_workshop_1'), `活动报名 · ${a.number}`)).toHaveLength(1)
    expect(cardsTitled(t.fake.messagesInChat('oc_workshop_2'), `活动报名 · ${a.number}`)).toHaveLength(1)
    expect(textsOf(t.fake.messagesInChat('oc_p2p_chair'))).toEqual([`${a.number} 的报名卡片已发到 2 个群；以下群发送失败（请先把我拉进群）：oc_no_bot_here`])

    await t.sendMessage({ sender: OFFICER, chatId: 'oc_canteen', chatType: 'group', text: `发布活动 ${a.number.toLowerCase()}`, mentionBot: true })
    await t.settle()
    expect(cardsTitled(t.fake.messagesInChat('oc_canteen'), `活动报名 · ${a.number}`)).toHaveLength(1)
    expect(textsOf(t.fake.messagesInChat('oc_canteen'))).toEqual([])
    const registered = await t.bot.services.db.selectFrom('activity_cards').select('chat_id').where('activity_id', '=', a.id).execute()
    expect(registered.map((r) => r.chat_id).sort()).toEqual([GROUP, 'oc_canteen', 'oc_workshop_1', 'oc_workshop_2'].sort())

    // Workers cannot publish.
    t.fake.reset()
    await t.sendMessage({ sender: 'ou_worker', chatId: 'oc_canteen', chatType: 'group', text: `发布活动 ${a.number}`, mentionBot: true })
    await t.settle()
    expect(textsOf(t.fake.messages)).toEqual(['抱歉，只有工会干部可以使用此功能。'])
  })

  it('tells the officer privately when the card cannot be posted because the bot left the group meanwhile', async () => {
    const form = await openForm(t, 'oc_left_group')
    t.fake.chatsWithoutBot.add('oc_left_group')
    const res = await submitForm(t, form, {})
    expect(res.body.toast.type).toBe('success')
    const number = /A-\d{3}/.exec(res.body.toast.content)![0]
    expect(textsOf(t.fake.messagesToUser(OFFICER))).toEqual([`${number} 已创建，但报名卡片没能发到群里（机器人可能不在群内）。请把我拉进群后发送「发布活动 ${number} 群ID」。`])
    const pending = await t.bot.services.db.selectFrom('inbox_events').select('status').where('status', '!=', 'done').execute()
    expect(pending).toEqual([])
  })

  it('explains a missing or unknown number', async () => {
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: '发布活动' })
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: '发布活动 A-999' })
    await t.settle()
    expect(textsOf(t.fake.messages)).toEqual([
      '请写上活动编号，如：发布活动 A-012 oc_xxx。发送「活动」查看近期活动的编号。',
      '没有找到活动 A-999，请核对编号。发送「活动」查看近期活动。',
    ])
  })
})

describe('cancelling an activity', () => {
  it('asks for confirmation, then tells every participant and waitlisted person privately and shows 已取消 on every card', async () => {
    const a = await publish(t, { capacity: '2' })
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_other_group` })
    await t.settle()
    const other = cardsTitled(t.fake.messagesInChat('oc_other_group'), '活动报名')[0]!
    for (const who of ['ou_a', 'ou_b', 'ou_c']) expect((await clickOn(t, who, a.card, SIGN_UP.name)).status).toBe(200)
    await t.settle()

    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `取消活动 ${a.number} 因天气原因改期` })
    await t.settle()
    const confirm = cardsTitled(t.fake.messages, `取消活动 · ${a.number}`)[0]!
    expect(cardText(confirm.content)).toContain('已报名的 2 人和候补的 1 人')
    // Nothing happens before the confirmation.
    expect((await t.bot.services.db.selectFrom('activities').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('open')

    // A worker pressing the officer's button is refused, and nothing changes.
    const cancelButton = button(confirm.content, '确认取消活动')
    const denied = await t.click({ operator: 'ou_a', value: cancelButton.value, messageId: confirm.messageId, chatId: 'oc_p2p_chair' })
    expect(denied.body.toast).toEqual({ type: 'error', content: '抱歉，只有工会干部可以进行此操作。' })
    await t.settle()
    expect((await t.bot.services.db.selectFrom('activities').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('open')

    const [c1, c2] = await Promise.all([
      t.click({ operator: OFFICER, value: cancelButton.value, messageId: confirm.messageId, chatId: 'oc_p2p_chair' }),
      t.click({ operator: OFFICER, value: cancelButton.value, messageId: confirm.messageId, chatId: 'oc_p2p_chair' }),
    ])
    expect([c1.body.toast.content, c2.body.toast.content].sort()).toEqual([`已取消活动 ${a.number}`, '该活动已取消'].sort())
    await t.settle()
    for (const who of ['ou_a', 'ou_b', 'ou_c']) {
      const notices = cardsTitled(t.fake.messagesToUser(who), `活动取消 · ${a.number}`)
      expect(notices, who).toHaveLength(1)
      expect(cardText(notices[0]!.content)).toContain('因天气原因改期')
    }
    for (const card of [a.card, other]) {
      const now = t.fake.currentCard(card.messageId)
      expect(cardText(now)).toContain('本活动已取消')
      expect(buttonsOf(now)).toEqual([])
    }
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'activity.cancel').where('subject_id', '=', a.number).execute()
    expect(audit).toHaveLength(1)

    // A stale copy of the card (an old client) still has the button: signing up is refused.
    const stale = await t.click({ operator: 'ou_d', value: button(a.card.content, '报名').value, messageId: a.card.messageId, chatId: GROUP })
    expect(stale.body.toast).toEqual({ type: 'warning', content: '活动已取消' })
    const mark = t.fake.messages.length
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `取消活动 ${a.number}` })
    await t.settle()
    expect(textsOf(t.fake.messages.slice(mark))).toEqual([`${a.number} 已经取消了。`])
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_another` })
    await t.settle()
    expect(textsOf(t.fake.messages.slice(mark)).at(-1)).toBe(`${a.number} 已取消，不能再发布。`)
    expect(t.fake.messagesInChat('oc_another')).toEqual([])
  })

  it('refuses 取消活动 from a worker', async () => {
    const a = await publish(t)
    await t.sendMessage({ sender: 'ou_worker', chatId: 'oc_p2p_worker', chatType: 'p2p', text: `取消活动 ${a.number}` })
    await t.settle()
    expect(textsOf(t.fake.messagesInChat('oc_p2p_worker'))).toEqual(['抱歉，只有工会干部可以使用此功能。'])
    expect(cardsTitled(t.fake.messages, '取消活动')).toHaveLength(0)
  })
})
