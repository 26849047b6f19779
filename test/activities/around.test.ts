import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { GROUP, OFFICER, publish } from '../helpers/activities.js'
import { HOSTILE, answersTo, button, buttonsOf, cardsTitled, cardText, clickOn, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
let t2: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')
// A short inbox lease, so an event whose deferred work failed is retried within the test.
const env = { INBOX_LEASE_SECONDS: '1' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env, instanceId: 'bot-1' })
  t2 = await startTestBot({ db, clock, env, fake: t.fake, instanceId: 'bot-2' })
})
afterAll(async () => {
  await t2?.stop()
  await t?.stop()
  await db?.drop()
})
beforeEach(() => clock.set('2026-05-01T01:00:00Z'))

const say = (sender: string, text: string, chatId?: string) => answersTo(t, sender, text, chatId)
const reminders = (who: string, number: string) => cardsTitled(t.fake.messagesToUser(who), `活动提醒 · ${number}`)

describe('reminders', () => {
  it('reminds each confirmed participant once, 24 hours before the start, with two instances and a restart', async () => {
    // Starts 2026-05-03 09:00 in Shanghai = 01:00Z; the reminder is due from 2026-05-02 01:00Z.
    const a = await publish(t, { capacity: '2' })
    for (const who of ['ou_r1', 'ou_r2', 'ou_r3']) await clickOn(t, who, a.card, SIGN_UP.name)
    await t.settle()

    clock.set('2026-05-02T00:59:00Z')
    await t.bot.runPeriodic(clock.now())
    expect(reminders('ou_r1', a.number)).toHaveLength(0)

    clock.set('2026-05-02T01:00:00Z')
    await Promise.all([t.bot.runPeriodic(clock.now()), t2.bot.runPeriodic(clock.now())])
    clock.set('2026-05-02T01:01:00Z')
    await Promise.all([t.bot.runPeriodic(clock.now()), t2.bot.runPeriodic(clock.now())])
    expect(reminders('ou_r1', a.number)).toHaveLength(1)
    expect(reminders('ou_r2', a.number)).toHaveLength(1)
    expect(reminders('ou_r3', a.number)).toHaveLength(0) // waitlisted
    expect(cardText(reminders('ou_r1', a.number)[0]!.content)).toContain('2026-05-03 09:00')

    // A new instance after a restart finds nothing left to send.
    const t3 = await startTestBot({ db, clock, env, fake: t.fake, instanceId: 'bot-3' })
    try {
      clock.set('2026-05-02T06:00:00Z')
      await t3.bot.runPeriodic(clock.now())
    } finally {
      await t3.stop()
    }
    expect(reminders('ou_r1', a.number)).toHaveLength(1)

    // Promoted inside the 24 hours: reminded at the next tick, once.
    await clickOn(t, 'ou_r2', a.card, { text: '取消报名' })
    await t.settle()
    await t.bot.runPeriodic(clock.now())
    await t.bot.runPeriodic(clock.now())
    expect(reminders('ou_r3', a.number)).toHaveLength(1)
    expect(reminders('ou_r2', a.number)).toHaveLength(1)
  })

  it('sends a reminder once even when a tick fails half-way and runs again', async () => {
    const a = await publish(t, { capacity: '5' })
    for (const who of ['ou_f1', 'ou_f2', 'ou_f3']) await clickOn(t, who, a.card, SIGN_UP.name)
    await t.settle()
    clock.set('2026-05-02T02:00:00Z')
    // The first reminder reaches Feishu but every answer is lost (as in a crash before COMMIT): the tick fails
    // and its marks roll back, so the next tick sends again, under the same idempotency key.
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5, applyFirst: true })
    await t.bot.runPeriodic(clock.now())
    const first = await t.bot.services.db.selectFrom('activity_signups').select('reminded_at').where('activity_id', '=', a.id).execute()
    expect(first.every((r) => r.reminded_at === null)).toBe(true)
    expect(reminders('ou_f1', a.number)).toHaveLength(1)
    await t.bot.runPeriodic(clock.now())
    await t.bot.runPeriodic(clock.now())
    for (const who of ['ou_f1', 'ou_f2', 'ou_f3']) expect(reminders(who, a.number), who).toHaveLength(1)
    const marked = await t.bot.services.db.selectFrom('activity_signups').select('reminded_at').where('activity_id', '=', a.id).execute()
    expect(marked.every((r) => r.reminded_at !== null)).toBe(true)
  })

  it('sends no reminder for a cancelled activity, while a live one at the same time gets its reminder in the same tick', async () => {
    const cancelled = await publish(t, { title: '取消的健步走' })
    const live = await publish(t, { title: '照常的健步走' })
    for (const a of [cancelled, live]) await clickOn(t, 'ou_c1', a.card, SIGN_UP.name)
    await clickOn(t, 'ou_c2', live.card, SIGN_UP.name)
    await t.settle()
    // Cancelled the way an officer does it: 取消活动, then the confirmation card's button.
    const confirm = cardsTitled(await say(OFFICER, `取消活动 ${cancelled.number}`), `取消活动 · ${cancelled.number}`)[0]
    expect(confirm, 'confirmation card').toBeDefined()
    const res = await t.click({ operator: OFFICER, value: button(confirm!.content, '确认取消活动').value, messageId: confirm!.messageId, chatId: `oc_p2p_${OFFICER}` })
    expect(res.body.toast.content).toBe(`已取消活动 ${cancelled.number}`)
    await t.settle()

    clock.set('2026-05-02T02:00:00Z')
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    expect(reminders('ou_c1', cancelled.number)).toHaveLength(0)
    expect(reminders('ou_c1', live.number)).toHaveLength(1)
    expect(reminders('ou_c2', live.number)).toHaveLength(1)
  })
})

