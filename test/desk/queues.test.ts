// The officers' desk through the real webhook (issue #13): `待办` across grievances and proposals, most urgent
// first and paginated; `诉求列表` by status; `诉求 <number>` for officers (full officer card, privately, lenient
// numbers); `诉求 搜索` over category and description that never finds or shows a reporter; polite refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, fileGrievance, newWorker, officerAct, type Person } from '../helpers/grievances.js'
import { openForm } from '../helpers/grievances.js'
import { REP_A, REP_B, REP_C, setupRoster, submitProposal } from '../helpers/proposals.js'
import { HOSTILE, answersTo, buttonsOf, cardJson, cardText, cardsOf, clickOn, expectEscaped, lastCard, say, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-04-07T01:30:00Z') // Tuesday 09:30 in Shanghai

let worker: Person
let named: Person
const numbers: string[] = []
let proposal = ''

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
  worker = newWorker(t, '周八')
  named = newWorker(t, '欧阳实名')
  // An old case (overdue by the time of the queries), then ten fresh ones: eleven cases, two pages of 待办.
  clock.set('2026-03-02T02:00:00Z')
  numbers.push(await fileGrievance(t, worker, { description: '宿舍楼热水器坏了一个月没人修，冬天只能用冷水洗澡。' }))
  clock.set('2026-04-07T01:30:00Z')
  numbers.push(await fileGrievance(t, named, { anonymous: false, description: '车间主任欧阳某某要求我们无偿加班，每周六都要来。' }))
  // Several workers: the daily filing cap counts per person.
  for (let i = 0; i < 9; i++) numbers.push(await fileGrievance(t, newWorker(t, `职工${i}`)))
  // A proposal co-signed into 待审查 is on every officer's queue.
  await setupRoster(t)
  proposal = await submitProposal(t, REP_A)
  await say(t, REP_B, `附议 ${proposal}`)
  await say(t, REP_C, `附议 ${proposal}`)
  clock.set('2026-04-08T02:00:00Z')
}, 120_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const linesOf = (card: unknown) => buttonsOf(card).filter((b) => b.value.action === 'desk.open')

