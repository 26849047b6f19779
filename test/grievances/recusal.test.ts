// Recusal (回避, issue #13) through the real webhook: an officer who is the subject of a case steps aside with the
// card's 回避本案 button (or `回避 G-…`), and from then on learns nothing of it through any path — the committee
// group's copy, 待办, 诉求列表, 诉求 搜索, 诉求 <no>, the desk's 打开, buttons of cards they still have, the worker's
// 补充, the daily overdue reminder, the committee digest — read here message by message. The officers who remain
// get the full card privately; at least one officer must remain; the step is on the history and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { getGrievanceByNumber } from '../../src/grievances/store.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, fileGrievance, newWorker, officerAct, reviewCard, type Person } from '../helpers/grievances.js'
import { buttonsOf, cardJson, cardText, clickOn, clickValue, committeeMessages, groupSay, inbox, lastText, say, textOf } from '../helpers/chat.js'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'

const OFFICER_3 = { openId: 'ou_officer_qian', name: '钱委员' }
let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

/** Words only case A's text contains: none may reach the chair once they recused (the chair searches for SECRET). */
const SECRET = '主席王某某'
const UNTYPED = '不让我们报名参选'
const ABOUT_CHAIR = `工会${SECRET}在职工代表选举中私下指定人选，${UNTYPED}。`
const FOLLOW_UP = `补充：${SECRET}还让人删掉了群里的聊天记录。`
let worker: Person
let caseA = ''
let caseB = ''
let gidA = 0

