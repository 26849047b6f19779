// A hardship application through the real webhook: 提交申请 from the self-check's result → the chair's (and vice
// chair's) private card → 记录走访 → 委员会批准 → 公示 (number and kind, no name without consent) → 记录发放 → the
// annual review reminder, once. The applicant is told each step; only 主席/副主席 may act (a 委员 and the worker
// are refused, changing nothing); documents are kept with their message; nobody else sees the case.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardsTo, clickOn, clickValue, expectEscaped, EVIL, inbox, lastCard, lastText, say, sendAttachment } from '../helpers/chat.js'

let db: TestDatabase
const logLines: string[] = []
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Shanghai
const WORKER = { openId: 'ou_hc_worker', name: '孙困难' }
const OPEN = { openId: 'ou_hc_open', name: '周公开' }
const VICE = { openId: 'ou_hc_vice', name: '赵副主席' }
const MEMBER = { openId: 'ou_hc_member', name: '钱委员' }
const REASON = '爱人重病住院，孩子上学，家庭收入不足以支付医疗费用。'

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { HARDSHIP_DIBAO_MONTHLY: '1000', LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  for (const p of [WORKER, OPEN, VICE, MEMBER, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '干部 添加 主席', [CHAIR])
  await say(t, CHAIR, '干部 添加 副主席', [VICE])
  await say(t, CHAIR, '干部 添加 委员', [MEMBER])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const theCase = () => t.bot.services.db.selectFrom('hardship_cases').selectAll().where('open_id', '=', WORKER.openId).executeTakeFirstOrThrow()
const caseCardOf = (who: { openId: string }) => cardsTo(t, who).filter((m) => JSON.stringify(m.content).includes('困难帮扶申请 K-')).at(-1)!

async function applyAs(who: { openId: string }, reason: string, namePublic: 'yes' | 'no') {
  await say(t, who, '困难帮扶')
  const form = lastCard(t, who)
  await clickOn(t, who, form, 'hardship.check', { formValue: { income: '36000', rigid: '6000', size: '3', sudden: '0' } })
  return clickOn(t, who, form, 'hardship.apply', { formValue: { reason, name_public: namePublic } })
}

describe('a hardship application', () => {
  it('files once from the result card, to the chair and vice chair privately; the worker gets the number', async () => {
    const res = await applyAs(WORKER, REASON, 'no')
    expect(res.body.toast.content).toMatch(/已提交申请 K-2026-0001/)
    const c = await theCase()
    expect(c).toMatchObject({ number: 'K-2026-0001', status: 'applied', level: 'deep', income_fen: 3600000, household_size: 3, name_public: false })
    expect(lastText(t, WORKER)).toContain('K-2026-0001')
    for (const officer of [CHAIR, VICE]) expect(cardText(caseCardOf(officer).content)).toContain(REASON)
    // Not the 委员, not the committee group.
    expect(JSON.stringify(inbox(t, MEMBER))).not.toContain('K-2026-0001')
    expect(JSON.stringify(t.fake.messagesInChat(ADMIN_CHAT_ID))).not.toContain('K-2026-0001')
    // A second click on the same card finds the first application.
    const again = await clickValue(t, WORKER, { action: 'hardship.apply', income: 3600000, rigid: 600000, size: 3, sudden: 0 }, { messageId: res.body.card ? inbox(t, WORKER).filter((m) => m.msgType === 'interactive').at(-1)!.messageId : 'x', formValue: { reason: REASON, name_public: 'no' } })
    expect(again.body.toast.content).toContain('已提交过')
    expect(await t.bot.services.db.selectFrom('hardship_cases').selectAll().execute()).toHaveLength(1)
  })

  it('refuses a forged application that does not qualify', async () => {
    const res = await clickValue(t, OPEN, { action: 'hardship.apply', income: 50000000, rigid: 0, size: 1, sudden: 0 }, { formValue: { reason: '试试', name_public: 'yes' } })
    expect(res.body.toast.type).toBe('error')
    expect(await t.bot.services.db.selectFrom('hardship_cases').selectAll().execute()).toHaveLength(1)
  })

  it('only the chair and vice chair may act: a 委员 and the worker change nothing', async () => {
    const id = Number((await theCase()).id)
    for (const who of [MEMBER, WORKER]) {
      const res = await clickValue(t, who, { action: 'hardship.visit', id }, { formValue: { note: '看过了' } })
      expect(res.body.toast.content).toContain('只有工会主席、副主席')
    }
    expect((await theCase()).status).toBe('applied')
  })

  it('the applicant adds documents, kept with the message they came in; another person cannot name the case', async () => {
    await say(t, OPEN, '困难帮扶 材料 K-2026-0001')
    expect(lastText(t, OPEN)).toContain('找不到')
    await say(t, WORKER, '困难帮扶 材料 K-2026-0001')
    const messageId = await sendAttachment(t, WORKER, 'image', 'img_v3_hospital_bill')
    expect(lastText(t, WORKER)).toContain('已收到 1 份')
    await say(t, WORKER, '完成')
    const files = JSON.parse((await theCase()).attachments)
    expect(files).toEqual([{ kind: 'image', key: 'img_v3_hospital_bill', messageId }])
    expect(cardText(t.fake.currentCard(caseCardOf(CHAIR).messageId))).toContain('材料（1 份）')
  })

  it('documents are re-uploaded by the bot and open for the chair from the case card; a 委员 is refused; programs are not taken', async () => {
    await say(t, WORKER, '困难帮扶 材料 K-2026-0001')
    await sendAttachment(t, WORKER, 'file', 'file_v3_setup', 'setup.exe')
    expect(lastText(t, WORKER)).toContain('不能接收 .exe 文件')
    const messageId = `om_hc_income_${Date.now()}`
    t.fake.inboundFiles.set(`${messageId}/file_v3_income`, Buffer.from('%PDF-1.4 收入证明 孙困难'))
    await t.sendMessage({ sender: WORKER, chatId: `oc_p2p_${WORKER.openId}`, chatType: 'p2p', messageType: 'file', content: { file_key: 'file_v3_income', file_name: '孙困难收入证明.pdf' }, messageId })
    await t.settle()
    await say(t, WORKER, '完成')
    const c = await theCase()
    const rows = await t.bot.services.db.selectFrom('evidence').selectAll().where('subject_type', '=', 'hardship').where('subject_id', '=', String(c.id)).orderBy('ordinal').execute()
    expect(rows.map((r) => [r.source_key, r.status])).toEqual([['img_v3_hospital_bill', 'ready'], ['file_v3_income', 'ready']])
    const upload = t.fake.files.get(rows[1]!.bot_key!)!
    expect(upload.name).toBe(`${c.number}-附件2.pdf`)
    const card = caseCardOf(CHAIR)
    const memberTry = await clickOn(t, MEMBER, card, 'evidence.open')
    expect(memberTry.body.toast.content).toContain('只有工会主席、副主席')
    expect(inbox(t, MEMBER).some((m) => m.msgType === 'file')).toBe(false)
    const before = inbox(t, CHAIR).length
    await clickOn(t, CHAIR, card, 'evidence.open')
    const got = inbox(t, CHAIR).slice(before)
    expect(got.map((m) => m.msgType)).toEqual(['text', 'image', 'file'])
    expect(got[0]!.content.text).toBe(`${c.number} 的附件（2 个）如下，请勿转发。`)
    expect([got[1]!.content.image_key, got[2]!.content.file_key]).toEqual([rows[0]!.bot_key, rows[1]!.bot_key])
  })

  it('home visit (a note is required) → approval → 公示 without the name → payment → the worker sees each step', async () => {
    const card = caseCardOf(CHAIR)
    const empty = await clickOn(t, CHAIR, card, 'hardship.visit', { formValue: { note: '' } })
    expect(empty.body.toast.content).toContain('请填写入户走访记录')
    const visit = await clickOn(t, CHAIR, card, 'hardship.visit', { formValue: { note: `3月2日入户，情况属实。${EVIL.slice(0, 20)}` } })
    expect(visit.body.toast.content).toBe('已记录走访')
    expectEscaped(visit.body.card.data)
    expect(lastText(t, WORKER)).toContain('已走访')
    // The vice chair's card followed.
    expect(cardText(t.fake.currentCard(caseCardOf(VICE).messageId))).toContain('已走访，待委员会审批')
    await clickOn(t, VICE, caseCardOf(VICE), 'hardship.approve')
    expect((await theCase()).status).toBe('approved')
    expect(lastText(t, WORKER)).toContain('已批准')
    const twice = await clickValue(t, CHAIR, { action: 'hardship.approve', id: Number((await theCase()).id) })
    expect(twice.body.toast.content).toContain('已是「已批准，待发放」')
    await clickOn(t, CHAIR, caseCardOf(CHAIR), 'hardship.publish')
    const notice = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => JSON.stringify(m.content).includes('困难职工帮扶公示')).at(-1)!
    expect(cardText(notice.content)).toContain('K-2026-0001')
    expect(cardText(notice.content)).toContain('深度困难')
    expect(JSON.stringify(notice.content)).not.toContain(WORKER.name)
    expect(JSON.stringify(notice.content)).not.toContain(REASON)
    const badPay = await clickOn(t, CHAIR, caseCardOf(CHAIR), 'hardship.pay', { formValue: { amount: '2000.001', paid_on: '2026-03-02' } })
    expect(badPay.body.toast.content).toContain('发放金额')
    const pay = await clickOn(t, CHAIR, caseCardOf(CHAIR), 'hardship.pay', { formValue: { amount: '2000.50', paid_on: '2026-03-02' } })
    expect(pay.body.toast.content).toBe('已记录发放')
    expect(await theCase()).toMatchObject({ status: 'paid', paid_fen: 200050, paid_on: '2026-03-02', review_due_on: '2027-03-02' })
    expect(cardText(lastCard(t, WORKER).content)).toContain('2,000.50 元')
    await say(t, WORKER, '困难帮扶 进度')
    expect(cardText(lastCard(t, WORKER).content)).toContain('已发放')
  })

  it('a 公示 shows the name only when the worker agreed', async () => {
    await applyAs(OPEN, '家里突遭火灾。', 'yes')
    const c = await t.bot.services.db.selectFrom('hardship_cases').selectAll().where('open_id', '=', OPEN.openId).executeTakeFirstOrThrow()
    expect(c.name_public).toBe(true)
    const id = Number(c.id)
    await clickValue(t, CHAIR, { action: 'hardship.visit', id }, { formValue: { note: '已走访。' } })
    await clickValue(t, CHAIR, { action: 'hardship.approve', id })
    await clickValue(t, CHAIR, { action: 'hardship.publish', id })
    await t.settle()
    const notice = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => JSON.stringify(m.content).includes(c.number)).at(-1)!
    expect(cardText(notice.content)).toContain(OPEN.name)
  })

  it('reminds the chair and vice chair of the annual review once, on the working day it is due', async () => {
    clock.set(new Date('2027-03-02T01:30:00Z')) // Tuesday 09:30 local
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    await t.bot.runPeriodic(new Date('2027-03-02T01:31:00Z'))
    await t.settle()
    for (const officer of [CHAIR, VICE]) {
      const reviews = inbox(t, officer).filter((m) => m.msgType === 'text' && String(m.content.text).includes('年度复核'))
      expect(reviews).toHaveLength(1)
      expect(reviews[0]!.content.text).toContain('K-2026-0001')
    }
    expect(inbox(t, MEMBER).some((m) => JSON.stringify(m.content).includes('年度复核'))).toBe(false)
  })

  it('keeps the case out of the logs, the audit details, the committee group and other officers', async () => {
    const logs = logLines.join('')
    expect(logs).toContain('K-2026-0001')
    for (const secret of [REASON, WORKER.name, WORKER.openId, '3600000', '36000', '医疗费用', '情况属实']) expect(logs).not.toContain(secret)
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('action', 'like', 'hardship.%').execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['hardship.apply', 'hardship.documents', 'hardship.visit', 'hardship.approve', 'hardship.publish', 'hardship.pay']))
    expect(JSON.stringify(audit.map((a) => ({ subject: a.subject_id, detail: a.detail })))).not.toMatch(/爱人|孙困难|情况属实|36000/)
    const committee = JSON.stringify(t.fake.messagesInChat(ADMIN_CHAT_ID))
    for (const secret of [REASON, WORKER.name, '情况属实']) expect(committee).not.toContain(secret)
    expect(JSON.stringify(inbox(t, MEMBER))).not.toContain('K-2026')
  })
})