describe('待办', () => {
  it('refuses a non-officer politely, in private chat and in a group', async () => {
    const answers = await answersTo(t, worker, '待办')
    expect(textsOf(answers)).toEqual(['抱歉，只有工会干部可以使用工作台（待办、诉求列表、诉求查询和搜索）。'])
    expect(cardsOf(answers)).toHaveLength(0)
  })

  it('lists pending cases and proposals waiting for review, most urgent first, eight a page, and turns pages', async () => {
    const answers = await answersTo(t, CHAIR, '待办')
    const card = cardsOf(answers)[0]!.content
    expect(cardText(card)).toContain('共 **12** 件，第 1/2 页')
    const lines = linesOf(card)
    expect(lines).toHaveLength(8)
    // The overdue case first, flagged; the proposal (no deadline) comes after the cases with one.
    expect(lines[0]!.value).toMatchObject({ feature: 'grievance' })
    expect(lines[0]!.text).toBe(`打开 ${numbers[0]}`)
    expect(cardText(card)).toMatch(new RegExp(`已超期</font> \\*\\*${numbers[0]}\\*\\* · 待受理 · 37 天 · 时限 2026-03-05`))
    expect(cardJson(card)).not.toContain(proposal)

    const page2 = (await clickOn(t, CHAIR, cardsOf(answers)[0]!, 'desk.queue.page')).body.card.data
    expect(cardText(page2)).toContain('第 2/2 页')
    const more = linesOf(page2)
    expect(more).toHaveLength(4)
    expect(more.at(-1)!.value).toMatchObject({ feature: 'proposal' })
    expect(cardText(page2)).toContain(`**${proposal}** · 待审查`)
    expect(buttonsOf(page2).map((b) => b.text)).toContain('上一页')
  })

  it('shows cases assigned to the officer, and each line opens the officer card privately', async () => {
    await officerAct(t, CHAIR.openId, numbers[1]!, 'grievance.accept')
    await officerAct(t, CHAIR.openId, numbers[1]!, 'grievance.assign', { assignee: OFFICER_2.openId })
    // Its resolve deadline is weeks away: after the cases waiting for acceptance this week, on page 2.
    const first = cardsOf(await answersTo(t, OFFICER_2.openId, '待办'))[0]!
    expect(cardText(first.content)).toContain('共 **12** 件')
    await clickOn(t, OFFICER_2.openId, first, 'desk.queue.page')
    const mine = { ...first, content: t.fake.currentCard(first.messageId) }
    expect(cardText(mine.content)).toContain(`**${numbers[1]}** · 处理中·我承办`)
    const chairs = cardsOf(await answersTo(t, CHAIR, '待办'))[0]!
    expect(cardText(chairs.content)).toContain('共 **11** 件')

    const res = await clickOn(t, OFFICER_2.openId, mine, 'desk.open', { match: { id: linesOf(mine.content).find((l) => l.text.endsWith(numbers[1]!))!.value.id } })
    expect(res.body.toast).toEqual({ type: 'success', content: '已在私聊中发送该事项的卡片' })
    const opened = lastCard(t, OFFICER_2.openId)
    expect(opened.content.header.title.content).toBe(`维权诉求 ${numbers[1]}`)
    // The full officer card: its actions work from the private copy too.
    expect(cardJson(opened.content)).toContain('grievance.resolve')
    expect(cardText(opened.content)).toContain('欧阳实名')
  })

  it('a line of a proposal opens its committee card; a forged or stale line says the button is outdated', async () => {
    const page2 = (await clickOn(t, CHAIR, cardsOf(await answersTo(t, CHAIR, '待办'))[0]!, 'desk.queue.page')).body.card.data
    const line = linesOf(page2).find((l) => l.value.feature === 'proposal')!
    const res = await t.click({ operator: CHAIR.openId, value: line.value, messageId: 'om_x', chatId: `oc_p2p_${CHAIR.openId}` })
    await t.settle()
    expect(res.body.toast.type).toBe('success')
    expect(lastCard(t, CHAIR).content.header.title.content).toContain(proposal)
    const forged = await t.click({ operator: CHAIR.openId, value: { action: 'desk.open', feature: 'grievance', id: 999_999 }, messageId: 'om_x', chatId: `oc_p2p_${CHAIR.openId}` })
    expect(forged.body.toast).toEqual({ type: 'warning', content: '该按钮已失效，请重新发起操作。' })
    const worker_ = await t.click({ operator: worker.openId, value: line.value, messageId: 'om_x', chatId: `oc_p2p_${worker.openId}` })
    expect(worker_.body.toast.content).toContain('只有工会干部')
  })

  it('typed in the committee group, the queue goes privately and the group gets one short line', async () => {
    const answers = await answersTo(t, CHAIR, '待办', ADMIN_CHAT_ID)
    expect(answers.filter((m) => m.chatId === ADMIN_CHAT_ID).map((m) => m.content.text)).toEqual(['已私信发送给您。'])
    expect(cardsOf(answers).every((m) => m.chatId !== ADMIN_CHAT_ID)).toBe(true)
    expect(cardsOf(answers)[0]!.content.header.title.content).toBe('我的待办')
  })
})

