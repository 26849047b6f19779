// Labour-dispute mediation through the real webhook (issue #16): the oral application recorded step by step
// (劳动争议调解仲裁法第十二条), 受理 with a mediator from the committee, 不予受理, sessions with both parties invited,
// 调解成功 → the drafted 调解协议书 confirmed by both parties and the mediator (第十四条) and sent as card and file,
// objections, withdrawal, 调解不成 with the arbitration hint, refusals, and every step recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, fileGrievance, newWorker } from '../helpers/grievances.js'
import { buttonValue, buttonsOf, cardText, clickValue, cardTitle, cardsTo, clickOn, committeeMessages, inbox, lastCard, lastText, say, textsTo } from '../helpers/chat.js'
import { APPLICATION, EMPLOYER, MEDIATOR, MEMBER_2, applyForMediation, caseCardTo, setUpCommittee, stepOn } from '../helpers/mediation.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  await setUpCommittee(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const row = (number: string) => t.bot.services.db.selectFrom('mediation_cases').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const events = async (number: string) => {
  const c = await row(number)
  return t.bot.services.db.selectFrom('mediation_events').selectAll().where('case_id', '=', c.id).orderBy('id').execute()
}
const audits = (number: string) => t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).orderBy('id').execute()

/** A member acts on their own private card of the case. */
function memberAct(who: { openId: string }, number: string, action: string, formValue?: Record<string, unknown>) {
  return stepOn(t, who, caseCardTo(t, who, number), action, formValue ? { formValue } : {})
}

async function accepted(worker: { openId: string }): Promise<string> {
  const number = await applyForMediation(t, worker)
  const res = await memberAct(MEMBER_2, number, 'mediation.accept', { mediator: MEDIATOR.openId })
  expect(res.body.toast.type).toBe('success')
  return number
}

describe('申请调解', () => {
  it('records facts, request, reasons, the date known and the other party; bad answers are re-asked and nothing is lost', async () => {
    const w = newWorker(t, '李四')
    await say(t, w, '申请调解')
    expect(cardTitle(lastCard(t, w))).toBe('申请调解')
    expect(cardText(lastCard(t, w).content)).toContain('第 1 步 / 共 5 步')
    await say(t, w, '没钱')
    expect(cardText(lastCard(t, w).content)).toContain('内容太短')
    await say(t, w, APPLICATION.facts)
    await say(t, w, APPLICATION.request)
    await say(t, w, APPLICATION.reasons)
    await say(t, w, '上个月吧')
    expect(cardText(lastCard(t, w).content)).toContain('没有看懂这个日期')
    await say(t, w, '2026-05-01')
    expect(cardText(lastCard(t, w).content)).toContain('这个日期还没到')
    await say(t, w, '3月5日')
    await say(t, w, APPLICATION.party)
    const summary = cardText(lastCard(t, w).content)
    for (const s of [APPLICATION.facts, APPLICATION.request, APPLICATION.reasons, '2026-03-05', '2027-03-05', APPLICATION.party, '15 日内']) expect(summary).toContain(s)
    await say(t, w, '确认')
    expect(textsTo(t, w).at(-1)).toMatch(/^您的调解申请已提交，编号 M-2026-\d{3}。/)
    const number = textsTo(t, w).at(-1)!.match(/M-2026-\d{3}/)![0]
    expect(await row(number)).toMatchObject({
      status: 'applied',
      applicant_open_id: w.openId,
      applicant_name: '李四',
      facts: APPLICATION.facts,
      request: APPLICATION.request,
      reasons: APPLICATION.reasons,
      knew_on: '2026-03-05',
      other_party: '生产部',
      applied_on: '2026-04-07',
    })
    // The worker's own card shows the clock; the committee's members get the full case privately.
    const own = cardText(caseCardTo(t, w, number, '我的调解').content)
    expect(own).toContain('第 0 天 / 共 15 天，2026-04-22 届满')
    for (const m of [MEDIATOR, MEMBER_2]) expect(cardText(caseCardTo(t, m, number).content)).toContain(APPLICATION.facts)
    // The committee group: number and status, nothing else.
    const group = committeeMessages(t).filter((m) => JSON.stringify(m.content).includes(number))
    expect(group).toHaveLength(1)
    expect(cardText(group[0]!.content).split('\n')).toEqual([`调解案件 ${number}`, `调解案件 ${number}`, '**状态：**待受理', "<font color='grey'>案情保密，仅调解委员会成员和当事人可见。</font>"])
    expect((await events(number)).map((e) => e.kind)).toEqual(['applied'])
    expect((await audits(number)).map((a) => a.action)).toEqual(['mediation.apply'])
  })

  it('a repeated 确认 files once', async () => {
    const w = newWorker(t)
    await say(t, w, '申请调解')
    for (const a of [APPLICATION.facts, APPLICATION.request, APPLICATION.reasons, '今天', '人力资源部']) await say(t, w, a)
    const confirm = lastCard(t, w)
    await clickOn(t, w, confirm, 'conversation.answer')
    await clickOn(t, w, confirm, 'conversation.answer')
    const cases = await t.bot.services.db.selectFrom('mediation_cases').select('number').where('applicant_open_id', '=', w.openId).execute()
    expect(cases).toHaveLength(1)
  })
})

