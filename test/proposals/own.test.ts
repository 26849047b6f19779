// Security review F12: nobody answers and rates their own proposal. A department whose contact proposed or
// co-signed a proposal cannot be given it, its contact cannot be changed to such a person while it holds the
// proposal, and the answer itself is refused to the proposer and co-signers, whatever the roster says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { OWN_PROPOSAL_ANSWER, OWN_PROPOSAL_ASSIGN, ownProposalsContact } from '../../src/proposals/model.js'
import { findProposal } from '../../src/proposals/store.js'
import { listDepartments } from '../../src/organisation/departments.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardsTo, cardTitled, clickOn, clickValue, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Asia/Shanghai
const ANSWER = { answer: '已在二号食堂增设夜间窗口，供餐延长至凌晨两点。', answer_class: 'A' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t) // 后勤保障部 with 钱联系人 (CONTACT)
  await say(t, OFFICER, '部门 添加 工会办公室', [REP_A]) // the review's setup: ou_rep_a is a department's contact
  await say(t, OFFICER, '部门 添加 宣传部', [REP_B])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const row = (number: string) =>
  t.bot.services.db.selectFrom('proposals').select(['status', 'proposer_open_id', 'department_id', 'answered_by', 'satisfaction']).where('number', '=', number).executeTakeFirstOrThrow()

async function departmentId(name: string): Promise<number> {
  return (await listDepartments(t.bot.services.db)).find((d) => d.name === name)!.id
}

const click = async (who: { openId: string }, value: Record<string, unknown>, formValue: Record<string, unknown> = {}) =>
  (await clickValue(t, who, value, { formValue, chatId: 'oc_union_committee' })).body as { toast?: { type: string; content: string } }

const assign = async (number: string, department: string) =>
  click(OFFICER, { action: 'proposal.assign', number }, { department: String(await departmentId(department)), due_date: '2026-03-20 +0800' })

/** REP_A's proposal, co-signed by REP_B and REP_C and registered (立案): waiting for assignment. */
async function registeredProposalOfRepA(): Promise<string> {
  const number = await submitProposal(t, REP_A)
  await say(t, REP_B, `附议 ${number}`)
  await say(t, REP_C, `附议 ${number}`)
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  expect((await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })).body.toast?.type).toBe('success')
  return number
}

describe('assignment', () => {
  let number = ''
  beforeAll(async () => {
    number = await registeredProposalOfRepA()
  })

  it('does not offer the departments whose contact proposed or co-signed it on the assignment card', () => {
    const card = t.fake.currentCard(cardTitled(t, undefined, `提案审查 ${number}`).messageId)
    const select = JSON.stringify(card).match(/"tag":"select_static".*?"options":(\[.*?\])/)
    expect(select).not.toBeNull()
    const offered = (JSON.parse(select![1]!) as Array<{ text: { content: string } }>).map((o) => o.text.content)
    expect(offered).toEqual(['后勤保障部'])
    expect(JSON.stringify(card)).toContain('已略去 2 个联系人是本提案提案人或附议人的部门')
  })

  it("refuses the review's reproduction: a department whose contact is the proposer (ou_rep_a)", async () => {
    const cardsBefore = cardsTo(t, REP_A.openId).length
    const res = await assign(number, '工会办公室')
    expect(res.toast).toEqual({ type: 'error', content: OWN_PROPOSAL_ASSIGN })
    expect(await row(number)).toMatchObject({ status: 'registered', department_id: null, answered_by: null })
    // No answer form went to the proposer.
    expect(cardsTo(t, REP_A.openId).slice(cardsBefore).some((m) => String(m.content.header.title.content).includes('提案交办'))).toBe(false)
  })

  it('refuses a department whose contact co-signed the proposal', async () => {
    const res = await assign(number, '宣传部')
    expect(res.toast).toEqual({ type: 'error', content: OWN_PROPOSAL_ASSIGN })
    expect((await row(number)).status).toBe('registered')
  })

  it('assigns to a department with another contact (the refusal was about the person, nothing else)', async () => {
    const res = await assign(number, '后勤保障部')
    expect(res.toast?.type).toBe('success')
    expect(await row(number)).toMatchObject({ status: 'in_progress', department_id: await departmentId('后勤保障部') })
  })
})

