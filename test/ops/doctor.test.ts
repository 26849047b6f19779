// The set-up doctor (issue #12) against the fake Open API answering each failure, and the real Postgres and Redis.
import { createServer, type AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeLongConnection } from '../../devtools/fake-long-connection.js'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { loadConfig } from '../../src/config.js'
import { missingSettings } from '../../src/startup-summary.js'
import { formatChecklist, runDoctor, type DoctorCheck } from '../../src/doctor.js'
import { adminDatabaseUrl, databaseUrlFor } from '../rig/env.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'

const APP_ID = 'cli_0123456789abcdef'
const CHAT = 'oc_committee_doctor'
const OFFICER = 'ou_doctor_chair'

/** A port nobody listens on (fetch refuses the "bad ports" such as 1 before connecting). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** What the fake says about the calls only the doctor makes: scopes withheld, the bot's group membership. */
class DoctorRoutes {
  denied = new Set<string>()
  inChat = true
  route(method: string, path: string): [number, unknown] | undefined {
    const deny = (scope: string): [number, unknown] | undefined =>
      this.denied.has(scope) ? [400, { code: 99991672, msg: `Access denied. One of the following scopes is required: [${scope}].` }] : undefined
    if (method === 'PATCH' && path.startsWith('/open-apis/im/v1/messages/om_doctor_probe')) return deny('im:message:send_as_bot')
    if (method === 'GET' && path.startsWith('/open-apis/im/v1/files/')) return deny('im:resource') ?? [400, { code: 234003, msg: 'file not found' }]
    if (method === 'GET' && path === `/open-apis/im/v1/chats/${CHAT}/members/is_in_chat`) return deny('im:chat:readonly') ?? [200, { code: 0, msg: 'ok', data: { is_in_chat: this.inChat } }]
    if (method === 'GET' && path.startsWith('/open-apis/contact/v3/users/')) return this.denied.has('contact:user.base:readonly') ? [400, { code: 99991679, msg: 'Unauthorized. You do not have permission' }] : undefined
    return undefined
  }
}

let fake: FakeOpenApi
let routes: DoctorRoutes
let lc: FakeLongConnection
let db: TestDatabase
beforeAll(async () => {
  fake = new FakeOpenApi({ appId: APP_ID })
  routes = new DoctorRoutes()
  lc = new FakeLongConnection({ appId: APP_ID, appSecret: fake.appSecret })
  fake.use(routes).use(lc)
  await fake.start()
  fake.users.set(OFFICER, { name: '主席' })
  db = await createTestDatabase()
  // A complete installation: Feishu has verified the request URL, and the bot recorded answering it.
  await setChallengeSeen(true)
})

