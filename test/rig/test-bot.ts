// Starts a real bot (real HTTP server, Postgres, Redis) wired to a fake Open API, with an event builder that
// encrypts and signs like Feishu, and helpers to send events and card clicks over HTTP.
import { pino } from 'pino'
import { registerHandlers } from '../../handlers/index.js'
import { createBot, type Bot, type BotOptions } from '../../src/app.js'
import type { Clock } from '../../src/clock.js'
import { loadConfig, type Config } from '../../src/config.js'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot, type CardActionInput, type Envelope, type MessageEventInput } from '../../devtools/feishu-events.js'
import type { TestDatabase } from './test-db.js'

export const TEST_VERIFICATION_TOKEN = 'test-verification-token'
export const TEST_ENCRYPT_KEY = 'test-encrypt-key-0123456789'
export const ADMIN_CHAT_ID = 'oc_union_committee'
export const CHAIR = { openId: 'ou_chair', name: '王主席' }

export interface TestBotOptions {
  db: TestDatabase
  /** Share one fake between several bot instances; a new one is started otherwise. */
  fake?: FakeOpenApi
  /** Environment overrides on top of the test defaults. */
  env?: Record<string, string | undefined>
  clock?: Clock
  instanceId?: string
  /** Use the in-memory state store instead of Redis. */
  memoryState?: boolean
  botOptions?: Partial<BotOptions>
}

export interface TestBot {
  bot: Bot
  config: Config
  url: string
  /** The internal listener (/healthz, /readyz, /metrics), on a free port of 127.0.0.1. */
  opsUrl: string
  fake: FakeOpenApi
  events: FeishuEventBuilder
  /** Posts a payload (encoded like Feishu) to /feishu/events. */
  post(payload: unknown, path?: string, opts?: Parameters<FeishuEventBuilder['encode']>[1]): Promise<{ status: number; body: any }>
  /** Sends a message event and returns its envelope. */
  sendMessage(input: MessageEventInput): Promise<{ status: number; envelope: Envelope }>
  /** Clicks a card button (card.action.trigger to /feishu/cards) and returns the callback answer. */
  click(input: CardActionInput): Promise<{ status: number; body: any }>
  /** Waits until every accepted event has been handled. */
  settle(): Promise<void>
  stop(): Promise<void>
}

export async function startTestBot(opts: TestBotOptions): Promise<TestBot> {
  const ownFake = !opts.fake
  const fake = opts.fake ?? new FakeOpenApi()
  if (ownFake) await fake.start()
  const config = loadConfig({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: opts.db.url,
    ...(opts.memoryState ? {} : { REDIS_URL: opts.db.redisUrl }),
    UNION_ADMIN_CHAT_ID: ADMIN_CHAT_ID,
    UNION_OFFICER_OPEN_IDS: CHAIR.openId,
    SCHEDULER_ENABLED: '0',
    PLAYGROUND: '0',
    INBOX_SWEEP_INTERVAL_MS: '200',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...opts.env,
  })
  const bot = await createBot(config, {
    logger: pino({ level: config.logLevel }),
    register: registerHandlers,
    redisNamespace: opts.db.redisNamespace,
    outbound: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000 },
    // A free port: files run in parallel, and INTERNAL_PORT's fixed default would collide.
    ops: { port: 0, host: '127.0.0.1' },
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.instanceId ? { instanceId: opts.instanceId } : {}),
    ...opts.botOptions,
  })
  const { url } = await bot.listen(0, '127.0.0.1')
  const events = new FeishuEventBuilder({
    appId: fake.appId,
    verificationToken: TEST_VERIFICATION_TOKEN,
    ...(config.feishu.encryptKey ? { encryptKey: config.feishu.encryptKey } : {}),
    botOpenId: fake.botOpenId,
  })
  const post = (payload: unknown, path = '/feishu/events', encodeOpts?: Parameters<FeishuEventBuilder['encode']>[1]) =>
    postToBot(url, path, events.encode(payload, encodeOpts))
  return {
    bot,
    config,
    url,
    opsUrl: bot.internalUrl!,
    fake,
    events,
    post,
    async sendMessage(input) {
      const envelope = events.message(input)
      const message = envelope.event.message as { message_id: string; chat_id: string }
      fake.inboundChats.set(message.message_id, message.chat_id)
      const res = await post(envelope)
      return { status: res.status, envelope }
    },
    click: (input) => post(events.cardAction(input), '/feishu/cards'),
    settle: async () => {
      // Wait for the inbox to be empty of pending work for this instance and for the processor to be idle.
      for (let i = 0; i < 200; i++) {
        await bot.processor.idle()
        const pending = await bot.services.db
          .selectFrom('inbox_events')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'pending')
          .where('lease_until', '<', new Date(Date.now() + 3600_000))
          .executeTakeFirstOrThrow()
        if (Number(pending.n) === 0 && bot.processor.queuedCount === 0) return
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('bot did not settle')
    },
    async stop() {
      await bot.stop({ drainTimeoutMs: 5000 })
      if (ownFake) await fake.stop()
    },
  }
}