describe('promotion notices', () => {
  it('still tells a promoted person when the first notice failed (the periodic task sends it, once)', async () => {
    const a = await publish(t, { capacity: '1' })
    await clickOn(t, 'ou_p1', a.card, SIGN_UP.name)
    await clickOn(t, 'ou_p2', a.card, SIGN_UP.name)
    await t.settle()
    // The notice to ou_p2 fails on every retry.
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5 })
    expect((await clickOn(t, 'ou_p1', a.card, { text: '取消报名' })).body.toast.content).toBe('已取消报名')
    await t.settle()
    expect(cardsTitled(t.fake.messagesToUser('ou_p2'), '候补成功')).toHaveLength(0)
    clock.set('2026-05-01T01:03:00Z')
    await t.bot.runPeriodic(clock.now())
    await t2.bot.runPeriodic(clock.now())
    expect(cardsTitled(t.fake.messagesToUser('ou_p2'), `候补成功 · ${a.number}`)).toHaveLength(1)
  })
})

describe('check-in', () => {
  it('opens 30 minutes before the start, by text or by the card button, once per person, and closes at the end', async () => {
    const a = await publish(t, { capacity: '2' })
    for (const who of ['ou_k1', 'ou_k2', 'ou_k3']) await clickOn(t, who, a.card, SIGN_UP.name)
    await t.settle()
    clock.set('2026-05-03T00:29:00Z') // 08:29
    expect(textsOf(await say('ou_k1', `签到 ${a.number}`))).toEqual([`签到尚未开始，2026-05-03 08:30 起可以签到（${a.number}）。`])

    clock.set('2026-05-03T00:30:00Z')
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    const card = t.fake.currentCard(a.card.messageId)
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['签到'])
    const checkIn = (who: string) => t.click({ operator: who, value: button(card, '签到').value, messageId: a.card.messageId, chatId: GROUP })
    expect((await checkIn('ou_k1')).body.toast).toEqual({ type: 'success', content: '签到成功' })
    expect((await checkIn('ou_k1')).body.toast).toEqual({ type: 'info', content: '您已签到' })
    expect((await checkIn('ou_k3')).body.toast).toEqual({ type: 'warning', content: '您没有此活动的名额，无法签到' })
    expect(textsOf(await say('ou_k2', `签到 ${a.number}`))).toEqual([`签到成功（${a.number}）。`])
    expect(textsOf(await say('ou_k2', `签到 ${a.number}`))).toEqual([`您已签到（${a.number}）。`])

    clock.set('2026-05-03T09:00:00Z') // 17:00: over
    expect((await checkIn('ou_k3')).body.toast).toEqual({ type: 'warning', content: '活动已结束，签到已关闭' })
    const rows = await t.bot.services.db.selectFrom('activity_signups').select(['open_id', 'checked_in_at']).where('activity_id', '=', a.id).orderBy('seq').execute()
    expect(rows.map((r) => [r.open_id, r.checked_in_at?.toISOString() ?? null])).toEqual([
      ['ou_k1', '2026-05-03T00:30:00.000Z'],
      ['ou_k2', '2026-05-03T00:30:00.000Z'],
      ['ou_k3', null],
    ])
    expect(textsOf(await say(OFFICER, `取消活动 ${a.number}`))).toEqual([`${a.number} 已结束，不能取消。`])
  })
})

