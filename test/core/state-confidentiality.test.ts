// Security review F2: after a filing, a cancellation or an expiry, nothing in the state store (Redis, or memory)
// ties a person to a case — no open_id in a key or value, no description, filing key, attachment or anonymity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { MemoryStateStore } from '../../src/state/memory-store.js'
import { personKey } from '../../src/state/person-key.js'
import { STATE_KEY_SECRET_NAME } from '../../src/state/server-secret.js'
import { DESCRIPTION, fileGrievance, newWorker, type Person } from '../helpers/grievances.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { buttonValue, lastTo, say, sendAttachment } from '../helpers/chat.js'
import { redisEntries } from '../helpers/secrecy.js'

const FILE_NAME = '欧阳秘密-工资条.pdf'
const FILE_KEY = 'file_v3_secret_payslip'
const OTHER_DESCRIPTION = '班组长多次在班前会上当众辱骂我，并威胁扣发当月绩效奖金。'

let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** Every key of this file's Redis namespace with its whole value, whatever the key's type. */
const redisDump = () => redisEntries(db.redisUrl, db.redisNamespace)

function expectNothingOf(dump: Array<[string, string]>, secrets: string[]): void {
  for (const [key, value] of dump) {
    for (const s of secrets) {
      expect(key, `key ${key} names ${s}`).not.toContain(s)
      expect(value, `value of ${key} contains ${s}`).not.toContain(s)
    }
  }
}

async function stateSecret(): Promise<string> {
  const row = await t.bot.services.db.selectFrom('server_secrets').select('value').where('name', '=', STATE_KEY_SECRET_NAME).executeTakeFirstOrThrow()
  return row.value
}

async function filingKeyOf(number: string): Promise<string> {
  const g = await t.bot.services.db.selectFrom('grievances').select(['filing_key', 'anonymous', 'reporter_open_id']).where('number', '=', number).executeTakeFirstOrThrow()
  expect(g.anonymous).toBe(true)
  expect(g.reporter_open_id).toBeNull()
  return g.filing_key
}

/** Starts a filing and goes up to the confirm step, with a file attached; returns the draft's id and the file's message id. */
async function upToConfirm(who: Person, description: string): Promise<{ draftId: string; fileMessageId: string }> {
  const started = await t.sendMessage({ sender: who.openId, chatId: `oc_p2p_${who.openId}`, chatType: 'p2p', text: '投诉' })
  expect(started.status).toBe(200)
  await t.settle()
  await say(t, who, '1')
  const fileMessageId = await sendAttachment(t, who, 'file', FILE_KEY, FILE_NAME)
  await say(t, who, description)
  await say(t, who, '匿名')
  expect(JSON.stringify(lastTo(t, who)?.content)).toContain('确认')
  return { draftId: started.envelope.header.event_id as string, fileMessageId }
}

