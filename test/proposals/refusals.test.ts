// Every refused step: wrong role, wrong state, duplicate and own co-signatures, double clicks and replays take
// effect once; nothing changes when a step is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { findProposal } from '../../src/proposals/store.js'
import { listCosigners } from '../../src/proposals/cosigners.js'
import { listTimeline } from '../../src/proposals/timeline.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardTitled, clickOn, clickValue, committeeCards, lastText, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const OTHER_CONTACT = { openId: 'ou_contact_other', name: '周联系人' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
  await say(t, OFFICER, '部门 添加 安全环保部', [OTHER_CONTACT])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const status = async (number: string) => (await findProposal(t.bot.services.db, number))!.status
const click = async (who: { openId: string }, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
  (await clickValue(t, who, value, { ...(formValue ? { formValue } : {}), chatId: 'oc_union_committee' })).body as { toast?: { type: string; content: string }; card?: unknown }

async function departmentId(name: string): Promise<string> {
  const row = await t.bot.services.db.selectFrom('proposal_departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return String(row.id)
}

describe('co-signing', () => {
  let number = ''
  beforeAll(async () => {
    number = await submitProposal(t, REP_A)
  })

  it('refuses the proposer co-signing their own proposal', async () => {
    await say(t, REP_A, `附议 ${number}`)
    expect(lastText(t, REP_A.openId)).toContain('不能附议自己')
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    const { body: res } = await clickOn(t, REP_A, shared, 'proposal.cosign')
    expect(res.toast?.type).toBe('error')
    expect(await listCosigners(t.bot.services.db, (await findProposal(t.bot.services.db, number))!.id)).toHaveLength(0)
  })

  it('refuses someone who is not a representative, by command and by button', async () => {
    await say(t, WORKER, `附议 ${number}`)
    expect(lastText(t, WORKER.openId)).toContain('只有职工代表可以附议')
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    const { body: res } = await clickOn(t, WORKER, shared, 'proposal.cosign')
    expect(res.toast).toEqual({ type: 'error', content: '抱歉，只有职工代表可以附议提案。' })
  })

  it('counts a double click of 附议 once, and a second 附议 command is answered kindly', async () => {
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    const [a, b] = await Promise.all([clickOn(t, REP_B, shared, 'proposal.cosign'), clickOn(t, REP_B, shared, 'proposal.cosign')])
    expect([a.body.toast?.type, b.body.toast?.type].sort()).toEqual(['info', 'success'])
    await say(t, REP_B, `附议 ${number}`)
    expect(lastText(t, REP_B.openId)).toContain('您已附议过')
    const p = (await findProposal(t.bot.services.db, number))!
    expect(await listCosigners(t.bot.services.db, p.id)).toHaveLength(1)
    expect((await listTimeline(t.bot.services.db, p.id)).filter((e) => e.kind === 'cosigned')).toHaveLength(1)
    expect(textsTo(t, REP_A.openId).filter((x) => x.includes('新增 1 名职工代表附议'))).toHaveLength(1)
  })

  it('refuses 立案 while the proposal is still collecting co-signers', async () => {
    const res = await click(OFFICER, { action: 'proposal.register', number }, { reason: '' })
    expect(res.toast?.type).toBe('error')
    expect(res.toast?.content).toContain('附议人数未达到要求')
    expect(await status(number)).toBe('collecting')
  })

  it('a replayed delivery of the same callback (same event id) takes effect once', async () => {
    const envelope = t.events.cardAction({ operator: REP_C, value: { action: 'proposal.cosign', number } })
    const first = await t.post(envelope, '/feishu/cards')
    const again = await t.post(envelope, '/feishu/cards')
    await t.settle()
    expect(first.body.toast.type).toBe('success')
    expect(again.body).toEqual({})
    const p = (await findProposal(t.bot.services.db, number))!
    expect(p.status).toBe('pending_review')
    expect(await listCosigners(t.bot.services.db, p.id)).toHaveLength(2)
    expect(committeeCards(t).filter((m) => m.content.header.title.content === `提案审查 ${number}`)).toHaveLength(1)
  })

  it('a re-run of a handled event (crash recovery) finds its own change and sends nothing new', async () => {
    const before = t.fake.messages.length
    // Same event id as an already handled co-signature would be re-dispatched by the inbox sweep after a crash.
    const handled = (await t.bot.services.db.selectFrom('proposal_cosigners').select('event_id').where('open_id', '=', REP_C.openId).executeTakeFirstOrThrow()).event_id!
    await t.bot.dispatcher.handleUpdate({
      kind: 'card_action',
      eventId: handled,
      action: { operatorOpenId: REP_C.openId, name: 'proposal.cosign', value: { action: 'proposal.cosign', number }, formValue: {}, messageId: undefined, chatId: undefined, token: undefined },
    })
    const p = (await findProposal(t.bot.services.db, number))!
    expect(await listCosigners(t.bot.services.db, p.id)).toHaveLength(2)
    expect(t.fake.messages.length).toBe(before) // the same uuids: Feishu de-duplicates the re-sent notices
  })
})

describe('review, assignment, answer and rating refusals', () => {
  let number = ''
  beforeAll(async () => {
    number = await submitProposal(t, REP_B)
    await say(t, REP_A, `附议 ${number}`)
    await say(t, REP_C, `附议 ${number}`)
  })

  it('a non-officer cannot 立案, 不立案 or 交办: error toast, nothing changes', async () => {
    for (const action of ['proposal.register', 'proposal.reject', 'proposal.assign']) {
      const res = await click(REP_A, { action, number }, { reason: '理由', department: await departmentId('后勤保障部'), due_date: '2026-04-01 +0800' })
      expect(res.toast).toEqual({ type: 'error', content: '抱歉，只有工会干部可以进行此操作。' })
    }
    expect(await status(number)).toBe('pending_review')
  })

  it('refuses 交办 before 立案 and an answer before assignment', async () => {
    const assign = await click(OFFICER, { action: 'proposal.assign', number }, { department: await departmentId('后勤保障部'), due_date: '2026-04-01 +0800' })
    expect(assign.toast?.content).toContain('尚未立案')
    const answer = await click(CONTACT, { action: 'proposal.answer', number }, { answer: '答复内容答复内容答复内容', answer_class: 'A' })
    expect(answer.toast?.type).toBe('error')
    expect(await status(number)).toBe('pending_review')
  })

  it('不立案 needs a reason', async () => {
    const res = await click(OFFICER, { action: 'proposal.reject', number }, { reason: '  ' })
    expect(res.toast?.content).toContain('须填写理由')
    expect(await status(number)).toBe('pending_review')
  })

  it('a double click of 立案 registers once; the second click is told kindly', async () => {
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    const { body: first } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
    const second = await t.click({ operator: OFFICER, value: { action: 'proposal.register', number }, formValue: { reason: '' }, messageId: review.messageId })
    await t.settle()
    expect(first.toast?.type).toBe('success')
    expect(second.body.toast).toEqual({ type: 'info', content: '该提案已经立案。' })
    expect((await auditTrail(t.bot.services.db, 'proposal', number)).map((a) => a.action)).toEqual(['proposal.submit', 'proposal.review_ready', 'proposal.register'])
    expect(textsTo(t, REP_A.openId).filter((x) => x.includes(`${number} 经工会提案工作委员会审查，已立案`))).toHaveLength(1)
  })

  it('the proposer can no longer withdraw once registered', async () => {
    await say(t, REP_B, `撤回提案 ${number} 情况有变`)
    expect(lastText(t, REP_B.openId)).toContain('不能撤回')
    expect(await status(number)).toBe('registered')
  })

  it('refuses 交办 without a department, or with a due date in the past', async () => {
    const none = await click(OFFICER, { action: 'proposal.assign', number }, { due_date: '2026-04-01 +0800' })
    expect(none.toast?.content).toContain('请选择承办部门')
    const past = await click(OFFICER, { action: 'proposal.assign', number }, { department: await departmentId('后勤保障部'), due_date: '2026-03-01 +0800' })
    expect(past.toast?.content).toContain('不能早于今天')
    expect(await status(number)).toBe('registered')
  })

  it('a double click of 交办 assigns once and the department gets one card', async () => {
    const form = { department: await departmentId('后勤保障部'), due_date: '2026-04-01 +0800' }
    const [a, b] = await Promise.all([click(OFFICER, { action: 'proposal.assign', number }, form), click(OFFICER, { action: 'proposal.assign', number }, form)])
    expect([a.toast?.type, b.toast?.type].sort()).toEqual(['info', 'success'])
    expect(t.fake.messagesToUser(CONTACT.openId).filter((m) => m.content?.header?.title?.content === `提案交办 ${number}`)).toHaveLength(1)
    expect(await status(number)).toBe('in_progress')
  })

  it('only the contact of this department may answer', async () => {
    const wrongRole = await click(WORKER, { action: 'proposal.answer', number }, { answer: '我来答复一下这个提案内容', answer_class: 'A' })
    expect(wrongRole.toast).toEqual({ type: 'error', content: '只有承办部门的联系人可以答复提案。' })
    const otherDept = await click(OTHER_CONTACT, { action: 'proposal.answer', number }, { answer: '我来答复一下这个提案内容', answer_class: 'A' })
    expect(otherDept.toast?.content).toContain('只有该提案承办部门的联系人')
    expect(await status(number)).toBe('in_progress')
  })

  it('an answer needs text and a class', async () => {
    const short = await click(CONTACT, { action: 'proposal.answer', number }, { answer: '好', answer_class: 'A' })
    expect(short.toast?.content).toContain('不少于 10 个字')
    const noClass = await click(CONTACT, { action: 'proposal.answer', number }, { answer: '已安排专人跟进处理，下月完成。' })
    expect(noClass.toast?.content).toContain('落实类别')
    expect(await status(number)).toBe('in_progress')
  })

  it('refuses a rating before the answer', async () => {
    const res = await click(REP_B, { action: 'proposal.rate', number, round: 0, satisfaction: 'satisfied' })
    expect(res.toast?.type).toBe('error')
    expect(await status(number)).toBe('in_progress')
  })

  it('a double click of 提交答复 answers once', async () => {
    const card = cardTitled(t, CONTACT.openId, `提案交办 ${number}`)
    const form = { formValue: { answer: '已列入下季度改造计划，逐步解决。', answer_class: 'B' } }
    const [a, b] = await Promise.all([clickOn(t, CONTACT, card, 'proposal.answer', form), clickOn(t, CONTACT, card, 'proposal.answer', form)])
    expect([a.body.toast?.type, b.body.toast?.type].sort()).toEqual(['info', 'success'])
    expect(t.fake.messagesToUser(REP_B.openId).filter((m) => m.content?.header?.title?.content === `提案答复 ${number}`)).toHaveLength(1)
  })

  it('only the proposer may rate, and a double click rates once', async () => {
    const rating = cardTitled(t, REP_B.openId, `提案答复 ${number}`)
    const { body: other } = await clickOn(t, REP_A, rating, 'proposal.rate', { text: '满意' })
    expect(other.toast).toEqual({ type: 'error', content: '只有提案人可以评价答复。' })
    expect(await status(number)).toBe('answered')
    const [a, b] = await Promise.all([clickOn(t, REP_B, rating, 'proposal.rate', { text: '基本满意' }), clickOn(t, REP_B, rating, 'proposal.rate', { text: '基本满意' })])
    expect([a.body.toast?.type, b.body.toast?.type].sort()).toEqual(['info', 'success'])
    const p = (await findProposal(t.bot.services.db, number))!
    expect(p.status).toBe('closed')
    expect(p.satisfaction).toBe('basically_satisfied')
    expect((await listTimeline(t.bot.services.db, p.id)).filter((e) => e.kind === 'rated')).toHaveLength(1)
  })

  it('a closed proposal takes no more steps', async () => {
    const register = await click(OFFICER, { action: 'proposal.register', number }, { reason: '' })
    expect(register.toast?.type).toBe('error')
    await say(t, REP_C, `附议 ${number}`)
    expect(lastText(t, REP_C.openId)).toContain('已附议过')
    const REP_D = { openId: 'ou_rep_d', name: '吴代表' }
    await say(t, OFFICER, '代表 添加', [REP_D])
    await say(t, REP_D, `附议 ${number}`)
    expect(lastText(t, REP_D.openId)).toContain('当前状态为「已办结」，已不能附议')
    await say(t, WORKER, '提交提案')
    expect(lastText(t, WORKER.openId)).toContain('只有登记在册的职工代表')
  })
})

describe('windows', () => {
  it('refuses co-signing once the proposal’s window has ended, and submissions outside a window', async () => {
    const number = await submitProposal(t, REP_C)
    await say(t, OFFICER, '提案征集 结束')
    await say(t, REP_A, `附议 ${number}`)
    expect(lastText(t, REP_A.openId)).toContain('提案征集已经结束')
    await say(t, REP_A, '提交提案')
    expect(lastText(t, REP_A.openId)).toContain('当前不在提案征集期')
    expect(await status(number)).toBe('collecting')
  })
})