describe('changing the contact of a department that holds the proposal', () => {
  let number = ''
  beforeAll(async () => {
    number = await registeredProposalOfRepA()
    expect((await assign(number, '后勤保障部')).toast?.type).toBe('success')
  })

  it('refuses the proposer or a co-signer as the new contact, and changes nothing', async () => {
    const handoverCards = () => cardsTo(t, REP_A.openId).filter((m) => String(m.content.header.title.content).includes(`提案交办 ${number}`)).length
    const before = handoverCards()
    await say(t, OFFICER, '部门 添加 后勤保障部', [REP_A])
    // The department also holds REP_A's proposal of the block above: both are named.
    expect(lastText(t, OFFICER.openId)).toBe(ownProposalsContact(['P-2026-001', number]))
    await say(t, OFFICER, '部门 添加 后勤保障部', [REP_C])
    expect(lastText(t, OFFICER.openId)).toContain(number)
    const dept = (await listDepartments(t.bot.services.db)).find((d) => d.name === '后勤保障部')!
    expect(dept.contactOpenId).toBe(CONTACT.openId)
    expect(handoverCards()).toBe(before)
    expect((await row(number)).status).toBe('in_progress')
  })
})

describe('the answer itself (defence in depth)', () => {
  let number = ''
  beforeAll(async () => {
    number = await registeredProposalOfRepA()
    expect((await assign(number, '后勤保障部')).toast?.type).toBe('success')
    // The roster changed behind the commands' back (a race with a contact change, an edit by hand): the
    // proposer is now the contact of the department that holds the proposal.
    await t.bot.services.db.updateTable('proposal_departments').set({ contact_open_id: REP_A.openId }).where('name', '=', '后勤保障部').execute()
  })
  afterAll(async () => {
    await t.bot.services.db.updateTable('proposal_departments').set({ contact_open_id: CONTACT.openId }).where('name', '=', '后勤保障部').execute()
  })

  it('refuses the proposer answering, so they cannot then rate and close it (the review: answered and closed by ou_rep_a)', async () => {
    const res = await click(REP_A, { action: 'proposal.answer', number }, ANSWER)
    expect(res.toast).toEqual({ type: 'error', content: OWN_PROPOSAL_ANSWER })
    const rate = await click(REP_A, { action: 'proposal.rate', number, satisfaction: 'satisfied', round: '0' })
    expect(rate.toast?.type).toBe('error')
    expect(await row(number)).toMatchObject({ status: 'in_progress', proposer_open_id: REP_A.openId, answered_by: null, satisfaction: null })
    const p = (await findProposal(t.bot.services.db, number))!
    expect(p.answerText).toBeNull()
  })

  it('refuses a co-signer who became the contact', async () => {
    await t.bot.services.db.updateTable('proposal_departments').set({ contact_open_id: REP_B.openId }).where('name', '=', '后勤保障部').execute()
    const res = await click(REP_B, { action: 'proposal.answer', number }, ANSWER)
    expect(res.toast).toEqual({ type: 'error', content: OWN_PROPOSAL_ANSWER })
    expect((await row(number)).status).toBe('in_progress')
  })

  it('lets an unrelated contact answer as before', async () => {
    await t.bot.services.db.updateTable('proposal_departments').set({ contact_open_id: CONTACT.openId }).where('name', '=', '后勤保障部').execute()
    const res = await click(CONTACT, { action: 'proposal.answer', number }, ANSWER)
    expect(res.toast?.type).toBe('success')
    expect(await row(number)).toMatchObject({ status: 'answered', answered_by: CONTACT.openId })
  })
})
