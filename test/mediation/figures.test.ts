// What mediation and supervision add to the 月报 (issue #16): applications, acceptances, agreements, failures,
// median calendar days to an agreement and the share within 15 days; 意见书 sent, replies (on time), closed,
// overdue — counts only, on the card and in the CSV; and the committee's 周报 lists overdue replies by number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { cardText, clickOn, groupSay, lastCard, say } from '../helpers/chat.js'
import { APPLICATION, EMPLOYER, MEDIATOR, MEMBER_2, applyForMediation, caseCardTo, setUpCommittee, stepOn } from '../helpers/mediation.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-11-02T02:00:00Z') // Monday 10:00 in Shanghai
const CONTACT = { openId: 'ou_fig_contact', name: '钱联系人' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  await setUpCommittee(t)
  t.fake.users.set(CONTACT.openId, { name: CONTACT.name })
  await say(t, CHAIR, '部门 添加 后勤保障部', [CONTACT])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const at = (local: string) => clock.set(new Date(`${local}+08:00`))

async function accepted(): Promise<{ worker: { openId: string; name: string }; number: string }> {
  const worker = newWorker(t)
  const number = await applyForMediation(t, worker)
  await stepOn(t, MEMBER_2, caseCardTo(t, MEMBER_2, number), 'mediation.accept', { formValue: { mediator: MEDIATOR.openId } })
  return { worker, number }
}

async function agree(c: { worker: { openId: string }; number: string }): Promise<void> {
  await say(t, MEDIATOR, `调解 ${c.number} 企业代表`, [EMPLOYER])
  await stepOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, c.number), 'mediation.succeed', { formValue: { terms: '补发加班费。', claim_kind: 'wages' } })
  for (const who of [c.worker, EMPLOYER]) await clickOn(t, who, caseCardTo(t, who, c.number, '我的调解'), 'mediation.confirm')
  await clickOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, c.number), 'mediation.confirm')
}

describe('月报', () => {
  it('counts mediation and supervision, card and CSV, without any case text', async () => {
    at('2026-11-02T10:00:00')
    const quick = await accepted()
    const slow = await accepted()
    const failing = await accepted()
    await applyForMediation(t, newWorker(t)) // still waiting
    at('2026-11-05T10:00:00')
    await agree(quick) // 3 days
    at('2026-11-20T10:00:00')
    await agree(slow) // 18 days: after the 15 of Art. 14
    await stepOn(t, MEDIATOR, caseCardTo(t, MEDIATOR, failing.number), 'mediation.fail', { formValue: { fail_reason: '分歧较大。' } })

    at('2026-11-03T10:00:00')
    await say(t, CHAIR, '劳动监督')
    const department = String((await t.bot.services.db.selectFrom('proposal_departments').select('id').executeTakeFirstOrThrow()).id)
    const open = (facts: string) => clickOn(t, CHAIR, lastCard(t, CHAIR), 'supervision.open', { formValue: { type: 'wages', department, facts, opinion: '请按时足额支付工资并书面答复。' } })
    await open('十月工资推迟二十天发放，涉及后勤保障部全体职工。')
    const replied = await t.bot.services.db.selectFrom('supervision_matters').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    await say(t, CHAIR, '劳动监督')
    await open('十月加班费没有按规定的标准计算发放。')
    await t.click({ operator: CONTACT.openId, value: { action: 'supervision.reply', sid: replied.id, rev: 0 }, formValue: { reply: '已于本周补发。' } })
    await t.settle()

    at('2026-11-30T10:00:00')
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '月报 本月')
    const card = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.msgType === 'interactive').at(-1)!.content
    const text = cardText(card)
    expect(text).toContain('**劳动争议调解与劳动法律监督**')
    expect(text).toContain('达成协议用时中位数：10.5 天；15 日内达成：50%')
    expect(text).toContain('**劳动法律监督：**发出意见书 2 件，收到答复 1 次（按期 1），结案 0 件；生成时答复超期 1 件')
    const file = t.fake.messagesToUser(CHAIR.openId).filter((x) => x.msgType === 'file').at(-1)!
    const rows = t.fake.files.get(file.content.file_key)!.data.toString('utf8').split('\r\n')
    for (const r of [
      '劳动争议调解,申请,4',
      '劳动争议调解,受理,3',
      '劳动争议调解,达成调解协议,2',
      '劳动争议调解,调解不成,1',
      '劳动争议调解,达成协议用时中位数（天）,10.5',
      '劳动争议调解,15日内达成协议占比,50%',
      '劳动法律监督,发出意见书,2',
      '劳动法律监督,收到答复,1',
      '劳动法律监督,按期答复,1',
      '劳动法律监督,生成时答复超期,1',
    ]) {
      expect(rows).toContain(r)
    }
    const all = JSON.stringify(card) + rows.join('\n')
    for (const s of [APPLICATION.facts, '分歧较大', '十月工资推迟', '已于本周补发']) expect(all).not.toContain(s)

    // The committee's 周报 lists the overdue reply by number and department.
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '周报')
    const weekly = cardText(t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.msgType === 'interactive').at(-1)!.content)
    expect(weekly).toMatch(/\*\*意见书答复超期（1 件）\*\*\n- \*\*S-2026-002\*\*（后勤保障部）答复期限 2026-11-24 23:59，<font color='red'>已超期 4 个工作日<\/font>/)
  })
})
