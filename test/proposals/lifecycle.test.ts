// The whole life of a proposal through signed, encrypted events and card callbacks: submission, co-signing,
// review, assignment, answer, rating; notifications at each step; the timeline and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { findProposal } from '../../src/proposals/store.js'
import { listTimeline } from '../../src/proposals/timeline.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardsTo, cardJson, cardTitled, clickOn, committeeCards, committeeTexts, inbox, lastText, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Asia/Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('a proposal from submission to 已办结', () => {
  let number = ''

  it('submits through the conversation and gets P-2026-001 with status 征集附议', async () => {
    number = await submitProposal(t, REP_A)
    expect(number).toBe('P-2026-001')
    const card = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    expect(cardJson(card.content)).toContain('征集附议')
    expect(cardJson(card.content)).toContain('proposal.cosign')
  })

  it('co-signing by a second representative tells the proposer; at two co-signers a review card goes to the committee', async () => {
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    const { body: res } = await clickOn(t, REP_B, shared, 'proposal.cosign')
    expect(res.toast?.type).toBe('success')
    expect(cardJson(res.card?.data)).toContain('附议人（1/2）')
    expect(lastText(t, REP_A.openId)).toContain(`提案 ${number} 新增 1 名职工代表附议`)
    expect(committeeCards(t)).toHaveLength(0)

    await say(t, REP_C, `附议 ${number}`)
    expect(lastText(t, REP_C.openId)).toContain('已附议')
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    expect(cardJson(review.content)).toContain('proposal.register')
    for (const who of [REP_A, REP_B]) expect(textsTo(t, who.openId).some((x) => x.includes('进入待审查'))).toBe(true)
  })

  it('the committee registers (立案) and assigns it to the department with a due date → 办理中', async () => {
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    const { body: reg } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
    expect(reg.toast?.type).toBe('success')
    expect(cardJson(reg.card?.data)).toContain('proposal.assign')
    expect(lastText(t, REP_B.openId)).toContain('已立案')

    const deptId = (reg.card?.data.body.elements as any[]).flatMap((e) => e.elements ?? []).find((e: any) => e.tag === 'select_static')?.options[0].value
    const assign = await t.click({
      operator: OFFICER,
      value: { action: 'proposal.assign', number },
      formValue: { department: deptId, due_date: '2026-03-20 +0800' },
      messageId: review.messageId,
      chatId: review.chatId,
    })
    expect(assign.body.toast.type).toBe('success')
    await t.settle()
    const deptCard = cardTitled(t, CONTACT.openId, `提案交办 ${number}`)
    expect(cardJson(deptCard.content)).toContain('proposal.answer')
    expect(lastText(t, REP_C.openId)).toContain('办理期限 2026-03-20')
  })

  it('the department answers with class A → 已答复; co-signers are told and the proposer gets a rating card', async () => {
    const deptCard = cardTitled(t, CONTACT.openId, `提案交办 ${number}`)
    const { body: res } = await clickOn(t, CONTACT, deptCard, 'proposal.answer', {
      formValue: { answer: '已在二号食堂增设夜间窗口，供餐延长至凌晨两点。', answer_class: 'A' },
    })
    expect(res.toast?.type).toBe('success')
    expect(lastText(t, REP_B.openId)).toContain('承办部门已答复')
    const rating = cardTitled(t, REP_A.openId, `提案答复 ${number}`)
    expect(cardJson(rating.content)).toContain('proposal.rate')
  })

  it('the proposer rates 满意 → 已办结, and everyone concerned hears of it', async () => {
    const rating = cardTitled(t, REP_A.openId, `提案答复 ${number}`)
    const { body: res } = await clickOn(t, REP_A, rating, 'proposal.rate', { text: '满意' })
    expect(res.toast?.type).toBe('success')
    expect(lastText(t, REP_C.openId)).toContain('已办结')
  })

  it('anyone can query it with its timeline and answer (厂务公开)', async () => {
    await say(t, WORKER, `提案 ${number}`)
    const card = inbox(t, WORKER.openId).at(-1)!
    const text = cardJson(card.content)
    for (const s of ['已办结', '后勤保障部', '2026-03-20', '已在二号食堂增设夜间窗口', 'A 类', '满意', '提交提案', '附议', '立案', '交办', '答复']) expect(text).toContain(s)
  })

  it('every status change is in the audit log, with who and from → to', async () => {
    const trail = await auditTrail(t.bot.services.db, 'proposal', number)
    expect(trail.map((a) => a.action)).toEqual(['proposal.submit', 'proposal.review_ready', 'proposal.register', 'proposal.assign', 'proposal.answer', 'proposal.rate'])
    expect(trail.find((a) => a.action === 'proposal.register')).toMatchObject({ actor_open_id: OFFICER.openId, detail: { from: 'pending_review', to: 'registered' } })
  })
})

describe('不立案: kept as 意见建议 and still queryable', () => {
  it('records the reason, tells proposer and co-signers, and the proposal stays on the list', async () => {
    const number = await submitProposal(t, REP_B, { title: '关于组织职工春游的提案', category: '3' })
    await say(t, REP_A, `附议 ${number}`)
    await say(t, REP_C, `附议 ${number}`)
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    const { body: res } = await clickOn(t, OFFICER, review, 'proposal.reject', { formValue: { reason: '属于工会日常工作，转为意见建议由工会办公室办理' } })
    expect(res.toast?.type).toBe('success')
    expect(cardJson(res.card?.data)).not.toContain('proposal.register')
    for (const who of [REP_A, REP_B, REP_C]) expect(lastText(t, who.openId)).toContain(`${number} 经工会提案工作委员会审查不立案，作为意见建议处理`)
    await say(t, WORKER, `提案 ${number}`)
    const card = cardJson(inbox(t, WORKER.openId).at(-1)!.content)
    expect(card).toContain('不立案（意见建议）')
    expect(card).toContain('属于工会日常工作，转为意见建议由工会办公室办理')
    await say(t, WORKER, '提案列表 意见建议')
    expect(cardJson(inbox(t, WORKER.openId).at(-1)!.content)).toContain(number)
    expect((await auditTrail(t.bot.services.db, 'proposal', number)).map((a) => a.action)).toEqual(['proposal.submit', 'proposal.review_ready', 'proposal.reject'])
  })
})