/** What the bot writes when it answers Feishu's URL verification (src/organisation/store.ts#recordWebhookChallenge). */
async function setChallengeSeen(seen: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    if (seen) await client.query(`INSERT INTO organisation_settings (key, value, set_by, set_at) VALUES ('webhook_challenge_seen_at', '2026-05-30T02:00:00.000Z', NULL, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    else await client.query(`DELETE FROM organisation_settings WHERE key = 'webhook_challenge_seen_at'`)
  } finally {
    await client.end()
  }
}
afterAll(async () => {
  await lc?.stop()
  await fake?.stop()
  await db?.drop()
})

/** The complete installation, with `extra` on top; an undefined value removes the variable. */
const env = (extra: Record<string, string | undefined> = {}) => withoutUndefined({
  FEISHU_APP_ID: APP_ID,
  FEISHU_APP_SECRET: fake.appSecret,
  FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
  FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
  FEISHU_DOMAIN: fake.url,
  DATABASE_URL: db.url,
  REDIS_URL: db.redisUrl,
  UNION_ADMIN_CHAT_ID: CHAT,
  UNION_OFFICER_OPEN_IDS: OFFICER,
  HARDSHIP_DIBAO_MONTHLY: '1000',
  ...extra,
})
const withoutUndefined = (e: Record<string, string | undefined>) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Record<string, string>
const NOW = new Date('2026-06-01T04:00:00Z')
const doctor = (extra?: Record<string, string | undefined>, now = NOW) => runDoctor(loadConfig(env(extra)), { timeoutMs: 2000, now })
const byId = (checks: DoctorCheck[], id: string) => checks.find((c) => c.id === id)!
const failed = (checks: DoctorCheck[]) => checks.filter((c) => c.status === 'fail').map((c) => c.id)

describe('npm run doctor', () => {
  it('passes a complete installation, next year only a warning while its 调休 is unpublished', async () => {
    const checks = await doctor()
    expect(failed(checks)).toEqual([])
    expect(checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'credentials:ok', 'bot:ok', 'scope.send:ok', 'scope.resource:ok', 'scope.chat:ok', 'committee:ok', 'scope.contact:ok', 'webhook:ok', 'webhook.challenge:ok', 'postgres:ok', 'calendar.2026:ok', 'calendar.2027:warn', 'redis:ok', 'hardship.dibao:ok',
    ])
    expect(byId(checks, 'bot').detail).toContain(fake.botOpenId)
    const text = formatChecklist(checks)
    expect(text).toContain('[ OK ] 凭证 / credentials: tenant access token issued')
    expect(text).toContain('[WARN] 工作日历 / working-day calendar 2027')
    expect(text).toContain('全部通过，1 项提醒 / all passed, 1 warnings')
  })

  it('without a local 低保 the self-check cannot classify: a warning with the fix, and the start summary names it', async () => {
    const checks = await doctor({ HARDSHIP_DIBAO_MONTHLY: undefined })
    expect(failed(checks)).toEqual([])
    const dibao = byId(checks, 'hardship.dibao')
    expect(dibao.status).toBe('warn')
    expect(dibao.fix?.zh).toContain('城市最低生活保障标准')
    expect(missingSettings(loadConfig(env({ HARDSHIP_DIBAO_MONTHLY: undefined }))).some((m) => m.startsWith('HARDSHIP_DIBAO_MONTHLY'))).toBe(true)
    expect(missingSettings(loadConfig(env())).some((m) => m.startsWith('HARDSHIP_DIBAO_MONTHLY'))).toBe(false)
  })

  it('wrong secret: the token is refused, with the fix in Chinese and English', async () => {
    const checks = await doctor({ FEISHU_APP_SECRET: 'wrong' })
    const c = byId(checks, 'credentials')
    expect(c.status).toBe('fail')
    expect(c.detail).toContain('code 10014')
    expect(c.fix!.zh).toContain('FEISHU_APP_SECRET')
    expect(c.fix!.en).toContain('FEISHU_APP_SECRET')
    // Nothing past the token is asked of Feishu without one.
    expect(checks.some((x) => x.id === 'bot')).toBe(false)
  })

  it('no credentials at all, and Feishu not reachable, are failures saying so', async () => {
    const none = await runDoctor(loadConfig({ DATABASE_URL: db.url, REDIS_URL: db.redisUrl, UNION_ADMIN_CHAT_ID: CHAT }), { timeoutMs: 2000, now: NOW })
    expect(byId(none, 'credentials')).toMatchObject({ status: 'fail', detail: 'FEISHU_APP_ID / FEISHU_APP_SECRET not set' })
    const away = await doctor({ FEISHU_DOMAIN: `http://127.0.0.1:${await closedPort()}` })
    expect(byId(away, 'credentials').detail).toMatch(/not reachable: ECONNREFUSED/)
  })

  it('bot capability off: bot/v3/info refused', async () => {
    fake.failNext({ path: '/bot/v3/info', status: 400, body: { code: 10003, msg: 'bot capability is not enabled' } })
    const checks = await doctor()
    expect(byId(checks, 'bot')).toMatchObject({ status: 'fail', detail: 'bot/v3/info: code 10003 bot capability is not enabled' })
    expect(byId(checks, 'bot').fix!.zh).toContain('机器人')
  })

  it('each missing scope is named by the no-permission code of the call that needs it', async () => {
    routes.denied = new Set(['im:message:send_as_bot', 'im:resource', 'im:chat:readonly', 'contact:user.base:readonly'])
    try {
      const checks = await doctor()
      expect(failed(checks)).toEqual(['scope.send', 'scope.resource', 'scope.chat', 'scope.contact'])
      expect(byId(checks, 'scope.send').fix!.en).toContain('add im:message:send_as_bot')
      expect(byId(checks, 'scope.resource').detail).toContain('code 99991672')
      expect(byId(checks, 'scope.contact').detail).toContain('code 99991679')
      expect(byId(checks, 'scope.contact').fix!.zh).toContain('contact:user.base:readonly')
      // Membership cannot be read without the chat scope: said, not guessed.
      expect(byId(checks, 'committee')).toMatchObject({ status: 'skip' })
    } finally {
      routes.denied = new Set()
    }
  })

  it('the bot not in the committee group, or no group configured', async () => {
    routes.inChat = false
    try {
      expect(byId(await doctor(), 'committee')).toMatchObject({ status: 'fail', detail: `the bot is not in ${CHAT} (UNION_ADMIN_CHAT_ID)` })
    } finally {
      routes.inChat = true
    }
    expect(byId(await doctor({ UNION_ADMIN_CHAT_ID: undefined }), 'committee')).toMatchObject({ status: 'fail', detail: 'no committee group: 设为委员会群 not sent in any group, UNION_ADMIN_CHAT_ID not set' })
    // The embedded database belongs to the running bot: a group chosen in chat cannot be seen, so no failure claimed.
    const embedded = await doctor({ UNION_ADMIN_CHAT_ID: undefined, DATABASE_URL: undefined })
    expect(byId(embedded, 'committee')).toMatchObject({ status: 'warn' })
    expect(byId(embedded, 'committee').fix!.en).toContain('/readyz?verbose=1')
  })

  it('the README\'s first 10 minutes: the group chosen with 设为委员会群 and the chair from 初始化 count, with no UNION_* variable', async () => {
    // What 初始化 and 设为委员会群 leave in Postgres (src/organisation/store.ts), written as the bot writes them.
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      await client.query(`INSERT INTO officers (open_id, role, added_by, added_at) VALUES ($1, 'chair', $1, now())`, [OFFICER])
      await client.query(`INSERT INTO organisation_settings (key, value, set_by, set_at) VALUES ('committee_chat_id', $1, $2, now())`, [CHAT, OFFICER])
      const fresh = await doctor({ UNION_ADMIN_CHAT_ID: undefined, UNION_OFFICER_OPEN_IDS: undefined })
      expect(failed(fresh)).toEqual([])
      expect(byId(fresh, 'committee')).toMatchObject({ status: 'ok', detail: `the bot is in ${CHAT} (set in chat with 设为委员会群)` })
      // The contact scope is probed with the chair kept in the database, not skipped.
      expect(byId(fresh, 'scope.contact')).toMatchObject({ status: 'ok' })
      expect(fake.requests.some((r) => r.path.startsWith(`/open-apis/contact/v3/users/${OFFICER}`))).toBe(true)
      // The bot removed from the chosen group: the fix says how, in chat terms.
      routes.inChat = false
      try {
        const out = byId(await doctor({ UNION_ADMIN_CHAT_ID: undefined, UNION_OFFICER_OPEN_IDS: undefined }), 'committee')
        expect(out).toMatchObject({ status: 'fail', detail: `the bot is not in ${CHAT} (set in chat with 设为委员会群)` })
        expect(out.fix!.zh).toContain('设为委员会群')
      } finally {
        routes.inChat = true
      }
    } finally {
      await client.query(`DELETE FROM organisation_settings WHERE key = 'committee_chat_id'`)
      await client.query(`DELETE FROM officers WHERE open_id = $1`, [OFFICER])
      await client.end()
    }
  })

  it('says whether Feishu has verified the request URL, and how to make it', async () => {
    expect(byId(await doctor(), 'webhook.challenge')).toMatchObject({ status: 'ok', detail: "Feishu's URL verification answered at 2026-05-30T02:00:00.000Z" })
    await setChallengeSeen(false)
    try {
      const fresh = byId(await doctor(), 'webhook.challenge')
      expect(fresh).toMatchObject({ status: 'warn', detail: 'no URL verification from Feishu seen yet' })
      expect(fresh.fix!.zh).toContain('/feishu/events')
      // The long connection has no request URL to verify.
      expect((await doctor({ FEISHU_TRANSPORT: 'websocket' })).some((c) => c.id === 'webhook.challenge')).toBe(false)
    } finally {
      await setChallengeSeen(true)
    }
  })

  it('webhook without an encrypt key fails; the long connection is checked by endpoint discovery instead', async () => {
    const unsigned = await doctor({ FEISHU_ENCRYPT_KEY: undefined, ALLOW_UNSIGNED_WEBHOOK: '1' })
    expect(byId(unsigned, 'webhook')).toMatchObject({ status: 'warn', detail: 'FEISHU_ENCRYPT_KEY not set' })
    const noToken = await doctor({ FEISHU_VERIFICATION_TOKEN: undefined, FEISHU_ENCRYPT_KEY: undefined })
    expect(byId(noToken, 'webhook')).toMatchObject({ status: 'fail', detail: 'FEISHU_VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY not set' })
    expect(byId(noToken, 'webhook').fix!.zh).toContain('FEISHU_TRANSPORT=websocket')
    const ws = await doctor({ FEISHU_TRANSPORT: 'websocket' })
    expect(ws.some((c) => c.id === 'webhook')).toBe(false)
    expect(byId(ws, 'longConnection')).toMatchObject({ status: 'ok' })
    lc.failDiscovery(1, 'system busy')
    const busy = await doctor({ FEISHU_TRANSPORT: 'websocket' })
    expect(byId(busy, 'longConnection')).toMatchObject({ status: 'fail', detail: 'endpoint discovery: code 1 system busy' })
  })

  it('Postgres unreachable or not migrated, Redis unreachable', async () => {
    const down = await doctor({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' })
    expect(byId(down, 'postgres')).toMatchObject({ status: 'fail' })
    expect(byId(down, 'postgres').detail).toContain('ECONNREFUSED')
    expect(byId(down, 'calendar')).toMatchObject({ status: 'skip' })
    expect(byId(down, 'redis')).toMatchObject({ status: 'fail' })
    const name = `doctor_empty_${process.pid}_${Date.now()}`
    const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${name}`)
      const empty = await doctor({ DATABASE_URL: databaseUrlFor(name) })
      expect(byId(empty, 'postgres').status).toBe('fail')
      expect(byId(empty, 'postgres').detail).toMatch(/migrations pending: 0001/)
      expect(byId(empty, 'postgres').fix!.en).toContain('npm run migrate')
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`)
      await admin.end()
    }
  })

  it('a current year the calendar only estimates is a failure', async () => {
    const checks = await doctor({}, new Date('2031-03-01T04:00:00Z'))
    expect(byId(checks, 'calendar.2031')).toMatchObject({ status: 'fail' })
    expect(byId(checks, 'calendar.2031').fix!.zh).toContain('2031')
  })
})
