// Members through the real webhook: 入会 → the committee's card → 批准 / 不批准（理由）, 我的会籍, 会员 列表 with its CSV,
// 会员 转出, refusals for the wrong role and double clicks, and the members-only guard in front of a command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { registerHandlers } from '../../handlers/index.js'
import { MEMBERS_ONLY_REFUSAL, membersOnly } from '../../handlers/organisation/members-guard.js'
import { findMember, memberHistory } from '../../src/organisation/members.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitled, clickOn, clickValue, committeeCards, expectEscaped, EVIL, inbox, lastCard, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const WORKER = { openId: 'ou_member_worker', name: '孙职工' }
const OTHER = { openId: 'ou_member_other', name: '周职工' }
const OUTSIDER = { openId: 'ou_member_outsider', name: '吴职工' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({
    db,
    clock,
    botOptions: {
      register: (router) => {
        registerHandlers(router)
        // A later feature's command, marked members only.
        router.command(membersOnly({ words: ['会员福利'], handle: (ctx) => ctx.reply({ text: '会员福利清单' }).then(() => undefined) }))
      },
    },
  })
  for (const p of [WORKER, OTHER, OUTSIDER]) t.fake.users.set(p.openId, { name: p.name })
  // WORKER's department is readable (contact scope granted); OTHER's and OUTSIDER's are not.
  t.fake.departments.set('od_logistics', { name: '后勤保障部' })
  t.fake.users.set(WORKER.openId, { name: WORKER.name, departmentIds: ['od_logistics'], employeeNo: 'E1001' })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const applicationCardOf = (who: { name: string }) => [...committeeCards(t)].reverse().find((c) => cardText(c.content).includes(who.name))!

describe('入会 and the application', () => {
  it('入会 privately shows what membership means (dues 0.5%) with an apply button; in a group it points to private chat', async () => {
    await say(t, WORKER, '入会')
    const terms = lastCard(t, WORKER)
    expect(cardText(terms.content)).toContain('0.5%')
    await t.sendMessage({ sender: WORKER, chatId: 'oc_some_group', chatType: 'group', text: '入会', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_some_group').at(-1)!.content.text).toContain('私聊')
  })

  it('applying posts the application card to the committee group; a second click changes nothing', async () => {
    const terms = lastCard(t, WORKER)
    const res = await clickOn(t, WORKER, terms, 'member.apply')
    expect(res.body.toast.content).toContain('已提交')
    const app = applicationCardOf(WORKER)
    expect(cardText(app.content)).toContain('孙职工')
    expect(cardText(app.content)).toContain('入会申请')
    // The department from the contact API (issue #20), kept on the member row for 会员 列表.
    expect(cardText(app.content)).toContain('后勤保障部')
    expect((await findMember(t.bot.services.db, WORKER.openId))?.department).toBe('后勤保障部')
    expect((await findMember(t.bot.services.db, WORKER.openId))?.status).toBe('applied')
    const again = await clickValue(t, WORKER, { action: 'member.apply' })
    expect(again.body.toast.content).toContain('正在审核')
    expect(committeeCards(t).filter((c) => cardText(c.content).includes('孙职工'))).toHaveLength(1)
    await say(t, WORKER, '我的会籍')
    expect(cardText(lastCard(t, WORKER).content)).toContain('申请中')
  })

  it('only officers may approve; an officer approves, the worker is told, 我的会籍 shows since when', async () => {
    const app = applicationCardOf(WORKER)
    const denied = await clickOn(t, OUTSIDER, app, 'member.approve')
    expect(denied.body.toast.type).toBe('error')
    expect((await findMember(t.bot.services.db, WORKER.openId))?.status).toBe('applied')
    const ok = await clickOn(t, CHAIR, app, 'member.approve')
    expect(ok.body.toast.content).toContain('已批准')
    expect(lastText(t, WORKER)).toContain('入会申请已批准')
    await say(t, WORKER, '我的会籍')
    const mine = cardText(lastCard(t, WORKER).content)
    expect(mine).toContain('会员')
    expect(mine).toContain('入会日期')
    expect((await findMember(t.bot.services.db, WORKER.openId))?.joinedOn).toBe('2026-03-02')
    const twice = await clickValue(t, CHAIR, { action: 'member.approve', openId: WORKER.openId })
    expect(twice.body.toast.content).toContain('已批准')
    expect(await memberHistory(t.bot.services.db, WORKER.openId)).toEqual([
      { kind: 'apply', from: 'refused', to: 'applied' },
      { kind: 'approve', from: 'applied', to: 'member' },
    ])
    expect((await auditTrail(t.bot.services.db, 'member', WORKER.openId)).map((a) => a.action)).toEqual(['member.apply', 'member.approve'])
  })

  it('不批准 needs a reason; the worker gets it in a card (escaped), and may apply again', async () => {
    await say(t, OTHER, '入会')
    await clickOn(t, OTHER, lastCard(t, OTHER), 'member.apply')
    const app = applicationCardOf(OTHER)
    // No department readable for OTHER: the card says so rather than guess.
    expect(cardText(app.content)).toContain('通讯录未授权或未填写')
    const empty = await clickOn(t, CHAIR, app, 'member.refuse', { formValue: { refusal_reason: '  ' } })
    expect(empty.body.toast.content).toContain('请填写不批准的理由')
    const res = await clickOn(t, CHAIR, app, 'member.refuse', { formValue: { refusal_reason: `非本单位职工 ${EVIL}` } })
    expect(res.body.toast.content).toContain('不批准')
    const told = lastCard(t, OTHER)
    expect(cardText(told.content)).toContain('非本单位职工')
    expectEscaped(told.content)
    expect(inbox(t, OTHER).filter((m) => m.msgType === 'text').map((m) => m.content.text).join('')).not.toContain('非本单位职工')
    const late = await clickValue(t, CHAIR, { action: 'member.approve', openId: OTHER.openId })
    expect(late.body.toast.content).toContain('不批准')
    expect((await findMember(t.bot.services.db, OTHER.openId))?.status).toBe('refused')
    await say(t, OTHER, '入会')
    expect(cardText(lastCard(t, OTHER).content)).toContain('申请入会')
  })
})

describe('officers: 会员 列表 and 会员 转出', () => {
  it('会员 列表 gives counts by department and the full list as CSV privately; non-officers are refused', async () => {
    await say(t, CHAIR, '会员 列表')
    const counts = cardTitled(t, CHAIR, '工会会员')
    expect(cardText(counts.content)).toContain('共 1 人')
    const file = [...t.fake.files.values()].at(-1)!
    expect(file.name).toMatch(/^会员名单-2026-03-02\.csv$/)
    expect(file.data.toString('utf8')).toContain('孙职工')
    await say(t, WORKER, '会员 列表')
    expect(lastText(t, WORKER)).toContain('只有工会干部')
  })

  it('会员 转出 @某人 理由 ends membership with the date kept; a non-member cannot be transferred; usage is explained', async () => {
    await say(t, CHAIR, '会员 转出 @孙职工', [WORKER])
    expect(lastText(t, CHAIR)).toContain('用法')
    await say(t, CHAIR, '会员 转出 @周职工 调往集团', [OTHER])
    expect(lastText(t, CHAIR)).toContain('不是工会会员')
    await say(t, CHAIR, '会员 转出 @孙职工 调往集团公司', [WORKER])
    expect(lastText(t, CHAIR)).toContain('已办理会员转出')
    const m = await findMember(t.bot.services.db, WORKER.openId)
    expect(m).toMatchObject({ status: 'transferred', endedOn: '2026-03-02', joinedOn: '2026-03-02', endReason: '调往集团公司' })
    await say(t, WORKER, '我的会籍')
    expect(cardText(lastCard(t, WORKER).content)).toContain('转出日期')
  })
})

describe('the members-only guard', () => {
  it('refuses a non-member before the handler runs, and lets a member through', async () => {
    await say(t, OUTSIDER, '会员福利')
    expect(lastText(t, OUTSIDER)).toBe(MEMBERS_ONLY_REFUSAL)
    // WORKER was transferred out above: no longer a member.
    await say(t, WORKER, '会员福利')
    expect(lastText(t, WORKER)).toBe(MEMBERS_ONLY_REFUSAL)
    await say(t, OUTSIDER, '入会')
    await clickOn(t, OUTSIDER, lastCard(t, OUTSIDER), 'member.apply')
    await clickOn(t, CHAIR, applicationCardOf(OUTSIDER), 'member.approve')
    await say(t, OUTSIDER, '会员福利')
    expect(lastText(t, OUTSIDER)).toBe('会员福利清单')
  })

  it('does not stand in front of commands that are not marked', async () => {
    await say(t, OTHER, '我的会籍')
    expect(cardText(lastCard(t, OTHER).content)).toContain('未批准')
  })
})
