// Retention (issue #13): ended cases' text, attachments and every trace of the reporter are erased after
// GRIEVANCE_RETENTION_DAYS by a once-a-day sweep, and a worker may erase their own ended case earlier with
// 删除诉求 G-… (confirmed). Checked by reading the tables: what reports need stays, nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, newWorker, officerAct, grievanceNumberIn, type Person } from '../helpers/grievances.js'
import { answersTo, cardsOf, cardText, clickOn, lastTo, say, sendAttachment, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, GRIEVANCE_RETENTION_DAYS: '730' } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const sdb = () => t.bot.services.db
const row = (number: string) => sdb().selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
const countWhere = async (table: 'grievance_reporters' | 'grievance_attachment_sources' | 'grievance_reporter_events' | 'grievance_relays', id: number) =>
  (await sdb().selectFrom(table).select('grievance_id').where('grievance_id', '=', id).execute()).length

/** Files a case with an image attached, so every table that holds a reporter's trace has a row. */
async function fileWithImage(w: Person, anonymous: boolean): Promise<string> {
  await say(t, w, '投诉')
  await say(t, w, '1')
  await sendAttachment(t, w, 'image', `img_v2_${w.openId.slice(-6)}`)
  await say(t, w, '车间连续三个月加班没有按规定支付加班费，每月约有三十个小时。')
  await say(t, w, anonymous ? '匿名' : '实名')
  await say(t, w, '确认')
  return grievanceNumberIn(lastTo(t, w))!
}

async function traces(number: string) {
  const g = await row(number)
  const events = await sdb().selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).execute()
  return {
    g,
    reporters: await countWhere('grievance_reporters', g.id),
    sources: await countWhere('grievance_attachment_sources', g.id),
    reporterEvents: await countWhere('grievance_reporter_events', g.id),
    relays: await countWhere('grievance_relays', g.id),
    // The bot's re-uploaded copies of the attachments (src/kit/evidence.ts).
    evidence: (await sdb().selectFrom('evidence').select('id').where('subject_type', '=', 'grievance').where('subject_id', '=', String(g.id)).execute()).length,
    eventBodies: events.filter((e) => e.body !== null || e.detail !== null).length,
    events: events.length,
  }
}

function expectErased(x: Awaited<ReturnType<typeof traces>>) {
  expect(x.g.description).toBe('')
  expect(x.g.attachments).toEqual([])
  expect(x.g.reporter_open_id).toBeNull()
  expect(x.g.reporter_name).toBeNull()
  expect(x.g.decline_reason).toBeNull()
  expect(x.g.resolution).toBeNull()
  expect(x.g.erased_at).not.toBeNull()
  expect([x.reporters, x.sources, x.reporterEvents, x.relays, x.evidence, x.eventBodies]).toEqual([0, 0, 0, 0, 0, 0])
  // What reports count stays: number, category, status, dates, rating; the history's steps (without their text).
  expect(x.g.category).toBe('劳动报酬')
  expect(x.g.filed_at).toBeInstanceOf(Date)
  expect(x.g.closed_at).toBeInstanceOf(Date)
  expect(x.events).toBeGreaterThan(0)
}

describe('retention sweep', () => {
  it('erases ended cases after GRIEVANCE_RETENTION_DAYS once, keeps open and younger ones, and only once a day', async () => {
    const w = newWorker(t, '保存期')
    const old = await fileWithImage(w, false)
    await officerAct(t, CHAIR.openId, old, 'grievance.decline', { reason: '不属于工会维权范围，建议向人力资源部反映。' })
    const open = await fileWithImage(newWorker(t, '办理中'), true)
    const before = await traces(old)
    expect([before.reporters, before.sources, before.reporterEvents, before.evidence]).toEqual([1, 1, 1, 1])
    expect(before.g.decline_reason).not.toBeNull()

    // 729 days later: nothing yet.
    const day729 = new Date(before.g.closed_at!.getTime() + 729 * 86_400_000)
    clock.set(day729)
    await t.bot.runPeriodic(day729)
    await t.settle()
    expect((await row(old)).erased_at).toBeNull()

    const day731 = new Date(before.g.closed_at!.getTime() + 731 * 86_400_000)
    clock.set(day731)
    await t.bot.runPeriodic(day731)
    await t.settle()
    expectErased(await traces(old))
    expect((await row(old)).satisfaction).toBeNull()
    const o = await traces(open)
    expect(o.g.erased_at).toBeNull()
    expect(o.reporters).toBe(1)
    const runs = await sdb().selectFrom('grievance_retention_runs').selectAll().execute()
    expect(runs.map((r) => r.erased)).toEqual([0, 1])
    const audit = await sdb().selectFrom('audit_log').selectAll().where('subject_id', '=', old).where('action', '=', 'grievance.erase').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_open_id: '', detail: { by: 'retention' } })
    // The worker's own list no longer has it (the link is gone); the officer's lookup says the text was erased.
    expect(cardText(cardsOf(await answersTo(t, w, '我的诉求'))[0]!.content)).not.toContain(old)
    expect(cardText(cardsOf(await answersTo(t, CHAIR.openId, `诉求 ${old}`))[0]!.content)).toContain('内容已按保存期限或职工要求删除')
    clock.set('2026-04-07T01:30:00Z')
  })
})

describe('删除诉求', () => {
  it('erases the worker’s own ended case after a confirmation; open cases and other people’s are refused', async () => {
    const w = newWorker(t, '自删者')
    const number = await fileWithImage(w, true)
    expect(textsOf(await answersTo(t, w, `删除诉求 ${number}`))[0]).toBe(`诉求 ${number} 当前为「待受理」，结束（已结案、不予受理或已转办）后才能删除。`)
    await officerAct(t, CHAIR.openId, number, 'grievance.decline', { reason: '不属于工会维权范围。' })
    const other = newWorker(t, '旁人')
    expect(textsOf(await answersTo(t, other, `删除诉求 ${number}`))[0]).toBe(`未找到诉求 ${number}。请发送「我的诉求」查看您提交的诉求。`)
    const confirm = cardsOf(await answersTo(t, w, `删除诉求 ${number}`))[0]!
    expect(JSON.stringify(confirm.content)).toContain('"confirm"')
    // A click by someone else changes nothing.
    const g = await row(number)
    const forged = await t.click({ operator: other.openId, value: { action: 'grievance.erase', gid: g.id }, messageId: confirm.messageId, chatId: `oc_p2p_${other.openId}` })
    expect(forged.body.toast.type).toBe('warning')
    expect((await row(number)).erased_at).toBeNull()
    const res = await clickOn(t, w, confirm, 'grievance.erase')
    expect(res.body.toast).toEqual({ type: 'success', content: '已永久删除' })
    expectErased(await traces(number))
    const audit = await sdb().selectFrom('audit_log').selectAll().where('subject_id', '=', number).where('action', '=', 'grievance.erase').execute()
    expect(audit).toEqual([expect.objectContaining({ actor_open_id: '', detail: { by: 'reporter' } })])
    // Now it is not theirs any more: the same words as for a number never issued.
    expect(textsOf(await answersTo(t, w, `删除诉求 ${number}`))[0]).toBe(`未找到诉求 ${number}。请发送「我的诉求」查看您提交的诉求。`)
  })
})
