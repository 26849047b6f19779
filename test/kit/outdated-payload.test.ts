// An outdated or garbled button value is answered in one place (the router): a polite toast, a log line with the
// action name but not the value, and no change — for every feature's typed actions.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, fileGrievance, newWorker, reviewCard } from '../helpers/grievances.js'
import { buttonValue } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai
const logLines: string[] = []
const OUTDATED = { type: 'error', content: '该按钮已失效，请重新发起操作。' }

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, LOG_LEVEL: 'info' }, botOptions: { logger: pino({ level: 'info' }, sink) } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const refusals = () => logLines.filter((l) => l.includes('payload does not fit its schema'))

describe('typed card actions', () => {
  it('a real button still works, and the same case with an outdated or garbled value gets the polite toast and stays as it is', async () => {
    const worker = newWorker(t, '钱九')
    const number = await fileGrievance(t, worker, { anonymous: false })
    const { messageId, card } = reviewCard(t, number)
    const accept = buttonValue(card, 'grievance.accept')!
    expect(accept).toMatchObject({ gid: expect.any(Number), rev: expect.any(Number) })
    const row = () => t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()

    // A card from before revisions were carried (no rev), a garbled id, a forged status word.
    const before = refusals().length
    for (const value of [
      { action: 'grievance.accept', gid: accept.gid },
      { action: 'grievance.accept', gid: `${String(accept.gid)}; drop table grievances`, rev: accept.rev },
      { action: 'grievance.accept', gid: { $ne: 0 }, rev: accept.rev },
    ]) {
      const res = await t.click({ operator: CHAIR.openId, value, messageId, chatId: ADMIN_CHAT_ID })
      expect(res.status).toBe(200)
      expect(res.body.toast).toEqual(OUTDATED)
      expect(res.body.card).toBeUndefined()
    }
    await t.settle()
    expect(await row()).toMatchObject({ status: 'pending' })
    const logged = refusals().slice(before)
    expect(logged).toHaveLength(3)
    for (const line of logged) {
      expect(JSON.parse(line)).toMatchObject({ action: 'grievance.accept' })
      expect(line).not.toContain('drop table')
    }

    // Positive control: the card's own value acts.
    const ok = await t.click({ operator: CHAIR.openId, value: accept, messageId, chatId: ADMIN_CHAT_ID })
    expect(ok.body.toast).toMatchObject({ type: 'success' })
    await t.settle()
    expect(await row()).toMatchObject({ status: 'accepted' })
  })

  it('answers garbled values of the other features the same way, with the activities\' own wording', async () => {
    const w = newWorker(t)
    const cases: Array<{ value: Record<string, unknown>; operator: string; toast: unknown }> = [
      { value: { action: 'grievance.rate', gid: 1, round: 0, rating: 'perfect' }, operator: w.openId, toast: OUTDATED },
      { value: { action: 'proposal.rate', number: 'P-2026-001', round: 0, satisfaction: 'great' }, operator: w.openId, toast: OUTDATED },
      { value: { action: 'proposal.follow', number: 'nothing here' }, operator: w.openId, toast: OUTDATED },
      { value: { action: 'proposal.list.page', page: 'last' }, operator: w.openId, toast: OUTDATED },
      { value: { action: 'activity.cancel', id: '1', reason: '<at id=all></at>' }, operator: CHAIR.openId, toast: OUTDATED },
      { value: { action: 'activity.signup', id: '1 or 1=1' }, operator: w.openId, toast: { type: 'error', content: '该按钮已失效，请发送「活动」查看最新的活动。' } },
      { value: { action: 'activity.checkin' }, operator: w.openId, toast: { type: 'error', content: '该按钮已失效，请发送「活动」查看最新的活动。' } },
    ]
    for (const c of cases) {
      const res = await t.click({ operator: c.operator, value: c.value, chatId: `oc_p2p_${c.operator}` })
      expect(res.status, String(c.value.action)).toBe(200)
      expect(res.body.toast, String(c.value.action)).toEqual(c.toast)
    }
  })
})
