// CARE_OVER_CAP=approval through the real webhook: an entry above a cap is kept for the chair, whose card in the
// committee group takes only the chair's click; approved it enters the ledger, refused it never does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, clickOn, clickValue, committeeCards, expectEscaped, lastCard, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-11T02:00:00Z')
const OFFICER = { openId: 'ou_care_officer', name: '钱委员' }
const ZHANG = { openId: 'ou_care_ap_zhang', name: '张三' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { CARE_OVER_CAP: 'approval', CARE_CAP_HOSPITAL: '800/1200' } })
  for (const p of [OFFICER, ZHANG, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, '干部 添加 委员', [OFFICER])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const row = async (id: number) => t.bot.services.db.selectFrom('care_events').selectAll().where('id', '=', String(id)).executeTakeFirstOrThrow()
const lastId = async () => Number((await t.bot.services.db.selectFrom('care_events').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id)

describe('above a cap, with the chair approving', () => {
  it('uses the configured caps: exactly 800.00 is recorded, 800.01 waits for the chair', async () => {
    await say(t, OFFICER, '慰问 登记 住院 800', [ZHANG])
    expect((await row(await lastId())).status).toBe('recorded')
    await say(t, OFFICER, '慰问 登记 住院 400.01', [ZHANG])
    const id = await lastId()
    expect(await row(id)).toMatchObject({ status: 'pending', amount_fen: 40001 })
    expect(cardText(lastCard(t, OFFICER).content)).toContain('每人每年不超过 1,200 元（今年已发 800 元）')
    const approval = committeeCards(t).at(-1)!
    expect(cardText(approval.content)).toContain('慰问超上限审批')
    expectEscaped(approval.content)
  })

  it('only the chair may approve; the officer is told of the decision; the ledger counts it after', async () => {
    const id = await lastId()
    const approval = committeeCards(t).at(-1)!
    const denied = await clickOn(t, OFFICER, approval, 'care.approve')
    expect(denied.body.toast.content).toContain('只有工会主席')
    expect((await row(id)).status).toBe('pending')
    await say(t, CHAIR, '慰问 台账')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('1 笔超上限的慰问待主席审批')
    const ok = await clickOn(t, CHAIR, approval, 'care.approve')
    expect(ok.body.toast.content).toContain('已批准')
    expect((await row(id)).status).toBe('recorded')
    expect(lastText(t, OFFICER)).toContain('主席已批准')
    const again = await clickValue(t, CHAIR, { action: 'care.refuse', id })
    expect(again.body.toast.content).toBe('这条慰问已批准。')
    expect((await row(id)).status).toBe('recorded')
    await say(t, CHAIR, '慰问 台账')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('2 次，1,200.01 元')
  })

  it('a refused entry never reaches the ledger', async () => {
    await say(t, OFFICER, '慰问 登记 住院 900', [ZHANG])
    const id = await lastId()
    expect((await row(id)).status).toBe('pending')
    await clickOn(t, CHAIR, committeeCards(t).at(-1)!, 'care.refuse')
    expect((await row(id)).status).toBe('refused')
    expect(lastText(t, OFFICER)).toContain('主席未批准')
    await say(t, CHAIR, '慰问 台账')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('2 次，1,200.01 元')
  })
})
