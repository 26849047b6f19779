// Confidentiality of mediation (issue #16): a case is seen only by the committee's members and the parties. The
// committee group gets the number and the status and nothing else, through every step; no log line and no audit
// entry carries the case's text or names; every piece of typed text on every card is escaped.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { EVIL, cardsOf, clickOn, expectEscaped, say } from '../helpers/chat.js'
import { EMPLOYER, MEDIATOR, MEMBER_2, applyForMediation, caseCardTo, setUpCommittee, stepOn } from '../helpers/mediation.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai
const callbackCards: unknown[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  await setUpCommittee(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const SECRET = {
  facts: `秘密事实：财务部克扣餐补两百元 ${EVIL}`,
  request: `秘密请求：退还餐补 ${EVIL}`,
  reasons: `秘密理由：考勤制度第五条 ${EVIL}`,
  party: "秘密部门 <at id=all></at> [link](http://x) **bold**",
  terms: `秘密条款：一次性退还 ${EVIL}`,
  place: `秘密地点 ${EVIL}`,
  summary: `秘密纪要 ${EVIL}`,
  failNote: `秘密情况 ${EVIL}`,
}
const WORKER_NAME = '欧阳保密'

async function click(who: { openId: string }, m: Parameters<typeof clickOn>[2], action: string, formValue?: Record<string, unknown>) {
  const res = await stepOn(t, who, m as Parameters<typeof stepOn>[2], action, formValue ? { formValue } : {})
  if (res.body.card) callbackCards.push(res.body.card.data)
  return res
}

describe('a mediation case', () => {
  it('reaches the committee group as number and status only, through every step, and stays out of logs and audit', async () => {
    const w = newWorker(t, WORKER_NAME)
    const number = await applyForMediation(t, w, { facts: SECRET.facts, request: SECRET.request, reasons: SECRET.reasons, party: SECRET.party, knew: '2026-05-20' })
    await click(MEMBER_2, caseCardTo(t, MEMBER_2, number), 'mediation.accept', { mediator: MEDIATOR.openId })
    await say(t, MEDIATOR, `调解 ${number} 企业代表`, [EMPLOYER])
    await click(MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.session', { held_on: '2026-06-03 +0800', held_at: '10:00', place: SECRET.place, attendees: WORKER_NAME, summary: SECRET.summary })
    await click(MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.succeed', { terms: SECRET.terms, claim_kind: 'other' })
    await click(w, caseCardTo(t, w, number, '我的调解'), 'mediation.object')
    await click(MEDIATOR, caseCardTo(t, MEDIATOR, number), 'mediation.fail', { fail_reason: SECRET.failNote })
    // The clocks too.
    for (const at of ['2026-06-13T09:00:00+08:00', '2026-06-17T09:00:00+08:00']) {
      clock.set(new Date(at))
      await t.bot.runPeriodic(new Date(at))
      await t.settle()
    }

    const group = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => JSON.stringify(m).includes(number))
    expect(group.length).toBeGreaterThan(0)
    const groupSeen = JSON.stringify({ group, patches: group.map((m) => m.patches) })
    for (const s of [...Object.values(SECRET).map((x) => x.split(' ')[0]!), WORKER_NAME, MEDIATOR.name, EMPLOYER.name, '2026-05-20', '2026-06-03']) {
      expect(groupSeen, `committee group shows ${s}`).not.toContain(s)
    }
    expect(groupSeen).toContain('调解不成')

    const logs = logLines.join('\n')
    expect(logs).toContain(number)
    for (const s of [...Object.values(SECRET).map((x) => x.split(' ')[0]!), WORKER_NAME]) expect(logs, `logs show ${s}`).not.toContain(s)
    const audit = JSON.stringify(await t.bot.services.db.selectFrom('audit_log').selectAll().execute())
    for (const s of Object.values(SECRET).map((x) => x.split(' ')[0]!)) expect(audit).not.toContain(s)

    // Internal notes never reach the parties.
    for (const p of [w, EMPLOYER]) {
      const seen = JSON.stringify(t.fake.messages.filter((m) => m.receiveId === p.openId || m.chatId === `oc_p2p_${p.openId}`))
      for (const s of ['秘密纪要', '秘密情况']) expect(seen, `${p.openId} sees ${s}`).not.toContain(s)
    }
    // Nobody outside the committee and the parties got anything about it.
    const insiders = new Set([w.openId, MEDIATOR.openId, MEMBER_2.openId, EMPLOYER.openId])
    const outside = t.fake.messages.filter((m) => m.chatId !== ADMIN_CHAT_ID && JSON.stringify(m.content).includes('秘密') && !insiders.has(m.receiveId ?? m.chatId?.replace('oc_p2p_', '') ?? ''))
    expect(outside).toEqual([])

    // Every card anyone got is escaped.
    for (const m of cardsOf(t.fake.messages)) {
      expectEscaped(m.content)
      for (const p of m.patches) expectEscaped(p)
    }
    for (const c of callbackCards) expectEscaped(c)
  })
})
