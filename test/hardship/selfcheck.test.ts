// 困难帮扶's self-check through the real webhook: the Qingdao formula at its borders (exactly at the 低保 and one
// fen below, twice the 低保, sudden costs at and above 80% of income), bad input answered without losing the form,
// and the proof that it stores nothing: every Postgres table, every Redis key and value of the test's namespace
// and every log line at trace are searched for the figures typed and the worker's reason-free trace.
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { classify } from '../../src/hardship/model.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { buttonValue, cardText, clickOn, lastCard, say, type Who } from '../helpers/chat.js'
import { redisEntries } from '../helpers/secrecy.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-03-02T02:00:00Z')
const WORKER = { openId: 'ou_hs_worker', name: '钱困难' }

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { HARDSHIP_DIBAO_MONTHLY: '1000', LOG_LEVEL: 'trace' }, botOptions: { logger: pino({ level: 'trace' }, sink) } })
  t.fake.users.set(WORKER.openId, { name: WORKER.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** Opens the self-check and submits the form; returns the answer and the card shown afterwards. */
async function selfCheck(who: Who, form: Record<string, string>) {
  await say(t, who, '困难帮扶')
  const card = lastCard(t, who)
  const res = await clickOn(t, who, card, 'hardship.check', { formValue: form })
  return { res, text: cardText(t.fake.currentCard(card.messageId)), messageId: card.messageId }
}

describe('the formula', () => {
  it('compares exactly, in fen', () => {
    const at = classify({ incomeFen: 42000_00, rigidFen: 6000_00, householdSize: 3, suddenFen: 0 }, 1000_00, 80)
    expect(at.level).toBe('relative') // (42000 − 6000) ÷ 12 ÷ 3 = 1000.00: not below the 低保
    expect(classify({ incomeFen: 42000_00 - 1, rigidFen: 6000_00, householdSize: 3, suddenFen: 0 }, 1000_00, 80).level).toBe('deep')
    expect(classify({ incomeFen: 78000_00, rigidFen: 6000_00, householdSize: 3, suddenFen: 0 }, 1000_00, 80).level).toBe('none') // exactly twice
    expect(classify({ incomeFen: 78000_00 - 1, rigidFen: 6000_00, householdSize: 3, suddenFen: 0 }, 1000_00, 80).level).toBe('relative')
    expect(classify({ incomeFen: 100000_00, rigidFen: 0, householdSize: 1, suddenFen: 80000_00 }, 1000_00, 80).sudden).toBe(false) // exactly 80%
    expect(classify({ incomeFen: 100000_00, rigidFen: 0, householdSize: 1, suddenFen: 80000_01 }, 1000_00, 80).sudden).toBe(true)
  })
})

describe('困难帮扶 self-check', () => {
  it('in a group points to private chat and asks nothing there', async () => {
    await t.sendMessage({ sender: WORKER, chatId: 'oc_hs_group', chatType: 'group', text: '困难帮扶', mentionBot: true })
    await t.settle()
    const answer = t.fake.messagesInChat('oc_hs_group').at(-1)!
    expect(answer.msgType).toBe('text')
    expect(answer.content.text).toContain('私聊')
  })

  it('one fen below the 低保 per person is 深度困难, with the application form', async () => {
    const { text, messageId } = await selfCheck(WORKER, { income: '41999.99', rigid: '6000', size: '3', sudden: '' })
    expect(text).toContain('深度困难')
    expect(text).toContain('999.99 元')
    expect(buttonValue(t.fake.currentCard(messageId), 'hardship.apply')).toBeDefined()
    expect(text).toContain('不保存')
  })

  it('exactly at the 低保 is 相对困难; twice it is not hardship, and offers no application', async () => {
    expect((await selfCheck(WORKER, { income: '42000', rigid: '6000', size: '3' })).text).toContain('相对困难')
    const none = await selfCheck(WORKER, { income: '78000', rigid: '6000', size: '3', sudden: '0' })
    expect(none.text).toContain('未达到困难标准')
    expect(buttonValue(t.fake.currentCard(none.messageId), 'hardship.apply')).toBeUndefined()
  })

  it('sudden costs above 80% of the income are 意外致困', async () => {
    expect((await selfCheck(WORKER, { income: '100000', rigid: '0', size: '1', sudden: '80000.01' })).text).toContain('意外致困')
    expect((await selfCheck(WORKER, { income: '100000', rigid: '0', size: '1', sudden: '80000' })).text).not.toContain('意外致困')
  })

  it('再算一次 brings the form back with the figures typed, to try others without sending 困难帮扶 again (QA F19)', async () => {
    const { messageId } = await selfCheck(WORKER, { income: '41999.99', rigid: '6000', size: '3', sudden: '' })
    const before = t.fake.messagesToUser(WORKER.openId).length
    const again = await clickOn(t, WORKER, messageId, 'hardship.recheck')
    expect(again.body.card).toBeDefined()
    const form = JSON.stringify(t.fake.currentCard(messageId))
    for (const v of ['"default_value":"41999.99"', '"default_value":"6000"', '"default_value":"3"', '"default_value":"0"']) expect(form).toContain(v)
    expect(buttonValue(t.fake.currentCard(messageId), 'hardship.check')).toBeDefined()
    // In place: no new message, and the changed figures are measured on the same card.
    expect(t.fake.messagesToUser(WORKER.openId)).toHaveLength(before)
    await clickOn(t, WORKER, messageId, 'hardship.check', { formValue: { income: '78000', rigid: '6000', size: '3', sudden: '0' } })
    expect(cardText(t.fake.currentCard(messageId))).toContain('未达到困难标准')
    expect(buttonValue(t.fake.currentCard(messageId), 'hardship.recheck')).toBeDefined()
  })

  it('bad input gets a toast and leaves the form as typed', async () => {
    const bad = await selfCheck(WORKER, { income: '三万', rigid: '0', size: '3' })
    expect(bad.res.body.toast.content).toContain('家庭年可支配收入')
    expect(bad.res.body.card).toBeUndefined()
    const size = await selfCheck(WORKER, { income: '30000', rigid: '0', size: '0' })
    expect(size.res.body.toast.content).toContain('家庭人口')
  })

  it('stores nothing: no table, no Redis key or value and no log line holds a figure typed', async () => {
    const figures = ['41999.99', '4199999', '80000.01', '8000001', '999.99', '99999', '深度困难', '意外致困']
    // Every table, every column, as text.
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.bot.services.db)
    expect(tables.rows.length).toBeGreaterThan(30)
    const found: string[] = []
    let everything = ''
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ v: string }>`select row_to_json(x)::text as v from ${sql.table(table_name)} x`.execute(t.bot.services.db)
      const text = rows.rows.map((r) => r.v).join('\n')
      everything += text
      for (const f of figures) if (text.includes(f)) found.push(`${table_name} holds ${f}`)
      if (table_name.startsWith('hardship_')) expect(rows.rows, table_name).toEqual([])
    }
    expect(found).toEqual([])
    // Positive control: the search does read the rows (the inbox keeps each message's de-duplication key).
    expect(everything).toContain('msg:om_user_')
    // The card callbacks went through the inbox; their payloads are gone once handled.
    const inbox = await t.bot.services.db.selectFrom('inbox_events').select(['status', 'payload']).execute()
    expect(inbox.filter((r) => r.payload !== null)).toEqual([])
    // Redis: no conversation was started; nothing holds a figure.
    for (const [key, value] of await redisEntries(db.redisUrl, db.redisNamespace)) {
      for (const f of figures) expect(`${key} ${value}`, key).not.toContain(f)
      expect(key).not.toMatch(/conv:/)
    }
    // Logs, at trace.
    expect(logLines.length).toBeGreaterThan(5)
    const logs = logLines.join('')
    for (const f of figures) expect(logs).not.toContain(f)
  })
})
