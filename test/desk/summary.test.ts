// The committee's daily overdue reminder becomes one summary card when more cases are overdue than
// GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD (issue #13): counts and the most overdue by number, no text, no reporter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { DESCRIPTION, OFFICERS_ENV, fileGrievance, newWorker, type Person } from '../helpers/grievances.js'
import { cardJson, cardText, committeeMessages } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai
const titled = (title: string) => committeeMessages(t).filter((m) => m.msgType === 'interactive' && m.content.header.title.content === title)
const workers: Person[] = []

async function tickAt(local: string): Promise<void> {
  const at = new Date(`${local}+08:00`)
  clock.set(at)
  await t.bot.runPeriodic(at)
  await t.settle()
}

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, GRIEVANCE_OVERDUE_SUMMARY_THRESHOLD: '2' } })
  for (let i = 0; i < 3; i++) {
    workers.push(newWorker(t, `匿名者${i}`))
    await fileGrievance(t, workers[i]!)
  }
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('overdue summary', () => {
  it('nothing overdue on the day of filing: no reminder of either kind', async () => {
    await tickAt('2026-04-07T09:31:00')
    expect(titled('维权诉求超期提醒')).toHaveLength(0)
    expect(titled('维权诉求超期汇总')).toHaveLength(0)
  })

  it('more than the threshold: one summary card at 09:00 on the next working day, once', async () => {
    await tickAt('2026-04-14T08:59:00')
    expect(titled('维权诉求超期汇总')).toHaveLength(0)
    await tickAt('2026-04-14T09:00:00')
    await tickAt('2026-04-14T09:05:00')
    const cards = titled('维权诉求超期汇总')
    expect(cards).toHaveLength(1)
    expect(titled('维权诉求超期提醒')).toHaveLength(0)
    const text = cardText(cards[0]!.content)
    expect(text).toContain('**3** 件诉求已超过时限：待受理超期 **3** 件，办理超期 **0** 件。')
    expect(text).toContain('**按类别：**劳动报酬 3')
    expect(text).toContain('诉求列表 已超期')
    for (const w of workers) {
      expect(cardJson(cards[0]!.content)).not.toContain(w.openId)
      expect(cardJson(cards[0]!.content)).not.toContain(w.name)
    }
    expect(cardJson(cards[0]!.content)).not.toContain(DESCRIPTION.slice(0, 6))
  })
})
