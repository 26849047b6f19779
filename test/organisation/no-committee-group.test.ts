// Before the chair has chosen the committee group (right after 初始化), committee messages go to each officer
// privately: a worker's grievance must never reach nobody (QA finding F30, issue #20).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cardsTo, cardTitle } from '../helpers/chat.js'
import { fileGrievance, newWorker } from '../helpers/grievances.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'

const SECOND_OFFICER = 'ou_vice_chair_li'
let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: { UNION_ADMIN_CHAT_ID: undefined, UNION_OFFICER_OPEN_IDS: `${CHAIR.openId},${SECOND_OFFICER}` } })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('no committee group yet', () => {
  it("sends a new case's review card to every officer privately, and to no group", async () => {
    const worker = newWorker(t)
    const number = await fileGrievance(t, worker, { anonymous: false })
    await t.settle()
    for (const officer of [CHAIR.openId, SECOND_OFFICER]) {
      expect(cardsTo(t, officer).map(cardTitle), officer).toContain(`维权诉求 ${number}`)
    }
    const toGroups = t.fake.messages.filter((m) => m.chatId?.startsWith('oc_') && !m.chatId.startsWith('oc_p2p_'))
    expect(toGroups).toEqual([])
  })
})
