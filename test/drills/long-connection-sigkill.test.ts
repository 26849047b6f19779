// Fault drill over the long connection (issue #12): a bot process connected with FEISHU_TRANSPORT=websocket is
// killed (SIGKILL) right after acknowledging a burst of messages, while every send to Feishu hangs, so none was
// answered. After a restart each acknowledged message is answered exactly once: the ack went out after the inbox
// commit, and the restarted process sweeps the dead one's leases.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FakeLongConnection } from '../../devtools/fake-long-connection.js'
import { FeishuEventBuilder } from '../../devtools/feishu-events.js'
import { startChildBot, type ChildBot } from '../rig/child-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'
import { childEnv, deletePersonKeys } from '../helpers/child-drills.js'

const APP_ID = 'cli_00112233445566ff'
const tag = randomBytes(3).toString('hex')
const senders = Array.from({ length: 10 }, (_, i) => `ou_lc${tag}_${i}`)

let db: TestDatabase
let fake: FakeOpenApi
let lc: FakeLongConnection
const children: ChildBot[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi({ appId: APP_ID })
  await fake.start()
  // Feishu redelivers after 3 s; here after 5 s, up to three deliveries (as Feishu retries), because a freshly started
  // child on a loaded 2-core machine (the full suite) can take longer to commit its first ten events. What the drill
  // proves is unchanged: every ack follows the inbox commit, and the restart answers each acknowledged message once.
  lc = new FakeLongConnection({ appId: APP_ID, appSecret: fake.appSecret, redeliverAfterMs: 5_000 })
  fake.use(lc)
})
afterAll(async () => {
  for (const c of children) if (c.process.exitCode === null) c.kill('SIGKILL')
  await Promise.all(children.map((c) => c.exited))
  await lc?.stop()
  await fake?.stop()
  if (db) await deletePersonKeys(db, senders)
  await db?.drop()
})

describe('killed right after acknowledging messages received over the long connection', () => {
  it('answers every acknowledged message exactly once after a restart', async () => {
    const env = childEnv(db, fake, { FEISHU_TRANSPORT: 'websocket' })
    // Plaintext envelopes, as Feishu sends them over the long connection.
    const events = new FeishuEventBuilder({ appId: APP_ID, verificationToken: TEST_VERIFICATION_TOKEN, botOpenId: fake.botOpenId })
    fake.failNext({ path: /^\/open-apis\/im\/v1\/messages/, delayMs: 60_000, status: 500, times: 10_000 })
    const first = await startChildBot(env)
    children.push(first)
    await lc.waitForConnections(1, 30_000)
    const envelopes = senders.map((s) => events.message({ sender: s, chatId: `oc_p2p_${s}`, chatType: 'p2p', text: '帮助' }))
    const messageIds = envelopes.map((e) => (e.event.message as { message_id: string }).message_id)
    envelopes.forEach((e, i) => fake.inboundChats.set(messageIds[i]!, `oc_p2p_${senders[i]}`))
    const acks = await Promise.all(envelopes.map((e) => lc.push(e, { maxAttempts: 3 })))
    expect(acks.map((a) => a.code)).toEqual(envelopes.map(() => 200))
    first.kill('SIGKILL')
    await first.exited
    expect(fake.messages.filter((m) => messageIds.includes(m.replyTo ?? ''))).toEqual([])

    fake.clearFailures()
    const second = await startChildBot(env)
    children.push(second)
    const answered = () => messageIds.every((id) => fake.messages.some((m) => m.replyTo === id))
    await fake.waitFor(answered, 20_000)
    // Give a second answer time to show up, if one were coming.
    await new Promise((r) => setTimeout(r, 1500))
    for (const id of messageIds) expect(fake.messages.filter((m) => m.replyTo === id)).toHaveLength(1)
    second.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 90_000)
})
