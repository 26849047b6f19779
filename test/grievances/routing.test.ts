// Routing by category (issue #13, GRIEVANCE_ROUTES): a case of a routed category also goes privately to the special
// committee's members who are officers, its card says where it was routed, and it stays on their 待办 after
// acceptance until someone takes it on; other officers' queues and other categories are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { getGrievanceByNumber } from '../../src/grievances/store.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, fileGrievance, newWorker, officerAct, reviewCard } from '../helpers/grievances.js'
import { cardJson, cardText, inbox, say } from '../helpers/chat.js'

const WOMEN = { openId: 'ou_officer_women', name: '孙委员' }
let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z')
const HARASSMENT = '班组长多次在微信上给我发不雅图片，还在工位旁说些让人难堪的话。'
let routed = ''
let other = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({
    db,
    clock,
    env: { UNION_OFFICER_OPEN_IDS: [CHAIR.openId, OFFICER_2.openId, WOMEN.openId].join(','), GRIEVANCE_ROUTES: '职场欺凌与骚扰=女职工委员会' },
  })
  for (const o of [CHAIR, OFFICER_2, WOMEN]) t.fake.users.set(o.openId, { name: o.name })
  await say(t, CHAIR, '委员会 女职工委员会 添加', [WOMEN])
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const casesIn = (who: { openId: string }) => cardText(inbox(t, who).at(-1)!.content)

describe('a case routed by its category', () => {
  it('goes privately to the committee’s member and says so on its card; other categories do not', async () => {
    routed = await fileGrievance(t, newWorker(t), { category: '6', description: HARASSMENT })
    other = await fileGrievance(t, newWorker(t), { category: '1' })
    expect((await getGrievanceByNumber(t.bot.services.db, routed))!.routedTo).toBe('女职工委员会')
    expect((await getGrievanceByNumber(t.bot.services.db, other))!.routedTo).toBeNull()
    const mine = inbox(t, WOMEN).filter((m) => m.msgType === 'interactive' && cardJson(m.content).includes('维权诉求'))
    expect(mine.map((m) => m.content.header.title.content)).toEqual([`维权诉求 ${routed}`])
    expect(cardJson(mine[0]!.content)).toContain('班组长多次在微信上')
    expect(cardText(reviewCard(t, routed).card)).toContain('分派：**女职工委员会')
    // Officers who are not on the committee get nothing privately.
    expect(inbox(t, OFFICER_2).filter((m) => cardJson(m.content).includes(routed))).toHaveLength(0)
  })

  it('stays on the member’s 待办 after acceptance until someone takes it on; not on other officers’', async () => {
    await officerAct(t, CHAIR.openId, routed, 'grievance.accept')
    await officerAct(t, CHAIR.openId, other, 'grievance.accept')
    await say(t, WOMEN, '待办')
    expect(casesIn(WOMEN)).toContain(routed)
    expect(casesIn(WOMEN)).toContain('分派女职工委员会')
    expect(casesIn(WOMEN)).not.toContain(other)
    await say(t, OFFICER_2, '待办')
    expect(casesIn(OFFICER_2)).not.toContain(routed)
    await officerAct(t, CHAIR.openId, routed, 'grievance.assign', { assignee: OFFICER_2.openId })
    await say(t, WOMEN, '待办')
    expect(casesIn(WOMEN)).not.toContain(routed)
    await say(t, OFFICER_2, '待办')
    expect(casesIn(OFFICER_2)).toContain(routed)
  })
})
