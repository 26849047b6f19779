// The second half of a case's life (issue #13): time-limit classes chosen at 受理 (一般 / 复杂, their own working-day
// limits) and 转办 (已转办 to the upper union / 12351 / labour inspection, with a summary the worker takes along as a
// card and a text file), each through signed card callbacks against the real bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard } from '../helpers/grievances.js'
import { buttonValue, cardText, cardsTo, inbox, textsTo } from '../helpers/chat.js'
import { grievanceFigures } from '../../src/grievances/figures.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, GRIEVANCE_COMPLEX_RESOLVE_WORKDAYS: '30' } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const row = (number: string) => t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const audits = (number: string) => t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).orderBy('id').execute()

describe('time-limit classes', () => {
  it('受理（一般） keeps the 15-working-day limit; 受理（复杂） moves it to 30 working days from filing and tells the worker', async () => {
    const w = newWorker(t, '钱一')
    const general = await fileGrievance(t, w, { anonymous: false })
    const complex = await fileGrievance(t, w, { anonymous: false })
    const before = (await row(complex)).resolve_due_at
    await officerAct(t, CHAIR.openId, general, 'grievance.accept', undefined, { match: { cls: 'general' } })
    const res = await officerAct(t, CHAIR.openId, complex, 'grievance.accept', undefined, { match: { cls: 'complex' } })
    expect(res.body.toast).toEqual({ type: 'success', content: '已按复杂诉求受理，已通知职工' })
    expect(await row(general)).toMatchObject({ status: 'accepted', time_class: 'general' })
    const c = await row(complex)
    expect(c).toMatchObject({ status: 'accepted', time_class: 'complex' })
    // Filed Tue 7 April 2026: 15 working days → 28 April; 30 → 20 May (Labour Day 1–5 May off, 9 May a make-up day).
    expect(before.toISOString().slice(0, 10)).toBe('2026-04-28')
    expect(c.resolve_due_at.getTime()).toBeGreaterThan(before.getTime())
    expect(cardText(reviewCard(t, complex).card)).toContain('**状态：**处理中 · 复杂')
    expect(cardText(reviewCard(t, general).card)).toContain('**状态：**处理中 · 一般')
    expect(textsTo(t, w).at(-1)).toMatch(new RegExp(`^您的诉求 ${complex} 已受理，当前状态：处理中。按复杂诉求办理，办结期限延至 2026-05-\\d\\d。$`))
    expect((await audits(complex)).at(-1)).toMatchObject({ action: 'grievance.accept', detail: { from: 'pending', to: 'accepted' } })
  })
})

describe('转办 (已转办)', () => {
  it('closes the case as 已转办 with a summary the worker gets as a card and a text file; reports count it', async () => {
    const w = newWorker(t, '孙二')
    const number = await fileGrievance(t, w, { anonymous: true, description: '公司连续两个月拖欠全车间工资，已经和人事反映过没有结果。' })
    await officerAct(t, CHAIR.openId, number, 'grievance.accept', undefined, { match: { cls: 'general' } })
    const empty = await officerAct(t, CHAIR.openId, number, 'grievance.escalate', { escalate_to: 'labour_inspection', escalate_summary: '  ' })
    expect(empty.body.toast).toEqual({ type: 'error', content: '请先填写转办摘要。' })
    const before = inbox(t, w).length
    const res = await officerAct(t, OFFICER_2.openId, number, 'grievance.escalate', { escalate_to: 'labour_inspection', escalate_summary: '涉及全车间欠薪，建议劳动保障监察责令支付。' })
    expect(res.body.toast).toEqual({ type: 'success', content: '已转办至劳动保障监察并结案，摘要已发给职工' })
    const g = await row(number)
    expect(g).toMatchObject({ status: 'transferred', escalated_to: 'labour_inspection', escalation_summary: '涉及全车间欠薪，建议劳动保障监察责令支付。' })
    expect(g.closed_at).not.toBeNull()

    const sent = inbox(t, w).slice(before)
    const file = sent.find((m) => m.msgType === 'file')
    expect(file, 'the summary as a text file').toBeDefined()
    const stored = t.fake.files.get(String(file!.content.file_key))!
    expect(stored.name).toBe(`转办摘要-${number}.txt`)
    const text = stored.data.toString('utf8')
    expect(text).toContain(`诉求编号：${number}`)
    expect(text).toContain('转至：劳动保障监察')
    expect(text).toContain('涉及全车间欠薪，建议劳动保障监察责令支付。')
    expect(text).toContain('公司连续两个月拖欠全车间工资')
    const notice = cardsTo(t, w).at(-1)!
    expect(notice.content.header.title.content).toBe(`诉求 ${number} 已转办`)
    expect(notice.content.config.summary.content).toBe(`诉求 ${number}：已转办`)
    expect(cardText(notice.content)).toContain('同样的摘要已作为文本文件发给您')

    // The group copy collapses like any ended case; no step but 内部备注 is offered.
    const group = reviewCard(t, number).card
    expect(cardText(group)).toContain('已转办')
    expect(buttonValue(res.body.card.data, 'grievance.resolve')).toBeUndefined()
    expect(buttonValue(res.body.card.data, 'grievance.escalate')).toBeUndefined()
    expect(cardText(res.body.card.data)).toContain('**已转办：**劳动保障监察')
    // Refused once closed.
    const again = await t.click({ operator: CHAIR.openId, value: { action: 'grievance.escalate', gid: g.id, rev: g.revision }, formValue: { escalate_to: 'upper_union', escalate_summary: '再转一次' }, messageId: 'om_x', chatId: 'oc_x' })
    expect(again.body.toast.type).toBe('warning')
    expect((await audits(number)).at(-1)).toMatchObject({ action: 'grievance.escalate', actor_open_id: OFFICER_2.openId, detail: { from: 'accepted', to: 'transferred' } })

    const figures = await grievanceFigures(t.bot.services.db, new Date('2026-04-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'))
    expect(figures.transferred).toBe(1)
  })
})