/** Everything a message shows now (sent content, patches, callback answers), as text. */
const everything = (m: DeliveredMessage): string => [m.content, ...m.patches].map((c) => (m.msgType === 'interactive' ? cardJson(c) : textOf({ ...m, content: c }))).join('\n')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { UNION_OFFICER_OPEN_IDS: [CHAIR.openId, OFFICER_2.openId, OFFICER_3.openId].join(',') } })
  for (const o of [CHAIR, OFFICER_2, OFFICER_3]) t.fake.users.set(o.openId, { name: o.name })
  worker = newWorker(t, '孙实名')
  caseA = await fileGrievance(t, worker, { anonymous: false, description: ABOUT_CHAIR, category: '7' })
  caseB = await fileGrievance(t, newWorker(t), { description: '食堂的饭菜价格一个月内涨了两次，职工意见很大。' })
  gidA = (await getGrievanceByNumber(t.bot.services.db, caseA))!.id
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('an officer recuses from a case about them', () => {
  let chairSeen = 0
  let groupSeen = 0
  let oldPrivateCard: DeliveredMessage | undefined

  it('before: the chair sees the case everywhere (so the checks below can fail)', async () => {
    await say(t, CHAIR, '待办')
    expect(cardText(inbox(t, CHAIR).at(-1)!.content)).toContain(caseA)
    await say(t, CHAIR, `诉求 ${caseA}`)
    oldPrivateCard = inbox(t, CHAIR).at(-1)!
    expect(cardJson(oldPrivateCard.content)).toContain(SECRET)
    await say(t, CHAIR, `诉求 搜索 ${SECRET}`)
    expect(cardText(inbox(t, CHAIR).at(-1)!.content)).toContain(caseA)
    // The case is assigned to the chair: the recusal ends that.
    await officerAct(t, OFFICER_2.openId, caseA, 'grievance.accept')
    await officerAct(t, OFFICER_2.openId, caseA, 'grievance.assign', { assignee: CHAIR.openId })
    expect((await getGrievanceByNumber(t.bot.services.db, caseA))!.assigneeOpenId).toBe(CHAIR.openId)
  })

  it('the 回避本案 button asks for confirmation, and the click takes the chair off the case', async () => {
    const button = buttonsOf(reviewCard(t, caseA).card).find((b) => b.value.action === 'grievance.recuse')
    expect(button?.text).toBe('回避本案')
    expect(cardJson(reviewCard(t, caseA).card)).toContain('确定回避')
    chairSeen = inbox(t, CHAIR).length
    groupSeen = committeeMessages(t).length
    const { body } = await clickOn(t, CHAIR, reviewCard(t, caseA).messageId, 'grievance.recuse')
    expect(body.toast).toMatchObject({ type: 'success' })
    expect(cardJson(body.card.data)).not.toContain(UNTYPED)
    const g = (await getGrievanceByNumber(t.bot.services.db, caseA))!
    expect(g.assigneeOpenId).toBeNull()
    const trail = await auditTrail(t.bot.services.db, 'grievance', caseA)
    expect(trail.find((a) => a.action === 'grievance.recuse')).toMatchObject({ actor_open_id: CHAIR.openId })
  })

  it('the committee group’s copy keeps the number only; the officers who remain get the full card privately', async () => {
    expect(cardJson(reviewCard(t, caseA).card)).not.toContain(UNTYPED)
    expect(cardText(reviewCard(t, caseA).card)).toContain('私聊中处理')
    for (const o of [OFFICER_2, OFFICER_3]) {
      const full = inbox(t, o).filter((m) => m.msgType === 'interactive' && cardJson(m.content).includes(SECRET))
      expect(full.length, o.name).toBeGreaterThan(0)
      // Their card's history says who stepped aside; the chair is no longer offered for assignment.
      const card = cardJson(full.at(-1)!.content)
      expect(card).toContain('回避，不再参与本案')
      expect(card).not.toContain(`"value":"${CHAIR.openId}"`)
    }
  })

  it('every path the chair tries answers as if the case did not exist', async () => {
    await say(t, CHAIR, '待办')
    for (const filter of ['', '待受理', '处理中', '已超期', '已办结', '我的']) await say(t, CHAIR, `诉求列表 ${filter}`.trim())
    await say(t, CHAIR, `诉求 搜索 ${SECRET}`)
    await say(t, CHAIR, `诉求 搜索 职工代表选举`)
    await say(t, CHAIR, `诉求 ${caseA}`)
    expect(lastText(t, CHAIR)).toBe(`未找到诉求 ${caseA}。请检查编号，或发送「诉求列表」「待办」查看。`)
    await say(t, CHAIR, `回避 ${caseA}`)
    expect(lastText(t, CHAIR)).toBe(`未找到诉求 ${caseA}。请检查编号，或发送「诉求列表」「待办」查看。`)
    // The desk's 打开 button (on the group's copy) and the buttons of the card the chair opened earlier.
    const open = await clickOn(t, CHAIR, reviewCard(t, caseA).messageId, 'desk.open')
    expect(open.body.toast?.type).toBe('warning')
    for (const action of ['grievance.reply', 'grievance.note', 'grievance.resolve']) {
      const r = await clickValue(t, CHAIR, { action, gid: gidA, rev: 1 }, { messageId: oldPrivateCard!.messageId, formValue: { reply: '好', note: '好', result: '好' } })
      expect(r.body.toast?.content).toBe('该按钮已失效，请重新发起操作。')
      expect(JSON.stringify(r.body)).not.toContain(UNTYPED)
    }
    // The other case is still there for the chair: the lists work, they just leave case A out.
    await say(t, CHAIR, '诉求列表')
    expect(cardText(inbox(t, CHAIR).at(-1)!.content)).toContain(caseB)
  })

  it('the worker’s 补充 goes to the officers who remain, privately, not to the committee group', async () => {
    await say(t, worker, `补充 ${caseA} ${FOLLOW_UP}`)
    for (const o of [OFFICER_2, OFFICER_3]) expect(inbox(t, o).some((m) => cardJson(m.content).includes('删掉了群里的聊天记录'))).toBe(true)
  })

  it('the daily overdue reminder and the committee digest in the group leave the case out', async () => {
    // Both cases past their accept / resolve deadlines; a working day at 09:05.
    const at = new Date('2026-05-06T09:05:00+08:00')
    clock.set(at)
    await t.bot.runPeriodic(at)
    await t.settle()
    const reminders = committeeMessages(t).slice(groupSeen).filter((m) => m.msgType === 'interactive' && cardText(m.content).includes('超期'))
    expect(reminders.length).toBeGreaterThan(0)
    expect(reminders.some((m) => cardText(m.content).includes(caseB))).toBe(true)
    for (const m of reminders) expect(cardText(m.content)).not.toContain(caseA)
    // The committee's digest, asked for in the group by an officer who may see the case: still without it.
    await groupSay(t, ADMIN_CHAT_ID, OFFICER_3, '周报')
    const digest = committeeMessages(t).filter((m) => m.msgType === 'interactive' && cardText(m.content).includes('委员会版')).at(-1)!
    expect(cardText(digest.content)).toContain('超期诉求')
    expect(cardText(digest.content)).toContain(caseB)
    expect(cardText(digest.content)).not.toContain(caseA)
  })

  it('a second officer may recuse too, but the last one cannot', async () => {
    const card2 = inbox(t, OFFICER_2).filter((m) => m.msgType === 'interactive' && cardJson(m.content).includes('grievance.recuse')).at(-1)!
    const r2 = await clickOn(t, OFFICER_2, card2, 'grievance.recuse')
    expect(r2.body.toast?.type).toBe('success')
    await say(t, OFFICER_3, `回避 ${caseA}`)
    expect(lastText(t, OFFICER_3)).toContain('您是目前唯一可以处理本案的工会干部，暂时不能回避')
    await say(t, OFFICER_3, `诉求 ${caseA}`)
    expect(cardJson(inbox(t, OFFICER_3).at(-1)!.content)).toContain(SECRET)
  })

  it('nothing the chair received after the recusal, and nothing in the group since, carries the case’s text', () => {
    const toChair = inbox(t, CHAIR).slice(chairSeen)
    expect(toChair.length).toBeGreaterThan(10)
    for (const m of toChair) {
      // (Search cards repeat the term the chair typed, SECRET among them: the case's own words must not follow.)
      expect(everything(m)).not.toContain(UNTYPED)
      expect(everything(m)).not.toContain('删掉了群里的聊天记录')
    }
    // Lists and search answers do not even carry the number.
    for (const m of toChair.filter((x) => x.msgType === 'interactive' && /诉求列表|诉求搜索|我的待办/.test(cardText(x.content)))) expect(everything(m)).not.toContain(caseA)
    for (const m of committeeMessages(t).slice(groupSeen)) {
      expect(everything(m)).not.toContain(UNTYPED)
      expect(everything(m)).not.toContain('删掉了群里的聊天记录')
    }
    // The group's original copy, as it shows now.
    expect(cardJson(t.fake.currentCard(reviewCard(t, caseA).messageId))).not.toContain(UNTYPED)
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).length).toBeGreaterThan(groupSeen)
  })
})
