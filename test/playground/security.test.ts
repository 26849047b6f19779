// Issue #19 (security review F1): the attacks on the playground, each shown to fail. It is started with PLAYGROUND=1
// next to a real installation's settings (DATABASE_URL, REDIS_URL, a real app's id, secret, token and key), as the
// review's reproduction did, against real Postgres and Redis.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { CHAIR, COMMITTEE_CHAT_ID, WORKER, p2pChatId } from '../../playground/cast.js'
import { buttonsOf } from '../../playground/seed/driver.js'
import { callbackValuesOf } from '../../playground/session.js'
import { startPlaygroundBot, type PlaygroundBot } from '../rig/playground-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'

const REAL_APP = { FEISHU_APP_ID: 'cli_real_union_app', FEISHU_APP_SECRET: 'real-app-secret', FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY }

let db: TestDatabase
let dir: string
let pg: PlaygroundBot
let port: number

beforeAll(async () => {
  db = await createTestDatabase()
  dir = mkdtempSync(join(tmpdir(), 'unionbot-pg-security-'))
  pg = await startPlaygroundBot({
    env: { PLAYGROUND: '1', ...REAL_APP, DATABASE_URL: db.url, REDIS_URL: db.redisUrl, PGLITE_DATA_DIR: join(dir, 'pglite'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    redisNamespace: db.redisNamespace,
  })
  port = Number(new URL(pg.url).port)
}, 90_000)
afterAll(async () => {
  await pg?.stop()
  await db?.drop()
  rmSync(dir, { recursive: true, force: true })
})

/** A raw HTTP request to the bot, so Host, Origin and content type are exactly what an attacker would send. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => {
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-playground-token': pg.token, ...extra })
const hello = JSON.stringify({ as: WORKER.openId, chatId: p2pChatId(WORKER.openId), text: '帮助' })
const delivered = () => pg.playground.openApi.messages.length
const ownMessages = () => pg.playground.session.messages().filter((m) => m.sender !== pg.playground.openApi.botOpenId).length

describe('the playground never uses a real installation’s Feishu settings', () => {
  it('generates its own app id, secret, verification token and encrypt key', () => {
    const f = pg.playground.config.feishu
    expect(f.appId).not.toBe(REAL_APP.FEISHU_APP_ID)
    expect(f.appSecret).not.toBe(REAL_APP.FEISHU_APP_SECRET)
    expect(f.verificationToken).not.toBe(REAL_APP.FEISHU_VERIFICATION_TOKEN)
    expect(f.encryptKey).not.toBe(REAL_APP.FEISHU_ENCRYPT_KEY)
  })

  it('refuses an event signed with the environment’s key and token (a real Feishu delivery), takes its own', async () => {
    const real = new FeishuEventBuilder({ appId: REAL_APP.FEISHU_APP_ID, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: 'ou_bot' })
    const env = real.message({ sender: 'ou_real_victim', chatId: 'oc_real_p2p', chatType: 'p2p', text: '投诉' })
    const refused = await postToBot(pg.url, '/feishu/events', real.encode(env))
    expect(refused.status).toBe(401)
    const messageId = (env.event.message as { message_id: string }).message_id
    const rows = await pg.bot.services.db.selectFrom('inbox_events').select('dedup_key').where('dedup_key', '=', `msg:${messageId}`).execute()
    expect(rows).toEqual([])
    // The playground's own key gets through (so the refusal above is the key, not a broken webhook).
    const own = new FeishuEventBuilder({ appId: pg.playground.config.feishu.appId!, verificationToken: pg.playground.config.feishu.verificationToken!, encryptKey: pg.playground.config.feishu.encryptKey!, botOpenId: 'ou_bot' })
    expect((await postToBot(pg.url, '/feishu/events', own.encode(own.message({ sender: 'ou_pg_probe', chatId: 'oc_pg_probe', chatType: 'p2p', text: '帮助' })))).status).toBe(200)
  })
})

describe('where it listens', () => {
  it('binds 127.0.0.1 when HOST is not given, and reports that address and the page URL with it', async () => {
    expect(pg.playground.config.host).toBe('127.0.0.1')
    expect(pg.bound).toBe(`127.0.0.1:${port}`)
    expect(pg.url).toBe(`http://127.0.0.1:${port}`)
    expect(pg.pageUrl).toBe(`http://127.0.0.1:${port}/playground/#token=${pg.token}`)
    expect((await fetch(`${pg.url}/healthz`)).status).toBe(200)
  })

  it('cannot be reached on this machine’s other addresses (a LAN client)', async () => {
    // A LAN address when the machine has one; otherwise 127.0.0.2, which Linux routes to this machine too and which
    // a server bound to all interfaces would answer, while one bound to 127.0.0.1 refuses it: never a skipped check.
    const lan =
      Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.2'
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: lan, port })
      socket.once('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    })
    expect(outcome).toBe('ECONNREFUSED')
  })
})

describe('with HOST given', () => {
  it('binds what HOST says, names all interfaces as such, and still refuses foreign Host names', async () => {
    const wide = await startPlaygroundBot({
      env: { PLAYGROUND: '1', HOST: '0.0.0.0', DATABASE_URL: db.url, REDIS_URL: db.redisUrl, PGLITE_DATA_DIR: join(dir, 'wide', 'pglite'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
      redisNamespace: db.redisNamespace,
      seed: 'never',
    })
    try {
      const widePort = Number(new URL(wide.url).port)
      expect(wide.bound).toBe(`all interfaces (0.0.0.0:${widePort})`)
      const get = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: widePort, path: '/playground/api/state', headers: { host, 'x-playground-token': wide.token } }, (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          })
          req.on('error', reject)
          req.end()
        })
      expect(await get(`127.0.0.1:${widePort}`)).toBe(200)
      expect(await get(`evil.example:${widePort}`)).toBe(421)
    } finally {
      await wide.stop()
    }
  }, 60_000)
})

describe('its API', () => {
  it('refuses every request without this start’s token (403), sending nothing', async () => {
    const before = ownMessages()
    for (const token of [undefined, '', 'guessed', `${pg.token}x`]) {
      const headers: Record<string, string> = token === undefined ? {} : { 'x-playground-token': token }
      const state = await raw('GET', '/playground/api/state', headers)
      expect([state.status, state.body.code]).toEqual([403, 'PLAYGROUND_TOKEN_INVALID'])
      expect(JSON.stringify(state.body)).not.toContain(WORKER.openId)
      expect((await raw('GET', '/playground/api/stream', headers)).status).toBe(403)
      expect((await raw('GET', '/playground/api/files/file_x', headers)).status).toBe(403)
      expect((await raw('POST', '/playground/api/messages', { 'content-type': 'application/json', ...headers }, hello)).status).toBe(403)
      expect((await raw('POST', '/playground/api/actions', { 'content-type': 'application/json', ...headers }, JSON.stringify({ as: CHAIR.openId, messageId: 'om_x', value: {} }))).status).toBe(403)
    }
    // The query parameter is for EventSource and downloads (GET) only.
    expect((await raw('POST', `/playground/api/messages?token=${pg.token}`, { 'content-type': 'application/json' }, hello)).status).toBe(403)
    expect(ownMessages()).toBe(before)
    // With it, the same requests work.
    expect((await raw('GET', '/playground/api/state', { 'x-playground-token': pg.token })).status).toBe(200)
    expect((await raw('GET', `/playground/api/state?token=${encodeURIComponent(pg.token)}`, {})).status).toBe(200)
  })

  it('refuses a cross-site "simple" text/plain POST (415), even with the token, sending nothing', async () => {
    const before = ownMessages()
    const csrf = await raw('POST', '/playground/api/messages', { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://192.0.2.2:8000' }, hello)
    expect(csrf.status).toBe(403)
    const plain = await raw('POST', '/playground/api/messages', { 'content-type': 'text/plain;charset=UTF-8', 'x-playground-token': pg.token }, hello)
    expect([plain.status, plain.body.code]).toEqual([415, 'PLAYGROUND_NOT_JSON'])
    expect((await raw('POST', '/playground/api/messages', { 'x-playground-token': pg.token }, hello)).status).toBe(415)
    expect((await raw('POST', '/playground/api/messages', { 'content-type': 'application/x-www-form-urlencoded', 'x-playground-token': pg.token }, hello)).status).toBe(415)
    expect(ownMessages()).toBe(before)
  })

  it('refuses a foreign Origin (403), accepts the page’s own', async () => {
    const before = ownMessages()
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1.evil.example:${port}`]) {
      const res = await raw('POST', '/playground/api/messages', json({ origin }), hello)
      expect([origin, res.status, res.body.code]).toEqual([origin, 403, 'PLAYGROUND_ORIGIN_REFUSED'])
      expect((await raw('GET', '/playground/api/state', json({ origin }))).status).toBe(403)
    }
    expect(ownMessages()).toBe(before)
    const own = await raw('POST', '/playground/api/messages', json({ origin: `http://127.0.0.1:${port}` }), hello)
    expect(own.status).toBe(200)
    expect(ownMessages()).toBe(before + 1)
    await pg.driver.settle()
  })

  it('refuses a DNS-rebinding Host (421): another name pointed at this address', async () => {
    const before = ownMessages()
    for (const host of [`evil.example:${port}`, `rebind.127.0.0.1.nip.io:${port}`, `0.0.0.0:${port}`]) {
      // The token would have to be stolen first; even with it, a page on a foreign name is refused.
      const post = await raw('POST', '/playground/api/messages', json({ host, origin: `http://${host}` }), hello)
      expect([host, post.status, post.body.code]).toEqual([host, 421, 'PLAYGROUND_HOST_REFUSED'])
      expect((await raw('GET', '/playground/api/state', json({ host }))).status).toBe(421)
    }
    expect(ownMessages()).toBe(before)
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `127.0.0.1:${port}`]) {
      expect((await raw('GET', '/playground/api/state', json({ host }))).status).toBe(200)
    }
  })
})

describe('card actions', () => {
  it('refuse a forged value that is not on the card (the review’s grievance.reply on a help card): nothing changes', async () => {
    const db = pg.bot.services.db
    const anonymous = await db.selectFrom('grievances').select(['id', 'number', 'revision']).where('anonymous', '=', true).executeTakeFirstOrThrow()
    const review = pg.driver.latestCard(COMMITTEE_CHAT_ID, `维权诉求 ${anonymous.number}`)
    const help = pg.driver.latestCard(COMMITTEE_CHAT_ID, '工会助手 · 使用帮助')
    const realValue = buttonsOf(review.card).find((b) => b.text === '回复职工')!.value
    expect(realValue).toMatchObject({ action: 'grievance.reply', gid: anonymous.id })

    const before = {
      delivered: delivered(),
      help: pg.playground.session.message(help.id)!.version,
      review: pg.playground.session.message(review.id)!.version,
      events: (await db.selectFrom('grievance_events').select('id').where('grievance_id', '=', anonymous.id).execute()).length,
      people: pg.playground.session.people().map((p) => p.openId),
    }
    const forge = (messageId: string, value: unknown) =>
      raw('POST', '/playground/api/actions', json(), JSON.stringify({ as: CHAIR.openId, messageId, value, tag: 'button', name: 'reply_submit', formValue: { reply: '请问您是哪个车间的？' } }))
    // The stale-revision probe that handed back the review card, then the relay with the right revision.
    for (const value of [{ ...realValue as object, rev: 999 }, realValue]) {
      const res = await forge(help.id, value)
      expect(res.status).toBe(400)
      expect(res.body.error).toContain('这张卡片上没有这个操作')
    }
    // A value of this card, changed, is not this card's value either.
    expect((await forge(review.id, { ...realValue as object, rev: 999 })).status).toBe(400)
    await pg.driver.settle()
    expect(delivered()).toBe(before.delivered)
    expect(pg.playground.session.message(help.id)!.version).toBe(before.help)
    expect(pg.playground.session.message(review.id)!.version).toBe(before.review)
    expect((await db.selectFrom('grievance_events').select('id').where('grievance_id', '=', anonymous.id).execute()).length).toBe(before.events)
    expect(pg.playground.session.people().map((p) => p.openId)).toEqual(before.people)

    // The value the card itself carries still works: the check refuses forgeries, not the page.
    const real = await forge(review.id, realValue)
    expect(real.status).toBe(200)
    expect(real.body.toast).toEqual({ type: 'success', content: '已转达给职工' })
  })

  it('know every value a card carries: buttons in columns and forms, a submit without a value, an overflow', () => {
    const found = callbackValuesOf({
      schema: '2.0',
      body: {
        elements: [
          { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'button', behaviors: [{ type: 'callback', value: { action: 'a.one', n: 1 } }] }] }] },
          { tag: 'form', name: 'f', elements: [{ tag: 'button', form_action_type: 'submit', name: 's' }] },
          { tag: 'overflow', value: { action: 'a.more' }, options: [] },
          { tag: 'chart', chart_spec: { data: { values: [{ tag: 'x', value: { action: 'not.a.callback' } }] } } },
        ],
      },
    })
    expect(found).toEqual([{ action: 'a.one', n: 1 }, {}, { action: 'a.more' }])
  })
})

describe('the chats file', () => {
  it('is written 0600 in a 0700 directory, also when it existed with wider modes', () => {
    const file = join(dir, 'playground', 'chats.json')
    pg.playground.session.saveNow()
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'playground')).mode & 0o777).toBe(0o700)
    chmodSync(file, 0o644)
    chmodSync(join(dir, 'playground'), 0o755)
    pg.playground.session.saveNow()
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'playground')).mode & 0o777).toBe(0o700)
  })
})
