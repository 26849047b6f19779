// Text a worker types after a command is stored exactly as typed (issue #14): normalisation (full-width → ASCII,
// spaces collapsed) is for matching the command only, never for what officers read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, fileGrievance, newWorker } from '../helpers/grievances.js'
import { say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: OFFICERS_ENV })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('text kept as typed', () => {
  it('投诉 <text> with full-width punctuation and double spaces files the description unchanged', async () => {
    const w = newWorker(t)
    const typed = '食堂的饭菜，分量越来越少；价格  却涨了（两次）！'
    await say(t, w, `投诉　${typed}`)
    await say(t, w, '4')
    await say(t, w, '实名')
    await say(t, w, '确认')
    const row = await t.bot.services.db.selectFrom('grievances').select(['description']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row.description).toBe(typed)
  })

  it('补充 <number> <text> relays the text with its full-width ，and ：', async () => {
    const w = newWorker(t)
    const number = await fileGrievance(t, w, { anonymous: false })
    const typed = '补充：去年十二月开始扣的，有工资条为证。'
    await say(t, w, `补充 ${number} ${typed}`)
    const events = await t.bot.services.db.selectFrom('grievance_events').select(['body']).where('kind', '=', 'follow_up').execute()
    expect(events.map((e) => e.body)).toContain(typed)
  })
})
