// Property-based fuzzing of the webhook (fast-check): random bytes, mutated ciphertexts, wrong types in every field
// of a valid event, huge strings and deep JSON. Always a 4xx or an ignored 200 — never a 5xx or a crash — and an
// unsigned request never has an effect. Bounded here; `npm run fuzz` runs it longer (FUZZ_RUNS).
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeSignature } from '../../src/feishu/crypto.js'
import { postToBot, type Envelope } from '../../devtools/feishu-events.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, TEST_ENCRYPT_KEY, type TestBot } from '../rig/test-bot.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)
let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  // Every fuzzed bot_added / bot_menu event with a fresh id is a new event, answered in the same chat or to the same
  // user: under Feishu's 5 per second, `npm run fuzz` (1,500 runs) would leave minutes of replies to wait for.
  // Rate limits are not what this file is about (test/drills/open-api.test.ts checks them), so they are lifted here.
  t = await startTestBot({ db, botOptions: { outbound: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000, limits: { perApp: 10_000, perChat: 10_000, perUser: 10_000 } } } })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const inboxCount = async () => Number((await t.bot.services.db.selectFrom('inbox_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

function signedHeaders(body: Buffer | string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = Math.random().toString(36).slice(2)
  return { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': computeSignature(ts, nonce, TEST_ENCRYPT_KEY, Buffer.from(body)) }
}

async function send(body: Buffer | string, headers: Record<string, string>, path = '/feishu/events'): Promise<number> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers, body })
  await res.arrayBuffer()
  return res.status
}

const ok = (status: number) => status === 200 || (status >= 400 && status < 500)

/** Every path (as key arrays) to a value inside an object. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))]
}

function setPath(root: Record<string, unknown>, path: Array<string | number>, value: unknown): void {
  let node: any = root
  for (const key of path.slice(0, -1)) node = node[key]
  node[path[path.length - 1]!] = value
}

const weirdValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.array(fc.anything(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }),
  fc.constant('{"text":"帮助"}'),
  fc.constant('<at id=all></at>'),
)

function sampleEvents(): Envelope[] {
  return [
    t.events.message({ sender: 'ou_fz', chatId: 'oc_fz', chatType: 'p2p', text: '帮助' }),
    t.events.message({ sender: 'ou_fz', chatId: 'oc_fzg', chatType: 'group', text: '帮助', mentionBot: true, mentions: [{ openId: 'ou_x', name: 'x' }] }),
    t.events.cardAction({ operator: 'ou_fz', value: { action: 'conversation.answer', flow: 'x', step: 'y', answer: 'z' }, formValue: { a: '1' } }),
    t.events.botAdded('oc_fz_added', 'ou_fz'),
    t.events.botMenu('ou_fz', 'help'),
  ]
}

describe('webhook fuzzing', () => {
  it('random bytes, signed or not, get a 4xx (or an ignored 200), never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, sign) => {
        const body = Buffer.from(bytes)
        const status = await send(body, sign ? signedHeaders(body) : { 'content-type': 'application/json' })
        return ok(status)
      }),
      { numRuns: RUNS },
    )
  })

  it('an unsigned or mis-signed request never has an effect, whatever it carries', async () => {
    const before = await inboxCount()
    const sent = t.fake.messages.length
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sampleEvents()), fc.constantFrom('none', 'wrong', 'stale'), async (env, how) => {
        const req = t.events.encode({ ...env, header: { ...env.header, event_id: `fz-${Math.random()}` } })
        if (how === 'none') {
          delete req.headers['x-lark-signature']
          delete req.headers['x-lark-request-timestamp']
          delete req.headers['x-lark-request-nonce']
        } else if (how === 'wrong') req.headers['x-lark-signature'] = 'ab'.repeat(32)
        else {
          const ts = String(Math.floor(Date.now() / 1000) - 3600)
          req.headers['x-lark-request-timestamp'] = ts
          req.headers['x-lark-signature'] = computeSignature(ts, req.headers['x-lark-request-nonce']!, TEST_ENCRYPT_KEY, Buffer.from(req.body))
        }
        const res = await postToBot(t.url, '/feishu/events', req)
        return res.status === 401
      }),
      { numRuns: RUNS },
    )
    await t.settle()
    expect(await inboxCount()).toBe(before)
    expect(t.fake.messages.length).toBe(sent)
  })

  it('truncated and mutated ciphertexts (correctly signed) get 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sampleEvents()), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.boolean(), async (env, seed, flips, truncate) => {
        const req = t.events.encode(env)
        const encrypted = Buffer.from(JSON.parse(req.body).encrypt as string, 'base64')
        let mutated = Buffer.from(encrypted)
        if (truncate) mutated = mutated.subarray(0, seed % Math.max(1, mutated.length))
        for (let i = 0; i < flips && mutated.length > 0; i++) mutated[(seed + i * 7919) % mutated.length]! ^= 1 << (i % 8)
        const body = JSON.stringify({ encrypt: mutated.toString('base64') })
        const status = await send(body, signedHeaders(body))
        return ok(status)
      }),
      { numRuns: RUNS },
    )
  })

  it('wrong types in every field of a valid event: a 4xx or an ignored 200, never a 5xx', async () => {
    const events = sampleEvents()
    const candidates = events.flatMap((env, i) => paths(env).filter((p) => p.length > 0).map((p) => [i, p] as const))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...candidates), weirdValue, async ([i, path], value) => {
        const env = structuredClone(events[i]!) as unknown as Record<string, unknown>
        setPath(env, path as Array<string | number>, value)
        // A fresh event id (unless that is the field under test), so de-duplication does not hide the case.
        const header = env.header
        if (header && typeof header === 'object' && !Array.isArray(header) && path[1] !== 'event_id') (header as Record<string, unknown>).event_id = `fz-${Math.random()}`
        const req = t.events.encode(env)
        const status = (await postToBot(t.url, path[0] === 'header' ? '/feishu/events' : '/feishu/cards', req)).status
        return ok(status)
      }),
      { numRuns: RUNS * 3 },
    )
  })

  it('deep JSON and huge strings are refused cleanly', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(ok(await send(deep, signedHeaders(deep)))).toBe(true)
    const encDeep = t.events.encode(JSON.parse('{"x":1}'))
    expect(ok((await postToBot(t.url, '/feishu/events', { ...encDeep, body: encDeep.body })).status)).toBe(true)
    const hugeText = t.events.message({ sender: 'ou_fz', chatId: 'oc_fz_huge', chatType: 'p2p', text: '字'.repeat(200_000) })
    expect((await t.post(hugeText)).status).toBe(200)
    const tooBig = t.events.message({ sender: 'ou_fz', chatId: 'oc_fz_huge', chatType: 'p2p', text: 'x'.repeat(1_200_000) })
    expect((await t.post(tooBig)).status).toBe(413)
  })

  it('is still healthy and answering after all of it', async () => {
    await t.settle()
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${t.opsUrl}/readyz`)).status).toBe(200)
    const res = await t.sendMessage({ sender: 'ou_after', chatId: 'oc_after', chatType: 'p2p', text: '帮助' })
    expect(res.status).toBe(200)
    await t.settle()
    expect(t.fake.messagesInChat('oc_after')).toHaveLength(1)
  })
})
