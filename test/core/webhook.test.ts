// The webhook's rules: challenge, signature over raw bytes, replay window, token, malformed, oversized, unknown types.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeSignature } from '../../src/feishu/crypto.js'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t: TestBot
let plain: TestBot

const inboxCount = async (bot: TestBot) =>
  Number((await bot.bot.services.db.selectFrom('inbox_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db })
  // A second instance on the same database without an Encrypt Key: plaintext mode, which must be asked for.
  plain = await startTestBot({ db, fake: t.fake, env: { FEISHU_ENCRYPT_KEY: undefined, ALLOW_UNSIGNED_WEBHOOK: '1' } })
})
afterAll(async () => {
  await plain?.stop()
  await t?.stop()
  await db?.drop()
})

describe('url_verification', () => {
  it('echoes an encrypted challenge (decrypted, answered in plaintext), and records that it was answered for the doctor', async () => {
    const seen = () => t.bot.services.db.selectFrom('organisation_settings').select('value').where('key', '=', 'webhook_challenge_seen_at').executeTakeFirst()
    const before = await seen()
    const res = await t.post(t.events.challenge('ch-123'), '/feishu/events', { sign: false })
    expect(res).toEqual({ status: 200, body: { challenge: 'ch-123' } })
    // Recorded after the answer (not awaited by it).
    let row = await seen()
    for (let i = 0; i < 100 && row?.value === before?.value; i++) row = await new Promise((r) => setTimeout(r, 20)).then(seen)
    expect(row?.value).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(row?.value).not.toBe(before?.value)
  })

  it('echoes a plaintext challenge when no Encrypt Key is configured', async () => {
    const res = await plain.post(plain.events.challenge('ch-plain'))
    expect(res).toEqual({ status: 200, body: { challenge: 'ch-plain' } })
  })

  it('refuses a challenge with the wrong token', async () => {
    const res = await plain.post(plain.events.challenge('ch-x', 'wrong-token'))
    expect(res.status).toBe(401)
    expect(res.body).not.toHaveProperty('challenge')
  })

  it('decrypts the real encrypted challenge sample with its key', async () => {
    const sample = JSON.parse(readFileSync(new URL('../fixtures/url_verification.encrypted.json', import.meta.url), 'utf8'))
    const other = await startTestBot({ db, fake: t.fake, env: { FEISHU_ENCRYPT_KEY: sample.encrypt_key, FEISHU_VERIFICATION_TOKEN: sample.decrypted.token } })
    try {
      const res = await postToBot(other.url, '/feishu/events', { body: JSON.stringify(sample.request), headers: { 'content-type': 'application/json' } })
      expect(res).toEqual({ status: 200, body: sample.response })
    } finally {
      await other.stop()
    }
  })
})

describe('signature and replay', () => {
  const helpEvent = () => t.events.message({ sender: 'ou_w', chatId: 'oc_p2p_w', chatType: 'p2p', text: '帮助' })

  it('accepts a correctly signed, encrypted event with 200 and a JSON body', async () => {
    const res = await t.post(helpEvent())
    expect(res).toEqual({ status: 200, body: {} })
  })

  it('refuses a missing signature with 401 and records nothing', async () => {
    const before = await inboxCount(t)
    const res = await t.post(helpEvent(), '/feishu/events', { sign: false })
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('SIGNATURE_MISSING')
    expect(await inboxCount(t)).toBe(before)
  })

  it('refuses a bad signature with 401 and records nothing', async () => {
    const before = await inboxCount(t)
    const req = t.events.encode(helpEvent())
    req.headers['x-lark-signature'] = computeSignature(req.headers['x-lark-request-timestamp']!, req.headers['x-lark-request-nonce']!, 'another-key', Buffer.from(req.body))
    const res = await postToBot(t.url, '/feishu/events', req)
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('SIGNATURE_INVALID')
    expect(await inboxCount(t)).toBe(before)
  })

  it('checks the raw bytes: the same JSON re-spaced fails the original signature', async () => {
    const req = t.events.encode(helpEvent())
    const respaced = JSON.stringify(JSON.parse(req.body), null, 1)
    const res = await postToBot(t.url, '/feishu/events', { ...req, body: respaced })
    expect(res.status).toBe(401)
    // …and passes when signed over those exact bytes.
    const headers = { ...req.headers, 'x-lark-signature': computeSignature(req.headers['x-lark-request-timestamp']!, req.headers['x-lark-request-nonce']!, TEST_ENCRYPT_KEY, Buffer.from(respaced)) }
    expect((await postToBot(t.url, '/feishu/events', { headers, body: respaced })).status).toBe(200)
  })

  it('refuses a request whose timestamp is more than 5 minutes away (replay)', async () => {
    const old = await t.post(helpEvent(), '/feishu/events', { timestamp: Math.floor(Date.now() / 1000) - 301 })
    expect(old.status).toBe(401)
    expect(old.body.code).toBe('REQUEST_REPLAYED')
    const future = await t.post(helpEvent(), '/feishu/events', { timestamp: Math.floor(Date.now() / 1000) + 400 })
    expect(future.status).toBe(401)
    const recent = await t.post(helpEvent(), '/feishu/events', { timestamp: Math.floor(Date.now() / 1000) - 200 })
    expect(recent.status).toBe(200)
  })

  it('refuses a plaintext body when encryption is required', async () => {
    const res = await t.post(helpEvent(), '/feishu/events', { encrypt: false })
    expect(res.status).toBe(400)
  })
})

describe('token and body', () => {
  it('refuses a wrong verification token with 401', async () => {
    const wrong = new FeishuEventBuilder({ appId: t.fake.appId, verificationToken: 'not-the-token', encryptKey: TEST_ENCRYPT_KEY, botOpenId: t.fake.botOpenId })
    const req = wrong.encode(wrong.message({ sender: 'ou_w', chatId: 'oc_x', chatType: 'p2p', text: '帮助' }))
    const res = await postToBot(t.url, '/feishu/events', req)
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('TOKEN_INVALID')
  })

  it('answers malformed JSON with 400', async () => {
    const res = await postToBot(plain.url, '/feishu/events', { headers: { 'content-type': 'application/json' }, body: '{"schema":"2.0",' })
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('BODY_MALFORMED')
  })

  it('answers an undecryptable body with 400', async () => {
    const body = JSON.stringify({ encrypt: randomBytes(40).toString("base64") })
    const ts = String(Math.floor(Date.now() / 1000))
    const headers = { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n', 'x-lark-signature': computeSignature(ts, 'n', TEST_ENCRYPT_KEY, Buffer.from(body)) }
    const res = await postToBot(t.url, '/feishu/events', { headers, body })
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('BODY_UNDECRYPTABLE')
  })

  it('answers a body over 1 MiB with 413', async () => {
    const body = JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) })
    const res = await postToBot(t.url, '/feishu/events', { headers: { 'content-type': 'application/json' }, body })
    expect(res.status).toBe(413)
  })

  it('answers a known event with missing ids with 400', async () => {
    const env = t.events.message({ sender: 'ou_w', chatId: 'oc_x', chatType: 'p2p', text: 'hi' })
    delete (env.event.message as Record<string, unknown>).message_id
    expect((await t.post(env)).status).toBe(400)
  })

  it('acknowledges unknown event types with 200 and ignores them', async () => {
    const before = await inboxCount(t)
    const env = { schema: '2.0', header: { event_id: `ev_${randomBytes(6).toString('hex')}`, token: TEST_VERIFICATION_TOKEN, create_time: String(Date.now()), event_type: 'contact.user.created_v3', tenant_key: 't', app_id: t.fake.appId }, event: {} }
    const res = await t.post(env)
    expect(res).toEqual({ status: 200, body: {} })
    expect(await inboxCount(t)).toBe(before)
  })

  it('serves card callbacks on /feishu/events too', async () => {
    const res = await t.post(t.events.cardAction({ operator: 'ou_w', value: { action: 'no.such.action' } }), '/feishu/events')
    expect(res.status).toBe(200)
    expect(res.body.toast.type).toBe('error')
  })

  it('answers other paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${t.url}/nope`)).status).toBe(404)
    expect((await fetch(`${t.url}/feishu/events`)).status).toBe(405)
  })
})