describe('诉求 <number> for officers', () => {
  it('answers with the full officer card privately, from a lenient number', async () => {
    const answers = await answersTo(t, OFFICER_2.openId, '诉求 g-2026-2')
    const card = cardsOf(answers)[0]!
    expect(card.content.header.title.content).toBe(`维权诉求 ${numbers[1]}`)
    expect(cardJson(card.content)).toContain('grievance.note')
    // In the committee group: privately, never the card in the group.
    const inGroup = await answersTo(t, CHAIR, `诉求 ${numbers[0]}`, ADMIN_CHAT_ID)
    expect(cardsOf(inGroup).every((m) => m.chatId !== ADMIN_CHAT_ID)).toBe(true)
    expect(cardsOf(inGroup)[0]!.content.header.title.content).toBe(`维权诉求 ${numbers[0]}`)
  })

  it('the officer card offers only the steps of the status, in workflow order, destructive ones confirmed', async () => {
    const pending = cardsOf(await answersTo(t, CHAIR, `诉求 ${numbers[2]}`))[0]!.content
    const order = (card: unknown) => buttonsOf(card).map((b) => String(b.value.action)).filter((a) => a.startsWith('grievance.'))
    // 回避本案 last, away from the workflow (issue #13 recusal); 受理 once per time-limit class (一般, 复杂).
    expect(order(pending)).toEqual(['grievance.accept', 'grievance.accept', 'grievance.assign', 'grievance.reply', 'grievance.decline', 'grievance.escalate', 'grievance.identity.request', 'grievance.note', 'grievance.recuse'])
    // No form on the card itself (QA F9): each step's button opens its form.
    expect(JSON.stringify(pending)).not.toContain('"tag":"form"')
    const accepted = cardsOf(await answersTo(t, CHAIR, `诉求 ${numbers[1]}`))
    expect(order(accepted[0]!.content)).toEqual(['grievance.assign', 'grievance.reply', 'grievance.resolve', 'grievance.extend.request', 'grievance.escalate', 'grievance.note', 'grievance.recuse'])
    const confirmsOf = (card: unknown) => (JSON.stringify(card).match(/"confirm":\{"title":\{"tag":"plain_text","content":"([^"]+)"/g) ?? []).map((c) => c.split('"').at(-2))
    expect(confirmsOf(accepted[0]!.content)).toEqual(['回避本案'])
    // On a private copy the form replaces the card; its submit asks for confirmation, and 返回 brings the card back.
    const form = await openForm(t, CHAIR.openId, accepted[0]!.messageId, 'grievance.resolve')
    expect(form.messageId).toBe(accepted[0]!.messageId)
    expect(confirmsOf(t.fake.currentCard(form.messageId))).toEqual(['办结'])
    const back = await clickOn(t, CHAIR, form.messageId, 'grievance.form.back')
    expect(order(back.body.card.data)).toEqual(order(accepted[0]!.content))
  })

  it('an anonymous case shows 匿名职工 only', async () => {
    const card = cardsOf(await answersTo(t, CHAIR, `诉求 ${numbers[0]}`))[0]!
    expect(cardText(card.content)).toContain('匿名职工')
    expect(cardJson(card.content)).not.toContain(worker.openId)
    expect(cardJson(card.content)).not.toContain(worker.name)
  })

  it('a number that does not exist is not found; a worker still sees only their own cases', async () => {
    expect(textsOf(await answersTo(t, CHAIR, '诉求 G-2026-0999'))[0]).toContain('未找到诉求 G-2026-0999')
    const other = newWorker(t, '吴九')
    expect(textsOf(await answersTo(t, other, `诉求 ${numbers[1]}`))[0]).toContain(`未找到诉求 ${numbers[1]}`)
  })
})

describe('诉求列表', () => {
  it('refuses non-officers and unknown filters politely', async () => {
    expect(textsOf(await answersTo(t, worker, '诉求列表'))[0]).toContain('只有工会干部')
    expect(textsOf(await answersTo(t, CHAIR, '诉求列表 乱写'))[0]).toContain('诉求列表 待受理 / 处理中 / 已超期 / 已办结 / 我的')
  })

  it('filters by status: 待受理, 处理中, 已超期, 我的', async () => {
    const list = async (who: string, filter: string) => cardsOf(await answersTo(t, who, `诉求列表 ${filter}`))[0]!.content
    expect(cardText(await list(CHAIR.openId, '待受理'))).toContain('共 **10** 件')
    const handling = await list(CHAIR.openId, '处理中')
    expect(cardText(handling)).toContain('共 **1** 件')
    expect(cardText(handling)).toContain(`**${numbers[1]}** · 处理中 · 劳动报酬`)
    const overdue = await list(CHAIR.openId, '已超期')
    expect(cardText(overdue)).toContain('共 **1** 件')
    expect(cardText(overdue)).toContain(numbers[0]!)
    expect(cardText(await list(OFFICER_2.openId, '我的'))).toContain(numbers[1]!)
    const mineEmpty = cardText(await list(CHAIR.openId, '我的'))
    expect(mineEmpty).toContain('没有我承办的诉求。')
    expect(mineEmpty).not.toContain('的的')
    expect(mineEmpty).not.toContain('点「打开」')
    expect(cardText(handling)).toContain('点「打开」在私聊中查看并处理。')
    expect(cardText(await list(CHAIR.openId, '已办结'))).toContain('共 **0** 件')
  })

  it('pages by buttons', async () => {
    const m = cardsOf(await answersTo(t, CHAIR, '诉求列表'))[0]!
    expect(linesOf(m.content)).toHaveLength(8)
    const next = (await clickOn(t, CHAIR, m, 'grievance.list.page')).body.card.data
    expect(cardText(next)).toContain('第 2/2 页')
    expect(linesOf(next)).toHaveLength(3)
  })
})

describe('诉求 搜索', () => {
  it('finds cases by words of the description or the category', async () => {
    const hot = cardsOf(await answersTo(t, CHAIR, '诉求 搜索 热水器'))[0]!.content
    expect(cardText(hot)).toContain('共 **1** 件')
    expect(cardText(hot)).toContain(numbers[0]!)
    expect(cardText(cardsOf(await answersTo(t, CHAIR, '诉求 搜索 劳动报酬'))[0]!.content)).toContain('共 **11** 件')
  })

  it('never finds a case by its reporter, and shows no reporter in the lines', async () => {
    // 欧阳实名 filed numbers[1] under their name; the description mentions 欧阳某某, so search 实名 (only in the name).
    expect(cardText(cardsOf(await answersTo(t, CHAIR, '诉求 搜索 欧阳实名'))[0]!.content)).toContain('共 **0** 件')
    const byText = cardsOf(await answersTo(t, CHAIR, '诉求 搜索 欧阳'))[0]!.content
    expect(cardText(byText)).toContain('共 **1** 件')
    expect(cardJson(byText)).not.toContain('欧阳实名')
    for (const w of [worker, named]) {
      expect(cardJson(byText)).not.toContain(w.openId)
    }
    // % and _ are literal, not wildcards.
    expect(cardText(cardsOf(await answersTo(t, CHAIR, '诉求 搜索 %'))[0]!.content)).toContain('共 **0** 件')
  })

  it('refuses non-officers, escapes a hostile term and pages', async () => {
    expect(textsOf(await answersTo(t, worker, '诉求 搜索 加班'))[0]).toContain('只有工会干部')
    for (const h of HOSTILE) expectEscaped(cardsOf(await answersTo(t, CHAIR, `诉求 搜索 ${h}`))[0]!.content)
    const m = cardsOf(await answersTo(t, CHAIR, '诉求 搜索 加班'))[0]!
    expect(cardText(m.content)).toContain('第 1/2 页')
    const next = (await clickOn(t, CHAIR, m, 'grievance.search.page')).body.card.data
    expect(cardText(next)).toContain('第 2/2 页')
    expect(textsOf(await answersTo(t, CHAIR, '诉求 搜索'))[0]).toContain('请在「诉求 搜索」后写上关键词')
  })
})

describe('待办: a case accepted but not yet assigned (QA F11)', () => {
  /** Every line of every page of the officer's 待办 (page buttons clicked through). */
  const wholeQueue = async (who: Person | typeof CHAIR): Promise<string> => {
    const m = cardsOf(await answersTo(t, who, '待办'))[0]!
    let text = cardText(t.fake.currentCard(m.messageId))
    for (let i = 0; i < 5 && buttonsOf(t.fake.currentCard(m.messageId)).some((b) => b.text === '下一页'); i++) {
      await clickOn(t, who, m, { text: '下一页' })
      text += cardText(t.fake.currentCard(m.messageId))
    }
    return text
  }

  it('is on the accepting officer’s 待办 until someone is assigned, then on the assignee’s', async () => {
    const number = await fileGrievance(t, newWorker(t, '郑十一'), { description: '食堂的饭菜价格涨了一倍，质量却越来越差。' })
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    const chairs = await wholeQueue(CHAIR)
    expect(chairs).toContain(`**${number}** · 处理中`)
    expect(chairs).toMatch(new RegExp(`${number}\\*\\* · 处理中[^\\n]*待指派承办人`))
    expect(await wholeQueue(OFFICER_2)).not.toContain(number)

    await officerAct(t, CHAIR.openId, number, 'grievance.assign', { assignee: OFFICER_2.openId })
    expect(await wholeQueue(CHAIR)).not.toContain(number)
    expect(await wholeQueue(OFFICER_2)).toContain(`**${number}** · 处理中`)
  })
})
