// Labour-law supervision through the real webhook (issue #16, 工会法第二十二条): an officer opens a matter from the
// 劳动监督 form (linking grievances), the 意见书 reaches the department's contact with a reply deadline in working
// days, the contact replies on its card, the union accepts the reply or asks again, and closes with the outcome;
// overdue replies are chased once a working day and flagged on the committee's card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { addDays, localDate } from '../../src/time.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, fileGrievance, newWorker } from '../helpers/grievances.js'
import { cardText, cardTitle, cardsTo, clickOn, clickValue, committeeMessages, lastCard, lastText, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai
const CONTACT = { openId: 'ou_sv_contact', name: '钱联系人' }
const OTHER_CONTACT = { openId: 'ou_sv_contact_2', name: '周联系人' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  for (const p of [CHAIR, CONTACT, OTHER_CONTACT]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '部门 添加 后勤保障部', [CONTACT])
  await say(t, CHAIR, '部门 添加 安全环保部', [OTHER_CONTACT])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const matter = (number: string) => t.bot.services.db.selectFrom('supervision_matters').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const departmentId = async (name: string) => String((await t.bot.services.db.selectFrom('proposal_departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id)
const FACTS = '后勤保障部连续两个月安排职工每天加班三小时以上，未与工会和职工协商。'
const OPINION = '请立即停止违法延长劳动时间，依法支付加班工资，并在期限内书面答复。'

async function openMatter(grievances = ''): Promise<string> {
  await say(t, CHAIR, `劳动监督 ${grievances}`.trim())
  const form = lastCard(t, CHAIR)
  expect(cardTitle(form)).toBe('劳动法律监督')
  const res = await clickOn(t, CHAIR, form, 'supervision.open', { formValue: { type: 'overtime', department: await departmentId('后勤保障部'), facts: FACTS, opinion: OPINION, grievances } })
  expect(res.body.toast.type).toBe('success')
  return res.body.toast.content.match(/S-2026-\d{3}/)[0]
}

const groupCard = (number: string) => {
  const m = committeeMessages(t).find((x) => cardTitle(x) === `劳动法律监督 ${number}`)
  expect(m, `group card of ${number}`).toBeDefined()
  return m!
}
const opinionTo = (who: { openId: string }, number: string) => [...cardsTo(t, who)].reverse().find((m) => cardTitle(m) === `工会意见书 ${number}`)!

describe('劳动监督', () => {
  it('opens a matter linked to grievances; the 意见书 goes to the contact with a deadline in working days', async () => {
    const w = newWorker(t)
    const g = await fileGrievance(t, w, { anonymous: false })
    await say(t, CHAIR, `劳动监督 ${g}`)
    expect(JSON.stringify(lastCard(t, CHAIR).content)).toContain(g)
    const number = await openMatter(g)
    const m = await matter(number)
    expect(m).toMatchObject({ type: 'overtime', status: 'awaiting_reply', facts: FACTS, opinion: OPINION, contact_open_id: CONTACT.openId, grievance_numbers: [g], opened_by: CHAIR.openId })
    // 15 working days (SUPERVISION_REPLY_WORKDAYS), not calendar days.
    const due = localDate(m.reply_due_at, 'Asia/Shanghai')
    expect(due).toBe(t.bot.services.calendar.nthWorkdayAfter(m.opened_at, 15))
    expect(due > addDays('2026-04-07', 15)).toBe(true)
    const opinion = cardText(opinionTo(CONTACT, number).content)
    for (const s of [FACTS, OPINION, '《工会法》第二十二条', `${due} 23:59 前`]) expect(opinion).toContain(s)
    expect(cardText(groupCard(number).content)).toContain('待部门答复')
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).execute()
    expect(audit.map((a) => a.action)).toEqual(['supervision.open'])
  })

  it('refuses a form without type, department or facts, and an officer-only form to others', async () => {
    await say(t, CHAIR, '劳动监督')
    const form = lastCard(t, CHAIR)
    const before = await t.bot.services.db.selectFrom('supervision_matters').select('id').execute()
    expect((await clickOn(t, CHAIR, form, 'supervision.open', { formValue: { department: await departmentId('后勤保障部'), facts: FACTS, opinion: OPINION } })).body.toast.content).toBe('请先选择监督事项类型。')
    expect((await clickOn(t, CHAIR, form, 'supervision.open', { formValue: { type: 'wages', facts: FACTS, opinion: OPINION } })).body.toast.content).toBe('请先选择责任部门。')
    expect((await clickOn(t, CHAIR, form, 'supervision.open', { formValue: { type: 'wages', department: await departmentId('后勤保障部'), facts: '太短', opinion: OPINION } })).body.toast.content).toBe('事实情况太短：至少 10 个字。')
    const worker = newWorker(t)
    await say(t, worker, '劳动监督')
    expect(lastText(t, worker)).toBe('抱歉，只有工会干部可以处理劳动法律监督事项。')
    expect(await t.bot.services.db.selectFrom('supervision_matters').select('id').execute()).toEqual(before)
  })

  it('the contact replies; another contact may not; the union asks again with a new deadline, then accepts and closes', async () => {
    const number = await openMatter()
    const card = opinionTo(CONTACT, number)
    const other = await clickOn(t, OTHER_CONTACT, card, 'supervision.reply', { formValue: { reply: '我们会研究。' } })
    expect(other.body.toast.content).toBe('只有意见书所发部门的联系人可以答复。')
    clock.set('2026-04-09T02:00:00Z')
    const res = await clickOn(t, CONTACT, card, 'supervision.reply', { formValue: { reply: '本部门将调整排班，下月起加班不超过法定上限。' } })
    expect(res.body.toast.content).toBe('答复已提交工会')
    expect(await matter(number)).toMatchObject({ status: 'replied', reply_on_time: true, reply: '本部门将调整排班，下月起加班不超过法定上限。' })
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).map((m) => m.content.text)).toContain(`劳动法律监督 ${number}：责任部门已答复，请研究是否接受。`)

    const group = groupCard(number)
    await clickOn(t, CHAIR, group, 'supervision.reject', { formValue: { reason: '未提及补发加班工资。' } })
    const asked = await matter(number)
    expect(asked).toMatchObject({ status: 'awaiting_reply', reply_accepted: false })
    expect(localDate(asked.reply_due_at, 'Asia/Shanghai')).toBe(t.bot.services.calendar.nthWorkdayAfter(new Date('2026-04-09T02:00:00Z'), 15))
    expect(cardText(opinionTo(CONTACT, number).content)).toContain('未提及补发加班工资。')

    await clickOn(t, CONTACT, opinionTo(CONTACT, number), 'supervision.reply', { formValue: { reply: '将于本月底前补发两个月加班工资。' } })
    await clickOn(t, CHAIR, group, 'supervision.accept')
    expect((await matter(number)).reply_accepted).toBe(true)
    await clickOn(t, CHAIR, group, 'supervision.close', { formValue: { outcome: '已补发加班工资，排班已调整。' } })
    expect(await matter(number)).toMatchObject({ status: 'closed', outcome: '已补发加班工资，排班已调整。' })
    const kinds = (await t.bot.services.db.selectFrom('supervision_events').select('kind').where('matter_id', '=', asked.id).orderBy('id').execute()).map((e) => e.kind)
    expect(kinds).toEqual(['opened', 'replied', 'not_accepted', 'replied', 'accepted', 'closed'])
    // A stale card does not act again.
    const stale = await clickValue(t, CONTACT, { action: 'supervision.reply', sid: asked.id, rev: 0 }, { formValue: { reply: '再次答复一下。' } })
    expect(stale.body.toast.content).toBe('该事项当前为「已结案」，无需答复。')
  })

  it('chases an overdue reply once a working day from 09:00 and flags the card', async () => {
    clock.set('2026-04-07T01:30:00Z')
    const number = await openMatter()
    const m = await matter(number)
    const due = localDate(m.reply_due_at, 'Asia/Shanghai')
    const chases = () => textsTo(t, CONTACT).filter((x) => x.startsWith(`工会意见书 ${number} 的答复期限`))
    const tickAt = async (local: string) => {
      const at = new Date(`${local}+08:00`)
      clock.set(at)
      await t.bot.runPeriodic(at)
      await t.settle()
    }
    await tickAt(`${due}T10:00:00`)
    expect(chases()).toHaveLength(0)
    const next = t.bot.services.calendar.nthWorkdayAfter(m.reply_due_at, 1)
    await tickAt(`${next}T08:59:00`)
    expect(chases()).toHaveLength(0)
    await tickAt(`${next}T09:00:00`)
    await tickAt(`${next}T09:30:00`)
    expect(chases()).toHaveLength(1)
    expect(cardText(t.fake.currentCard(groupCard(number).messageId))).toContain('答复已超期 1 个工作日')
    const after = t.bot.services.calendar.nthWorkdayAfter(new Date(`${next}T12:00:00+08:00`), 1)
    await tickAt(`${after}T09:10:00`)
    expect(chases()).toHaveLength(2)
  })

  it("every copy of the matter card is live: the chair's private copy follows the reply and the decision (F8)", async () => {
    clock.set('2026-04-07T01:30:00Z')
    await say(t, CHAIR, '劳动监督')
    const form = lastCard(t, CHAIR)
    const res = await clickOn(t, CHAIR, form, 'supervision.open', { formValue: { type: 'wages', department: await departmentId('后勤保障部'), facts: FACTS, opinion: OPINION } })
    const number = res.body.toast.content.match(/S-2026-\d{3}/)[0]
    await t.settle()
    // A second private copy, asked for by number.
    await say(t, CHAIR, `劳动监督 ${number}`)
    const asked = lastCard(t, CHAIR)
    expect(cardTitle(asked)).toBe(`劳动法律监督 ${number}`)
    await clickOn(t, CONTACT, opinionTo(CONTACT, number), 'supervision.reply', { formValue: { reply: '本部门将在本月底前补发工资。' } })
    await t.settle()
    for (const id of [asked.messageId, groupCard(number).messageId]) {
      const now = t.fake.currentCard(id)
      expect(cardText(now)).toContain('部门已答复')
      expect(JSON.stringify(now)).toContain('supervision.accept')
    }
    // The submitted form was replaced by the asked copy (same chat): it now points at the newer card.
    expect(cardText(t.fake.currentCard(form.messageId))).toContain('已由下方最新的卡片代替')
    await clickOn(t, CHAIR, { ...asked, content: t.fake.currentCard(asked.messageId) }, 'supervision.accept')
    await t.settle()
    expect(JSON.stringify(t.fake.currentCard(groupCard(number).messageId))).not.toContain('supervision.accept')
    expect(cardText(t.fake.currentCard(groupCard(number).messageId))).toContain('接受')
  })
})
