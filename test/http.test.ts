// Operational endpoints: health, readiness and Prometheus metrics.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './rig/test-db.js'
import { startTestBot, type TestBot } from './rig/test-bot.js'

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

it('answers /healthz and /readyz when Postgres and Redis are reachable', async () => {
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  const ready = await fetch(`${t.url}/readyz`)
  expect(ready.status).toBe(200)
  expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
})

it('exposes event, latency and outbound metrics in Prometheus text', async () => {
  const env = t.events.message({ sender: 'ou_m', chatId: 'oc_m', chatType: 'p2p', text: '帮助' })
  await t.post(env)
  await t.post(env)
  await t.post(t.events.message({ sender: 'ou_m', chatId: 'oc_m', chatType: 'p2p', text: '帮助' }), '/feishu/events', { sign: false })
  await t.settle()
  const res = await fetch(`${t.url}/metrics`)
  expect(res.headers.get('content-type')).toContain('text/plain')
  const text = await res.text()
  expect(text).toMatch(/unionbot_events_received_total\{type="message"\} 1/)
  expect(text).toMatch(/unionbot_events_duplicate_total\{type="message"\} 1/)
  expect(text).toMatch(/unionbot_events_processed_total\{type="message"\} 1/)
  expect(text).toMatch(/unionbot_webhook_rejected_total\{code="SIGNATURE_MISSING"\} 1/)
  expect(text).toMatch(/unionbot_intake_to_handled_seconds_count\{type="message"\} 1/)
  expect(text).toMatch(/unionbot_outbound_requests_total\{method="message.reply"\} 1/)
  expect(text).toContain('unionbot_outbound_failures_total')
})
