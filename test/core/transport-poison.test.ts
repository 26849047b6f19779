// Security review F10: a poison event (nested 20,000 deep) is refused by itself with 400; its batch-mates are taken in.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeSignature, deriveAesKey, encryptPayload } from '../../src/feishu/crypto.js'
import type { Update } from '../../src/feishu/updates.js'
import { Inbox, InboxRejectedError } from '../../src/intake/inbox.js'
import { postToBot } from '../../devtools/feishu-events.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, TEST_ENCRYPT_KEY, type TestBot } from '../rig/test-bot.js'

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

/** A signed, encrypted card callback whose value nests `depth` levels: built as text, since JSON.stringify cannot. */
function deepCallback(depth: number) {
  const envelope = t.events.cardAction({ operator: CHAIR.openId, value: '__DEEP__', chatId: 'oc_union_committee' })
  const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  const plaintext = JSON.stringify(envelope).replace('"__DEEP__"', deep)
  const body = JSON.stringify({ encrypt: encryptPayload(deriveAesKey(TEST_ENCRYPT_KEY), plaintext) })
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(8).toString('hex')
  return { body, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': computeSignature(ts, nonce, TEST_ENCRYPT_KEY, Buffer.from(body)) } }
}

describe('poison events', () => {
  it('answers a callback nested 20,000 levels with 400 while 30 concurrent innocent events get 200 and take effect', async () => {
    const people = Array.from({ length: 30 }, (_, i) => `ou_innocent_${i}`)
    const [poison, ...innocent] = await Promise.all([
      postToBot(t.url, '/feishu/cards', deepCallback(20_000)),
      ...people.map((p) => t.sendMessage({ sender: p, chatId: `oc_p2p_${p}`, chatType: 'p2p', text: '帮助' })),
    ])
    expect(poison!.status).toBe(400)
    expect(poison!.body.code).toBe('BODY_MALFORMED')
    expect(innocent.map((r) => r.status)).toEqual(people.map(() => 200))
    await t.settle()
    const done = await t.bot.services.db.selectFrom('inbox_events').select('dedup_key').where('status', '=', 'done').where('event_type', '=', 'message').execute()
    expect(done).toHaveLength(30)
    for (const p of people) expect(t.fake.messages.some((m) => m.chatId === `oc_p2p_${p}`)).toBe(true)
    // The service is fine afterwards: the same callback nested 20 levels is an ordinary (unknown) action.
    const shallow = await postToBot(t.url, '/feishu/cards', deepCallback(20))
    expect(shallow.status).toBe(200)
  })

  it('refuses an entry that cannot be serialised by itself; the rest of its group-commit batch is recorded', async () => {
    const inbox = new Inbox(t.bot.services.db, { instanceId: 'poison-test', leaseSeconds: 7200 })
    const update = (i: number): Update => ({ kind: 'bot_menu', eventId: `ev_batch_${i}`, operatorOpenId: 'ou_x', eventKey: '帮助' })
    const cyclic = update(99) as Update & { self?: unknown }
    cyclic.self = cyclic
    // All accepted in one tick, so they would share one INSERT.
    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) => inbox.accept({ key: `evt:ev_batch_${i}`, eventId: `ev_batch_${i}`, eventType: 'bot_menu', update: update(i) })),
      inbox.accept({ key: 'evt:ev_batch_99', eventId: 'ev_batch_99', eventType: 'bot_menu', update: cyclic }),
    ])
    const poison = results.pop()!
    expect(poison.status).toBe('rejected')
    expect((poison as PromiseRejectedResult).reason).toBeInstanceOf(InboxRejectedError)
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual(Array.from({ length: 10 }, () => true))
    const rows = await t.bot.services.db.selectFrom('inbox_events').select('dedup_key').where('dedup_key', 'like', 'evt:ev_batch_%').execute()
    expect(rows.map((r) => r.dedup_key).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `evt:ev_batch_${i}`).sort())
  })
})
