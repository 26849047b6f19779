// Opinions on a notice through the real webhook: 提意见 from the card or by text opens a private conversation; an
// anonymous opinion reaches the committee after a delay and names nobody; an officer forwards it to the department
// responsible (the 30-day clock), its contact answers, and the answer is published under the notice while the
// opinion itself stays private. Then every table and column, every log line at trace, every message to anyone but
// the worker and every Redis key and value is searched for anything that ties the anonymous worker to the opinion.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { button, buttonsOf, buttonValue, cardsTitled, cardText, cardTitle, clickOn, EVIL, expectEscaped, inbox, lastCard, lastText, say } from '../helpers/chat.js'
import { NOTICE_GROUP, publishNotice, type PublishedNotice } from '../helpers/notices.js'
import { findingsOf, scanLogs, scanMessagesToOthers, scanRedis, scanTables, tracesOf } from '../helpers/secrecy.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-02T02:00:00Z') // Tuesday 10:00 in Shanghai
const SECRET_WORKER = { openId: 'ou_opinion_secret', name: '欧阳匿名' }
const NAMED_WORKER = { openId: 'ou_opinion_named', name: '钱实名' }
const CONTACT = { openId: 'ou_opinion_contact', name: '孙联系人' }
const OPINION = `食堂的菜价涨得太快，夜班职工吃不起，建议按成本公示 ${EVIL}`
const secretEvents: string[] = []
const secretMessages: string[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { LOG_LEVEL: 'trace' }, botOptions: { logger: pino({ level: 'trace' }, sink) } })
  for (const p of [SECRET_WORKER, NAMED_WORKER, CONTACT, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '部门 添加 后勤保障部', [CONTACT])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** The anonymous worker says something privately; the event and message ids are remembered as secrets. */
async function secretSay(text: string): Promise<void> {
  const res = await t.sendMessage({ sender: SECRET_WORKER.openId, chatId: `oc_p2p_${SECRET_WORKER.openId}`, chatType: 'p2p', text })
  expect(res.status).toBe(200)
  secretEvents.push(res.envelope.header.event_id as string)
  secretMessages.push((res.envelope.event.message as { message_id: string }).message_id)
  await t.settle()
}

async function tick(minutes: number): Promise<void> {
  clock.set(new Date(clock.now().getTime() + minutes * 60_000))
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

const findings = findingsOf(() => [SECRET_WORKER.name, ...tracesOf(t, SECRET_WORKER.openId, [...secretEvents, ...secretMessages])])

const opinionCards = () => cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), '职工意见 · ')

let notice: PublishedNotice

