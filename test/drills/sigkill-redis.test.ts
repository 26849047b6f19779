// Fault drill (issue #7), two faults at once: the process is killed (SIGKILL) right after acknowledging a
// worker's 确认提交 click, and Redis is unreachable when the restarted process recovers that click from the inbox.
// Nobody is waiting for a toast any more, so the recovery must not end as "conversations unavailable": it is
// retried until Redis is back, and then the grievance is filed once and the worker told its number once.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder } from '../../devtools/feishu-events.js'
import type { Database } from '../../src/db/schema.js'
import { startChildBot, type ChildBot } from '../rig/child-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN, startTestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'
import { DESCRIPTION } from '../helpers/grievances.js'
import { CHILD_REDIS_PREFIX, childEnv, deletePersonKeys, openDatabase } from '../helpers/child-drills.js'
import { cardClick, deliver, until } from '../helpers/drills.js'
import { buttonValue, cardTitle, inbox, say, textsOf } from '../helpers/chat.js'

const tag = randomBytes(3).toString('hex')
const worker = { openId: `ou_kr${tag}_worker`, name: '冯十三' }

let db: TestDatabase
let fake: FakeOpenApi
let redisProxy: TcpProxy
let records: Kysely<Database>
let events: FeishuEventBuilder
const children: ChildBot[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi()
  await fake.start()
  fake.users.set(worker.openId, { name: worker.name })
  events = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: fake.botOpenId })
  redisProxy = new TcpProxy('127.0.0.1', Number(new URL(db.redisUrl).port || 6379))
  await redisProxy.start()
  records = openDatabase(db)
})
afterAll(async () => {
  for (const c of children) if (c.process.exitCode === null) c.kill('SIGKILL')
  await Promise.all(children.map((c) => c.exited))
  await records?.destroy()
  await redisProxy?.stop()
  await fake?.stop()
  if (db) await deletePersonKeys(db, [worker.openId])
  await db?.drop()
})

describe('killed after acknowledging 确认, recovered while Redis is down', () => {
  it('is retried until Redis is back, then files the grievance once and tells the worker once', async () => {
    const redisUrl = `redis://127.0.0.1:${redisProxy.port}`
    // The worker reaches the confirm step (through an instance with the children's Redis prefix).
    const setup = await startTestBot({ db: { ...db, redisUrl }, fake, botOptions: { redisNamespace: CHILD_REDIS_PREFIX } })
    try {
      for (const text of ['投诉', '1', DESCRIPTION, '匿名']) await say(setup, worker, text)
    } finally {
      await setup.stop()
    }
    const summary = inbox(fake, worker.openId).filter((m) => cardTitle(m).includes('第 4/4 步')).at(-1)!
    const env = childEnv(db, fake, { REDIS_URL: redisUrl })

    const first = await startChildBot(env)
    children.push(first)
    // Every message hangs at Feishu: the click is acknowledged (after the 2.5 s answer budget) mid-way.
    fake.failNext({ path: /^\/open-apis\/im\/v1\/messages/, delayMs: 60_000, status: 500, times: 1000 })
    const click = cardClick(events, {
      operator: worker.openId,
      value: buttonValue(summary.content, 'conversation.answer', { answer: '确认' })!,
      messageId: summary.messageId,
      chatId: `oc_p2p_${worker.openId}`,
    })
    const answer = await deliver(first.url, events, click)
    expect(answer.status).toBe(200)
    // The confirmation was on its way to the worker (so the case is filed) when the process died.
    await fake.waitFor(() => fake.requests.some((r) => r.method === 'POST' && (r.body as { receive_id?: string })?.receive_id === worker.openId && JSON.stringify(r.body).includes('已提交')), 10_000)
    first.kill('SIGKILL')
    await first.exited
    fake.clearFailures()
    redisProxy.cut()

    const survivor = await startChildBot(env)
    children.push(survivor)
    const key = `evt:${click.header.event_id}`
    // The survivor takes the click up from the inbox while Redis is away: the attempt fails, and it is kept.
    const row = await until('the survivor tried the click', async () => {
      const r = await records.selectFrom('inbox_events').select(['status', 'attempts', 'last_error']).where('dedup_key', '=', key).executeTakeFirst()
      return r && (r.status !== 'pending' || r.attempts >= 1) ? r : undefined
    }, 30_000)
    expect(row.status, 'a recovered click that met Redis down must wait for a retry, not be marked done').toBe('pending')
    expect(textsOf(inbox(fake, worker.openId)).filter((x) => x.startsWith('✅ 已提交'))).toHaveLength(0)

    redisProxy.restore()
    await fake.waitFor(() => textsOf(inbox(fake, worker.openId)).some((x) => x.startsWith('✅ 已提交')), 45_000)
    await until('the click is done', async () => (await records.selectFrom('inbox_events').select('status').where('dedup_key', '=', key).executeTakeFirst())?.status === 'done')

    const filed = await records.selectFrom('grievances').select('number').execute()
    expect(filed).toHaveLength(1)
    const acks = textsOf(inbox(fake, worker.openId)).filter((x) => x.startsWith('✅ 已提交'))
    expect(acks).toHaveLength(1)
    expect(acks[0]).toContain(filed[0]!.number)
    expect(fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `维权诉求 ${filed[0]!.number}`)).toHaveLength(1)
    survivor.kill('SIGTERM')
    expect(await survivor.exited).toBe(0)
  }, 90_000)
})
