// Security review F5: no Encrypt Key means no signature; the bot refuses to start so unless told to, and then dates events.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { createBot } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, TEST_VERIFICATION_TOKEN, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t: TestBot
/** The unsigned bot's webhook clock runs this far ahead of real time (a captured body replayed later). */
let offsetMs = 0
const logLines: Array<Record<string, unknown>> = []

const inboxRows = async () => (await t.bot.services.db.selectFrom('inbox_events').select(['dedup_key', 'status']).execute())

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
      done()
    },
  })
  t = await startTestBot({
    db,
    env: { FEISHU_ENCRYPT_KEY: undefined, ALLOW_UNSIGNED_WEBHOOK: '1' },
    botOptions: { logger: pino({ level: 'warn' }, sink), webhookNow: () => Date.now() + offsetMs },
  })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('start-up', () => {
  it('refuses to start with a verification token but no Encrypt Key, naming both settings', async () => {
    const config = loadConfig({ FEISHU_VERIFICATION_TOKEN: 'tok', DATABASE_URL: db.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0' })
    const started = createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers })
    await expect(started).rejects.toThrow(ConfigError)
    await expect(started).rejects.toThrow(/FEISHU_ENCRYPT_KEY.*ALLOW_UNSIGNED_WEBHOOK/s)
  })

  it('starts in unsigned mode only with ALLOW_UNSIGNED_WEBHOOK=1, and says so loudly', () => {
    expect(t.config.feishu.encryptKey).toBeUndefined()
    expect(t.config.feishu.allowUnsignedWebhook).toBe(true)
    expect(logLines.some((l) => l.level === 40 && String(l.msg).includes('UNSIGNED WEBHOOK'))).toBe(true)
  })

  it('keeps de-duplication rows longer than the replay window', () => {
    expect(() => loadConfig({ FEISHU_REPLAY_WINDOW_SECONDS: String(8 * 3600), INBOX_RETENTION_HOURS: '8' })).toThrow(/FEISHU_REPLAY_WINDOW_SECONDS/)
    expect(loadConfig({ FEISHU_REPLAY_WINDOW_SECONDS: String(7 * 3600), INBOX_RETENTION_HOURS: '8' }).feishu.replayWindowSeconds).toBe(7 * 3600)
  })
})

describe('unsigned events are dated by header.create_time', () => {
  it("refuses a forged officer's click dated 1970 and records nothing", async () => {
    const before = (await inboxRows()).length
    const forged = t.events.cardAction({ operator: CHAIR.openId, value: { action: 'grievance.accept', id: 'G-2026-0001', rev: 1 }, chatId: 'oc_union_committee' })
    forged.header.create_time = '1000'
    const res = await t.post(forged, '/feishu/cards')
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('REQUEST_REPLAYED')
    expect((await inboxRows()).length).toBe(before)
  })

  it('refuses what it cannot date: no create_time, not a number, v1 events without a header', async () => {
    const noTime = t.events.message({ sender: 'ou_u1', chatId: 'oc_p2p_u1', chatType: 'p2p', text: '帮助' })
    delete noTime.header.create_time
    const notNumber = t.events.message({ sender: 'ou_u1', chatId: 'oc_p2p_u1', chatType: 'p2p', text: '帮助' })
    notNumber.header.create_time = '2026-12-03T08:00:00Z'
    const v1 = { uuid: 'u-1', token: TEST_VERIFICATION_TOKEN, ts: String(Date.now() / 1000), type: 'event_callback', event: { type: 'p2p_chat_create' } }
    for (const body of [noTime, notNumber, v1]) {
      const res = await t.post(body)
      expect(res.status).toBe(401)
      expect(res.body.code).toBe('REQUEST_REPLAYED')
    }
  })

  it('accepts fresh events in milliseconds and card callbacks in microseconds, refuses them 301 s old', async () => {
    const fresh = await t.sendMessage({ sender: 'ou_u2', chatId: 'oc_p2p_u2', chatType: 'p2p', text: '帮助' })
    expect(fresh.status).toBe(200)
    const click = await t.post(t.events.cardAction({ operator: 'ou_u2', value: { action: 'no.such.action' } }), '/feishu/cards')
    expect(click.status).toBe(200)
    expect(click.body.toast.type).toBe('error')
    const old = t.events.message({ sender: 'ou_u2', chatId: 'oc_p2p_u2', chatType: 'p2p', text: '帮助', createTime: Date.now() - 301_000 })
    expect((await t.post(old)).status).toBe(401)
    const oldClick = t.events.cardAction({ operator: 'ou_u2', value: { action: 'no.such.action' } })
    oldClick.header.create_time = String((Date.now() - 301_000) * 1000)
    expect((await t.post(oldClick, '/feishu/cards')).status).toBe(401)
    await t.settle()
  })

  it('refuses a captured body replayed after its de-duplication row was pruned', async () => {
    const { status, envelope: captured } = await t.sendMessage({ sender: 'ou_u3', chatId: 'oc_p2p_u3', chatType: 'p2p', text: '帮助' })
    const key = `msg:${(captured.event.message as { message_id: string }).message_id}`
    expect(status).toBe(200)
    await t.settle()
    // 25 hours later: the processor's prune has removed the row (retention 24 h), and the attacker replays the body.
    await sql`update inbox_events set received_at = now() - interval '25 hours' where dedup_key = ${key}`.execute(t.bot.services.db)
    expect(await t.bot.inbox.prune(t.config.inbox.retentionHours)).toBeGreaterThanOrEqual(1)
    expect((await inboxRows()).some((r) => r.dedup_key === key)).toBe(false)
    offsetMs = 25 * 3600_000
    try {
      const replayed = await t.post(captured)
      expect(replayed.status).toBe(401)
      expect(replayed.body.code).toBe('REQUEST_REPLAYED')
      expect((await inboxRows()).some((r) => r.dedup_key === key)).toBe(false)
    } finally {
      offsetMs = 0
    }
  })
})
