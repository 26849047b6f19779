// 复核 (issue #13): after 不予受理 the worker may ask once, within 5 working days, with the instruction the decline
// notice prints; another officer than the one who declined decides on a private card; reversing accepts the case
// with a fresh deadline; the worker hears the outcome; late, repeated or foreign requests are refused politely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { getGrievanceByNumber } from '../../src/grievances/store.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, OFFICER_2, fileGrievance, newWorker, officerAct, reviewCard, type Person } from '../helpers/grievances.js'
import { cardText, cardTitled, clickOn, clickValue, inbox, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday
let worker: Person
let number = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  for (const o of [CHAIR, OFFICER_2]) t.fake.users.set(o.openId, { name: o.name })
  worker = newWorker(t, '吴实名')
  number = await fileGrievance(t, worker)
  await officerAct(t, OFFICER_2.openId, number, 'grievance.decline', { reason: '不属于工会维权范围。' })
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('复核 of a 不予受理', () => {
  it('the decline notice prints the instruction, and it works as printed', async () => {
    const notice = inbox(t, worker).filter((m) => m.msgType === 'interactive').at(-1)!
    const printed = cardText(notice.content).match(/发送「(复核 [^」]+)」/)?.[1]
    expect(printed).toBe(`复核 ${number} 理由`)
    await say(t, newWorker(t), `复核 ${number} 我也要复核`)
    expect(lastText(t, worker)).not.toContain('复核申请')
    await say(t, worker, printed!.replace('理由', '我有三个月的考勤记录可以证明加班'))
    expect(lastText(t, worker)).toContain(`已收到您对诉求 ${number} 的复核申请`)
  })

  it('goes to the chair (not the officer who declined), with both reasons', async () => {
    const card = cardTitled(t, CHAIR, `复核申请 · ${number}`)
    expect(cardText(card.content)).toContain('不属于工会维权范围')
    expect(cardText(card.content)).toContain('三个月的考勤记录')
    expect(inbox(t, OFFICER_2).some((m) => cardText(m.content).includes('复核申请 ·'))).toBe(false)
  })

  it('only once', async () => {
    await say(t, worker, `复核 ${number} 再申请一次`)
    expect(lastText(t, worker)).toBe(`诉求 ${number} 已申请过复核，每件诉求只能申请一次。`)
  })

  it('reversed: the case is accepted with a fresh deadline, the worker is told, the decision is audited', async () => {
    const { body } = await clickOn(t, CHAIR, cardTitled(t, CHAIR, `复核申请 · ${number}`), 'grievance.review.decide', { match: { decision: 'reverse' } })
    expect(body.toast?.type).toBe('success')
    const g = (await getGrievanceByNumber(t.bot.services.db, number))!
    expect(g.status).toBe('accepted')
    expect(g.closedAt).toBeNull()
    expect(lastText(t, worker)).toContain(`经复核，您的诉求 ${number} 已重新受理`)
    expect((await auditTrail(t.bot.services.db, 'grievance', number)).map((a) => a.action)).toContain('grievance.review.reverse')
    expect(cardText(reviewCard(t, number).card)).toContain('复核：撤销不予受理，重新受理')
    // A second decision (another copy of the card) changes nothing.
    const again = await clickValue(t, CHAIR, { action: 'grievance.review.decide', gid: g.id, decision: 'uphold' })
    expect(again.body.toast).toEqual({ type: 'info', content: '该复核申请已经处理过了。' })
    expect((await getGrievanceByNumber(t.bot.services.db, number))!.status).toBe('accepted')
  })

  it('too late after 5 working days, and not for a case that was not declined', async () => {
    const other = await fileGrievance(t, worker, { description: '班车取消以后没有任何补贴，每天打车上班。' })
    await say(t, worker, `复核 ${other} 理由`)
    expect(lastText(t, worker)).toContain('只有「不予受理」的诉求可以申请复核')
    await officerAct(t, OFFICER_2.openId, other, 'grievance.decline', { reason: '请向行政部反映。' })
    clock.set('2026-04-16T02:00:00Z') // six working days later (清明 on 04-06 is behind us)
    await say(t, worker, `复核 ${other} 我不同意`)
    expect(lastText(t, worker)).toContain('已超过 5 个工作日，不能再申请复核')
  })
})