describe('check-in code (security review F14)', () => {
  it('needs the code shown at the venue when the officer chose it, refuses wrong codes and stops after 5 wrong tries', async () => {
    const mark = t.fake.messages.length
    const a = await publish(t, { capacity: '3', checkinCode: 'yes' })
    // The code goes to the officer privately, never to the group.
    const codeCard = cardsTitled(t.fake.messagesToUser(OFFICER), `签到码 · ${a.number}`)
    expect(codeCard).toHaveLength(1)
    const code = /签到码：(\d{6})/.exec(cardText(codeCard[0]!.content))![1]!
    expect(JSON.stringify(codeCard[0]!.content.header)).not.toContain(code)
    for (const who of ['ou_v1', 'ou_v2', 'ou_v3']) await clickOn(t, who, a.card, SIGN_UP.name)
    await t.settle()
    clock.set('2026-05-03T00:40:00Z')
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    const inGroup = t.fake.messagesInChat(GROUP).filter((m) => t.fake.messages.indexOf(m) >= mark)
    for (const m of inGroup) for (const c of [m.content, ...m.patches]) expect(JSON.stringify(c)).not.toContain(code)

    // The card's 签到 now submits a form with the code.
    const card = t.fake.currentCard(a.card.messageId)
    expect(JSON.stringify(card)).toContain('"name":"checkin_code"')
    const byCard = (who: string, typed?: string) =>
      t.click({ operator: who, value: button(card, '签到').value, messageId: a.card.messageId, chatId: GROUP, ...(typed !== undefined ? { formValue: { checkin_code: typed } } : {}) })
    const wrong = code === '000000' ? '111111' : '000000'

    // Without a code nothing is checked in (and nothing is counted).
    expect(textsOf(await say('ou_v1', `签到 ${a.number}`))).toEqual([`本活动签到需要现场公布的签到码：请发送「签到 ${a.number} 签到码」，或在报名卡片上输入签到码（${a.number}）。`])
    expect((await byCard('ou_v1')).body.toast.type).toBe('warning')
    // Wrong codes count down; the right one (full-width digits forgiven) works on the fifth try.
    for (const left of [4, 3, 2, 1]) expect((await byCard('ou_v1', wrong)).body.toast).toEqual({ type: 'error', content: `签到码不正确，请核对活动现场公布的签到码（还可以再试 ${left} 次）` })
    expect(textsOf(await say('ou_v1', `签到 ${a.number} ${code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`))).toEqual([`签到成功（${a.number}）。`])

    // Guessing stops after 5 wrong tries: then even the right code is refused.
    for (let i = 0; i < 5; i++) await say('ou_v2', `签到 ${a.number} ${wrong}`)
    expect(textsOf(await say('ou_v2', `签到 ${a.number} ${code}`))).toEqual([`签到码已输错 5 次，本活动不能再签到，如确已到场请联系活动组织者（${a.number}）。`])
    expect((await byCard('ou_v3', ` ${code} `)).body.toast).toEqual({ type: 'success', content: '签到成功' })
    // Someone without a place is told so whatever they type: no way to try codes for someone else.
    expect((await byCard('ou_outsider', code)).body.toast).toEqual({ type: 'warning', content: '您没有此活动的名额，无法签到' })

    const rows = await t.bot.services.db.selectFrom('activity_signups').select(['open_id', 'checked_in_at', 'checkin_failed_attempts']).where('activity_id', '=', a.id).orderBy('seq').execute()
    expect(rows.map((r) => [r.open_id, r.checked_in_at !== null, r.checkin_failed_attempts])).toEqual([
      ['ou_v1', true, 4],
      ['ou_v2', false, 5],
      ['ou_v3', true, 0],
    ])

    // The officer can ask for the code again (privately); workers cannot.
    const again = await say(OFFICER, `签到码 ${a.number}`, GROUP)
    expect(textsOf(again)).toEqual([`${a.number} 的签到码已私信发给您。`])
    expect(cardsTitled(again.filter((m) => m.receiveId === OFFICER), `签到码 · ${a.number}`)).toHaveLength(1)
    expect(textsOf(await say('ou_v1', `签到码 ${a.number}`))).toEqual(['抱歉，只有工会干部可以使用此功能。'])
  })
})

