// The real entry point as a process: starts on a bare machine (no services, no credentials) and drains on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot } from '../../devtools/feishu-events.js'
import { startChildBot } from '../rig/child-bot.js'
import { createTestDatabase } from '../rig/test-db.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'

describe('the bot process', () => {
  it('starts with no environment on the embedded defaults, says what is missing, and answers /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unionbot-bare-'))
    const child = await startChildBot({ PGLITE_DATA_DIR: join(dir, 'pglite'), PLAYGROUND: '0', SCHEDULER_ENABLED: '0' }, 60_000)
    try {
      const health = await fetch(`${child.url}/healthz`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok' })
      const log = child.output()
      expect(log).toContain('FEISHU_APP_ID / FEISHU_APP_SECRET are not set')
      expect(log).toContain('DATABASE_URL not set')
      expect(log).toContain('REDIS_URL not set')
    } finally {
      child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)

  it('refuses to start when a Feishu credential is set but blank (a secret that did not mount), naming it', async () => {
    // The review's reproduction: everything of a real installation present, the app id empty.
    const env = { FEISHU_APP_ID: '', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_opened', REDIS_URL: 'redis://127.0.0.1:6379', SCHEDULER_ENABLED: '0' }
    const outcome = await startChildBot(env, 30_000).then(
      (child) => {
        child.kill('SIGKILL')
        return new Error(`it started: ${child.url}`)
      },
      (err: Error) => err,
    )
    expect(outcome.message).toContain('child bot exited with 1')
    expect(outcome.message).toContain('FEISHU_APP_ID is set but empty')
    expect(outcome.message).not.toContain('playground')
  }, 60_000)

  it('on SIGTERM stops accepting, finishes the event in flight, and exits 0', async () => {
    const db = await createTestDatabase()
    const fake = new FakeOpenApi()
    await fake.start()
    try {
      const child = await startChildBot({
        FEISHU_APP_ID: fake.appId,
        FEISHU_APP_SECRET: fake.appSecret,
        FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
        FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
        FEISHU_DOMAIN: fake.url,
        DATABASE_URL: db.url,
        REDIS_URL: db.redisUrl,
        SCHEDULER_ENABLED: '0',
      })
      const builder = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: fake.botOpenId })
      fake.failNext({ path: '/reply', delayMs: 1500, applyFirst: true, status: 200, body: { code: 0, msg: 'success', data: { message_id: 'om_slow' } } })
      const env = builder.message({ sender: 'ou_term', chatId: 'oc_term', chatType: 'p2p', text: '帮助' })
      fake.inboundChats.set((env.event.message as { message_id: string }).message_id, 'oc_term')
      expect((await postToBot(child.url, '/feishu/events', builder.encode(env))).status).toBe(200)
      await fake.waitFor(() => fake.requests.some((r) => r.path.endsWith('/reply')))
      child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      expect(fake.messagesInChat('oc_term')).toHaveLength(1)
      await expect(fetch(`${child.url}/healthz`)).rejects.toThrow()
      expect(child.output()).toContain('draining')
    } finally {
      await fake.stop()
      await db.drop()
    }
  }, 60_000)
})