describe('受理 and 不予受理', () => {
  it('accepts with a mediator from the committee; the worker and the mediator are told; a non-member is refused', async () => {
    const w = newWorker(t)
    const number = await applyForMediation(t, w)
    const stranger = newWorker(t)
    const card = caseCardTo(t, MEMBER_2, number)
    const denied = await clickOn(t, stranger, card, 'mediation.step', { match: { step: 'accept' } })
    expect(denied.body.toast.content).toBe('抱歉，只有劳动争议调解委员会的成员可以处理调解案件。')
    const notMember = await memberAct(MEMBER_2, number, 'mediation.accept', { mediator: stranger.openId })
    expect(notMember.body.toast.content).toBe('调解员须是劳动争议调解委员会的成员。')
    expect((await row(number)).status).toBe('applied')

    const res = await memberAct(MEMBER_2, number, 'mediation.accept', { mediator: MEDIATOR.openId })
    expect(res.body.toast).toEqual({ type: 'success', content: '已受理并指派调解员，已通知申请人' })
    expect(cardText(res.body.card.data)).toContain('**调解员：**孙调解')
    expect(await row(number)).toMatchObject({ status: 'accepted', mediator_open_id: MEDIATOR.openId })
    expect(lastText(t, w)).toBe(`您的调解申请 ${number} 已受理，调解委员会已指派调解员。调解员会与您联系安排调解会。`)
    expect(cardText(caseCardTo(t, MEDIATOR, number).content)).toContain('记录调解会')
    // The group's card follows the status, still without content.
    const group = committeeMessages(t).find((m) => JSON.stringify(m.content).includes(number))!
    expect(cardText(t.fake.currentCard(group.messageId))).toContain('**状态：**调解中')
    // A card drawn before the acceptance (the mediator's first copy) no longer acts.
    const first = cardsTo(t, MEDIATOR).find((m) => cardTitle(m) === `调解案件 ${number}`)!
    const stale = await stepOn(t, MEDIATOR, first, 'mediation.decline', { formValue: { reason: '重复' } })
    expect(stale.body.toast.content).toBe('该案件当前为「调解中」，卡片已刷新，请确认后再操作。')
    // Its buttons are the steps that apply now (QA F9): 调解成功 only once the employer's representative is named.
    expect(buttonsOf(stale.body.card.data).map((b) => b.text)).toEqual(['记录调解会', '调解不成，结案'])
    expect((await row(number)).status).toBe('accepted')
    const audit = await audits(number)
    expect(audit.at(-1)).toMatchObject({ actor_open_id: MEMBER_2.openId, action: 'mediation.accept', detail: { from: 'applied', to: 'accepted' } })
  })

  it('declines with a reason; the worker gets it with the arbitration hint and the one-year date', async () => {
    const w = newWorker(t)
    const number = await applyForMediation(t, w, { knew: '2024-02-29' })
    const empty = await memberAct(MEMBER_2, number, 'mediation.decline', { reason: '  ' })
    expect(empty.body.toast.content).toBe('请先填写不予受理的理由。')
    await memberAct(MEMBER_2, number, 'mediation.decline', { reason: '该争议已在仲裁委立案。' })
    expect(await row(number)).toMatchObject({ status: 'declined', decline_reason: '该争议已在仲裁委立案。' })
    const told = cardText(lastCard(t, w).content)
    expect(told).toContain('该争议已在仲裁委立案。')
    expect(told).toContain('已于 2025-02-28 届满，时效可能已过')
  })
})

