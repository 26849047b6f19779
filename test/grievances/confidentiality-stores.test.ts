// The confidentiality suite of issue #19: after an anonymous filing (an image and a file), a 补充, an officer's
// reply, 办结 and a 不满意 rating that reopens the case, EVERY store — every Postgres table and text/json column,
// every Redis key and value of the test's namespace, every log line at trace, every message and card the fake Open
// API received for anyone but the reporter, the 月报 CSV — is searched for any value that links the reporter to the
// case: their open_id, union_id, user_id, p2p chat_id, their messages' ids and their events' ids. Only the sealed
// tables (grievance_reporters and its kin) may hold them. (Playground state: this bot runs without the playground;
// the playground walk is the playground's own suite.)
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker, officerAct, type Person } from '../helpers/grievances.js'
import { applyCallbackCard, buttonValue, lastTo } from '../helpers/chat.js'
import { findingsOf, scanLogs, scanMessagesToOthers, scanRedis, scanTables, tracesOf } from '../helpers/secrecy.js'

/** Tables allowed to hold the link, read only by the relay code (src/grievances/reporters.ts). */
const SEALED = ['grievance_reporters', 'grievance_attachment_sources', 'grievance_reporter_events']

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-02T02:00:00Z') // Tuesday 10:00 in Shanghai
const reporter: { who?: Person; messageIds: string[]; eventIds: string[] } = { messageIds: [], eventIds: [] }

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'trace' }, botOptions: { logger: pino({ level: 'trace' }, sink) } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** The reporter sends something privately; its event and message ids are remembered as secrets. */
async function send(input: { text?: string; messageType?: 'image' | 'file'; content?: Record<string, unknown> }): Promise<void> {
  const w = reporter.who!
  const res = await t.sendMessage({
    sender: w.openId,
    chatId: `oc_p2p_${w.openId}`,
    chatType: 'p2p',
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.messageType ? { messageType: input.messageType, content: input.content! } : {}),
  })
  expect(res.status).toBe(200)
  reporter.eventIds.push(res.envelope.header.event_id as string)
  reporter.messageIds.push((res.envelope.event.message as { message_id: string }).message_id)
  await t.settle()
}

async function tick(minutes: number): Promise<void> {
  clock.set(new Date(clock.now().getTime() + minutes * 60_000))
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

/** Every value that would tie the reporter to the case. */
const findings = findingsOf(() => tracesOf(t, reporter.who!.openId, [...reporter.messageIds, ...reporter.eventIds]))

describe('an anonymous case, after filing, 补充, reply, 办结 and a 不满意 rating', () => {
  let number: string

  it('runs the whole case through the webhook', async () => {
    reporter.who = newWorker(t, '欧阳秘密')
    await send({ text: '投诉' })
    await send({ text: '1' })
    await send({ messageType: 'image', content: { image_key: 'img_v3_payslip_photo' } })
    await send({ messageType: 'file', content: { file_key: 'file_v3_payslip', file_name: '欧阳秘密-工资条.pdf' } })
    await send({ text: '车间连续三个月加班没有按规定支付加班费，每月约有三十个小时。' })
    await send({ text: '匿名' })
    await send({ text: '确认' })
    number = JSON.stringify(lastTo(t, reporter.who)!.content).match(/G-\d{4}-\d{4}/)![0]
    await send({ text: `补充 ${number} 去年十二月开始的，有工资条为证。` })
    await tick(61)
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    await officerAct(t, CHAIR.openId, number, 'grievance.reply', { reply: '请问是哪个车间？' })
    await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '已要求补发加班费。' })
    const rating = lastTo(t, reporter.who)!
    const eventId = `evt_rating_${Date.now()}`
    reporter.eventIds.push(eventId)
    const value = buttonValue(rating.content, 'grievance.rate', { rating: 'dissatisfied' })!
    const res = await t.click({ operator: reporter.who.openId, value, messageId: rating.messageId, chatId: `oc_p2p_${reporter.who.openId}`, eventId })
    expect(res.body.toast.content).toBe('已重新打开，工会将继续处理')
    applyCallbackCard(t, rating.messageId, res.body)
    await t.settle()
    await tick(61)
    // The committee heard of everything: the follow-up card and the reopen notice came through the relay queue.
    const committee = JSON.stringify(t.fake.messagesInChat(ADMIN_CHAT_ID))
    expect(committee).toContain('有工资条为证')
    expect(committee).toContain('诉求已重新打开')
    // An officer asks for the month's report (card in the committee group, CSV privately).
    await t.sendMessage({ sender: CHAIR.openId, chatId: `oc_p2p_${CHAIR.openId}`, chatType: 'p2p', text: '月报 本月' })
    await t.settle()
    expect(t.fake.messagesToUser(CHAIR.openId).some((m) => m.msgType === 'file')).toBe(true)
  })

  it('leaves no link in any Postgres table except the sealed ones', async () => {
    const { found, inboxHits, columns } = await scanTables(t, findings, SEALED)
    expect(columns).toBeGreaterThan(30)
    expect(found, found.join('\n')).toEqual([])
    // The residual one is really there (so the search above does find ids), and really only ids.
    expect(inboxHits.length).toBeGreaterThan(0)
    const payloads = await t.bot.services.db.selectFrom('inbox_events').select(['status', 'payload']).execute()
    expect(payloads.filter((p) => p.status === 'done' && p.payload !== null)).toEqual([])
    // The sealed tables do hold the link (the relay needs it).
    const sealed = JSON.stringify(await t.bot.services.db.selectFrom('grievance_attachment_sources').selectAll().execute())
    expect(sealed).toContain(reporter.messageIds[2]!)
  })

  it('leaves nothing in the logs, at trace level', () => {
    expect(logLines.length).toBeGreaterThan(10)
    // The intake's one line per event ('event handled', 'card action answered': src/intake, not grievance code)
    // carries the Feishu event id, type and timing, and nothing about a case; README lists it as a residual link
    // (with inbox_events it leads to a message id for INBOX_RETENTION_HOURS). Every other line is held to all ids.
    const found = scanLogs(logLines, findings, (where, rest) => expect(rest, where).not.toContain(number))
    expect(found, found.slice(0, 10).join('\n')).toEqual([])
    const logs = logLines.join('')
    for (const text of ['欧阳秘密', '工资条', '加班费']) expect(logs).not.toContain(text)
  })

  it('shows nothing in any message or card sent to anyone but the reporter, nor in the 月报 CSV', () => {
    const { found, others } = scanMessagesToOthers(t, reporter.who!.openId, findings)
    expect(others.length).toBeGreaterThanOrEqual(5)
    expect(found, found.join('\n')).toEqual([])
    expect(JSON.stringify(others)).not.toContain('欧阳秘密')
    const csv = [...t.fake.files.values()].map((f) => f.data.toString('utf8')).join('\n')
    expect(csv).toContain('维权诉求')
    expect(findings('月报 CSV', csv)).toEqual([])
  })

  it('leaves no link in Redis (fixed by the conversation-state branch: HMAC keys, no draft in conv-turn:)', async () => {
    const found = await scanRedis(db.redisUrl, db.redisNamespace, findings)
    expect(found, `offending Redis keys:\n${found.join('\n')}`).toEqual([])
  })
})
