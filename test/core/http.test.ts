// Operational endpoints: health on both listeners; readiness and Prometheus metrics on the internal listener, and on
// the public port only with the METRICS_TOKEN bearer (security review F13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

const METRICS_TOKEN = 'metrics-token-0123456789abcdef'

let db: TestDatabase
let t: TestBot
let withToken: TestBot
beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db })
  withToken = await startTestBot({ db, fake: t.fake, env: { METRICS_TOKEN } })
})
afterAll(async () => {
  await withToken?.stop()
  await t?.stop()
  await db?.drop()
})

it('answers /healthz and /readyz when Postgres and Redis are reachable', async () => {
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  const ready = await fetch(`${t.opsUrl}/readyz`)
  expect(ready.status).toBe(200)
  expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
})

it('exposes event, latency and outbound metrics in Prometheus text', async () => {
  const env = t.events.message({ sender: 'ou_m', chatId: 'oc_m', chatType: 'p2p', text: '帮助' })
  await t.post(env)
  await t.post(env)
  await t.post(t.events.message({ sender: 'ou_m', chatId: 'oc_m', chatType: 'p2p', text: '帮助' }), '/feishu/events', { sign: false })
  await t.settle()
  const res = await fetch(`${t.opsUrl}/metrics`)
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

describe('the public webhook port', () => {
  it('does not serve /readyz or /metrics without METRICS_TOKEN: 404, as for a path that does not exist', async () => {
    for (const path of ['/readyz', '/metrics']) {
      const res = await fetch(`${t.url}${path}`, { headers: { authorization: 'Bearer anything-at-all-000000' } })
      expect(res.status).toBe(404)
      expect(await res.text()).not.toMatch(/postgres|unionbot_/)
    }
  })

  it('serves them with METRICS_TOKEN only to the right bearer; a wrong or missing one gets 404', async () => {
    const ok = await fetch(`${withToken.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('unionbot_events_received_total')
    const ready = await fetch(`${withToken.url}/readyz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
    for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${METRICS_TOKEN}x` }, { authorization: METRICS_TOKEN }, { authorization: `Basic ${METRICS_TOKEN}` }]) {
      expect((await fetch(`${withToken.url}/metrics`, { headers })).status).toBe(404)
      expect((await fetch(`${withToken.url}/readyz`, { headers })).status).toBe(404)
    }
  })

  it('keeps /healthz public, saying only ok', async () => {
    const res = await fetch(`${t.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect(await (await fetch(`${t.opsUrl}/healthz`)).json()).toEqual({ status: 'ok' })
  })

  it('the internal listener serves no webhook', async () => {
    expect((await fetch(`${t.opsUrl}/feishu/events`, { method: 'POST', body: '{}' })).status).toBe(404)
  })
})

describe('configuration', () => {
  it('puts the internal listener on loopback by default, lets INTERNAL_PORT=0 turn it off, and refuses a short token', () => {
    expect(loadConfig({}).ops).toEqual({ port: 9464, host: '127.0.0.1', metricsToken: undefined })
    expect(loadConfig({ INTERNAL_PORT: '0' }).ops.port).toBeUndefined()
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/)
  })

  it('has bounded HTTP timeouts and a connection cap by default, and refuses a headers timeout above the request timeout', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 5_000, keepAliveTimeoutMs: 5_000, maxConnections: 1000 })
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/)
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/)
  })
})
