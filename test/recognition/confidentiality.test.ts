// An anonymous 公示 objection, read the way test/grievances/confidentiality-stores.test.ts reads a grievance: after
// the objection (raised from the group's 公示 card, privately) and the chair's answer, EVERY Postgres table and
// text/json column, every Redis key and value, every log line at trace and every message or card anyone but the
// objector received is searched for the objector's open_id, union_id, private chat, message ids and event ids.
// Only award_objectors (src/recognition/objectors.ts) may hold the link; the inbox keeps ids only (README's residual).
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { buttonValue, cardTitle, cardsTo, clickOn, lastCard, say } from '../helpers/chat.js'
import { importMembers, launchRound } from '../helpers/recognition.js'
import { findingsOf, scanLogs, scanMessagesToOthers, scanRedis, scanTables, tracesOf } from '../helpers/secrecy.js'

const SEALED = ['award_objectors']
let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-01T02:00:00Z')
const GROUP = 'oc_rec_conf_group'
const NOMINEE = { openId: 'ou_rec_conf_nominee', name: '周先进', department: '装配车间' }
const OBJECTOR = { openId: 'ou_rec_conf_secret', name: '欧阳异议' }
const objector = { messageIds: [] as string[], eventIds: [] as string[] }

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { LOG_LEVEL: 'trace' }, botOptions: { logger: pino({ level: 'trace' }, sink) } })
  for (const p of [NOMINEE, OBJECTOR, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function send(text: string): Promise<void> {
  const res = await t.sendMessage({ sender: OBJECTOR, chatId: `oc_p2p_${OBJECTOR.openId}`, chatType: 'p2p', text })
  expect(res.status).toBe(200)
  objector.eventIds.push(res.envelope.header.event_id as string)
  objector.messageIds.push((res.envelope.event.message as { message_id: string }).message_id)
  await t.settle()
}

const findings = findingsOf(() => tracesOf(t, OBJECTOR.openId, [...objector.messageIds, ...objector.eventIds]))

describe('an anonymous objection during 公示, answered by the chair', () => {
  it('runs through the webhook', async () => {
    await importMembers(t, [NOMINEE])
    const number = await launchRound(t, GROUP, { deadline: '2026-06-05', places: '1' })
    await say(t, CHAIR, `提名 ${number}`, [NOMINEE])
    await say(t, CHAIR, '二十年坚守装配一线，主持技术革新八项，年节约成本百万元，勇于创新。')
    await say(t, CHAIR, '跳过')
    await clickOn(t, CHAIR, lastCard(t, CHAIR), { text: '确认提名' })
    const review = () => t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `评选评审 ${number}`).at(-1)!
    await clickOn(t, CHAIR, review(), 'award.round.close', { chatId: ADMIN_CHAT_ID })
    await clickOn(t, CHAIR, review(), 'award.nomination.decide', { chatId: ADMIN_CHAT_ID, match: { pick: 'select' } })
    await clickOn(t, CHAIR, review(), 'award.round.publicise', { chatId: ADMIN_CHAT_ID })
    const pub = t.fake.messagesInChat(GROUP).filter((m) => cardTitle(m).startsWith('评选公示')).at(-1)!
    const eventId = `evt_rec_object_${Date.now()}`
    objector.eventIds.push(eventId)
    const res = await t.click({ operator: OBJECTOR.openId, value: buttonValue(t.fake.currentCard(pub.messageId), 'talk.say')!, messageId: pub.messageId, chatId: GROUP, eventId })
    expect(res.status).toBe(200)
    await t.settle()
    await send('此人的革新成果实为班组集体完成，个人事迹有夸大之处，请核实。')
    await send('匿名')
    await send('确认')
    const card = cardsTo(t, CHAIR).filter((m) => cardTitle(m).startsWith('评选异议')).at(-1)!
    await clickOn(t, CHAIR, card, 'award.objection.answer', { formValue: { objection_answer: 'not_upheld', objection_reason: '经核实，革新项目由其主持，事迹属实。' } })
    expect(cardTitle(cardsTo(t, OBJECTOR).at(-1))).toBe('您的异议已答复')
  })

  it('leaves no link in any Postgres table except the sealed one (the inbox keeps ids only)', async () => {
    const { found } = await scanTables(t, findings, SEALED)
    expect(found, found.join('\n')).toEqual([])
    const sealed = await t.bot.services.db.selectFrom('award_objectors').selectAll().execute()
    expect(sealed.map((r) => r.open_id)).toEqual([OBJECTOR.openId])
    // The objection itself keeps the day only, and names nobody.
    const o = await t.bot.services.db.selectFrom('award_objections').selectAll().executeTakeFirstOrThrow()
    expect(o).toMatchObject({ anonymous: true, objector_open_id: null, objector_name: null, raised_on: '2026-06-01' })
  })

  it('leaves nothing in the logs, at trace level', () => {
    expect(logLines.length).toBeGreaterThan(10)
    const found = scanLogs(logLines, findings)
    expect(found, found.slice(0, 10).join('\n')).toEqual([])
    expect(logLines.join('')).not.toContain('欧阳异议')
    expect(logLines.join('')).not.toContain('集体完成')
  })

  it('shows nothing in any message or card sent to anyone but the objector', () => {
    const { found, others } = scanMessagesToOthers(t, OBJECTOR.openId, findings)
    expect(found, found.join('\n')).toEqual([])
    expect(JSON.stringify(others)).not.toContain('欧阳异议')
  })

  it('leaves no link in Redis', async () => {
    const found = await scanRedis(db.redisUrl, db.redisNamespace, findings)
    expect(found, found.join('\n')).toEqual([])
  })
})
