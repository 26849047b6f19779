// Someone leaves the company: a real signed, encrypted contact.user.deleted_v3 through the webhook ends every role
// (officer, representative, membership → 离职) and the committee group gets the open work to reassign; nothing of
// the history is deleted, and a person with no role or work causes no message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { findMember } from '../../src/organisation/members.js'
import { isCommitteeMember } from '../../src/organisation/store.js'
import { listRepresentatives } from '../../src/organisation/representatives.js'
import { findDepartmentByName } from '../../src/organisation/departments.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitled, clickOn, committeeCards, expectEscaped, lastCard, say } from '../helpers/chat.js'
import { fileGrievance, officerAct } from '../helpers/grievances.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const LEAVER = { openId: 'ou_leaver', name: '钱干部<at id=all></at>' }
const WORKER = { openId: 'ou_leaver_worker', name: '孙职工' }
const REP = { openId: 'ou_leaver_rep', name: '周代表' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [LEAVER, WORKER, REP]) t.fake.users.set(p.openId, { name: p.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const leaves = async (who: { openId: string; name: string }, eventId?: string) => {
  const res = await t.post(t.events.userDeleted(who, eventId))
  expect(res.status).toBe(200)
  await t.settle()
}

describe('a person who leaves the company', () => {
  it('loses every role, membership ends as 离职 with the date, and the committee is told the open work', async () => {
    // The leaver: an officer kept in the database, a representative, a department contact and a member.
    await t.bot.services.db.insertInto('officers').values({ open_id: LEAVER.openId, title: '委员', added_by: CHAIR.openId, added_at: clock.now() }).execute()
    await say(t, CHAIR, '代表 添加 选区 二车间', [LEAVER])
    await say(t, CHAIR, '部门 添加 后勤保障部', [LEAVER])
    await say(t, CHAIR, '委员会 女职工委员会 添加', [LEAVER])
    expect(await isCommitteeMember(t.bot.services.db, '女职工委员会', LEAVER.openId)).toBe(true)
    await say(t, LEAVER, '入会')
    await clickOn(t, LEAVER, lastCard(t, LEAVER), 'member.apply')
    const app = [...committeeCards(t)].reverse().find((c) => cardText(c.content).includes('入会申请'))!
    await clickOn(t, CHAIR, app, 'member.approve')
    // A grievance assigned to the leaver.
    const number = await fileGrievance(t, WORKER)
    await officerAct(t, CHAIR.openId, number, 'grievance.assign', { assignee: LEAVER.openId })
    expect(await t.bot.services.roles.isOfficer(LEAVER.openId)).toBe(true)

    clock.set(new Date('2026-03-05T02:00:00Z'))
    await leaves(LEAVER)

    const services = t.bot.services
    expect(await services.roles.isOfficer(LEAVER.openId)).toBe(false)
    expect(await isCommitteeMember(services.db, '女职工委员会', LEAVER.openId)).toBe(false)
    expect((await listRepresentatives(services.db)).map((r) => r.openId)).not.toContain(LEAVER.openId)
    expect(await findMember(services.db, LEAVER.openId)).toMatchObject({ status: 'left', joinedOn: '2026-03-02', endedOn: '2026-03-05', endReason: '离职' })
    // Nothing deleted: the department keeps its (old) contact until reassigned; the grievance keeps its history.
    expect((await findDepartmentByName(services.db, '后勤保障部'))?.contactOpenId).toBe(LEAVER.openId)
    expect((await auditTrail(services.db, 'officer', LEAVER.openId)).map((a) => a.action)).toEqual(['officer.leave'])
    expect((await auditTrail(services.db, 'member', LEAVER.openId)).map((a) => a.action)).toContain('member.leave')

    const report = cardTitled(t, undefined, '人员离职')
    const text = cardText(report.content)
    // Each role by name (QA F32): the officer's role, the committee, the 选区, the department.
    expect(text).toContain('工会干部（委员）')
    expect(text).toContain('职工代表（选区：二车间）')
    expect(text).toContain('女职工委员会委员')
    expect(text).toContain('承办部门「后勤保障部」联系人（待更换）')
    expect(text).toContain('离职')
    expect(text).toContain(number)
    expect(text).toContain('后勤保障部')
    expectEscaped(report.content)

    // 我的会籍 shows the end; a members-only command would now refuse them.
    await say(t, LEAVER, '我的会籍')
    expect(cardText(lastCard(t, LEAVER).content)).toContain('离职日期')
  })

  it('the same event delivered again changes nothing and posts no second card', async () => {
    await say(t, CHAIR, '代表 添加', [REP])
    const before = committeeCards(t).length
    const eventId = 'ev_leaver_twice'
    await leaves(REP, eventId)
    await leaves(REP, eventId)
    expect(committeeCards(t).length).toBe(before + 1)
    expect((await auditTrail(t.bot.services.db, 'representative', REP.openId)).map((a) => a.action)).toEqual(['proposal.representative.add', 'representative.leave'])
  })

  it('someone with no role and no open work causes no message at all', async () => {
    const before = t.fake.messages.length
    await leaves({ openId: 'ou_nobody_special', name: '郑职工' })
    expect(t.fake.messages.length).toBe(before)
  })

  it('an officer listed in UNION_OFFICER_OPEN_IDS is reported, since only the deployment can take them out', async () => {
    await leaves(CHAIR)
    expect(cardText(cardTitled(t, undefined, '人员离职').content)).toContain('UNION_OFFICER_OPEN_IDS')
  })
})
