// The first ten minutes as a process (issue #20): the real entry point started with neither UNION_OFFICER_OPEN_IDS
// nor UNION_ADMIN_CHAT_ID prints a setup code; 初始化 with it, 设为委员会群 in a group, and a worker's first grievance
// reaches that group.
import { describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, postToBot, type MessageEventInput } from '../../devtools/feishu-events.js'
import { startChildBot } from '../rig/child-bot.js'
import { createTestDatabase } from '../rig/test-db.js'
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../rig/test-bot.js'
import { DESCRIPTION } from '../helpers/grievances.js'
import { cardTitle } from '../helpers/chat.js'

describe('a union’s first start', () => {
  it('prints the setup code; 初始化 → 设为委员会群 → the first grievance reaches the group chosen in chat', async () => {
    const db = await createTestDatabase()
    const fake = new FakeOpenApi()
    await fake.start()
    const chair = { openId: 'ou_first_chair', name: '陈主席' }
    const worker = { openId: 'ou_first_worker', name: '周职工' }
    const group = 'oc_first_committee'
    for (const p of [chair, worker]) fake.users.set(p.openId, { name: p.name })
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
    try {
      const code = /工会助手 setup code: (\d{8})/.exec(child.output())?.[1]
      expect(code, 'the setup code in the log').toBeDefined()
      const builder = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: fake.botOpenId })
      /** Sends a message and waits until the bot has answered it (one more message sent). */
      const send = async (input: MessageEventInput, until?: () => boolean) => {
        const before = fake.messages.length
        const answered = until ?? (() => fake.messages.length > before)
        const env = builder.message(input)
        fake.inboundChats.set((env.event.message as { message_id: string }).message_id, input.chatId)
        expect((await postToBot(child.url, '/feishu/events', builder.encode(env))).status).toBe(200)
        await fake.waitFor(answered, 15_000)
      }
      const privately = (who: { openId: string }, text: string) => send({ sender: who.openId, chatId: `oc_p2p_${who.openId}`, chatType: 'p2p', text })

      await privately(chair, `初始化 ${code}`)
      expect(cardTitle(fake.messages.at(-1))).toBe('您已成为工会主席')
      await send({ sender: chair.openId, chatId: group, chatType: 'group', text: '设为委员会群', mentionBot: true })
      expect(String(fake.messagesInChat(group).at(-1)?.content.text)).toContain('本群已设为工会委员会群')

      for (const text of ['投诉', '1', DESCRIPTION, '实名']) await privately(worker, text)
      await send({ sender: worker.openId, chatId: `oc_p2p_${worker.openId}`, chatType: 'p2p', text: '确认' }, () => fake.messagesInChat(group).some((m) => cardTitle(m).startsWith('维权诉求 G-')))
      const review = fake.messagesInChat(group).find((m) => cardTitle(m).startsWith('维权诉求 G-'))!
      expect(review.receiveIdType).toBe('chat_id')
      // The code was printed once: the log holds it only in the start-up line.
      expect(child.output().split(code!).length - 1).toBe(1)
    } finally {
      child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      await fake.stop()
      await db.drop()
    }
  }, 120_000)
})
