// Fault drill over the long connection (issue #12): while Postgres is unreachable the inbox cannot commit, so the
// bot acknowledges with code 500 (never 200) and Feishu keeps pushing the event; once Postgres is back a push is
// acknowledged with 200 and the message is answered once. Postgres is cut through a TCP proxy (other files unaffected).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FakeLongConnection } from '../../devtools/fake-long-connection.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'

const APP_ID = 'cli_aabbccddeeff0011'
let handled = 0

function register(router: BotRouter): void {
  router.command({
    words: ['wsping'],
    async handle(ctx) {
      handled++
      await ctx.reply({ text: 'pong' })
    },
  })
  router.action('ws.pg', {
    async handle() {
      handled++
      return { toast: { type: 'success', content: '好' } }
    },
  })
}

let db: TestDatabase
let proxy: TcpProxy
let fake: FakeOpenApi
let lc: FakeLongConnection
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  const url = new URL(db.url)
  proxy = new TcpProxy(url.hostname, Number(url.port || 5432))
  await proxy.start()
  url.port = String(proxy.port)
  fake = new FakeOpenApi({ appId: APP_ID })
  await fake.start()
  lc = new FakeLongConnection({ appId: APP_ID, appSecret: fake.appSecret, redeliverAfterMs: 400 })
  fake.use(lc)
  t = await startTestBot({ db: { ...db, url: url.toString() }, fake, env: { FEISHU_TRANSPORT: 'websocket' }, botOptions: { register } })
  await lc.waitForConnections(1)
})
afterAll(async () => {
  await t?.stop()
  await lc?.stop()
  await fake?.stop()
  await proxy?.stop()
  await db?.drop()
})

describe('Postgres unreachable while events arrive over the long connection', () => {
  it('acknowledges nothing with 200 until the inbox can commit; then the event takes effect once', async () => {
    const envelope = t.events.message({ sender: 'ou_ws_pg', chatId: 'oc_p2p_ws_pg', chatType: 'p2p', text: 'wsping' })
    const messageId = (envelope.event.message as { message_id: string }).message_id
    fake.inboundChats.set(messageId, 'oc_p2p_ws_pg')
    const click = t.events.cardAction({ operator: 'ou_ws_pg', value: { action: 'ws.pg' } })
    proxy.cut()
    const pushes = [lc.push(envelope, { maxAttempts: 50 }), lc.push(click, { maxAttempts: 50 })]
    // Let Feishu push (and the bot refuse) each a few times before Postgres comes back.
    await new Promise((r) => setTimeout(r, 1500))
    expect(handled).toBe(0)
    proxy.restore()
    const [messageAck, clickAck] = await Promise.all(pushes)
    expect(messageAck!.refusals).toBeGreaterThan(0)
    expect(clickAck!.refusals).toBeGreaterThan(0)
    expect(clickAck).toMatchObject({ code: 200, data: { toast: { type: 'success', content: '好' } } })
    await t.settle()
    expect(handled).toBe(2)
    expect(fake.messages.filter((m) => m.replyTo === messageId)).toHaveLength(1)
  })
})
