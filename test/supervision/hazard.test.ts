// A worker's hazard report (隐患, 工会法第二十三条) through the webhook: anonymous like a grievance — no reporter in the
// table, the audit log, the cards or the logs — and urgent to the committee; a 重大事故隐患 is made urgent
// (应用内加急, urgent_app on the fake Open API) to every officer, a 一般隐患 is not.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { cardText, cardTitle, committeeCards, expectEscaped, lastCard, lastText, say, EVIL } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-04-07T01:30:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'debug', SAFETY_HOTLINE: '8888 1199' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const DESCRIPTION = `二号冲压线的防护罩坏了两周，班长要求继续开机 ${EVIL}`

async function report(who: { openId: string }, major: string, anonymity: string): Promise<string> {
  await say(t, who, '隐患')
  await say(t, who, '防护罩')
  expect(cardText(lastCard(t, who).content)).toContain('描述太短')
  for (const a of [DESCRIPTION, major, anonymity, '确认']) await say(t, who, a)
  return lastText(t, who).match(/H-2026-\d{3}/)![0]
}

describe('隐患', () => {
  it('an anonymous 重大事故隐患 reaches the committee at once, urgent to every officer, naming nobody', async () => {
    const w = newWorker(t, '欧阳隐秘')
    const number = await report(w, '重大', '匿名')
    expect(lastText(t, w)).toBe(`隐患报告 ${number} 已送达工会委员会，并已加急通知工会干部。谢谢您！如有人员正处于危险中，请立即撤离并拨打安全电话 8888 1199。`)
    const card = committeeCards(t).find((m) => cardTitle(m) === `重大事故隐患 ${number}`)!
    expect(cardText(card.content)).toContain('**报告人：**匿名职工')
    // The date only, never the minute (QA F6); 09:30 in Shanghai is not on the card.
    expect(cardText(card.content)).toContain('**报告日期：**2026-04-07')
    expect(cardText(card.content)).not.toMatch(/09:30|报告时间/)
    expectEscaped(card.content)
    expect(t.fake.urgents).toHaveLength(1)
    expect(t.fake.urgents[0]!.messageId).toBe(card.messageId)
    expect([...t.fake.urgents[0]!.openIds].sort()).toEqual([CHAIR.openId, OFFICER_2.openId].sort())
    const row = await t.bot.services.db.selectFrom('hazard_reports').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ anonymous: true, major: true, reporter_open_id: null, reporter_name: null })
    expect(row.urgent_sent_at).not.toBeNull()
    const audit = JSON.stringify(await t.bot.services.db.selectFrom('audit_log').selectAll().execute())
    expect(audit).not.toContain(number)
    expect(audit).not.toContain(w.openId)
    const logs = logLines.join('\n')
    expect(logs).toContain(number)
    for (const s of ['欧阳隐秘', '防护罩坏了']) expect(logs).not.toContain(s)
    // No log line ties the report's number to the reporter's open_id.
    for (const line of logLines.filter((l) => l.includes(number))) expect(line).not.toContain(w.openId)
  })

  it('a named 一般隐患 shows the name and is not made urgent', async () => {
    const before = t.fake.urgents.length
    const w = newWorker(t, '张实名')
    const number = await report(w, '一般', '实名')
    const card = committeeCards(t).find((m) => cardTitle(m) === `安全隐患 ${number}`)!
    expect(cardText(card.content)).toContain('**报告人：**张实名')
    expect(cardText(card.content)).toContain('**报告时间：**2026-04-07 09:30')
    expect(t.fake.urgents.length).toBe(before)
    expect(await t.bot.services.db.selectFrom('hazard_reports').select(['reporter_open_id', 'urgent_sent_at']).where('number', '=', number).executeTakeFirstOrThrow()).toEqual({ reporter_open_id: w.openId, urgent_sent_at: null })
  })

  it('an anonymous 一般隐患 waits a random delay like anonymous relays, then reaches the committee with the date only', async () => {
    const w = newWorker(t, '匿名一般')
    const before = committeeCards(t).length
    const number = await report(w, '一般', '匿名')
    expect(lastText(t, w)).toBe(`隐患报告 ${number} 已收到。为保护您的匿名，将在稍后转交工会委员会（委员会只看到报告日期）。谢谢您！`)
    expect(committeeCards(t)).toHaveLength(before)
    const row = await t.bot.services.db.selectFrom('hazard_reports').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    const delay = row.committee_due_at.getTime() - row.reported_at.getTime()
    // GRIEVANCE_ANON_RELAY_DELAY_MIN/MAX_MINUTES: 10 to 60 minutes.
    expect(delay).toBeGreaterThanOrEqual(10 * 60_000)
    expect(delay).toBeLessThanOrEqual(60 * 60_000)
    const tick = async (at: Date) => {
      clock.set(at)
      await t.bot.runPeriodic(at)
      await t.settle()
    }
    await tick(new Date(row.committee_due_at.getTime() - 60_000))
    expect(committeeCards(t).find((m) => cardTitle(m) === `安全隐患 ${number}`)).toBeUndefined()
    await tick(row.committee_due_at)
    await tick(new Date(row.committee_due_at.getTime() + 60_000))
    const cards = committeeCards(t).filter((m) => cardTitle(m) === `安全隐患 ${number}`)
    expect(cards).toHaveLength(1)
    expect(cardText(cards[0]!.content)).toContain('**报告人：**匿名职工')
    expect(cardText(cards[0]!.content)).toContain('**报告日期：**2026-04-07')
    expect(cardText(cards[0]!.content)).not.toContain('报告时间')
  })

  it('the steps give the safety phone from SAFETY_HOTLINE', async () => {
    const w = newWorker(t, '看电话')
    await say(t, w, '隐患')
    expect(cardText(lastCard(t, w).content)).toContain('请立即撤离并拨打安全电话 8888 1199')
    await say(t, w, '取消')
  })
})
