// The working-day calendar in chat (issue #20) through the real webhook: `节假日 2027` (source, days, who loaded
// it), `节假日 设置 2027` with the dates in the same message or the next one, the preview with errors by line (the
// officer's text shown back, nothing stored) and the confirm button (stored, audited, used at once, a second click
// changes nothing), refusals, a loaded arrangement moving a grievance deadline, and the weekly December reminder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { HOLIDAYS_CONFIRM } from '../../src/organisation/holiday-actions.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { fileGrievance, newWorker, reviewCard } from '../helpers/grievances.js'
import { EVIL, answersTo, buttonValue, cardText, cardTitle, cardsOf, clickOn, clickValue, committeeCards, expectEscaped, groupSay, lastCard, lastText, say, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-11-30T02:00:00Z') // Monday 10:00 in Shanghai, before December

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const ARRANGEMENT_2027 = ['放假 2027-01-01~2027-01-05', '上班 2027-01-09', '放假 2027-02-05~2027-02-12', '上班 2027-02-13']
const stored = (year: number) => t.bot.services.db.selectFrom('holiday_arrangements').selectAll().where('year', '=', year).executeTakeFirst()
const audits = () => t.bot.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'holidays.load').execute()
const reminders = () => committeeCards(t).filter((m) => cardTitle(m).includes('请加载 2027 年节假日安排'))

async function tickAt(iso: string): Promise<void> {
  clock.set(iso)
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

describe('节假日 <year>', () => {
  it('shows a year the package knows, with its make-up workdays', async () => {
    await say(t, CHAIR, '节假日 2026')
    const c = lastCard(t, CHAIR)
    expect(cardTitle(c)).toBe('2026 年节假日安排')
    const text = cardText(c.content)
    expect(text).toContain('软件内置的国务院安排')
    expect(text).toMatch(/放假 2026-02-1\d~2026-02-2\d/)
    expect(text).toContain('上班 ')
  })

  it('shows a year nobody has loaded as the statutory estimate, with its lunar holidays', async () => {
    await say(t, CHAIR, '节假日 ２０２７年')
    const text = cardText(lastCard(t, CHAIR).content)
    expect(text).toContain('按法定节假日估算')
    // 春节 2027: 除夕 5 February, 正月初一 6 February (lunar tables, not hard-coded).
    expect(text).toContain('2027-02-05　春节（除夕）')
    expect(text).toContain('2027-02-06　春节（正月初一）')
    expect(text).toContain('节假日 设置 2027')
  })

  it('without a year shows the current one', async () => {
    await say(t, CHAIR, '节假日')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('2026 年节假日安排')
    await say(t, CHAIR, '节假日2025')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('2025 年节假日安排')
  })

  it('refuses a bad year, and anyone who is not an officer', async () => {
    for (const bad of ['节假日 27', '节假日 3000', '节假日 明年', '节假日 设置', '节假日 设置 abcd']) {
      await say(t, CHAIR, bad)
      expect(lastText(t, CHAIR), bad).toContain('请写明 1901–2099 之间的年份')
    }
    const worker = newWorker(t, '孙职工')
    for (const cmd of ['节假日 2027', '节假日 设置 2027\n放假 2027-01-01']) {
      const answers = await answersTo(t, worker, cmd)
      expect(textsOf(answers)).toEqual([MESSAGES.denied])
    }
    expect(await stored(2027)).toBeUndefined()
  })
})

describe('the December reminder while next year is only estimated', () => {
  it('is not sent in November, nor before 09:00', async () => {
    await tickAt('2026-11-30T03:00:00Z')
    await tickAt('2026-12-01T00:30:00Z') // 08:30 in Shanghai
    expect(reminders()).toHaveLength(0)
  })

  it('is sent once in the first week of December, and again the next week', async () => {
    await tickAt('2026-12-01T01:05:00Z') // Tuesday 09:05
    await tickAt('2026-12-01T01:06:00Z')
    await tickAt('2026-12-03T06:00:00Z')
    await tickAt('2026-12-05T03:00:00Z') // Saturday
    expect(reminders()).toHaveLength(1)
    expect(cardText(reminders()[0]!.content)).toContain('节假日 设置 2027')
    await tickAt('2026-12-06T03:00:00Z') // Sunday: no work day
    expect(reminders()).toHaveLength(1)
    // Two instances on the same minute: one reminder.
    const second = await startTestBot({ db, fake: t.fake, clock })
    try {
      clock.set('2026-12-07T01:01:00Z') // Monday 09:01
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now())])
      await Promise.all([t.settle(), second.settle()])
    } finally {
      await second.stop()
    }
    await tickAt('2026-12-08T01:01:00Z')
    expect(reminders()).toHaveLength(2)
  })
})