describe('调解会, 调解成功 and the 调解协议书', () => {
  it('records a session, invites both parties privately, keeps the summary internal', async () => {
    const w = newWorker(t)
    const number = await accepted(w)
    await say(t, MEDIATOR, `调解 ${number} 企业代表`, [EMPLOYER])
    expect((await row(number)).employer_open_id).toBe(EMPLOYER.openId)
    expect(cardText(caseCardTo(t, EMPLOYER, number, '我的调解').content)).toContain(APPLICATION.facts)
    const res = await memberAct(MEDIATOR, number, 'mediation.session', { held_on: '2026-04-10 +0800', held_at: '14:00', place: '工会活动室', attendees: '李四、钱经理', summary: '企业方同意核对考勤。' })
    expect(res.body.toast.content).toBe('已记录调解会，已私信通知双方当事人')
    for (const p of [w, EMPLOYER]) {
      const invite = cardText(lastCard(t, p).content)
      expect(invite).toContain('2026-04-10 14&#58;00')
      expect(invite).toContain('工会活动室')
      expect(invite).not.toContain('企业方同意核对考勤')
    }
    expect(cardText(res.body.card.data)).toContain('企业方同意核对考勤。')
    const sessions = await t.bot.services.db.selectFrom('mediation_sessions').selectAll().execute()
    expect(sessions.find((s) => s.place === '工会活动室')).toMatchObject({ held_on: '2026-04-10', created_by: MEDIATOR.openId })
  })

  it('drafts the agreement; each confirmation is recorded with person and time; final to both as card and file, with the payment-order hint', async () => {
    const w = newWorker(t, '王五')
    const number = await accepted(w)
    const outcome = { terms: '公司于 2026-04-30 前补发加班费 3000 元。', perform_on: '2026-04-30 +0800', claim_kind: 'wages' }
    // 调解成功 does not apply before the employer's representative is named (QA F9): no button for it.
    expect(buttonsOf(t.fake.currentCard(caseCardTo(t, MEDIATOR, number).messageId)).map((b) => b.text)).not.toContain('调解成功，起草协议书')
    await say(t, MEDIATOR, `调解 ${number} 企业代表`, [EMPLOYER])
    const drafted = await memberAct(MEDIATOR, number, 'mediation.succeed', outcome)
    expect(drafted.body.toast.content).toBe('协议书已起草，已请双方当事人和调解员确认')
    const c = await row(number)
    expect(c.status).toBe('agreement')
    for (const s of ['王五', '钱经理', '孙调解', '生产部', APPLICATION.facts, '公司于 2026-04-30 前补发加班费 3000 元。', '2026-04-30 前履行完毕', '支付令']) expect(c.agreement_text).toContain(s)

    clock.set('2026-04-08T02:00:00Z')
    const partyCard = caseCardTo(t, w, number, '我的调解')
    const value = buttonValue(t.fake.currentCard(partyCard.messageId), 'mediation.confirm')!
    const stranger = newWorker(t)
    const refused = await clickValue(t, stranger, value)
    expect(refused.body.toast.content).toBe('只有双方当事人和调解员可以确认协议书。')
    const byWorker = await clickOn(t, w, partyCard, 'mediation.confirm')
    expect(byWorker.body.toast.content).toBe('已确认；其他各方确认后协议书生效')
    expect(buttonValue(byWorker.body.card.data, 'mediation.confirm')).toBeUndefined()
    const twice = await clickValue(t, w, value)
    expect(twice.body.toast.content).toBe('您已确认过这份协议书，无需重复。')
    clock.set('2026-04-08T03:00:00Z')
    await clickOn(t, EMPLOYER, caseCardTo(t, EMPLOYER, number, '我的调解'), 'mediation.confirm')
    expect((await row(number)).status).toBe('agreement')
    clock.set('2026-04-08T04:00:00Z')
    const last = await clickOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.confirm')
    expect(last.body.toast.content).toBe('协议书已生效，已发送给双方当事人和调解员')
    expect((await row(number)).status).toBe('agreed')

    const confirmations = await t.bot.services.db.selectFrom('mediation_confirmations').selectAll().where('case_id', '=', c.id).orderBy('confirmed_at').execute()
    expect(confirmations.map((x) => [x.party, x.open_id, x.confirmed_at.toISOString()])).toEqual([
      ['applicant', w.openId, '2026-04-08T02:00:00.000Z'],
      ['employer', EMPLOYER.openId, '2026-04-08T03:00:00.000Z'],
      ['mediator', MEDIATOR.openId, '2026-04-08T04:00:00.000Z'],
    ])
    for (const p of [w, EMPLOYER, MEDIATOR]) {
      const final = cardsTo(t, p).find((m) => cardTitle(m) === `调解协议书 ${number}`)
      expect(final, `final card to ${p.openId}`).toBeDefined()
      const file = inbox(t, p).find((m) => m.msgType === 'file')
      expect(file).toBeDefined()
      const stored = t.fake.files.get(file!.content.file_key as string)!
      expect(stored.name).toBe(`调解协议书-${number}.txt`)
      expect(stored.data.toString('utf8')).toContain('公司于 2026-04-30 前补发加班费 3000 元。')
    }
    // The payment-order hint (Art. 16) goes to the worker.
    expect(cardText(cardsTo(t, w).find((m) => cardTitle(m) === `调解协议书 ${number}`)!.content)).toContain('支付令')
    const kinds = (await events(number)).map((e) => e.kind)
    expect(kinds).toEqual(['applied', 'accepted', 'employer_named', 'drafted', 'confirmed', 'confirmed', 'confirmed'])
    // An agreed case cannot be withdrawn.
    const withdraw = await t.click({ operator: w.openId, value: { action: 'mediation.withdraw', cid: c.id } })
    await t.settle()
    expect(withdraw.body.toast.content).toContain('不能撤回')
  })

  it('a party objecting returns the case to mediation and clears the confirmations', async () => {
    const w = newWorker(t)
    const number = await accepted(w)
    await say(t, MEDIATOR, `调解 ${number} 企业代表`, [EMPLOYER])
    await memberAct(MEDIATOR, number, 'mediation.succeed', { terms: '补发一半。', claim_kind: 'other' })
    await clickOn(t, EMPLOYER, caseCardTo(t, EMPLOYER, number, '我的调解'), 'mediation.confirm')
    const res = await clickOn(t, w, caseCardTo(t, w, number, '我的调解'), 'mediation.object')
    expect(res.body.toast.content).toBe('已退回调解员修改，协议书需重新确认')
    const c = await row(number)
    expect(c).toMatchObject({ status: 'accepted', agreement_text: null })
    expect(await t.bot.services.db.selectFrom('mediation_confirmations').selectAll().where('case_id', '=', c.id).execute()).toEqual([])
    expect(textsTo(t, MEDIATOR)).toContain(`当事人对调解协议书 ${number} 有异议，案件已退回调解，请与双方沟通后重新起草。`)
  })
})