describe('Redis after a conversation', () => {
  it('an anonymous filing (typed) leaves no trace of the worker or the case', async () => {
    const w = newWorker(t, '孙小红')
    const number = await fileGrievance(t, w, { anonymous: true })
    const filingKey = await filingKeyOf(number)
    const dump = await redisDump()
    // The scan sees the bot's keys: the closed turn is there, under the person's HMAC key.
    expect(dump.map(([k]) => k)).toContain(`${db.redisNamespace}conv-turn:${personKey(await stateSecret(), w.openId)}`)
    expectNothingOf(dump, [w.openId, DESCRIPTION, filingKey, number, 'anonymous', '"data"'])
  })

  it('an anonymous filing with a file, confirmed by button, leaves nothing either', async () => {
    const w = newWorker(t, '欧阳明')
    const { fileMessageId } = await upToConfirm(w, OTHER_DESCRIPTION)
    const summary = lastTo(t, w)!
    const res = await t.click({ operator: w.openId, value: buttonValue(summary.content, 'conversation.answer', { answer: '确认' })!, messageId: summary.messageId, chatId: `oc_p2p_${w.openId}` })
    expect(res.status).toBe(200)
    await t.settle()
    const number = JSON.stringify(lastTo(t, w)?.content).match(/G-\d{4}-\d{4}/)?.[0]
    expect(number).toBeDefined()
    const filingKey = await filingKeyOf(number!)
    expectNothingOf(await redisDump(), [w.openId, OTHER_DESCRIPTION, filingKey, FILE_NAME, FILE_KEY, fileMessageId, 'anonymous', '"data"'])
  })

  it('a cancelled filing leaves nothing of the draft', async () => {
    const w = newWorker(t, '钱多多')
    const { draftId, fileMessageId } = await upToConfirm(w, OTHER_DESCRIPTION)
    await say(t, w, '取消')
    expect(lastTo(t, w)?.content.text).toContain('已取消')
    expectNothingOf(await redisDump(), [w.openId, OTHER_DESCRIPTION, draftId, FILE_NAME, FILE_KEY, fileMessageId, 'anonymous', '"data"'])
  })

  it('an expired filing leaves only the flow name for the expiry note, under a key from STATE_KEY_SECRET', async () => {
    const configured = 'state-key-secret-for-this-test-0123456789'
    const short = await startTestBot({ db, fake: t.fake, env: { CONVERSATION_TTL_SECONDS: '2', STATE_KEY_SECRET: configured } })
    try {
      const w = newWorker(short, '周末')
      const started = await short.sendMessage({ sender: w.openId, chatId: `oc_p2p_${w.openId}`, chatType: 'p2p', text: '投诉' })
      await short.settle()
      await say(short, w, '1')
      const fileMessageId = await sendAttachment(short, w, 'file', FILE_KEY, FILE_NAME)
      await say(short, w, OTHER_DESCRIPTION)
      await say(short, w, '匿名')
      await new Promise((r) => setTimeout(r, 2300))
      const draftId = started.envelope.header.event_id as string
      const secrets = [w.openId, OTHER_DESCRIPTION, draftId, FILE_NAME, FILE_KEY, fileMessageId, 'anonymous', '"data"']
      const dump = await redisDump()
      expect(new Map(dump).get(`${db.redisNamespace}conv-trace:${personKey(configured, w.openId)}`)).toBe('grievance.file')
      expectNothingOf(dump, secrets)
      // The worker comes back: told once that it expired, and still nothing is kept.
      await say(short, w, '你好')
      expect(lastTo(short, w)?.content.text).toBe(MESSAGES.expired('提交诉求'))
      expectNothingOf(await redisDump(), secrets)
    } finally {
      await short.stop()
    }
  })
})

describe('the memory store (no REDIS_URL)', () => {
  it('uses the same keying and keeps nothing of an anonymous filing', async () => {
    const m = await startTestBot({ db, fake: t.fake, memoryState: true })
    try {
      const store = m.bot.services.state
      expect(store).toBeInstanceOf(MemoryStateStore)
      const w = newWorker(m, '吴小梅')
      const number = await fileGrievance(m, w, { anonymous: true })
      const filingKey = await filingKeyOf(number)
      const entries = (store as MemoryStateStore).entriesNow()
      expect(entries.map(([k]) => k)).toContain(`conv-turn:${personKey(await stateSecret(), w.openId)}`)
      expectNothingOf(entries, [w.openId, DESCRIPTION, filingKey, number, 'anonymous', '"data"'])
    } finally {
      await m.stop()
    }
  })
})

describe('STATE_KEY_SECRET', () => {
  it('refuses a secret shorter than 32 characters and takes a long enough one', () => {
    expect(() => loadConfig({ STATE_KEY_SECRET: 'too-short-secret' })).toThrow(ConfigError)
    expect(() => loadConfig({ STATE_KEY_SECRET: 'x'.repeat(31) })).toThrow(/STATE_KEY_SECRET.*32/)
    expect(loadConfig({ STATE_KEY_SECRET: 'x'.repeat(32) }).stateKeySecret).toBe('x'.repeat(32))
    expect(loadConfig({}).stateKeySecret).toBeUndefined()
  })

  it('is generated once per database and kept, so every instance agrees', async () => {
    const first = await stateSecret()
    expect(first.length).toBeGreaterThanOrEqual(32)
    const again = await startTestBot({ db, fake: t.fake })
    try {
      expect(again.bot.services.conversations.personKey('ou_same')).toBe(t.bot.services.conversations.personKey('ou_same'))
      expect(await stateSecret()).toBe(first)
    } finally {
      await again.stop()
    }
  })
})
