// Confidentiality of grievances (issue #3): an anonymous reporter appears in no card, message, audit entry or log
// line officers can see, whatever happens to the case; grievance text stays out of the logs; every piece of user
// text in a card is escaped (mentions, links, headings, tags) and text messages carry none of it.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countElements, type Card } from '../../cards/kit.js'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard } from '../helpers/grievances.js'
import { HOSTILE, buttonValue, cardText, clickOn, expectEscaped, inbox, lastCard, lastTo, say, sendAttachment } from '../helpers/chat.js'
import { MESSAGES } from '../../src/dispatch/messages.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai
/** Card answers to officers' clicks: what officers see besides delivered messages. */
const callbackCards: unknown[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function act(officer: string, number: string, action: string, formValue?: Record<string, unknown>) {
  const res = await officerAct(t, officer, number, action, formValue)
  if (res.body.card) callbackCards.push(res.body.card.data)
  return res
}

/** Everything officers can see: the committee group, their private chats, card answers, the audit log, logs. */
async function officerVisible(): Promise<string> {
  const delivered = t.fake.messages.filter((m) => m.chatId === ADMIN_CHAT_ID || [CHAIR.openId, OFFICER_2.openId].includes(m.receiveId ?? ''))
  const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().execute()
  const events = await t.bot.services.db.selectFrom('grievance_events').select(['actor_open_id', 'detail']).execute()
  const cases = await t.bot.services.db.selectFrom('grievances').selectAll().where('anonymous', '=', true).execute()
  return JSON.stringify({ delivered, patches: delivered.map((m) => m.patches), callbackCards, audit, events, cases, logs: logLines })
}

describe('an anonymous reporter', () => {
  it('is named nowhere officers can see, through filing, follow-up, every officer action, reopening and reminders', async () => {
    const w = newWorker(t, '欧阳秘密')
    const number = await fileGrievance(t, w, { anonymous: true, description: '财务部主管长期克扣我们的餐补，每月两百元。' })
    await say(t, w, `补充 ${number} 补充：去年十二月开始扣的，有工资条为证。`)
    await act(CHAIR.openId, number, 'grievance.note', { note: '先查工资条' })
    await act(CHAIR.openId, number, 'grievance.accept')
    await act(CHAIR.openId, number, 'grievance.assign', { assignee: OFFICER_2.openId })
    await act(OFFICER_2.openId, number, 'grievance.reply', { reply: '请问是哪个月份开始的？' })
    await act(OFFICER_2.openId, number, 'grievance.resolve', { result: '已要求财务部补发。' })
    const rating = lastTo(t, w)!
    await clickOn(t, w.openId, rating.messageId, 'grievance.rate', { match: { rating: 'dissatisfied' }, chatId: `oc_p2p_${w.openId}` })
    // The anonymous 不满意 reopens the case when its relay is delivered (at most an hour later).
    clock.set(new Date(clock.now().getTime() + 61 * 60_000))
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    clock.set('2026-06-30T02:00:00Z')
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).some((m) => m.content?.header?.title?.content === '维权诉求超期提醒')).toBe(true)

    // The worker did get every relay.
    expect(JSON.stringify(inbox(t, w))).toContain('请问是哪个月份开始的')
    expect(JSON.stringify(inbox(t, w))).toContain('已要求财务部补发')

    const visible = await officerVisible()
    expect(visible).toContain('匿名职工')
    expect(visible).not.toContain(w.openId)
    expect(visible).not.toContain('欧阳秘密')
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', number).execute()
    expect(audit.map((a) => a.actor_open_id).sort()).toEqual([CHAIR.openId, CHAIR.openId, CHAIR.openId, OFFICER_2.openId, OFFICER_2.openId].sort())
    // Only the relay table links the case to its reporter.
    const g = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    expect(g.reporter_open_id).toBeNull()
    const link = await t.bot.services.db.selectFrom('grievance_reporters').selectAll().where('grievance_id', '=', g.id).executeTakeFirstOrThrow()
    expect(link.open_id).toBe(w.openId)
    clock.set('2026-06-01T02:00:00Z')
  })

  it('leaves no grievance text and no reporter in the log lines', async () => {
    const w = newWorker(t, '上官隐名')
    const number = await fileGrievance(t, w, { anonymous: true, description: '宿舍热水器漏电，已经电到过两个人，很危险。' })
    await say(t, w, `补充 ${number} 昨天又有人被电到了，请尽快处理。`)
    await act(CHAIR.openId, number, 'grievance.reply', { reply: '已通知后勤马上断电检修。' })
    expect(logLines.length).toBeGreaterThan(0)
    const logs = logLines.join('')
    expect(logs).toContain(number)
    for (const secret of ['漏电', '电到', '断电检修', '餐补', '工资条', w.openId, '上官隐名', '欧阳秘密']) expect(logs).not.toContain(secret)
  })
})

