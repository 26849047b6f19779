// 答复附件 (issue #13, the department's half; QA F28): the department contact attaches a file to the answer before
// submitting it; the bot re-uploads it under a neutral name; the proposer (rating card) and the committee open it
// with 「答复附件」; a representative who is neither gets a refusal and no file; programs are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardJson, cardTitled, clickOn, inbox, lastText, p2p, say, sendAttachment } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Asia/Shanghai
let number = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
  number = await submitProposal(t, REP_A)
  await clickOn(t, REP_B, cardTitled(t, REP_A.openId, `职代会提案 ${number}`), 'proposal.cosign')
  await say(t, REP_C, `附议 ${number}`)
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  const { body: reg } = await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
  const deptId = (reg.card?.data.body.elements as any[]).flatMap((e) => e.elements ?? []).find((e: any) => e.tag === 'select_static')?.options[0].value
  await t.click({ operator: OFFICER, value: { action: 'proposal.assign', number }, formValue: { department: deptId, due_date: '2026-03-20 +0800' }, messageId: review.messageId, chatId: review.chatId })
  await t.settle()
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('答复附件', () => {
  it('only the department contact may attach, and the 提案交办 card says how', async () => {
    expect(cardJson(cardTitled(t, CONTACT.openId, `提案交办 ${number}`).content)).toContain(`答复附件 ${number}`)
    await say(t, REP_B, `答复附件 ${number}`)
    expect(lastText(t, REP_B)).toContain('只有承办部门的联系人')
  })

  it('takes the contact’s file (not a program), re-uploads it under a neutral name, and the rating card opens it for the proposer', async () => {
    await say(t, CONTACT, `答复附件 ${number}`)
    expect(lastText(t, CONTACT)).toContain('发完后发送「完成」')
    await sendAttachment(t, CONTACT, 'file', 'file_v3_macro', '统计.vbs')
    expect(lastText(t, CONTACT)).toContain('不能接收 .vbs 文件')
    const messageId = `om_contact_plan_${Date.now()}`
    t.fake.inboundFiles.set(`${messageId}/file_v3_plan`, Buffer.from('%PDF-1.4 夜间供餐方案'))
    await t.sendMessage({ sender: CONTACT, chatId: p2p(CONTACT), chatType: 'p2p', messageType: 'file', content: { file_key: 'file_v3_plan', file_name: '后勤部钱联系人-夜间供餐方案.pdf' }, messageId })
    await t.settle()
    await say(t, CONTACT, '完成')
    expect(lastText(t, CONTACT)).toContain('附上 1 个文件')
    const [row] = await t.bot.services.db.selectFrom('evidence').selectAll().where('subject_type', '=', 'proposal_answer').execute()
    expect(row!.status).toBe('ready')
    expect(t.fake.files.get(row!.bot_key!)!.name).toBe(`${number}答复-附件1.pdf`)

    const deptCard = cardTitled(t, CONTACT.openId, `提案交办 ${number}`)
    await clickOn(t, CONTACT, deptCard, 'proposal.answer', { formValue: { answer: '已在二号食堂增设夜间窗口，方案见附件。', answer_class: 'A' } })
    const rating = cardTitled(t, REP_A.openId, `提案答复 ${number}`)
    expect(cardJson(rating.content)).toContain('答复附件（1）')
    const before = inbox(t, REP_A).length
    await clickOn(t, REP_A, rating, 'evidence.open')
    const got = inbox(t, REP_A).slice(before)
    expect(got.map((m) => m.msgType)).toEqual(['text', 'file'])
    expect(got[1]!.content.file_key).toBe(row!.bot_key)

    // A co-signer is neither proposer, officer nor the department: refused, and gets nothing.
    const other = await t.click({ operator: REP_B, value: { action: 'evidence.open', t: 'proposal_answer', id: String(row!.subject_id) }, chatId: p2p(REP_B) })
    await t.settle()
    expect(other.body.toast.content).toContain('只有提案人、工会干部和承办部门')
    expect(inbox(t, REP_B).some((m) => m.msgType === 'file')).toBe(false)
  })

  it('is refused once the proposal is answered', async () => {
    await say(t, CONTACT, `答复附件 ${number}`)
    expect(lastText(t, CONTACT)).toContain('不在办理中')
  })
})