describe('调解不成 and withdrawal', () => {
  it('调解不成 closes the case; the worker gets the arbitration hint; the internal note stays with the committee', async () => {
    const w = newWorker(t)
    const number = await accepted(w)
    await memberAct(MEDIATOR, number, 'mediation.fail', { fail_reason: '企业方拒绝补发。' })
    expect(await row(number)).toMatchObject({ status: 'failed', outcome_note: '企业方拒绝补发。' })
    const told = cardText(lastCard(t, w).content)
    expect(told).toContain('未能达成协议')
    expect(told).toContain('请最迟在 2027-03-05 前提出')
    expect(told).not.toContain('企业方拒绝补发')
  })

  it('the worker may withdraw at any time before the agreement; the committee is told the number only', async () => {
    const w = newWorker(t)
    const number = await applyForMediation(t, w)
    const other = newWorker(t)
    const cid = (await row(number)).id
    const refused = await t.click({ operator: other.openId, value: { action: 'mediation.withdraw', cid } })
    await t.settle()
    expect(refused.body.toast.content).toBe('只有申请人本人可以撤回调解申请。')
    const res = await clickOn(t, w, caseCardTo(t, w, number, '我的调解'), 'mediation.withdraw')
    expect(res.body.toast.content).toBe('已撤回调解申请')
    expect((await row(number)).status).toBe('withdrawn')
    expect(cardText(lastCard(t, w).content)).toContain('仲裁时效为一年')
    expect(textsTo(t, MEMBER_2)).toContain(`申请人已撤回调解申请 ${number}，案件已结束。`)
  })
})

