// The start as a newcomer sees it (issue #12): .env read by the real process, one human summary block whatever the
// log format, LOG_FORMAT=pretty, and /readyz not ready until the start-up work is done.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { createBot } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { formatPretty } from '../../src/logger.js'
import { setCommitteeChat, upsertOfficer } from '../../src/organisation/store.js'
import { startChildBot, type ChildBot } from '../rig/child-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'

let db: TestDatabase
let dir: string
beforeAll(async () => {
  db = await createTestDatabase()
  dir = mkdtempSync(join(tmpdir(), 'unionbot-start-'))
})
afterAll(async () => {
  await db?.drop()
  rmSync(dir, { recursive: true, force: true })
})

async function untilLogged(child: ChildBot, text: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs
  while (!child.output().includes(text)) {
    if (Date.now() > until) throw new Error(`not logged: ${text}\n${child.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return child.output()
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function stopChild(child: ChildBot): Promise<void> {
  child.kill('SIGTERM')
  expect(await child.exited).toBe(0)
}

describe('the start log and .env', () => {
  it('reads .env (the environment winning), and prints one summary block naming what is missing', async () => {
    const envPath = join(dir, 'bot.env')
    writeFileSync(envPath, `UNION_ADMIN_CHAT_ID=oc_from_dotenv\nLOG_LEVEL=error\nPGLITE_DATA_DIR=${join(dir, 'never')}\n`)
    const child = await startChildBot({ ENV_FILE: envPath, DATABASE_URL: db.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_LEVEL: 'info' })
    try {
      const out = await untilLogged(child, 'ready: start-up work done')
      // LOG_LEVEL from the environment (info) beat the file's (error): info lines are there.
      expect(out).toContain('"msg":"read .env (the environment wins over it)"')
      expect(out).toMatch(/"leftToEnvironment":\["LOG_LEVEL"\]/)
      expect(out).toMatch(/committee 工会群\s+oc_from_dotenv/)
      expect(out).toContain(`config 配置`)
      expect(out).toContain(`${envPath} (2 set from it, 1 left to the environment: LOG_LEVEL)`)
      expect(out).toMatch(/listening 监听\s+127\.0\.0\.1:\d+/)
      expect(out).toMatch(/database 数据库\s+Postgres postgres:\/\//)
      expect(out).toContain('REDIS_URL (conversations in memory: one instance only)')
      expect(out).toContain('FEISHU_APP_ID / FEISHU_APP_SECRET (the bot cannot send anything)')
      expect(out).toContain('npm run doctor')
      // The structured twin of the block, for log shippers.
      const line = out.split('\n').find((l) => l.includes('"msg":"start-up summary"'))!
      expect(JSON.parse(line)).toMatchObject({ mode: 'installation', transport: 'webhook', database: 'postgres', redis: 'memory', committeeGroup: true })
    } finally {
      await stopChild(child)
    }
  }, 60_000)

  it('after the first 10 minutes (初始化, 设为委员会群 in chat) no UNION_* variable is reported missing; the group in use is named', async () => {
    const own = await createTestDatabase()
    try {
      // What 初始化 and 设为委员会群 leave in Postgres, written with the organisation's own store.
      const config = loadConfig({ DATABASE_URL: own.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_LEVEL: 'silent' })
      const bot = await createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers })
      try {
        await upsertOfficer(bot.services.db, { openId: 'ou_first_chair', role: 'chair', by: 'ou_first_chair', at: new Date() })
        await setCommitteeChat(bot.services.db, 'oc_chosen_in_chat', 'ou_first_chair', new Date())
      } finally {
        await bot.stop({ drainTimeoutMs: 1000 })
      }
      const child = await startChildBot({ DATABASE_URL: own.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0' })
      try {
        const out = await untilLogged(child, 'ready: start-up work done')
        expect(out).toMatch(/committee 工会群\s+oc_chosen_in_chat \(set in chat with 设为委员会群\)/)
        expect(out).toContain('REDIS_URL (conversations in memory: one instance only)')
        expect(out).not.toContain('UNION_ADMIN_CHAT_ID (')
        expect(out).not.toContain('UNION_OFFICER_OPEN_IDS (')
        const line = out.split('\n').find((l) => l.includes('"msg":"start-up summary"'))!
        const fields = JSON.parse(line) as { committeeGroup: boolean; missing: string[] }
        expect(fields.committeeGroup).toBe(true)
        expect(fields.missing).not.toContain('UNION_ADMIN_CHAT_ID')
        expect(fields.missing).not.toContain('UNION_OFFICER_OPEN_IDS')
      } finally {
        await stopChild(child)
      }
    } finally {
      await own.drop()
    }
  }, 60_000)

  it('LOG_FORMAT=pretty writes one human line per entry instead of JSON', async () => {
    const child = await startChildBot({ DATABASE_URL: db.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_FORMAT: 'pretty' })
    try {
      const out = await untilLogged(child, 'ready: start-up work done')
      expect(out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  union bot listening on 127\.0\.0\.1:\d+ {2}url=http:\/\/127\.0\.0\.1:\d+/m)
      expect(out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  FEISHU_APP_ID \/ FEISHU_APP_SECRET are not set/m)
      expect(out).not.toContain('"msg":')
      expect(out).toContain('工会助手 union bot')
    } finally {
      await stopChild(child)
    }
  }, 60_000)

  it('formats fields as key=value, quoting strings with spaces', () => {
    const line = JSON.stringify({ level: 40, time: '2026-12-03T14:00:01.234Z', service: 'union-bot', pid: 1, msg: 'hello', a: 'x y', n: 3, o: { k: 1 } })
    expect(formatPretty(line)).toBe('14:00:01.234 WARN  hello  a="x y" n=3 o={"k":1}\n')
  })
})

describe('/readyz during start-up', () => {
  it('is 503 naming the start-up work until the caller says it is done, then reports the services', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_LEVEL: 'silent' })
    const bot = await createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers, ops: { port: 0, host: '127.0.0.1' }, startupWork: 'the playground demo data' })
    try {
      await bot.listen(0, '127.0.0.1')
      const before = await fetch(`${bot.internalUrl}/readyz`)
      expect(before.status).toBe(503)
      expect(await before.json()).toEqual({ status: 'unavailable', checks: { startup: false }, reasons: { startup: 'start-up: the playground demo data not ready yet' } })
      // Liveness is not readiness: the process answers meanwhile.
      expect((await fetch(`${bot.internalUrl}/healthz`)).status).toBe(200)
      bot.startupDone()
      const after = await fetch(`${bot.internalUrl}/readyz`)
      expect(after.status).toBe(200)
      expect(await after.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
    } finally {
      await bot.stop({ drainTimeoutMs: 1000 })
    }
  })

  it('in the playground process, /readyz says ready only once the demo data is seeded', async () => {
    // INTERNAL_PORT=0 means no internal listener: give it a free port.
    const child = await startChildBot({ PLAYGROUND: '1', PGLITE_DATA_DIR: join(dir, 'pg-play', 'pglite'), SCHEDULER_ENABLED: '0', INTERNAL_PORT: String(await freePort()) }, 90_000)
    try {
      const internal = (await untilLogged(child, '"internalUrl"', 90_000)).match(/"internalUrl":"(http:\/\/[^"]+)"/)![1]!
      const statuses: number[] = []
      for (;;) {
        const seededBefore = child.output().includes('playground: served on')
        const res = await fetch(`${internal}/readyz`)
        statuses.push(res.status)
        if (res.status === 200) {
          // Ready implies seeded: the "served" line is written before startupDone() returns control to the loop.
          expect(seededBefore || child.output().includes('playground: served on')).toBe(true)
          break
        }
        expect(await res.json()).toMatchObject({ checks: { startup: false } })
        await new Promise((r) => setTimeout(r, 100))
      }
      // Seeding a fresh database takes seconds: it was seen not ready first.
      expect(statuses[0]).toBe(503)
    } finally {
      await stopChild(child)
    }
  }, 150_000)
})

describe('/readyz?verbose=1', () => {
  it("adds the doctor's local checks: webhook keys, the committee group, the calendar years", async () => {
    const config = loadConfig({ DATABASE_URL: db.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_LEVEL: 'silent', UNION_ADMIN_CHAT_ID: 'oc_verbose' })
    const bot = await createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers, ops: { port: 0, host: '127.0.0.1' } })
    try {
      await bot.listen(0, '127.0.0.1')
      const plain = (await (await fetch(`${bot.internalUrl}/readyz`)).json()) as Record<string, unknown>
      expect(plain.doctor).toBeUndefined()
      const res = await fetch(`${bot.internalUrl}/readyz?verbose=1`)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { doctor: Array<{ id: string; status: string; fix?: { zh: string; en: string } }> }
      const webhook = body.doctor.find((c) => c.id === 'webhook')!
      expect(webhook.status).toBe('fail')
      expect(webhook.fix!.en).toContain('FEISHU_ENCRYPT_KEY')
      expect(body.doctor.find((c) => c.id === 'committee')).toMatchObject({ status: 'ok' })
      const year = new Date().getUTCFullYear()
      expect(body.doctor.some((c) => c.id === `calendar.${year}` || c.id === `calendar.${year + 1}`)).toBe(true)
    } finally {
      await bot.stop({ drainTimeoutMs: 1000 })
    }
  })

  it('names the committee group chosen in chat (no UNION_ADMIN_CHAT_ID): ok, not "not set"; and fails before one is chosen', async () => {
    const own = await createTestDatabase()
    const config = loadConfig({ DATABASE_URL: own.url, PLAYGROUND: '0', SCHEDULER_ENABLED: '0', LOG_LEVEL: 'silent' })
    const bot = await createBot(config, { logger: pino({ level: 'silent' }), register: registerHandlers, ops: { port: 0, host: '127.0.0.1' } })
    const committee = async () => ((await (await fetch(`${bot.internalUrl}/readyz?verbose=1`)).json()) as { doctor: Array<{ id: string; status: string; detail: string }> }).doctor.find((c) => c.id === 'committee')
    try {
      await bot.listen(0, '127.0.0.1')
      expect(await committee()).toMatchObject({ status: 'fail' })
      await setCommitteeChat(bot.services.db, 'oc_set_in_chat', 'ou_chair', new Date())
      expect(await committee()).toMatchObject({ status: 'ok', detail: 'oc_set_in_chat (set in chat with 设为委员会群) (membership: npm run doctor)' })
    } finally {
      await bot.stop({ drainTimeoutMs: 1000 })
      await own.drop()
    }
  })
})