describe('an anonymous opinion, forwarded and answered', () => {
  it('opens a private conversation from the card, and the committee sees it only after the delay, naming nobody', async () => {
    notice = await publishNotice(t, { title: '食堂价格调整方案', category: '福利', opinions: 'yes', until: '2026-06-20 18:00 +0800' })
    const c = notice.card!
    expect(cardText(c.content)).toContain('意见征集：')
    const eventId = `evt_opinion_click_${Date.now()}`
    secretEvents.push(eventId)
    const click = await clickOn(t, SECRET_WORKER, c, { text: '提意见' }, { eventId })
    expect(click.body.toast.content).toBe('请在与我的私聊中填写意见（可匿名）')
    expect(cardTitle(lastCard(t, SECRET_WORKER))).toBe(`提意见 · ${notice.number}`)
    // Too short: re-asked with the reason; nothing is lost.
    await secretSay('太贵')
    expect(cardText(lastCard(t, SECRET_WORKER).content)).toContain('意见太短')
    await secretSay(OPINION)
    expect(cardText(lastCard(t, SECRET_WORKER).content)).toContain('是否匿名')
    await secretSay('匿名')
    const confirm = lastCard(t, SECRET_WORKER)
    expect(cardText(confirm.content)).toContain('食堂的菜价涨得太快')
    expectEscaped(confirm.content)
    await secretSay('确认')
    expect(lastText(t, SECRET_WORKER)).toContain(`意见已提交（${notice.number}，第 1 条，匿名）`)
    // Not yet: an anonymous opinion waits a random 10–60 minutes.
    await tick(5)
    expect(opinionCards()).toHaveLength(0)
    await tick(61)
    expect(opinionCards()).toHaveLength(1)
    const card = opinionCards()[0]!
    const shown = cardText(card.content)
    expect(shown).toContain('匿名职工')
    expect(shown).toContain('食堂的菜价涨得太快')
    expect(shown).not.toContain(SECRET_WORKER.name)
    expectEscaped(card.content)
    expect(card.content.config.enable_forward).toBe(false)
    // The notice card shows nothing of the opinion.
    expect(cardText(t.fake.currentCard(c.messageId))).not.toContain('食堂的菜价涨得太快')
    await tick(61)
    expect(opinionCards()).toHaveLength(1)
  })

  it('公开 意见 sends an officer the opinions waiting for an answer, privately; a worker is refused', async () => {
    await say(t, CHAIR, `公开 意见 ${notice.number}`)
    const again = cardsTitled(inbox(t, CHAIR), `职工意见 · ${notice.number} · 1`)
    expect(again).toHaveLength(1)
    expect(cardText(again[0]!.content)).toContain('匿名职工')
    expect(button(again[0]!.content, '转交部门答复')).toBeDefined()
    await say(t, NAMED_WORKER, `公开 意见 ${notice.number}`)
    expect(lastText(t, NAMED_WORKER)).toBe('抱歉，只有工会干部可以使用此功能。')
  })

  it('the officer forwards it with a summary; the contact answers; the answer (not the opinion) is published under the notice', async () => {
    const card = opinionCards()[0]!
    const forward = button(card.content, '转交部门答复')
    const department = String((await t.bot.services.db.selectFrom('proposal_departments').select('id').where('name', '=', '后勤保障部').executeTakeFirstOrThrow()).id)
    // A worker cannot forward.
    const denied = await t.click({ operator: NAMED_WORKER.openId, value: forward.value, formValue: { department }, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    expect(denied.body.toast.type).toBe('error')
    const none = await t.click({ operator: CHAIR.openId, value: forward.value, formValue: {}, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    expect(none.body.toast.content).toBe('请选择负责答复的部门')
    const done = await t.click({ operator: CHAIR.openId, value: forward.value, formValue: { department, summary: '有职工反映夜班餐价偏高' }, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    expect(done.body.toast.content).toBe('已转交后勤保障部')
    expect(JSON.stringify(done.body.card.data)).toContain('2026-07-02 23:59')
    await t.settle()
    const again = await t.click({ operator: CHAIR.openId, value: forward.value, formValue: { department }, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    expect(again.body.toast.content).toBe('这条意见已经转交')

    const toContact = cardsTitled(inbox(t, CONTACT), `待答复意见 · ${notice.number}`).at(-1)!
    expect(cardText(toContact.content)).toContain('食堂的菜价涨得太快')
    // The department reads 职工意见: never who, nor whether the union knows who (QA F3).
    expect(cardText(toContact.content)).toMatch(/提出：(\*\*)?职工意见/)
    const replyButton = button(toContact.content, '提交答复')
    // Only the contact answers.
    const wrong = await t.click({ operator: CHAIR.openId, value: replyButton.value, formValue: { reply: '不是我答' }, messageId: toContact.messageId, chatId: `oc_p2p_${CHAIR.openId}` })
    expect(wrong.body.toast.content).toBe('只有负责答复的部门联系人可以提交答复。')
    const empty = await t.click({ operator: CONTACT.openId, value: replyButton.value, formValue: { reply: ' ' }, messageId: toContact.messageId, chatId: `oc_p2p_${CONTACT.openId}` })
    expect(empty.body.toast.content).toBe('请填写答复内容')
    const answered = await t.click({ operator: CONTACT.openId, value: replyButton.value, formValue: { reply: `夜班套餐下调 2 元，7 月起执行 ${EVIL}` }, messageId: toContact.messageId, chatId: `oc_p2p_${CONTACT.openId}` })
    expect(answered.body.toast.content).toBe('答复已提交，已公布在公开卡片上')
    await t.settle()
    const noticeCard = t.fake.currentCard(notice.card!.messageId)
    const shown = cardText(noticeCard)
    expect(shown).toContain('对职工意见的答复')
    expect(shown).toContain('后勤保障部')
    expect(shown).toContain('有职工反映夜班餐价偏高')
    expect(shown).toContain('夜班套餐下调 2 元')
    expect(shown).not.toContain('食堂的菜价涨得太快')
    expectEscaped(noticeCard)
    // The committee's card shows the answer too.
    expect(cardText(t.fake.currentCard(opinionCards()[0]!.messageId))).toContain('夜班套餐下调 2 元')
  })

  it('a named opinion shows the name to the committee at once and its author hears the answer privately', async () => {
    await say(t, NAMED_WORKER, `提意见 ${notice.number}`)
    await say(t, NAMED_WORKER, '希望增加一个清真窗口，方便少数民族职工。')
    await say(t, NAMED_WORKER, '不匿名')
    // The confirm card offers 修改身份 (QA F13: not 修改匿名 after choosing 实名), and it goes back to the choice.
    const confirmCard = lastCard(t, NAMED_WORKER).content
    expect(buttonsOf(confirmCard).map((b) => b.text)).toEqual(['确认提交', '修改意见', '修改身份'])
    await say(t, NAMED_WORKER, '修改身份')
    expect(cardText(lastCard(t, NAMED_WORKER).content)).toContain('是否匿名？')
    await say(t, NAMED_WORKER, '实名')
    await say(t, NAMED_WORKER, '确认')
    const card = opinionCards().at(-1)!
    expect(cardText(card.content)).toContain(NAMED_WORKER.name)
    const department = String((await t.bot.services.db.selectFrom('proposal_departments').select('id').executeTakeFirstOrThrow()).id)
    const forward = buttonValue(card.content, 'notice.opinion.forward')!
    // The officer's summary keeps its full-width punctuation (QA F12).
    await t.click({ operator: CHAIR.openId, value: forward, formValue: { department, summary: '希望开设清真窗口，方便少数民族职工（共 1 条）。' }, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    await t.settle()
    const toContact = cardsTitled(inbox(t, CONTACT), `待答复意见 · ${notice.number}`).at(-1)!
    // Only the union sees a named author (QA F3): the department's card names nobody.
    expect(cardText(toContact.content)).not.toContain(NAMED_WORKER.name)
    expect(cardText(toContact.content)).toMatch(/提出：(\*\*)?职工意见/)
    await t.click({ operator: CONTACT.openId, value: button(toContact.content, '提交答复').value, formValue: { reply: '下月开设清真窗口。' }, messageId: toContact.messageId, chatId: `oc_p2p_${CONTACT.openId}` })
    await t.settle()
    expect(cardText(lastCard(t, NAMED_WORKER).content)).toContain('下月开设清真窗口')
    const shown = cardText(t.fake.currentCard(notice.card!.messageId))
    expect(shown).toContain('希望开设清真窗口，方便少数民族职工（共 1 条）。')
    // The reply is headed by the department and date, not by the opinion's serial (QA F13).
    expect(shown).toMatch(/后勤保障部答复（\d{4}-\d{2}-\d{2}）/)
    expect(shown).not.toMatch(/答复 \d/)
  })

  it('tells the committee once when a forwarded opinion is not answered within 30 days', async () => {
    await say(t, NAMED_WORKER, `提意见 ${notice.number}`)
    await say(t, NAMED_WORKER, '建议夜班食堂延长供应时间到凌晨两点。')
    await say(t, NAMED_WORKER, '实名')
    // The confirm step re-asks on anything else, and 修改意见 goes back to the text with nothing lost.
    await say(t, NAMED_WORKER, '好的吧')
    expect(cardText(lastCard(t, NAMED_WORKER).content)).toContain('请回复「确认」提交')
    await say(t, NAMED_WORKER, '修改意见')
    await say(t, NAMED_WORKER, '建议夜班食堂延长供应时间到凌晨三点。')
    expect(cardText(lastCard(t, NAMED_WORKER).content)).toContain('凌晨三点')
    await say(t, NAMED_WORKER, '确认')
    const card = opinionCards().at(-1)!
    const department = String((await t.bot.services.db.selectFrom('proposal_departments').select('id').executeTakeFirstOrThrow()).id)
    const value = buttonValue(card.content, 'notice.opinion.forward')!
    // Replying before it is forwarded is refused (nobody holds it yet).
    const early = await t.click({ operator: CONTACT.openId, value: { action: 'notice.opinion.reply', id: String(value.id) }, formValue: { reply: '抢答' }, chatId: `oc_p2p_${CONTACT.openId}` })
    expect(early.body.toast.content).toBe('只有负责答复的部门联系人可以提交答复。')
    await t.click({ operator: CHAIR.openId, value, formValue: { department }, messageId: card.messageId, chatId: ADMIN_CHAT_ID })
    await t.settle()
    const overdue = () => cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), '答复已超期 · ')
    await tick(60 * 24 * 29)
    expect(overdue()).toHaveLength(0)
    clock.set('2026-07-03T01:30:00Z') // Friday 09:30, the day after the deadline
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    expect(overdue()).toHaveLength(1)
    expect(cardText(overdue()[0]!.content)).toContain('凌晨三点')
    await tick(60 * 24)
    expect(overdue()).toHaveLength(1)
    clock.set('2026-06-02T04:00:00Z')
  })

  it('refuses opinions on a notice that invites none, after the deadline, and on a wrong number', async () => {
    const plain = await publishNotice(t, { title: '年度审计结果', category: '财务' })
    await say(t, NAMED_WORKER, `提意见 ${plain.number}`)
    expect(lastText(t, NAMED_WORKER)).toContain('没有征求意见')
    await say(t, NAMED_WORKER, '提意见 N-999')
    expect(lastText(t, NAMED_WORKER)).toContain('没有找到公开 N-999')
    clock.set('2026-06-21T02:00:00Z')
    const late = await t.click({ operator: NAMED_WORKER.openId, value: button(notice.card!.content, '提意见').value, messageId: notice.card!.messageId, chatId: NOTICE_GROUP })
    expect(late.body.toast.content).toContain('意见征集已经截止')
    clock.set('2026-06-02T04:00:00Z')
  })
})

describe('the anonymous worker is in no store, log, message or key', () => {
  it('no table or column (none is sealed: an anonymous opinion keeps no link at all)', async () => {
    const opinion = await t.bot.services.db.selectFrom('notice_opinions').selectAll().where('anonymous', '=', true).executeTakeFirstOrThrow()
    expect(opinion).toMatchObject({ author_open_id: null, author_name: null, submitted_on: '2026-06-02' })
    // inbox_events keeps each event's id and message key for INBOX_RETENTION_HOURS (docs/security.md, residual risks).
    const { found, inboxHits } = await scanTables(t, findings)
    expect(found, found.join('\n')).toEqual([])
    expect(inboxHits.length).toBeGreaterThan(0)
  })

  it('no log line at trace level', () => {
    expect(logLines.length).toBeGreaterThan(10)
    const found = scanLogs(logLines, findings)
    expect(found, found.slice(0, 10).join('\n')).toEqual([])
    expect(logLines.join('')).not.toContain('食堂的菜价')
  })

  it('no message or card to anyone else', () => {
    const { found, others } = scanMessagesToOthers(t, SECRET_WORKER.openId, findings)
    expect(others.length).toBeGreaterThan(5)
    expect(found, found.join('\n')).toEqual([])
  })

  it('no Redis key or value', async () => {
    const found = await scanRedis(db.redisUrl, db.redisNamespace, findings)
    expect(found, found.join('\n')).toEqual([])
  })
})
