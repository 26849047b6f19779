// 催办 (issue #13): on the committee's card of an overdue proposal an officer reminds the department; the contact
// gets the reminder with the answer form, the step is on the timeline (the proposer's live card shows it) and
// audited, at most once a day; a proposal that is not overdue offers no 催办.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardJson, cardText, cardTitled, clickOn, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
let number = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
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
  await t?.stop()
  await db?.drop()
})

const urges = () => t.fake.messagesToUser(CONTACT.openId).filter((m) => m.content?.header?.title?.content === `提案超期提醒 ${number}`)

it('offers no 催办 before the due date has passed', async () => {
  await say(t, OFFICER, `提案处理 ${number}`)
  expect(cardJson(cardTitled(t, OFFICER, `提案审查 ${number}`).content)).not.toContain('proposal.urge')
})

it('once overdue, 催办 reminds the contact, goes on the timeline and the audit log, once a day', async () => {
  clock.set('2026-03-05T02:30:00Z') // Thu 10:30, the day after the due date
  await say(t, OFFICER, `提案处理 ${number}`)
  const card = cardTitled(t, OFFICER, `提案审查 ${number}`)
  expect(cardJson(card.content)).toContain('proposal.urge')
  const { body } = await clickOn(t, OFFICER, card, 'proposal.urge')
  expect(body.toast).toMatchObject({ type: 'success' })
  expect(urges()).toHaveLength(1)
  expect(cardJson(urges()[0]!.content)).toContain('proposal.answer')
  expect(cardText(t.fake.currentCard(cardTitled(t, REP_A, `职代会提案 ${number}`).messageId))).toContain('工会催办 后勤保障部')
  expect((await auditTrail(t.bot.services.db, 'proposal', number)).map((a) => a.action)).toContain('proposal.urge')
  const again = await clickOn(t, OFFICER, card, 'proposal.urge')
  expect(again.body.toast).toMatchObject({ type: 'info', content: '今天已经催办过了，明天可以再次催办。' })
  expect(urges()).toHaveLength(1)
})
