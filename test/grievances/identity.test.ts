// Identity release for an anonymous case (issue #13; GlobaLeaks' custodian model), through the real webhook: an
// officer asks with a reason, the worker gets the request through the sealed link and decides; before consent and
// after a refusal nothing an officer or anyone else can read names the reporter; on 同意 the officers' card does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard, type Person } from '../helpers/grievances.js'
import { answersTo, cardJson, cardText, cardTitled, clickOn, committeeMessages, inbox } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z')

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

const sdb = () => t.bot.services.db
const row = (number: string) => sdb().selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()

/** Everything an officer (or an auditor) can read about the case, as one string. */
async function officerView(number: string): Promise<string> {
  const g = await row(number)
  const lookup = await answersTo(t, OFFICER_2.openId, `诉求 ${number}`)
  const parts = [
    JSON.stringify(reviewCard(t, number).card),
    JSON.stringify(lookup.map((m) => m.content)),
    JSON.stringify(committeeMessages(t).map((m) => t.fake.currentCard(m.messageId) ?? m.content)),
    JSON.stringify(inbox(t, CHAIR.openId).concat(inbox(t, OFFICER_2.openId)).map((m) => t.fake.currentCard(m.messageId) ?? m.content)),
    JSON.stringify(await sdb().selectFrom('audit_log').selectAll().where('subject_id', '=', number).execute()),
    JSON.stringify(await sdb().selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).execute()),
    JSON.stringify(await sdb().selectFrom('grievance_identity_requests').selectAll().where('grievance_id', '=', g.id).execute()),
    JSON.stringify(g),
  ]
  return parts.join('\n')
}

const expectNothingNames = (text: string, w: Person) => {
  expect(text).not.toContain(w.openId)
  expect(text).not.toContain(w.name)
}

async function request(number: string, reason = '需要当面核实加班记录，请您同意向承办人公开姓名。') {
  return officerAct(t, CHAIR.openId, number, 'grievance.identity.request', { identity_reason: reason })
}

describe('identity release', () => {
  it('asks the reporter; before an answer and after 不同意 nothing anyone can read names them', async () => {
    const w = newWorker(t, '郑十一')
    const number = await fileGrievance(t, w, { anonymous: true })
    const res = await request(number)
    expect(res.body.toast).toEqual({ type: 'success', content: '已把请求转给反映人；其同意之前，任何人都看不到其身份。' })
    const ask = cardTitled(t, w, '是否同意公开身份')
    expect(cardText(ask.content)).toContain('需要当面核实加班记录')
    expect(ask.content.config.summary.content).toBe(`诉求 ${number}：工会请求您的同意`)
    expectNothingNames(await officerView(number), w)
    expect(cardText(reviewCard(t, number).card)).toContain('已请求反映人同意公开身份，等待其答复。')
    // A second request while one is open is refused (the button is gone; a forged click is told why).
    const g = await row(number)
    const again = await t.click({ operator: CHAIR.openId, value: { action: 'grievance.identity.request', gid: g.id, rev: g.revision }, formValue: { identity_reason: '再问一次' }, messageId: 'om_y', chatId: 'oc_y' })
    expect(again.body.toast.content).toBe('本案已有一个公开身份的请求在等待反映人答复。')

    // Somebody else clicking the worker's buttons learns nothing.
    const stranger = newWorker(t, '冒充者')
    const forged = await t.click({ operator: stranger.openId, value: { action: 'grievance.identity.answer', rid: (await sdb().selectFrom('grievance_identity_requests').select('id').executeTakeFirstOrThrow()).id, answer: 'agree' }, messageId: ask.messageId, chatId: `oc_p2p_${stranger.openId}` })
    expect(forged.body.toast).toEqual({ type: 'warning', content: expect.any(String) })
    expect((await sdb().selectFrom('grievance_identity_requests').select('status').executeTakeFirstOrThrow()).status).toBe('requested')

    const answer = await clickOn(t, w, ask, 'grievance.identity.answer', { match: { answer: 'refuse' } })
    expect(answer.body.toast).toEqual({ type: 'success', content: '已答复：不同意公开' })
    expect(cardText(answer.body.card.data)).toContain('工会干部仍然不知道您的身份')
    const view = await officerView(number)
    expectNothingNames(view, w)
    expect(view).toContain(`诉求 ${number} 的反映人没有同意公开身份`)
    const x = await sdb().selectFrom('grievance_identity_requests').selectAll().executeTakeFirstOrThrow()
    expect(x).toMatchObject({ status: 'refused', released_name: null })
    const audits = await sdb().selectFrom('audit_log').selectAll().where('subject_id', '=', number).orderBy('id').execute()
    expect(audits.map((a) => [a.action, a.actor_open_id])).toEqual([
      ['grievance.identity.request', CHAIR.openId],
      ['grievance.identity.answer', ''],
    ])
    // Answering twice changes nothing.
    const twice = await t.click({ operator: w.openId, value: { action: 'grievance.identity.answer', rid: x.id, answer: 'agree' }, messageId: ask.messageId, chatId: `oc_p2p_${w.openId}` })
    expect(twice.body.toast.content).toBe('您已经答复过了。')
    expect((await sdb().selectFrom('grievance_identity_requests').select('status').executeTakeFirstOrThrow()).status).toBe('refused')
  })

  it('on 同意 the officers’ card shows the name, and the answer is audited', async () => {
    const w = newWorker(t, '王十二')
    const number = await fileGrievance(t, w, { anonymous: true })
    await request(number)
    expectNothingNames(await officerView(number), w)
    const ask = cardTitled(t, w, '是否同意公开身份')
    const answer = await clickOn(t, w, ask, 'grievance.identity.answer', { match: { answer: 'agree' } })
    expect(answer.body.toast.content).toBe('已同意，谢谢您')
    expect(cardText(reviewCard(t, number).card)).toContain(`匿名职工（经本人同意公开：${w.name}）`)
    const lookup = await answersTo(t, OFFICER_2.openId, `诉求 ${number}`)
    expect(cardText(lookup[0]!.content)).toContain(w.name)
    // The open_id itself is never shown, even after consent.
    expect(cardJson(reviewCard(t, number).card)).not.toContain(w.openId)
  })

  it('a named case has nothing to release: the step is not offered', async () => {
    const w = newWorker(t, '实名者')
    const number = await fileGrievance(t, w, { anonymous: false })
    expect(cardJson(reviewCard(t, number).card)).not.toContain('grievance.identity.request')
  })
})
