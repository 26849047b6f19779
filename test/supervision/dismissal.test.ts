// Dismissal notices through the real webhook (issue #16; 《劳动合同法》第四十三条, 《工会法》第二十二条第二款): the HR
// department's contact submits a planned dismissal (worker, reasons, statutory ground) on the 解除通知 form; every
// officer gets the notice privately, the committee group the number and the status only; an officer answers 同意 or
// 有异议 with the opinion; HR reports the result in writing and the notice is closed. Reminders once each; refusals;
// confidentiality (no name or reasons in the group, the audit log or the logs); the 月报 counts.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { localDate } from '../../src/time.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { EVIL, cardText, cardTitle, cardsTo, clickOn, clickValue, committeeMessages, expectEscaped, lastCard, lastText, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai
const HR = { openId: 'ou_dm_hr', name: '吴人事' }
const OTHER_CONTACT = { openId: 'ou_dm_contact', name: '周联系人' }
const WORKER_NAME = '欧阳被辞'
const REASONS = `连续旷工五天，违反《员工手册》第十二条 ${EVIL}`

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  for (const p of [CHAIR, HR, OTHER_CONTACT]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '部门 添加 人力资源部', [HR])
  await say(t, CHAIR, '部门 添加 后勤保障部', [OTHER_CONTACT])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const notice = (number: string) => t.bot.services.db.selectFrom('dismissal_notices').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const unionCardTo = (who: { openId: string }, number: string) => [...cardsTo(t, who)].reverse().find((m) => cardTitle(m) === `解除劳动合同通知 ${number}`)!
const FORM = { worker: WORKER_NAME, worker_department: '一车间', ground: 'art39', reasons: REASONS, planned_on: '2026-04-20 +0800' }

async function submitNotice(form: Record<string, unknown> = FORM): Promise<string> {
  await say(t, HR, '解除通知')
  const card = lastCard(t, HR)
  expect(cardTitle(card)).toBe('解除劳动合同通知工会')
  const res = await clickOn(t, HR, card, 'dismissal.submit', { formValue: form })
  expect(res.body.toast.type).toBe('success')
  await t.settle()
  return res.body.toast.content.match(/D-2026-\d{3}/)[0]
}