describe('look-ups', () => {
  it('a party sees their card, a member the full card, anyone else the same not-found answer', async () => {
    const w = newWorker(t)
    const number = await applyForMediation(t, w)
    const stranger = newWorker(t)
    await say(t, stranger, `调解 ${number}`)
    expect(lastText(t, stranger)).toBe(`没有找到您可以查看的调解案件 ${number}。`)
    await say(t, stranger, '调解 M-2026-999')
    expect(lastText(t, stranger)).toBe('没有找到您可以查看的调解案件 M-2026-999。')
    await say(t, w, `调解 ${number}`)
    expect(cardTitle(lastCard(t, w))).toBe(`我的调解 ${number}`)
    await say(t, MEMBER_2, `调解 ${number}`)
    expect(cardTitle(lastCard(t, MEMBER_2))).toBe(`调解案件 ${number}`)
    await say(t, w, '我的调解')
    expect(cardText(lastCard(t, w).content)).toContain(`**${number}** 待受理 · 申请人`)
    await say(t, stranger, `调解 ${number} 企业代表`, [EMPLOYER])
    expect(lastText(t, stranger)).toBe('抱歉，只有劳动争议调解委员会的成员可以指定企业方代表。')
  })
})

describe('from a grievance', () => {
  it('an officer suggests mediation for a named grievance; the worker applies from it and the link is kept', async () => {
    const w = newWorker(t, '赵六')
    const g = await fileGrievance(t, w, { anonymous: false })
    await say(t, CHAIR, `转调解 ${g}`)
    expect(lastText(t, CHAIR)).toContain(`已建议职工就诉求 ${g} 申请调解`)
    expect(lastText(t, w)).toContain(`请发送「申请调解 ${g}」`)
    await say(t, w, `申请调解 ${g}`)
    expect(cardText(lastCard(t, w).content)).toContain('第 2 步 / 共 5 步')
    for (const a of [APPLICATION.request, APPLICATION.reasons, '今天', '生产部', '确认']) await say(t, w, a)
    const c = await t.bot.services.db.selectFrom('mediation_cases').selectAll().where('applicant_open_id', '=', w.openId).executeTakeFirstOrThrow()
    const grievance = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', g).executeTakeFirstOrThrow()
    expect(c.grievance_id).toBe(grievance.id)
    expect(c.facts).toBe(grievance.description)
    expect(cardText(caseCardTo(t, MEMBER_2, c.number).content)).toContain(`**来自诉求：**${g}`)
    await say(t, w, `申请调解 ${g}`)
    expect(lastText(t, w)).toContain(`已有进行中的调解申请 ${c.number}`)
  })

  it('an anonymous grievance is never tied to a named application', async () => {
    const w = newWorker(t)
    const g = await fileGrievance(t, w, { anonymous: true })
    await say(t, CHAIR, `转调解 ${g}`)
    expect(lastText(t, CHAIR)).toContain('是匿名的，不能转为调解')
    await say(t, w, `申请调解 ${g}`)
    expect(lastText(t, w)).toContain('匿名诉求不能直接转为调解')
    const worker = newWorker(t)
    await say(t, worker, `转调解 ${g}`)
    expect(lastText(t, worker)).toBe('抱歉，只有工会干部和调解委员会成员可以建议转调解。')
  })
})

describe('stale and forged clicks', () => {
  it('a forged payload gets the outdated toast and changes nothing', async () => {
    const before = await t.bot.services.db.selectFrom('mediation_events').select('id').execute()
    const res = await t.click({ operator: MEMBER_2.openId, value: { action: 'mediation.accept', cid: 'x' } })
    await t.settle()
    expect(res.body.toast.content).toBe('该按钮已失效，请重新发起操作。')
    expect(await t.bot.services.db.selectFrom('mediation_events').select('id').execute()).toEqual(before)
  })
})