describe('不满意: back to 办理中, committee and department told, answered again', () => {
  let number = ''
  it('goes 已答复 → 办理中 with a new due date and a new answer card for the department', async () => {
    number = await submitProposal(t, REP_C, { title: '关于更换车间老旧风扇的提案', category: '2' })
    await say(t, REP_A, `附议 ${number}`)
    await say(t, REP_B, `附议 ${number}`)
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    const { body: reg } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
    const deptId = JSON.stringify(reg.card?.data).match(/"value":"(\d+)"/)![1]
    await clickOn(t, OFFICER, review, 'proposal.assign', { formValue: { department: deptId, due_date: '2026-03-10 +0800' } })
    await clickOn(t, CONTACT, cardTitled(t, CONTACT.openId, `提案交办 ${number}`), 'proposal.answer', {
      formValue: { answer: '因预算限制，今年暂不更换，留作参考。', answer_class: 'C' },
    })
    const rating = cardTitled(t, REP_C.openId, `提案答复 ${number}`)
    const { body: res } = await clickOn(t, REP_C, rating, 'proposal.rate', { text: '不满意' })
    expect(res.toast?.content).toContain('退回承办部门重新办理')
    expect(cardJson(res.card?.data)).not.toContain('proposal.rate')

    const p = (await findProposal(t.bot.services.db, number))!
    // 10 working days after Monday 2026-03-02 is Monday 2026-03-16, later than the original 2026-03-10.
    expect(p).toMatchObject({ status: 'in_progress', satisfaction: 'dissatisfied', reopenCount: 1, dueDate: '2026-03-16' })
    expect(committeeTexts(t).at(-1)).toContain(`提案 ${number} 的提案人对答复不满意，已退回承办部门重新办理，新的办理期限 2026-03-16`)
    const again = cardTitled(t, CONTACT.openId, `提案交办 ${number}`)
    const againText = cardJson(again.content)
    expect(againText).toContain('提案人对上次答复不满意')
    expect(againText).toContain('因预算限制，今年暂不更换')
    expect(againText).toContain('proposal.answer')
    for (const who of [REP_A, REP_B]) expect(lastText(t, who.openId)).toContain('对答复不满意，已退回承办部门重新办理')
    // The committee's card follows the proposal.
    expect(cardJson(t.fake.currentCard(review.messageId))).toContain('办理中')
  })

  it('the old rating card cannot rate the new round; the new answer gets a new card', async () => {
    const old = cardTitled(t, REP_C.openId, `提案答复 ${number}`)
    const stale = await t.click({ operator: REP_C, value: { action: 'proposal.rate', number, round: 0, satisfaction: 'satisfied' }, messageId: old.messageId })
    expect(stale.body.toast.type).not.toBe('success')
    await clickOn(t, CONTACT, cardTitled(t, CONTACT.openId, `提案交办 ${number}`), 'proposal.answer', {
      formValue: { answer: '已列入二季度设备更新计划，五月底前完成更换。', answer_class: 'B' },
    })
    const ratings = cardsTo(t, REP_C.openId).filter((m) => m.content.header.title.content === `提案答复 ${number}`)
    expect(ratings).toHaveLength(2)
    await clickOn(t, REP_C, ratings[1]!, 'proposal.rate', { text: '基本满意' })
    const p = (await findProposal(t.bot.services.db, number))!
    expect(p).toMatchObject({ status: 'closed', satisfaction: 'basically_satisfied', answerClass: 'B' })
    const kinds = (await listTimeline(t.bot.services.db, p.id)).map((e) => e.kind)
    expect(kinds).toEqual(['submitted', 'cosigned', 'cosigned', 'review_ready', 'registered', 'assigned', 'answered', 'rated', 'answered', 'rated'])
  })
})

describe('assignment when no department is registered yet', () => {
  it('the card says so and offers 刷新; once a department is added, 刷新 brings the form', async () => {
    await say(t, OFFICER, '部门 移除 后勤保障部')
    const number = await submitProposal(t, REP_A, { title: '关于设立职工书屋的提案', category: '4' })
    await say(t, REP_B, `附议 ${number}`)
    await say(t, REP_C, `附议 ${number}`)
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    const { body: reg } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
    expect(cardJson(reg.card?.data)).toContain('尚未登记承办部门')
    expect(cardJson(reg.card?.data)).not.toContain('proposal.assign')
    await say(t, OFFICER, '部门 添加 工会办公室', [CONTACT])
    const { body: refreshed } = await clickOn(t, OFFICER, review, 'proposal.committee.refresh')
    expect(cardJson(refreshed.card?.data)).toContain('proposal.assign')
    expect(cardJson(refreshed.card?.data)).toContain('工会办公室')
    const denied = await t.click({ operator: REP_A, value: { action: 'proposal.committee.refresh', number } })
    expect(denied.body.toast.type).toBe('error')
  })
})