describe('escaping', () => {
  const hostile = HOSTILE.join(' ')

  it('shows user text in every card as plain text that mentions nobody, and keeps it out of text messages', async () => {
    const w = newWorker(t, '<at id=all></at>**bold**')
    await say(t, w, '投诉')
    await say(t, w, '1')
    await sendAttachment(t, w, 'file', 'file_v2_hostile', '[link](http://x).pdf')
    await say(t, w, `${hostile} 工资被扣`)
    await say(t, w, '实名')
    await say(t, w, '确认')
    const number = lastTo(t, w)!.content.text.match(/G-\d{4}-\d{4}/)![0] as string
    await say(t, w, `补充 ${number} ${hostile}`)
    await act(CHAIR.openId, number, 'grievance.note', { note: hostile })
    await act(CHAIR.openId, number, 'grievance.reply', { reply: hostile })
    await act(CHAIR.openId, number, 'grievance.accept')
    await act(CHAIR.openId, number, 'grievance.resolve', { result: hostile })
    await say(t, w, `诉求 ${number}`)
    const other = newWorker(t, '[link](http://x)')
    const declined = await fileGrievance(t, other, { anonymous: false, description: `${hostile} 第二件` })
    await act(CHAIR.openId, declined, 'grievance.decline', { reason: hostile })

    const review = reviewCard(t, number).card
    expect(JSON.stringify(review)).toContain('&#60;at id&#61;all&#62;&#60;&#47;at&#62;')
    const cards = [...t.fake.messages.filter((m) => m.msgType === 'interactive').flatMap((m) => [m.content, ...m.patches]), ...callbackCards]
    expect(cards.length).toBeGreaterThan(10)
    for (const c of cards) expectEscaped(c)
    for (const m of t.fake.messages.filter((x) => x.msgType === 'text')) {
      for (const s of HOSTILE) expect(m.content.text).not.toContain(s)
      expect(m.content.text).not.toContain('工资被扣')
    }
  })
})

describe('card limits', () => {
  it('keeps every card of a case with the longest texts within Feishu’s 30 KB and 200 elements', async () => {
    const w = newWorker(t, '长文')
    const worst = '<>'.repeat(1000) // 2000 characters that all need escaping (5 bytes each once escaped)
    const number = await fileGrievance(t, w, { anonymous: false, description: worst })
    await act(CHAIR.openId, number, 'grievance.accept')
    for (let i = 0; i < 6; i++) {
      await say(t, w, `补充 ${number} ${worst}`)
      await act(CHAIR.openId, number, i % 2 ? 'grievance.note' : 'grievance.reply', i % 2 ? { note: '<'.repeat(1000) } : { reply: '>'.repeat(1000) })
    }
    await say(t, w, `诉求 ${number}`)
    // The fake Open API refuses cards over 30 KB or 200 elements, like Feishu: every send and patch went through.
    expect(logLines.join('')).not.toMatch(/review card not (posted|updated)|feishu call failed/)
    const { messageId, card } = reviewCard(t, number)
    const review = t.fake.messages.find((m) => m.messageId === messageId)!
    expect(review.patches.length + callbackCards.length).toBeGreaterThan(6)
    const bytes = (c: unknown) => Buffer.byteLength(JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(c) }), 'utf8')
    const own = lastTo(t, w)!.content
    const sizes = { review: bytes(card), lastCallback: bytes(callbackCards.at(-1)), own: bytes(own) }
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(30 * 1024)
    for (const c of [card, callbackCards.at(-1), own]) expect(countElements(c as Card)).toBeLessThan(200)
    // The newest history stays on the card; the oldest entries give way.
    expect(cardText(card)).toContain('显示最近')
    expect(cardText(own)).toContain('**您反映的问题**')
    console.log(`worst-case card sizes (bytes): ${JSON.stringify(sizes)}`)
  })
})


describe('conversation buttons act only on the draft they were drawn for (QA, 2026-12-03)', () => {
  const confirmOf = (m: { content: unknown }) => buttonValue(m.content, 'conversation.answer', { step: 'confirm', answer: '确认' })
  const committeeCardsNaming = (name: string) => t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.msgType === 'interactive' && cardText(m.content).includes(name))

  it('an old 确认提交 that said 匿名 does not file a later, named draft', async () => {
    const worker = newWorker(t, '孙明')
    await say(t, worker, '投诉')
    await say(t, worker, '1')
    await say(t, worker, '第一件事：夜班补贴少发了两百元。')
    await say(t, worker, '匿名')
    const anonymousSummary = lastCard(t, worker)
    expect(cardText(anonymousSummary.content)).toContain('匿名')
    await say(t, worker, '确认')
    const filed = t.fake.messagesInChat(ADMIN_CHAT_ID).length
    // A second draft, named this time, waiting at the same confirm step.
    await say(t, worker, '投诉')
    await say(t, worker, '2')
    await say(t, worker, '第二件事：连续三周每周工作六天没有调休。')
    await say(t, worker, '实名')
    const res = await t.click({ operator: worker, value: confirmOf(anonymousSummary)!, messageId: anonymousSummary.messageId, chatId: anonymousSummary.chatId })
    expect(res.body.toast).toEqual({ type: 'warning', content: MESSAGES.stepGone })
    await t.settle()
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).length).toBe(filed)
    expect(committeeCardsNaming('孙明')).toEqual([])
    // Positive control: the current card's own button files the named draft.
    const namedSummary = lastCard(t, worker)
    await t.click({ operator: worker, value: confirmOf(namedSummary)!, messageId: namedSummary.messageId, chatId: namedSummary.chatId })
    await t.settle()
    expect(committeeCardsNaming('孙明')).toHaveLength(1)
  })

  it('within one draft, the summary from before 修改匿名 is stale once the worker chose 实名', async () => {
    const worker = newWorker(t, '钱芳')
    await say(t, worker, '投诉')
    await say(t, worker, '1')
    await say(t, worker, '食堂的饭菜连续两周有异物，反映后没有改进。')
    await say(t, worker, '匿名')
    const before = lastCard(t, worker)
    await say(t, worker, '修改匿名')
    await say(t, worker, '实名')
    const filed = t.fake.messagesInChat(ADMIN_CHAT_ID).length
    const res = await t.click({ operator: worker, value: confirmOf(before)!, messageId: before.messageId, chatId: before.chatId })
    expect(res.body.toast).toEqual({ type: 'warning', content: MESSAGES.stepGone })
    await t.settle()
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).length).toBe(filed)
  })
})
