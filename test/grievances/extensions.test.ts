// Extensions of the 办结 deadline (issue #13): an officer asks on the case's card with working days and a reason;
// a 主席/副主席 other than the asker decides on a private card; on approval the deadline moves, the worker is told the
// new date (never the reason) and the history and audit log record each step. Bad input loses nothing typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { getGrievanceByNumber } from '../../src/grievances/store.js'
import { localDate } from '../../src/time.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, OFFICER_2, fileGrievance, newWorker, officerAct, reviewCard, type Person } from '../helpers/grievances.js'
import { cardJson, cardText, cardTitled, clickOn, clickValue, inbox, lastText } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z')
const REASON = '需等待劳动仲裁委员会的裁决结果，预计下月初出具。'
let worker: Person
let number = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  for (const o of [CHAIR, OFFICER_2]) t.fake.users.set(o.openId, { name: o.name })
  worker = newWorker(t, '钱实名')
  number = await fileGrievance(t, worker)
  await officerAct(t, CHAIR.openId, number, 'grievance.accept')
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const due = async (n: string) => localDate((await getGrievanceByNumber(t.bot.services.db, n))!.resolveDueAt, 'Asia/Shanghai')

describe('an extension of the 办结 deadline', () => {
  let before = ''

  it('is offered on a case being handled, as a form; without a reason it is refused and nothing is recorded', async () => {
    expect(cardJson(reviewCard(t, number).card)).toContain('grievance.extend.request')
    before = await due(number)
    const { body } = await officerAct(t, OFFICER_2.openId, number, 'grievance.extend.request', { extend_days: '10', extend_reason: ' ' })
    expect(body.toast).toMatchObject({ type: 'error', content: '请先填写延期理由。' })
    expect(await auditTrail(t.bot.services.db, 'grievance', number)).not.toContainEqual(expect.objectContaining({ action: 'grievance.extend.request' }))
  })

  it('goes to the chair privately with the reason; the case card says it waits and offers no second request', async () => {
    const { body } = await officerAct(t, OFFICER_2.openId, number, 'grievance.extend.request', { extend_days: '10', extend_reason: REASON })
    expect(body.toast).toMatchObject({ type: 'success' })
    const request = cardTitled(t, CHAIR, `延期申请 · ${number}`)
    expect(cardText(request.content)).toContain(REASON)
    expect(cardText(request.content)).toContain('延长 10 个工作日')
    // The asker is not an approver of their own request.
    expect(inbox(t, OFFICER_2).some((m) => cardText(m.content).includes('延期申请 ·'))).toBe(false)
    const card = cardJson(reviewCard(t, number).card)
    expect(card).not.toContain('grievance.extend.request')
    expect(card).toContain('等待主席审批')
    // A forged second request (an old card) is refused.
    const again = await clickValue(t, OFFICER_2, { action: 'grievance.extend.request', gid: (await getGrievanceByNumber(t.bot.services.db, number))!.id, rev: (await getGrievanceByNumber(t.bot.services.db, number))!.revision }, { formValue: { extend_days: '5', extend_reason: '再延' } })
    expect(again.body.toast?.content).toBe('本案已有延期申请在等待审批。')
  })

  it('approved by the chair: the deadline moves ten working days, the worker hears the date (not the reason), the asker is told', async () => {
    const request = cardTitled(t, CHAIR, `延期申请 · ${number}`)
    const { body } = await clickOn(t, CHAIR, request, 'grievance.extend.decide', { match: { approve: 'yes' } })
    expect(body.toast).toMatchObject({ type: 'success' })
    expect(cardJson(body.card.data)).not.toContain('grievance.extend.decide')
    const after = await due(number)
    expect(after > before).toBe(true)
    expect(lastText(t, worker)).toBe(`您的诉求 ${number} 情况较复杂，经工会批准，办结期限延长至 ${after}。工会会继续处理并及时告诉您进展。`)
    expect(inbox(t, worker).some((m) => JSON.stringify(m.content).includes('劳动仲裁'))).toBe(false)
    expect(lastText(t, OFFICER_2)).toContain(`新的办结期限：${after}`)
    expect(cardText(reviewCard(t, number).card)).toContain('延期获批')
    const actions = (await auditTrail(t.bot.services.db, 'grievance', number)).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['grievance.extend.request', 'grievance.extend.approve']))
    // A second click on the same card changes nothing.
    const twice = await clickValue(t, CHAIR, { action: 'grievance.extend.decide', xid: 1, approve: 'yes' })
    expect(twice.body.toast?.type).toBe('info')
    expect(await due(number)).toBe(after)
  })

  it('refused: the deadline stays, the asker is told, the worker hears nothing', async () => {
    const other = await fileGrievance(t, worker, { description: '宿舍空调坏了两周，报修后一直没人来修理。' })
    await officerAct(t, CHAIR.openId, other, 'grievance.accept')
    const dueBefore = await due(other)
    await officerAct(t, OFFICER_2.openId, other, 'grievance.extend.request', { extend_days: '5', extend_reason: '等待后勤部门回复' })
    const heard = inbox(t, worker).length
    await clickOn(t, CHAIR, cardTitled(t, CHAIR, `延期申请 · ${other}`), 'grievance.extend.decide', { match: { approve: 'no' } })
    expect(await due(other)).toBe(dueBefore)
    expect(lastText(t, OFFICER_2)).toBe(`诉求 ${other} 的延期申请未获批准，办结期限不变。`)
    expect(inbox(t, worker)).toHaveLength(heard)
  })
})
