import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

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

it('answers 帮助 in a group with one help card', async () => {
  const res = await t.sendMessage({ sender: 'ou_worker', chatId: 'oc_group', chatType: 'group', text: '帮助', mentionBot: true })
  expect(res.status).toBe(200)
  await t.settle()
  const msgs = t.fake.messages
  expect(msgs).toHaveLength(1)
  expect(msgs[0]!.msgType).toBe('interactive')
})
