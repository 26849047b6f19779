// Overdue proposals with a ManualClock: flagged on cards and lists, the department contact reminded once per
// working day from 09:00 (also across two bot instances), the committee told once, nothing after the answer.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { findProposal } from '../../src/proposals/store.js'
import { listTimeline } from '../../src/proposals/timeline.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardJson, cardTitled, clickOn, committeeTexts, lastCard, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
let second: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 2026-03-02 10:00 in Asia/Shanghai
let number = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  second = await startTestBot({ db, clock, fake: t.fake, instanceId: 'second' })
  await setupRoster(t)
  number = await submitProposal(t, REP_A)
  await say(t, REP_B, `附议 ${number}`)
  await say(t, REP_C, `附议 ${number}`)
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  const { body: reg } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
  const deptId = JSON.stringify(reg.card?.data).match(/"value":"(\d+)"/)![1]
  await clickOn(t, OFFICER, review, 'proposal.assign', { formValue: { department: deptId, due_date: '2026-03-04 +0800' } })
})
afterAll(async () => {
  await second?.stop()
  await t?.stop()
  await db?.drop()
})

const reminders = () => t.fake.messagesToUser(CONTACT.openId).filter((m) => m.content?.header?.title?.content === `提案超期提醒 ${number}`)

async function tick(iso: string): Promise<void> {
  clock.set(iso)
  await t.bot.runPeriodic(clock.now())
}

it('sends nothing on the due date itself, nor before 09:00 the day after', async () => {
  await tick('2026-03-04T08:00:00Z') // Wed 16:00, the due date
  await tick('2026-03-05T00:59:00Z') // Thu 08:59
  expect(reminders()).toHaveLength(0)
})

it('reminds the department contact at 09:00 the first working day after, with the answer form, and tells the committee once', async () => {
  clock.set('2026-03-05T01:00:00Z') // Thu 09:00
  // Two instances tick the same minute: one reminder.
  await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now())])
  expect(reminders()).toHaveLength(1)
  const text = cardJson(reminders()[0]!.content)
  expect(text).toContain('该提案已超过办理期限 1 天')
  expect(text).toContain('proposal.answer')
  expect(committeeTexts(t).filter((x) => x.includes(`提案 ${number} 已超过办理期限（2026-03-04）`))).toHaveLength(1)
  const p = (await findProposal(t.bot.services.db, number))!
  expect((await listTimeline(t.bot.services.db, p.id)).filter((e) => e.kind === 'overdue')).toHaveLength(1)
})

it('is flagged on the proposal card, the committee card and the 超期 list', async () => {
  await say(t, WORKER, `提案 ${number}`)
  const card = lastCard(t, WORKER.openId)
  expect(card.content.header.template).toBe('red')
  expect(cardJson(card.content)).toContain('已超期')
  expect(cardJson(card.content)).toContain('超过办理期限（2026-03-04），已提醒 后勤保障部')
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  expect(cardJson(t.fake.currentCard(review.messageId))).toContain('已超期')
  await say(t, WORKER, '提案列表 超期')
  expect(cardJson(lastCard(t, WORKER.openId).content)).toContain(number)
})

it('reminds once a day: not again the same day, again the next working day, not at the weekend', async () => {
  await tick('2026-03-05T06:00:00Z') // Thu 14:00
  expect(reminders()).toHaveLength(1)
  await tick('2026-03-06T01:30:00Z') // Fri 09:30
  expect(reminders()).toHaveLength(2)
  expect(cardJson(reminders()[1]!.content)).toContain('已超过办理期限 2 天')
  await tick('2026-03-07T02:00:00Z') // Sat
  await tick('2026-03-08T02:00:00Z') // Sun
  expect(reminders()).toHaveLength(2)
  await tick('2026-03-09T01:00:00Z') // Mon
  expect(reminders()).toHaveLength(3)
  expect(committeeTexts(t).filter((x) => x.includes('已超过办理期限'))).toHaveLength(1)
})

it('stops once the department answers (from the reminder card)', async () => {
  const { body: res } = await clickOn(t, CONTACT, reminders()[2]!, 'proposal.answer', { formValue: { answer: '已完成整改，夜间窗口已开放。', answer_class: 'A' } })
  expect(res.toast?.type).toBe('success')
  await tick('2026-03-10T01:00:00Z')
  expect(reminders()).toHaveLength(3)
  expect((await findProposal(t.bot.services.db, number))!.status).toBe('answered')
})