describe('解除通知', () => {
  it('HR submits; every officer gets the notice privately, the group only number and status; 有异议 reaches HR; the result closes it', async () => {
    const number = await submitNotice()
    const n = await notice(number)
    expect(n).toMatchObject({ status: 'awaiting_opinion', worker_name: WORKER_NAME, worker_department: '一车间', ground: 'art39', reasons: REASONS, planned_on: '2026-04-20', hr_open_id: HR.openId })
    // The opinion is due in DISMISSAL_OPINION_WORKDAYS (3) working days.
    expect(localDate(n.opinion_due_at, 'Asia/Shanghai')).toBe(t.bot.services.calendar.nthWorkdayAfter(n.submitted_at, 3))
    for (const officer of [CHAIR, OFFICER_2]) {
      const card = unionCardTo(officer, number)
      for (const s of [WORKER_NAME, '第三十九条', '2026-04-20', '待工会提出意见']) expect(cardText(card.content)).toContain(s)
      expectEscaped(card.content)
    }
    const group = committeeMessages(t).filter((m) => JSON.stringify(m.content).includes(number))
    expect(group).toHaveLength(1)
    for (const secret of [WORKER_NAME, '旷工', '一车间']) expect(JSON.stringify(group[0]!.content)).not.toContain(secret)

    // An objection needs its words; then it is recorded and HR gets it with the result form.
    const card = unionCardTo(CHAIR, number)
    expect((await clickOn(t, CHAIR, card, 'dismissal.object', { formValue: {} })).body.toast.content).toContain('异议和纠正要求')
    const objected = await clickOn(t, CHAIR, card, 'dismissal.object', { formValue: { opinion: '旷工期间职工住院，有病历证明，不属于旷工，请撤销。' } })
    expect(objected.body.toast.content).toBe('已提出异议，已书面告知人力资源部')
    await t.settle()
    expect(await notice(number)).toMatchObject({ status: 'opinion_given', opinion: 'object', opinion_by: CHAIR.openId, opinion_text: '旷工期间职工住院，有病历证明，不属于旷工，请撤销。' })
    // A second officer's click on the old card is refused with the notice as it is.
    const late = await clickOn(t, OFFICER_2, unionCardTo(OFFICER_2, number), 'dismissal.agree', { formValue: {} })
    expect(late.body.toast.type).toBe('warning')
    const hrCard = unionCardTo(HR, number)
    expect(cardText(hrCard.content)).toContain('有异议')
    expect(cardText(hrCard.content)).toContain('请撤销')
    expect(cardText(t.fake.currentCard(group[0]!.messageId))).toContain('工会已提出意见')

    // Another contact may not report; HR reports the result in writing.
    expect((await clickOn(t, OTHER_CONTACT, hrCard, 'dismissal.report', { formValue: { result: 'withdrawn', result_on: '2026-04-09 +0800' } })).body.toast.content).toBe('抱歉，只有人力资源部的联系人可以报告处理结果。')
    expect((await clickOn(t, HR, hrCard, 'dismissal.report', { formValue: { result: 'withdrawn' } })).body.toast.content).toBe('请先选择结果日期。')
    const done = await clickOn(t, HR, hrCard, 'dismissal.report', { formValue: { result: 'withdrawn', result_on: '2026-04-09 +0800', result_note: '已按工会意见撤销。' } })
    expect(done.body.toast.content).toBe('已书面报告工会，谢谢')
    await t.settle()
    expect(await notice(number)).toMatchObject({ status: 'closed', result: 'withdrawn', result_on: '2026-04-09', result_note: '已按工会意见撤销。', result_by: HR.openId })
    expect(cardText(unionCardTo(CHAIR, number).content)).toContain('撤销（不再解除）')
    expect(cardText(t.fake.currentCard(group[0]!.messageId))).toContain('已书面报告结果')
    const kinds = (await t.bot.services.db.selectFrom('dismissal_events').select('kind').where('notice_id', '=', n.id).orderBy('id').execute()).map((e) => e.kind)
    expect(kinds).toEqual(['submitted', 'objected', 'reported'])
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['dismissal.submit', 'dismissal.object', 'dismissal.report'])
    // Confidential: the worker's name and the reasons are nowhere but in the notice and its private cards.
    const everywhere = JSON.stringify(audit) + logLines.join('\n')
    for (const secret of [WORKER_NAME, '旷工', '住院']) expect(everywhere).not.toContain(secret)
  })

  it('refuses the form to anyone but HR, a form without ground or reasons, and opinions from non-officers', async () => {
    const w = newWorker(t)
    await say(t, w, '解除通知')
    expect(lastText(t, w)).toContain('只有人力资源部的联系人')
    await say(t, OTHER_CONTACT, '解除通知')
    expect(lastText(t, OTHER_CONTACT)).toContain('只有人力资源部的联系人')
    await say(t, HR, '解除通知')
    const form = lastCard(t, HR)
    expect((await clickOn(t, HR, form, 'dismissal.submit', { formValue: { ...FORM, ground: undefined } })).body.toast.content).toBe('请先选择法定依据。')
    expect((await clickOn(t, HR, form, 'dismissal.submit', { formValue: { ...FORM, reasons: '旷工' } })).body.toast.content).toContain('解除理由太短')
    const number = await submitNotice({ ...FORM, planned_on: undefined, ground: 'art40' })
    const n = await notice(number)
    const refused = await clickValue(t, HR, { action: 'dismissal.agree', did: n.id, rev: n.revision }, { formValue: {} })
    expect(refused.body.toast.content).toBe('抱歉，只有工会干部可以对解除劳动合同通知提出意见。')
    expect((await notice(number)).status).toBe('awaiting_opinion')
    // 同意 needs no words.
    expect((await clickOn(t, OFFICER_2, unionCardTo(OFFICER_2, number), 'dismissal.agree', { formValue: {} })).body.toast.content).toBe('已同意，已告知人力资源部')
    expect(await notice(number)).toMatchObject({ status: 'opinion_given', opinion: 'agree', opinion_text: null })
  })

  it('reminds the officers once when no opinion came in 3 working days, and HR once when no result came in 5', async () => {
    clock.set('2026-04-07T01:30:00Z')
    const number = await submitNotice()
    const n = await notice(number)
    const tickAt = async (at: Date) => {
      clock.set(at)
      await t.bot.runPeriodic(at)
      await t.settle()
    }
    const opinionReminders = () => textsTo(t, CHAIR).filter((x) => x.startsWith(`解除劳动合同通知 ${number} 已超过 3 个工作日`))
    const due = localDate(n.opinion_due_at, 'Asia/Shanghai')
    await tickAt(new Date(`${due}T10:00:00+08:00`))
    expect(opinionReminders()).toHaveLength(0)
    const next = t.bot.services.calendar.nthWorkdayAfter(n.opinion_due_at, 1)
    await tickAt(new Date(`${next}T09:00:00+08:00`))
    await tickAt(new Date(`${next}T09:30:00+08:00`))
    expect(opinionReminders()).toHaveLength(1)
    expect(textsTo(t, OFFICER_2).filter((x) => x.startsWith(`解除劳动合同通知 ${number}`))).toHaveLength(1)
    await clickOn(t, CHAIR, unionCardTo(CHAIR, number), 'dismissal.agree', { formValue: { opinion: '符合规章制度。' } })
    const given = await notice(number)
    const resultReminders = () => textsTo(t, HR).filter((x) => x.startsWith(`解除劳动合同通知 ${number}：工会提出意见已超过 5 个工作日`))
    const resultNext = t.bot.services.calendar.nthWorkdayAfter(given.result_due_at!, 1)
    await tickAt(new Date(`${resultNext}T09:05:00+08:00`))
    await tickAt(new Date(`${resultNext}T10:05:00+08:00`))
    expect(resultReminders()).toHaveLength(1)
    expect(opinionReminders()).toHaveLength(1)
  })

  it('the 月报 counts notices, opinions, objections and results, without names', async () => {
    clock.set('2026-05-03T02:00:00Z')
    await say(t, CHAIR, '月报 2026-04')
    const report = [...cardsTo(t, CHAIR)].reverse().find((m) => cardTitle(m).includes('月报'))
    expect(report, 'the 月报 card').toBeDefined()
    const text = cardText(report!.content)
    expect(text).toContain('解除劳动合同通知：**收到 3 件，工会提出意见 3 件（有异议 1），书面报告结果 1 件')
    expect(text).not.toContain(WORKER_NAME)
  })
})