describe('roster', () => {
  it('sends the officer the roster as a card and a CSV file, privately, with names, departments, employee numbers, sign-up times, status and check-in', async () => {
    const a = await publish(t, { capacity: '100' })
    // 张三's department and 工号 are readable (the contact scopes granted for him); the others' are not: empty cells.
    t.fake.departments.set('od_weld', { name: '焊装车间' })
    t.fake.users.set('ou_named_0', { name: '张三', departmentIds: ['od_weld'], employeeNo: 'E1024' })
    t.fake.users.set('ou_named_1', { name: HOSTILE.join('') })
    t.fake.users.set('ou_named_2', { name: '=HYPERLINK("http://x")' })
    t.fake.users.set('ou_named_3', { name: ' =1+1' })
    t.fake.users.set('ou_named_4', { name: '张三' })
    const people = Array.from({ length: 120 }, (_, i) => `ou_named_${i}`)
    for (const [i, who] of people.entries()) {
      clock.set(new Date(Date.parse('2026-05-01T01:00:00Z') + i * 1000))
      await clickOn(t, who, a.card, SIGN_UP.name, { settle: false })
    }
    await t.settle()
    clock.set('2026-05-03T00:40:00Z')
    await say('ou_named_0', `签到 ${a.number}`)

    const sent = await say(OFFICER, `名单 ${a.number}`, GROUP)
    expect(textsOf(sent)).toEqual([`${a.number} 的名单已私信发给您。`])
    const roster = cardsTitled(sent.filter((m) => m.receiveId === OFFICER), `活动名单 · ${a.number}`)
    expect(roster).toHaveLength(1)
    const shown = cardText(roster[0]!.content)
    expect(shown).toContain('已报名 **100**/100 · 候补 **20** · 已签到 **1**')
    expect(shown).toContain('1. 张三 · 05-01 09:00 · ✅ 08:40 签到')
    expect(shown).toContain('……另有 20 人，见 CSV 文件')
    expect(shown).toContain('**候补（20）**\n1. ')
    const json = JSON.stringify(roster[0]!.content)
    for (const bad of HOSTILE) expect(json).not.toContain(JSON.stringify(bad).slice(1, -1))

    const fileMessage = sent.find((m) => m.msgType === 'file' && m.receiveId === OFFICER)!
    const file = t.fake.files.get(fileMessage.content.file_key)!
    expect(file.name).toBe(`活动名单-${a.number}.csv`)
    const csv = file.data.toString('utf8')
    expect(csv.startsWith('\uFEFF序号,姓名,部门,工号,报名时间,状态,签到时间\r\n')).toBe(true)
    // No open_id anywhere in the file (security review F16); the row number tells two 张三 apart.
    expect(csv).not.toMatch(/ou_named/)
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(121)
    expect(lines[1]).toBe('1,张三,焊装车间,E1024,2026-05-01 09:00,已报名,2026-05-03 08:40')
    expect(lines[3]).toBe(`3,"'=HYPERLINK(""http://x"")",,,2026-05-01 09:00,已报名,`)
    expect(lines[4]).toBe("4,' =1+1,,,2026-05-01 09:00,已报名,")
    expect(lines[5]).toBe('5,张三,,,2026-05-01 09:00,已报名,')
    expect(lines[101]).toBe('101,（未能获取姓名）,,,2026-05-01 09:01,候补第 1 位,')
    expect(JSON.stringify(roster[0]!.content)).not.toContain('ou_named')

    // Workers cannot see the roster.
    expect(textsOf(await say('ou_named_5', `名单 ${a.number}`))).toEqual(['抱歉，只有工会干部可以使用此功能。'])
  })
})
