// Grievance deadlines (issue #3) on the Chinese calendar with a ManualClock: across National Day 2026
// (10-01..07 off, Saturday 10-10 a make-up workday) a case is flagged overdue on its card once its deadline has
// passed, and the committee is reminded once per working day until it is handled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard } from '../helpers/grievances.js'
import { cardText, committeeMessages } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-09-30T02:00:00Z') // Wednesday 30 September, 10:00 in Shanghai

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

/** Runs the scheduler tick at a Shanghai wall-clock time. */
async function tickAt(local: string, bot: TestBot = t): Promise<void> {
  const at = new Date(`${local}+08:00`)
  clock.set(at)
  await bot.bot.runPeriodic(at)
  await bot.settle()
}

const reminders = () => committeeMessages(t).filter((m) => m.msgType === 'interactive' && m.content.header.title.content === '维权诉求超期提醒')
const reminderSends = () =>
  t.fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages' && String((r.body as { content?: string })?.content ?? '').includes('维权诉求超期提醒'))

describe('deadlines across National Day 2026', () => {
  let number: string

  it('counts 3 and 15 working days on the Chinese calendar: holidays skipped, the make-up Saturday counted', async () => {
    number = await fileGrievance(t, newWorker(t))
    const g = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    // 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat make-up workday (3). A Monday–Friday count would say 10-05.
    expect(g.accept_due_at.toISOString()).toBe('2026-10-10T15:59:59.999Z')
    // 3 (10-08..10) + 5 (10-12..16) + 5 (10-19..23) + 2 (10-26, 10-27) = 15.
    expect(g.resolve_due_at.toISOString()).toBe('2026-10-27T15:59:59.999Z')
    expect(cardText(reviewCard(t, number).card)).toContain('**受理时限：**2026-10-10 前')
  })

  it('is not overdue during the holiday nor late on the make-up Saturday', async () => {
    await tickAt('2026-10-06T10:00:00')
    await tickAt('2026-10-10T22:00:00')
    const card = reviewCard(t, number).card
    expect(cardText(card)).not.toContain('已超期')
    expect(card.header.template).toBe('orange')
    expect(reminders()).toHaveLength(0)
  })

  it('flags the card once the deadline has passed (Sunday), without a reminder on a rest day', async () => {
    const patchesBefore = t.fake.messages.find((m) => m.messageId === reviewCard(t, number).messageId)!.patches.length
    await tickAt('2026-10-11T09:30:00')
    const { messageId, card } = reviewCard(t, number)
    expect(card.header.template).toBe('red')
    expect(card.header.text_tag_list[0].text.content).toBe('已超期')
    expect(cardText(card)).toContain('**受理时限：**2026-10-10 前 <font color=\'red\'>⚠ 已超期</font>')
    expect(card.config.summary.content).toBe(`诉求 ${number}（劳动报酬）：待受理，已超期`)
    const row = await t.bot.services.db.selectFrom('grievances').select(['accept_overdue_at', 'resolve_overdue_at']).where('number', '=', number).executeTakeFirstOrThrow()
    expect(row.accept_overdue_at?.toISOString()).toBe('2026-10-11T01:30:00.000Z')
    expect(row.resolve_overdue_at).toBeNull()
    // Flagged once: later ticks do not patch the card again for the same deadline.
    await tickAt('2026-10-11T09:31:00')
    expect(t.fake.messages.find((m) => m.messageId === messageId)!.patches.length).toBe(patchesBefore + 1)
    expect(reminders()).toHaveLength(0)
  })

  it('reminds the committee once on the next working day from 09:00, even with two instances ticking', async () => {
    await tickAt('2026-10-12T08:59:00')
    expect(reminders()).toHaveLength(0)
    const second = await startTestBot({ db, fake: t.fake, clock, env: OFFICERS_ENV })
    try {
      const at = new Date('2026-10-12T09:00:00+08:00')
      clock.set(at)
      await Promise.all([t.bot.runPeriodic(at), second.bot.runPeriodic(at)])
      await tickAt('2026-10-12T09:01:00', second)
      await tickAt('2026-10-12T15:00:00')
    } finally {
      await second.stop()
    }
    expect(reminderSends()).toHaveLength(1)
    const r = reminders()
    expect(r).toHaveLength(1)
    expect(r[0]!.chatId).toBe(ADMIN_CHAT_ID)
    const text = cardText(r[0]!.content)
    expect(text).toContain(`**${number}**（劳动报酬，待受理）受理时限 2026-10-10`)
    expect(text).toContain('已超期 1 个工作日')
    expect(text).not.toContain('加班费')
    const key = await t.bot.services.db.selectFrom('grievance_reminders').selectAll().where('day', '=', '2026-10-12').executeTakeFirstOrThrow()
    expect(key).toMatchObject({ case_count: 1, message_id: r[0]!.messageId })
  })

  it('reminds again the next working day until the case is handled', async () => {
    await tickAt('2026-10-13T09:00:00')
    expect(reminders()).toHaveLength(2)
    expect(cardText(reminders()[1]!.content)).toContain('已超期 2 个工作日')
    clock.set(new Date('2026-10-13T10:00:00+08:00'))
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    await officerAct(t, CHAIR.openId, number, 'grievance.assign', { assignee: OFFICER_2.openId })
    const card = reviewCard(t, number).card
    expect(card.header.template).toBe('blue')
    expect(cardText(card)).toContain('（已受理于 2026-10-13，超期）')
    expect(cardText(card)).not.toContain('已超期')
    await tickAt('2026-10-14T09:00:00')
    expect(reminders()).toHaveLength(2)
  })

  it('flags and reminds the resolve deadline of an accepted case, naming its assignee', async () => {
    await tickAt('2026-10-28T00:10:00')
    expect(cardText(reviewCard(t, number).card)).toContain('**办结时限：**2026-10-27 前 <font color=\'red\'>⚠ 已超期 1 个工作日</font>')
    await tickAt('2026-10-28T09:00:00')
    expect(reminders()).toHaveLength(3)
    const text = cardText(reminders()[2]!.content)
    expect(text).toContain(`**${number}**（劳动报酬，处理中）办结时限 2026-10-27`)
    expect(text).toContain('承办人 赵委员')
    await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '已办结。' })
    await tickAt('2026-10-29T09:00:00')
    expect(reminders()).toHaveLength(3)
  })
})

describe('a review card that did not reach the committee', () => {
  it('is posted by the sweep once the group is reachable again', async () => {
    clock.set(new Date('2026-11-02T10:00:00+08:00'))
    t.fake.chatsWithoutBot.add(ADMIN_CHAT_ID)
    const number = await fileGrievance(t, newWorker(t))
    t.fake.chatsWithoutBot.delete(ADMIN_CHAT_ID)
    expect(committeeMessages(t).some((m) => m.content?.header?.title?.content === `维权诉求 ${number}`)).toBe(false)
    await tickAt('2026-11-02T10:00:30')
    expect(committeeMessages(t).some((m) => m.content?.header?.title?.content === `维权诉求 ${number}`)).toBe(false)
    await tickAt('2026-11-02T10:02:00')
    const { messageId } = reviewCard(t, number)
    const row = await t.bot.services.db.selectFrom('grievances').select('review_message_id').where('number', '=', number).executeTakeFirstOrThrow()
    expect(row.review_message_id).toBe(messageId)
  })
})
