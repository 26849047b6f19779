// Officers' card actions on a grievance (issue #3): 受理 / 不予受理 / 指派 / 回复职工 / 内部备注 / 办结, each by a
// signed card callback: the card updates in place, the worker is told (number and status in the preview), the
// audit log records the officer, a non-officer is refused, a double click or replayed callback acts once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard, type Person } from '../helpers/grievances.js'
import { buttonValue, cardText, clickOn, inbox } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

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

let worker: Person
let number: string
beforeEach(async () => {
  worker = newWorker(t, '周八')
  number = await fileGrievance(t, worker, { anonymous: false })
})

const row = () => t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const audits = () => t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).orderBy('id').execute()
const events = async () => {
  const g = await row()
  return t.bot.services.db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).orderBy('id').execute()
}
const toWorker = () => inbox(t, worker)

describe('受理', () => {
  it('updates the card in place, tells the worker the number and new status only, and audits the officer', async () => {
    const before = toWorker().length
    clock.set('2026-04-07T02:15:00Z')
    const started = performance.now()
    const res = await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    // Feishu waits 3 s for the answer; the intake answers by 2.5 s at the latest, ours comes well before.
    const answeredMs = performance.now() - started
    expect(answeredMs).toBeLessThan(2500)
    console.log(`受理 callback answered (with settle) in ${Math.round(answeredMs)} ms`)
    expect(res.status).toBe(200)
    expect(res.body.toast).toEqual({ type: 'success', content: '已受理，已通知职工' })
    const card = res.body.card.data
    expect(card.schema).toBe('2.0')
    const text = cardText(card)
    expect(text).toContain('**状态：**处理中')
    expect(text).toContain('2026-04-07 王主席 **受理**')
    expect(text).toContain('已受理于 2026-04-07')
    expect(buttonValue(card, 'grievance.accept')).toBeUndefined()
    expect(buttonValue(card, 'grievance.resolve')).toMatchObject({ rev: 1 })

    const sent = toWorker().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.content.text).toBe(`您的诉求 ${number} 已受理，当前状态：处理中。`)

    expect(await row()).toMatchObject({ status: 'accepted', revision: 1 })
    expect((await row()).accepted_at?.toISOString()).toBe('2026-04-07T02:15:00.000Z')
    const a = await audits()
    expect(a).toHaveLength(1)
    expect(a[0]).toMatchObject({ actor_open_id: CHAIR.openId, action: 'grievance.accept', subject_type: 'grievance', subject_id: number, detail: { from: 'pending', to: 'accepted' } })
  })

  it('a double click takes effect once', async () => {
    const { messageId } = reviewCard(t, number)
    const value = buttonValue(t.fake.currentCard(messageId), 'grievance.accept')!
    const before = toWorker().length
    const [a, b] = await Promise.all([
      t.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID }),
      t.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID }),
    ])
    await t.settle()
    const toasts = [a.body.toast, b.body.toast].map((x) => x.content).sort()
    expect(toasts).toContain('已受理，已通知职工')
    expect(toasts.filter((x) => x === '已受理，已通知职工')).toHaveLength(1)
    expect((await events()).filter((e) => e.kind === 'accepted')).toHaveLength(1)
    expect(await audits()).toHaveLength(1)
    expect(toWorker().length - before).toBe(1)
    expect((await row()).revision).toBe(1)
  })

  it('a replayed callback (same event_id) takes effect once and keeps the card', async () => {
    const { messageId } = reviewCard(t, number)
    const value = buttonValue(t.fake.currentCard(messageId), 'grievance.accept')!
    const first = await t.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID, eventId: `evt-replay-${number}` })
    await t.settle()
    const again = await t.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID, eventId: `evt-replay-${number}` })
    await t.settle()
    expect(first.body.toast.type).toBe('success')
    expect(again.status).toBe(200)
    expect(again.body).toEqual({})
    expect(await audits()).toHaveLength(1)
  })

  it('a click whose notification failed is finished by the inbox later: the change once, the message once', async () => {
    // A second instance with 1-second leases, so the inbox re-runs the unfinished callback quickly.
    const quick = await startTestBot({ db, fake: t.fake, clock, env: { ...OFFICERS_ENV, INBOX_LEASE_SECONDS: '1' } })
    try {
      const { messageId } = reviewCard(t, number)
      const value = buttonValue(t.fake.currentCard(messageId), 'grievance.accept')!
      const before = toWorker().length
      t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5 })
      const res = await quick.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID })
      expect(res.body.toast.content).toBe('已受理，已通知职工')
      const told = await t.fake.waitFor(() => toWorker().slice(before).find((m) => m.msgType === 'text'), 15_000)
      expect(told.content.text).toBe(`您的诉求 ${number} 已受理，当前状态：处理中。`)
      await quick.settle()
      expect(toWorker().length - before).toBe(1)
      expect(await audits()).toHaveLength(1)
      expect((await events()).filter((e) => e.kind === 'accepted')).toHaveLength(1)
    } finally {
      await quick.stop()
    }
  })

  it('a non-officer gets an error toast for every action and nothing changes', async () => {
    const stranger = newWorker(t, '路人')
    const { messageId } = reviewCard(t, number)
    const before = { row: await row(), sent: t.fake.messages.length }
    for (const [action, formValue] of [
      ['grievance.accept', undefined],
      ['grievance.decline', { reason: '不属于范围' }],
      ['grievance.assign', { assignee: stranger.openId }],
      ['grievance.reply', { reply: '你好' }],
      ['grievance.note', { note: '看看' }],
    ] as const) {
      const res = await clickOn(t, stranger.openId, messageId, action, formValue ? { formValue } : {})
      expect(res.body.toast).toEqual({ type: 'error', content: '抱歉，只有工会干部可以处理诉求。' })
      expect(res.body.card).toBeUndefined()
    }
    // 办结 is on the card only after 受理; a forged click is refused all the same.
    const forged = await t.click({ operator: stranger.openId, value: { action: 'grievance.resolve', gid: before.row.id, rev: 0 }, formValue: { result: 'x' }, messageId })
    expect(forged.body.toast.type).toBe('error')
    await t.settle()
    expect(await row()).toEqual(before.row)
    expect(await audits()).toHaveLength(0)
    expect(t.fake.messages.length).toBe(before.sent)
  })
})