describe('节假日 设置 <year>', () => {
  it('shows the errors by line with the officer’s text, stores nothing, and takes the corrected text next', async () => {
    clock.set('2026-12-09T02:00:00Z')
    await say(t, CHAIR, `节假日 设置 2027\n放假 2027-01-01\n休 2027-13-01\n${EVIL}\n上班 2027-02-14~2027-02-01`)
    const c = lastCard(t, CHAIR)
    expect(cardTitle(c)).toContain('预览')
    const text = cardText(c.content)
    expect(text).toContain('第 2 行')
    expect(text).toContain('第 3 行')
    expect(text).toContain('第 4 行')
    expect(text).toContain('什么都没有保存')
    // The text is shown back (escaped), so nothing the officer typed is lost.
    expect(text).toContain('2027&#45;13&#45;01')
    expectEscaped(c.content)
    expect(buttonValue(c.content, HOLIDAYS_CONFIRM.name)).toBeUndefined()
    expect(await stored(2027)).toBeUndefined()

    // Still wrong: re-asked with the new text shown.
    await say(t, CHAIR, '放假 2027-01-01\n放假 明天')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('第 2 行')
    expect(await stored(2027)).toBeUndefined()

    // Corrected: a preview with the confirm button; the conversation is over.
    await say(t, CHAIR, ARRANGEMENT_2027.join('\n'))
    const ok = lastCard(t, CHAIR)
    expect(cardText(ok.content)).toContain('放假 2027-01-01~2027-01-05')
    expect(cardText(ok.content)).toContain('现在使用：**按法定节假日估算')
    expect(buttonValue(ok.content, HOLIDAYS_CONFIRM.name)).toBeDefined()
    await say(t, CHAIR, '帮助')
    expect(cardTitle(lastCard(t, CHAIR))).not.toContain('节假日')
    expect(await stored(2027)).toBeUndefined()
  })

  it('takes 节假日 设置 typed again inside the conversation, with another year', async () => {
    await say(t, CHAIR, '节假日 设置 2027')
    await say(t, CHAIR, '节假日 设置 2029')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('设置 2029 年节假日安排')
    await say(t, CHAIR, '节假日 设置2029\n放假 2029-01-01')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('2029 年节假日安排 · 预览')
    expect(buttonValue(lastCard(t, CHAIR).content, HOLIDAYS_CONFIRM.name)).toMatchObject({ year: 2029 })
  })

  it('asks for the dates when they do not come with the command, and warns about a statutory day left out', async () => {
    await say(t, CHAIR, '节假日 设置 2027')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('设置 2027 年节假日安排')
    await say(t, CHAIR, '放假 2027-01-01')
    const c = lastCard(t, CHAIR)
    expect(cardText(c.content)).toContain('10&#45;01（国庆节）是法定节假日，但没有写为放假')
    expect(buttonValue(c.content, HOLIDAYS_CONFIRM.name)).toBeDefined()
  })

  it('a grievance filed before loading has the estimated deadline', async () => {
    clock.set('2026-12-31T02:00:00Z') // Thursday 10:00
    const worker = newWorker(t, '周职工')
    const number = await fileGrievance(t, worker)
    const row = await t.bot.services.db.selectFrom('grievances').select(['accept_due_at']).where('number', '=', number).executeTakeFirstOrThrow()
    // 3 working days with only 1 January off: 4, 5, 6 January.
    expect(row.accept_due_at.toISOString()).toBe('2027-01-06T15:59:59.999Z')
    // The committee's card and the worker's own card say the deadline is only estimated.
    expect(cardText(reviewCard(t, number).card)).toContain('**受理时限：**2027-01-06 前<font color=\'grey\'>（按法定节假日估算）</font>')
    await say(t, worker, `诉求 ${number}`)
    expect(cardText(lastCard(t, worker).content)).toContain('（按法定节假日估算）')
  })

  it('stores on confirm, audits once, uses the days at once, and shows who loaded them', async () => {
    await say(t, CHAIR, `节假日 设置 2027\n${ARRANGEMENT_2027.join('\n')}`)
    const preview = lastCard(t, CHAIR)
    const res = await clickOn(t, CHAIR, preview, HOLIDAYS_CONFIRM.name)
    expect(res.body.toast).toMatchObject({ type: 'success' })
    expect(cardTitle({ msgType: 'interactive', content: res.body.card.data } as never)).toBe('2027 年节假日安排已保存')
    const row = await stored(2027)
    expect(row?.holidays).toContain('2027-01-05')
    expect(row?.workdays).toEqual(['2027-01-09', '2027-02-13'])
    expect(row?.loaded_by).toBe(CHAIR.openId)
    expect(await audits()).toHaveLength(1)
    expect(t.bot.services.calendar.sourceOf(2027)).toBe('loaded')
    expect(t.bot.services.calendar.isWorkday('2027-01-09')).toBe(true)

    // A second click (the same card, or a retried callback) changes nothing.
    const again = await clickValue(t, CHAIR, buttonValue(preview.content, HOLIDAYS_CONFIRM.name)!)
    expect(again.body.toast).toMatchObject({ type: 'info' })
    expect(await audits()).toHaveLength(1)

    await say(t, CHAIR, '节假日 2027')
    const text = cardText(lastCard(t, CHAIR).content)
    expect(text).toContain('已加载的官方安排')
    expect(text).toContain(CHAIR.name)
    expect(text).toContain('上班 2027-01-09')
  })

  it('a grievance filed after loading has the deadline of the loaded days', async () => {
    const number = await fileGrievance(t, newWorker(t, '吴职工'))
    const row = await t.bot.services.db.selectFrom('grievances').select(['accept_due_at']).where('number', '=', number).executeTakeFirstOrThrow()
    // 1–5 January off: 6, 7, 8 January.
    expect(row.accept_due_at.toISOString()).toBe('2027-01-08T15:59:59.999Z')
    expect(cardText(reviewCard(t, number).card)).toContain('**受理时限：**2027-01-08 前')
    expect(cardText(reviewCard(t, number).card)).not.toContain('按法定节假日估算')
  })

  it('refuses a forged or garbled confirm value and a click by a worker', async () => {
    const before = JSON.stringify(await stored(2027))
    const forged = await clickValue(t, CHAIR, { action: HOLIDAYS_CONFIRM.name, year: 2027, days: '放假 2027-13-40' })
    expect(forged.body.toast).toMatchObject({ type: 'error' })
    const worker = newWorker(t, '郑职工')
    const denied = await clickValue(t, worker, { action: HOLIDAYS_CONFIRM.name, year: 2027, days: '放假 2027-01-01' })
    expect(denied.body.toast.content).toBe(MESSAGES.actionDenied)
    expect(JSON.stringify(await stored(2027))).toBe(before)
    expect(await audits()).toHaveLength(1)
  })

  it('in a group: the preview is answered there; without dates the officer is asked privately', async () => {
    const group = 'oc_holiday_group'
    await groupSay(t, group, CHAIR, `节假日 设置 2028\n放假 2028-01-01`)
    expect(cardsOf(t.fake.messagesInChat(group)).map(cardTitle)).toContain('2028 年节假日安排 · 预览')
    await groupSay(t, group, CHAIR, '节假日 设置 2028')
    expect(textsOf(t.fake.messagesInChat(group)).at(-1)).toContain('已私聊您')
    expect(cardTitle(lastCard(t, CHAIR))).toBe('设置 2028 年节假日安排')
    await say(t, CHAIR, '取消')
    // Another private conversation under way is left alone.
    await say(t, CHAIR, '投诉')
    await groupSay(t, group, CHAIR, '节假日 设置 2028')
    expect(textsOf(t.fake.messagesInChat(group)).at(-1)).toContain('还有一项未完成的办理')
    expect((await t.bot.services.conversations.load(CHAIR.openId)) as { state?: { flow: string } }).toMatchObject({ state: { flow: 'grievance.file' } })
    await say(t, CHAIR, '取消')
  })
})

describe('after loading', () => {
  it('no more reminders for the year', async () => {
    const before = reminders().length
    await tickAt('2026-12-14T01:05:00Z')
    await tickAt('2026-12-21T01:05:00Z')
    expect(reminders()).toHaveLength(before)
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).length).toBeGreaterThan(0)
  })
})
