// The submission conversation (typed answers and step buttons, hints, cancel), gap-free numbering, withdrawal
// and following a proposal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { findProposal } from '../../src/proposals/store.js'
import { listTimeline } from '../../src/proposals/timeline.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTENT, OFFICER, REP_A, REP_B, REP_C, WORKER, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardsTo, cardJson, cardTitled, clickOn, committeeCards, lastCard, lastText, p2p, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await setupRoster(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const title = (m: { content: any }) => String(m.content?.header?.title?.content ?? '')

describe('the submission conversation', () => {
  it('refuses someone who is not a representative, saying why', async () => {
    await say(t, WORKER, '提交提案')
    expect(lastText(t, WORKER.openId)).toContain('只有登记在册的职工代表可以提交提案')
  })

  it('re-asks with a hint on a title over 50 characters and on a case under 20 characters', async () => {
    await say(t, REP_A, '提交提案')
    expect(title(lastCard(t, REP_A.openId))).toContain('（1/4）')
    await say(t, REP_A, '标'.repeat(51))
    expect(lastText(t, REP_A.openId)).toContain('标题不能超过 50 个字（现在是 51 个字）')
    await say(t, REP_A, '标'.repeat(50))
    expect(title(lastCard(t, REP_A.openId))).toContain('（2/4）')
    await say(t, REP_A, '食堂太远了')
    expect(lastText(t, REP_A.openId)).toContain('不少于 20 个字（现在是 5 个字）')
    await say(t, REP_A, CONTENT)
    expect(title(lastCard(t, REP_A.openId))).toContain('（3/4）')
  })

  it('takes the category by number, by name or by button, and re-asks an unknown one', async () => {
    await say(t, REP_A, '9')
    expect(lastText(t, REP_A.openId)).toContain('请回复 1–6 的序号或类别名称')
    expect(title(lastCard(t, REP_A.openId))).toContain('（3/4）')
    await say(t, REP_A, '劳动保护')
    const confirm = lastCard(t, REP_A.openId)
    expect(title(confirm)).toContain('（4/4）')
    expect(cardJson(confirm.content)).toContain('劳动保护')
  })

  it('confirms by the step button, numbering the proposal P-2026-001', async () => {
    const confirm = lastCard(t, REP_A.openId)
    const { body: res } = await clickOn(t, REP_A, confirm, 'conversation.answer', { text: '确认提交' })
    expect(res.toast).toBeUndefined()
    expect(lastText(t, REP_A.openId)).toContain('编号 P-2026-001')
    const p = (await findProposal(t.bot.services.db, 'P-2026-001'))!
    expect(p).toMatchObject({ status: 'collecting', category: '劳动保护', title: '标'.repeat(50), proposerOpenId: REP_A.openId })
    const timeline = await listTimeline(t.bot.services.db, p.id)
    expect(timeline.map((e) => e.kind)).toEqual(['submitted'])
  })

  it('a category step button answers like typing', async () => {
    await say(t, REP_B, '提交提案')
    await say(t, REP_B, '关于增加职工体检项目的提案')
    await say(t, REP_B, '建议在年度体检中增加颈椎和腰椎检查项目，针对长期伏案和久站岗位。')
    const step = lastCard(t, REP_B.openId)
    await clickOn(t, REP_B, step, 'conversation.answer', { text: '2 劳动保护' })
    expect(cardJson(lastCard(t, REP_B.openId).content)).toContain('劳动保护')
  })

  it('取消 ends the conversation without saving, and numbers stay gap-free', async () => {
    await say(t, REP_B, '取消')
    expect(lastText(t, REP_B.openId)).toContain('已取消「提交提案」')
    const cancelled = await t.bot.services.db.selectFrom('proposals').select('number').execute()
    expect(cancelled.map((r) => r.number)).toEqual(['P-2026-001'])
    // A cancel button works too.
    await say(t, REP_B, '提交提案')
    await clickOn(t, REP_B, lastCard(t, REP_B.openId), 'conversation.answer', { text: '取消' })
    expect(lastText(t, REP_B.openId)).toContain('已取消')
    const next = await submitProposal(t, REP_B)
    expect(next).toBe('P-2026-002')
  })

  it('typing 提交提案 again in the middle restarts from the title instead of becoming the title', async () => {
    await say(t, REP_C, '提交提案')
    await say(t, REP_C, '关于食堂的提案')
    await say(t, REP_C, '提交提案')
    expect(title(lastCard(t, REP_C.openId))).toContain('（1/4）')
    await say(t, REP_C, '取消')
  })

  it('started in a group, it continues in private chat', async () => {
    await t.sendMessage({ sender: REP_C, chatId: 'oc_workshop', chatType: 'group', text: '提交提案', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_workshop').at(-1)?.content.text).toContain('私聊中填写')
    expect(title(lastCard(t, REP_C.openId))).toContain('（1/4）')
    await say(t, REP_C, '取消')
  })

  it('refuses the confirmation if the window closed meanwhile', async () => {
    await say(t, REP_C, '提交提案')
    await say(t, REP_C, '关于班车增开线路的提案')
    await say(t, REP_C, '新厂区距离市区较远，建议增开早晚两班通勤班车，方便职工上下班。')
    await say(t, REP_C, '3')
    await say(t, OFFICER, '提案征集 结束')
    await say(t, REP_C, '确认')
    expect(lastText(t, REP_C.openId)).toContain('提案征集已经结束，本次提案未能提交')
    expect(await t.bot.services.db.selectFrom('proposals').select('number').execute()).toHaveLength(2)
    await say(t, OFFICER, '提案征集 开始 第五届职代会第四次会议')
  })
})

describe('withdrawal', () => {
  it('needs a reason, is for the proposer only, and tells co-signers and followers', async () => {
    const number = await submitProposal(t, REP_C)
    await say(t, REP_A, `附议 ${number}`)
    await say(t, WORKER, `关注 ${number}`)
    await say(t, REP_C, `撤回提案 ${number}`)
    expect(lastText(t, REP_C.openId)).toContain('请说明撤回理由')
    await say(t, REP_A, `撤回提案 ${number} 我想撤回`)
    expect(lastText(t, REP_A.openId)).toContain('只有提案人本人可以撤回')
    await say(t, REP_C, `撤回提案 ${number.toLowerCase()} 已与后勤部门沟通解决`)
    expect(lastText(t, REP_C.openId)).toContain(`已撤回提案 ${number}`)
    const p = (await findProposal(t.bot.services.db, number))!
    expect(p).toMatchObject({ status: 'withdrawn', withdrawReason: '已与后勤部门沟通解决' })
    expect((await auditTrail(t.bot.services.db, 'proposal', number)).map((a) => a.action)).toEqual(['proposal.submit', 'proposal.withdraw'])
    expect(lastText(t, REP_A.openId)).toContain(`${number} 已由提案人撤回`)
    expect(lastText(t, WORKER.openId)).toContain(`${number} 已由提案人撤回`)
    await say(t, REP_C, `撤回提案 ${number} 再撤一次`)
    expect(lastText(t, REP_C.openId)).toContain('已经撤回')
  })

  it('while 待审查, the committee card loses its buttons when the proposal is withdrawn', async () => {
    const number = await submitProposal(t, REP_C)
    await say(t, REP_A, `附议 ${number}`)
    await say(t, REP_B, `附议 ${number}`)
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    expect(cardJson(review.content)).toContain('proposal.register')
    await say(t, REP_C, `撤回提案 ${number} 与另一件提案重复`)
    const now = t.fake.currentCard(review.messageId)
    expect(cardJson(now)).toContain('已撤回')
    expect(cardJson(now)).not.toContain('proposal.register')
    expect(committeeCards(t).length).toBeGreaterThan(0)
  })
})

describe('following', () => {
  it('a follower (by button) receives status changes; after 取消关注 no more', async () => {
    const number = await submitProposal(t, REP_A)
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${number}`)
    const { body: res } = await clickOn(t, WORKER, shared, 'proposal.follow')
    expect(res.toast?.content).toContain(`已关注提案 ${number}`)
    const { body: again } = await clickOn(t, WORKER, shared, 'proposal.follow')
    expect(again.toast?.content).toContain(`您已关注提案 ${number}`)
    await say(t, REP_B, `附议 ${number}`)
    await say(t, REP_C, `附议 ${number}`)
    expect(textsTo(t, WORKER.openId).filter((x) => x.includes(`提案 ${number} 已获得 2 名职工代表附议`))).toHaveLength(1)
    await say(t, WORKER, `取消关注 ${number}`)
    expect(lastText(t, WORKER.openId)).toContain('已取消关注')
    const before = textsTo(t, WORKER.openId).length
    const review = cardTitled(t, undefined, `提案审查 ${number}`)
    await clickOn(t, OFFICER, review, 'proposal.register', { formValue: { reason: '' } })
    expect(textsTo(t, WORKER.openId)).toHaveLength(before)
    expect(lastText(t, REP_B.openId)).toContain('已立案')
  })

  it('the proposer is told they follow it already', async () => {
    await say(t, REP_A, '关注 P-2026-001')
    expect(lastText(t, REP_A.openId)).toContain('您是提案 P-2026-001 的提案人')
    expect(cardsTo(t, REP_A.openId).length).toBeGreaterThan(0)
    expect(t.fake.messagesInChat(p2p(REP_A.openId)).length).toBeGreaterThan(0)
  })
})