describe('不予受理, 指派, 回复职工, 内部备注, 办结', () => {
  it('不予受理 needs a reason, which reaches the worker inside a card whose preview names only number and status', async () => {
    const empty = await officerAct(t, CHAIR.openId, number, 'grievance.decline', { reason: '   ' })
    expect(empty.body.toast).toEqual({ type: 'error', content: '请先填写不予受理的理由。' })
    expect((await row()).status).toBe('pending')
    const before = toWorker().length
    const res = await officerAct(t, OFFICER_2.openId, number, 'grievance.decline', { reason: '该问题属于劳动仲裁范围，建议向区劳动争议仲裁委员会申请。' })
    expect(res.body.toast.content).toBe('已不予受理，理由已告知职工')
    // The committee's card of an ended case collapses to one line (issue #13); the full card is one click away.
    const group = reviewCard(t, number).card
    expect(cardText(group)).toContain(`**${number}** · 劳动报酬 · 不予受理 · 2026-04-07`)
    expect(buttonValue(group, 'grievance.accept')).toBeUndefined()
    expect(buttonValue(group, 'desk.open')).toMatchObject({ feature: 'grievance' })
    // The form the officer submitted (privately) now shows the full card of the ended case.
    expect(cardText(res.body.card.data)).toContain('**状态：**不予受理')
    await clickOn(t, CHAIR.openId, reviewCard(t, number).messageId, 'desk.open')
    const full = inbox(t, CHAIR.openId).at(-1)!.content
    expect(cardText(full)).toContain('**状态：**不予受理')
    expect(cardText(full)).toContain('赵委员 **不予受理**')
    expect(buttonValue(full, 'grievance.reply')).toBeUndefined()
    const sent = toWorker().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.msgType).toBe('interactive')
    expect(sent[0]!.content.config.summary.content).toBe(`诉求 ${number}：不予受理`)
    expect(cardText(sent[0]!.content)).toContain('劳动仲裁范围')
    expect(JSON.stringify(sent[0]!.content)).not.toContain('加班费')
    const g = await row()
    expect(g).toMatchObject({ status: 'declined', decline_reason: '该问题属于劳动仲裁范围，建议向区劳动争议仲裁委员会申请。' })
    expect(g.closed_at).not.toBeNull()
    expect((await audits()).map((a) => [a.actor_open_id, a.action])).toEqual([[OFFICER_2.openId, 'grievance.decline']])
    // Once declined, 受理 from a stale copy of the card is refused.
    const late = await t.click({ operator: CHAIR.openId, value: { action: 'grievance.accept', gid: g.id, rev: g.revision }, messageId: reviewCard(t, number).messageId })
    expect(late.body.toast).toMatchObject({ type: 'warning' })
    expect((await row()).status).toBe('declined')
  })

  it('指派 goes to one officer, who is told privately; a non-officer cannot be assigned', async () => {
    const stranger = newWorker(t, '路人甲')
    const bad = await officerAct(t, CHAIR.openId, number, 'grievance.assign', { assignee: stranger.openId })
    expect(bad.body.toast).toEqual({ type: 'error', content: '只能指派给工会干部。' })
    const res = await officerAct(t, CHAIR.openId, number, 'grievance.assign', { assignee: OFFICER_2.openId })
    expect(res.body.toast.content).toBe('已指派给 赵委员，已私信通知')
    expect(cardText(res.body.card.data)).toContain('**承办人：**赵委员')
    expect(cardText(res.body.card.data)).toContain('王主席 **指派给 赵委员**')
    const told = inbox(t, OFFICER_2.openId).at(-1)!
    expect(told.content.header.title.content).toBe(`诉求 ${number} 指派给您`)
    expect(JSON.stringify(told.content)).not.toContain('加班费')
    expect(inbox(t, stranger)).toHaveLength(0)
    expect((await row()).assignee_open_id).toBe(OFFICER_2.openId)
    expect((await audits()).at(-1)).toMatchObject({ actor_open_id: CHAIR.openId, action: 'grievance.assign', detail: { assignee: OFFICER_2.openId } })
  })

  it('回复职工 is relayed to the worker; 内部备注 never reaches the worker', async () => {
    const before = toWorker().length
    const note = await officerAct(t, CHAIR.openId, number, 'grievance.note', { note: '内部：先找车间主任了解排班记录' })
    expect(note.body.toast.content).toBe('已添加内部备注（职工看不到）')
    expect(cardText(note.body.card.data)).toContain('先找车间主任了解排班记录')
    expect(toWorker().length).toBe(before)
    const reply = await officerAct(t, CHAIR.openId, number, 'grievance.reply', { reply: '请提供近三个月的考勤截图，我们会和人事部核实。' })
    expect(reply.body.toast.content).toBe('已转达给职工')
    const sent = toWorker().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.content.config.summary.content).toBe(`诉求 ${number} 有新回复（待受理）`)
    expect(cardText(sent[0]!.content)).toContain('近三个月的考勤截图')
    expect(JSON.stringify(toWorker())).not.toContain('排班记录')
    // The worker's own view lists the reply, never the note.
    await t.sendMessage({ sender: worker.openId, chatId: `oc_p2p_${worker.openId}`, chatType: 'p2p', text: `诉求 ${number}` })
    await t.settle()
    const own = JSON.stringify(toWorker().at(-1)!.content)
    expect(own).toContain('考勤截图')
    expect(own).not.toContain('排班记录')
    expect((await audits()).map((a) => a.action)).toEqual(['grievance.note', 'grievance.reply'])
    for (const a of await audits()) expect(JSON.stringify(a.detail)).not.toMatch(/排班|考勤/)
  })

  it('a double-clicked reply is relayed once', async () => {
    const { messageId } = reviewCard(t, number)
    const value = buttonValue(t.fake.currentCard(messageId), 'grievance.reply')!
    const formValue = { reply: '收到，我们今天联系您。' }
    const before = toWorker().length
    const first = await t.click({ operator: CHAIR.openId, value, formValue, messageId })
    const second = await t.click({ operator: CHAIR.openId, value, formValue, messageId })
    await t.settle()
    expect(first.body.toast.content).toBe('已转达给职工')
    expect(second.body.toast).toEqual({ type: 'info', content: '这项操作已经生效，无需重复。' })
    expect(toWorker().length - before).toBe(1)
    expect((await events()).filter((e) => e.kind === 'replied')).toHaveLength(1)
  })

  it('办结 needs 受理 first and a result; the worker gets the result with rating buttons', async () => {
    const g0 = await row()
    const early = await t.click({ operator: CHAIR.openId, value: { action: 'grievance.resolve', gid: g0.id, rev: g0.revision }, formValue: { result: '已处理' }, messageId: reviewCard(t, number).messageId })
    expect(early.body.toast).toEqual(expect.objectContaining({ type: 'warning', content: '请先受理，再办结。' }))
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    const empty = await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '' })
    expect(empty.body.toast.content).toBe('请先填写办结结果。')
    const before = toWorker().length
    const res = await officerAct(t, OFFICER_2.openId, number, 'grievance.resolve', { result: '经协调，公司已补发三个月加班费。' })
    expect(res.body.toast.content).toBe('已办结，已请职工评价')
    expect(cardText(res.body.card.data)).toContain('**状态：**已办结')
    const sent = toWorker().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.content.config.summary.content).toBe(`诉求 ${number}：已办结，请评价`)
    for (const rating of ['satisfied', 'basically_satisfied', 'dissatisfied']) expect(buttonValue(sent[0]!.content, 'grievance.rate', { rating })).toBeDefined()
    expect(await row()).toMatchObject({ status: 'resolved', resolution: '经协调，公司已补发三个月加班费。' })
    expect((await audits()).map((a) => [a.actor_open_id, a.action])).toEqual([
      [CHAIR.openId, 'grievance.accept'],
      [OFFICER_2.openId, 'grievance.resolve'],
    ])
  })

  it('an action from an outdated card (another officer acted meanwhile) is refused with the card refreshed', async () => {
    const { messageId } = reviewCard(t, number)
    const oldValue = buttonValue(t.fake.currentCard(messageId), 'grievance.note')!
    await officerAct(t, OFFICER_2.openId, number, 'grievance.accept')
    const res = await t.click({ operator: CHAIR.openId, value: oldValue, formValue: { note: '晚了一步' }, messageId })
    await t.settle()
    expect(res.body.toast.type).toBe('warning')
    expect(res.body.toast.content).toContain('卡片已刷新')
    expect(cardText(res.body.card.data)).toContain('**状态：**处理中')
    expect((await events()).some((e) => e.body === '晚了一步')).toBe(false)
  })

  it('keeps the description of the case out of every message to the worker', async () => {
    const filed = toWorker().length
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    await officerAct(t, CHAIR.openId, number, 'grievance.reply', { reply: '已联系人事部。' })
    await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '已补发。' })
    const after = toWorker().slice(filed)
    expect(after).toHaveLength(3)
    expect(JSON.stringify(after)).not.toContain('加班费')
    for (const m of after) {
      if (m.msgType === 'text') expect(m.content.text).toContain(number)
      else expect(m.content.config.summary.content).toContain(number)
    }
  })
})
