// The worker's side of a grievance (issue #3): 我的诉求, 诉求 <number> (someone else's number answers like a
// missing one), 补充 relayed to the committee and officer replies relayed back (anonymous both ways), and the
// satisfaction rating after 办结, where 不满意 reopens the case and tells the committee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, fileGrievance, newWorker, officerAct, reviewCard } from '../helpers/grievances.js'
import { buttonValue, cardText, clickOn, committeeMessages, inbox, lastTo, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-11T02:00:00Z') // Monday 10:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** Moves the clock past the longest relay delay (GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES, 60) and ticks. */
async function afterRelayDelay(minutes = 61): Promise<void> {
  clock.set(new Date(clock.now().getTime() + minutes * 60_000))
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

const rowOf = (number: string) => t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()

describe('queries', () => {
  it('我的诉求 lists only the asker’s own cases with their status', async () => {
    const a = newWorker(t, '甲')
    const b = newWorker(t, '乙')
    const a1 = await fileGrievance(t, a, { category: '2' })
    const a2 = await fileGrievance(t, a, { category: '3', anonymous: false })
    const b1 = await fileGrievance(t, b)
    await officerAct(t, CHAIR.openId, a1, 'grievance.accept')
    await say(t, a, '我的诉求')
    const list = cardText(lastTo(t, a)!.content)
    expect(list).toContain(`**${a1}** 工作时间与休息休假 · 处理中`)
    expect(list).toContain(`**${a2}** 劳动安全卫生 · 待受理`)
    expect(list).not.toContain(b1)
    const fresh = newWorker(t)
    await say(t, fresh, '我的诉求')
    expect(cardText(lastTo(t, fresh)!.content)).toContain('您还没有提交过诉求')
  })

  it('诉求 <number> shows one’s own case; someone else’s number answers exactly like a number that does not exist', async () => {
    const owner = newWorker(t, '丙')
    const other = newWorker(t, '丁')
    const number = await fileGrievance(t, owner)
    await say(t, owner, `诉求 ${number}`)
    const own = lastTo(t, owner)!
    expect(own.content.header.title.content).toBe(`诉求 ${number}`)
    expect(own.content.config.summary.content).toBe(`诉求 ${number}：待受理`)
    expect(cardText(own.content)).toContain('加班费')

    const missing = 'G-2026-0999'
    await say(t, other, `诉求 ${number}`)
    const forOther = lastTo(t, other)!
    await say(t, other, `诉求 ${missing}`)
    const forMissing = lastTo(t, other)!
    expect(forOther.msgType).toBe(forMissing.msgType)
    expect(forOther.content.text.replace(number, 'N')).toBe(forMissing.content.text.replace(missing, 'N'))
    expect(forOther.content.text).toBe(`未找到诉求 ${number}。请检查编号，或发送「我的诉求」查看您提交的诉求。`)
    // The same for 补充 and in lower case / without zero padding.
    await say(t, other, `补充 ${number} 我也想补充一点情况`)
    const followOther = lastTo(t, other)!.content.text
    await say(t, other, `补充 ${missing} 我也想补充一点情况`)
    expect(followOther.replace(number, 'N')).toBe(lastTo(t, other)!.content.text.replace(missing, 'N'))
    await say(t, owner, `诉求 ${number.toLowerCase().replace(/-0+/, '-')}`)
    expect(lastTo(t, owner)!.content.header.title.content).toBe(`诉求 ${number}`)
    await say(t, owner, `诉求${number} 进度怎么样了`)
    expect(lastTo(t, owner)!.content.header.title.content).toBe(`诉求 ${number}`)
  })

  it('in a group, 诉求 <number> and 我的诉求 answer privately and the group gets nothing (F17)', async () => {
    const w = newWorker(t)
    const number = await fileGrievance(t, w)
    const group = 'oc_canteen_group'
    await t.sendMessage({ sender: w.openId, chatId: group, chatType: 'group', text: `诉求 ${number}`, mentionBot: true })
    await t.sendMessage({ sender: w.openId, chatId: group, chatType: 'group', text: '我的诉求', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat(group)).toHaveLength(0)
    const privately = t.fake.messagesToUser(w.openId).slice(-2)
    expect(privately.map((m) => m.content.header.title.content)).toEqual([`诉求 ${number}`, '我的诉求'])
  })
})

describe('relays both ways', () => {
  it('补充 from an anonymous reporter reaches the committee as 匿名职工 after a random delay; the officer’s reply reaches the reporter with a warning', async () => {
    const w = newWorker(t, '钱九')
    const number = await fileGrievance(t, w, { anonymous: true })
    const before = committeeMessages(t).length
    const reviewPatches = t.fake.messages.find((m) => m.messageId === reviewCard(t, number).messageId)!.patches.length
    await say(t, w, `补充 ${number} 上个月 20 号夜班，主管让我们干到凌晨两点。`)
    expect(lastTo(t, w)!.content.text).toBe(`已收到，为保护您的匿名，将在稍后转交工会（诉求 ${number}）。`)
    // Security review F7: before, the follow-up card reached the committee 26 ms after sending.
    expect(committeeMessages(t).slice(before)).toHaveLength(0)
    expect(t.fake.messages.find((m) => m.messageId === reviewCard(t, number).messageId)!.patches.length).toBe(reviewPatches)
    expect(cardText(reviewCard(t, number).card)).not.toContain('职工补充')
    await afterRelayDelay(9) // less than GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES (10)
    expect(committeeMessages(t).slice(before)).toHaveLength(0)
    await afterRelayDelay(52) // 61 minutes after sending: past the longest delay
    const posted = committeeMessages(t).slice(before)
    expect(posted).toHaveLength(1)
    expect(posted[0]!.content.header.title.content).toBe(`职工补充 · ${number}`)
    const text = cardText(posted[0]!.content)
    expect(text).toContain('**反映人：**匿名职工')
    expect(text).toContain('凌晨两点')
    expect(text).toContain('**日期：**2026-05-11')
    expect(text).not.toMatch(/\d{2}:\d{2}/)
    expect(posted[0]!.content.config.enable_forward).toBe(false)
    expect(JSON.stringify(posted[0]!.content)).not.toContain(w.openId)
    expect(JSON.stringify(posted[0]!.content)).not.toContain('钱九')
    // The review card was patched with the follow-up in its history.
    expect(cardText(reviewCard(t, number).card)).toContain('匿名职工 **职工补充**')

    const sentBefore = inbox(t, w).length
    const res = await officerAct(t, CHAIR.openId, number, 'grievance.reply', { reply: '收到。请问当晚还有哪些同事在场？' })
    expect(res.body.toast.content).toBe('已转达给职工')
    const relayed = inbox(t, w).slice(sentBefore)
    expect(relayed).toHaveLength(1)
    expect(cardText(relayed[0]!.content)).toContain('还有哪些同事在场')
    expect(cardText(relayed[0]!.content)).toContain('立即回复或打开消息中的链接，可能让对方推测出您的身份')
    // A second tick delivers nothing again (the queue row is gone once delivered).
    const delivered = committeeMessages(t).length
    await afterRelayDelay(1)
    expect(committeeMessages(t).length).toBe(delivered)
    expect(await t.bot.services.db.selectFrom('grievance_relays').selectAll().execute()).toEqual([])
    // Nothing the officers can see names the reporter.
    for (const m of committeeMessages(t)) {
      expect(JSON.stringify(m)).not.toContain(w.openId)
      expect(JSON.stringify(m)).not.toContain('钱九')
    }
  })

  it('an anonymous 补充 whose post failed is delivered by a later run once its claim lapses, and shows once', async () => {
    const w = newWorker(t)
    const number = await fileGrievance(t, w, { anonymous: true })
    await say(t, w, `补充 ${number} 夜班的考勤记录被人改过。`)
    const posts = () => committeeMessages(t).filter((m) => m.content?.header?.title?.content === `职工补充 · ${number}`)
    // Feishu takes the message but every answer is lost: the run cannot tell it went out.
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5, applyFirst: true })
    await afterRelayDelay()
    expect(posts()).toHaveLength(1)
    expect(await t.bot.services.db.selectFrom('grievance_relays').selectAll().execute()).toHaveLength(1)
    await afterRelayDelay(1) // the claim (5 minutes) still holds: nobody else takes the row
    await afterRelayDelay(5) // lapsed: delivered again with the same uuid, which Feishu de-duplicates
    expect(posts()).toHaveLength(1)
    expect(await t.bot.services.db.selectFrom('grievance_relays').selectAll().execute()).toEqual([])
    const g = await rowOf(number)
    const entries = await t.bot.services.db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).where('kind', '=', 'follow_up').execute()
    expect(entries).toHaveLength(1)
    expect(cardText(reviewCard(t, number).card).match(/职工补充/g)).toHaveLength(1)
    clock.set('2026-05-11T02:00:00Z')
  })

  it('补充 in a group is not taken in; 补充 without text or on a finished case is explained', async () => {
    const w = newWorker(t)
    const number = await fileGrievance(t, w)
    const before = committeeMessages(t).length
    await t.sendMessage({ sender: w.openId, chatId: 'oc_g2', chatType: 'group', text: `补充 ${number} 群里补充的内容不应被转交`, mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_g2')).toHaveLength(0)
    expect(lastTo(t, w)!.content.text).toBe('为保护您的隐私，补充内容请只在与「工会助手」的私聊中发送「补充 编号 内容」；在群里发送的内容没有转交工会。')
    await say(t, w, '补充')
    expect(lastTo(t, w)!.content.text).toContain('请按「补充 编号 内容」发送')
    await say(t, w, `补充 ${number}`)
    expect(lastTo(t, w)!.content.text).toContain('请在编号后写上要补充的内容')
    await say(t, w, `补充 ${number} ${'多'.repeat(2001)}`)
    expect(lastTo(t, w)!.content.text).toContain('补充内容最多 2000 个字')
    await officerAct(t, CHAIR.openId, number, 'grievance.decline', { reason: '重复反映' })
    await say(t, w, `补充 ${number} 还有一件事想说明一下`)
    expect(lastTo(t, w)!.content.text).toBe(`诉求 ${number} 已结束（不予受理），不能再补充。如有新的问题，请发送「投诉」重新反映。`)
    expect(committeeMessages(t).slice(before).filter((m) => m.content?.header?.title?.content?.startsWith('职工补充'))).toHaveLength(0)
  })
})

describe('rating after 办结', () => {
  async function resolved(anonymous = true) {
    const w = newWorker(t, '孙十')
    const number = await fileGrievance(t, w, { anonymous })
    await officerAct(t, CHAIR.openId, number, 'grievance.accept')
    await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '已与车间协商调整排班。' })
    const ratingCard = lastTo(t, w)!
    expect(ratingCard.content.header.title.content).toBe(`诉求 ${number} 已办结`)
    return { w, number, ratingCard }
  }

  it('满意 closes the case once, even when clicked twice', async () => {
    const { w, number, ratingCard } = await resolved()
    const first = await clickOn(t, w.openId, ratingCard.messageId, 'grievance.rate', { match: { rating: 'satisfied' }, chatId: `oc_p2p_${w.openId}` })
    expect(first.body.toast).toEqual({ type: 'success', content: '感谢您的评价' })
    expect(cardText(first.body.card.data)).toContain('已收到您的评价：**满意**')
    const value = { action: 'grievance.rate', gid: (await rowOf(number)).id, round: 0, rating: 'basically_satisfied' }
    const second = await t.click({ operator: w.openId, value, messageId: ratingCard.messageId })
    await t.settle()
    expect(second.body.toast).toEqual({ type: 'info', content: '您已评价过这次办理，谢谢！' })
    // An anonymous rating changes the case only when the relay delivers it (F7): until then no officer's view — the
    // card, the row behind 诉求 lookups and digest counts — can date the click.
    expect(await rowOf(number)).toMatchObject({ status: 'resolved', satisfaction: null, rated_at: null, reopened_count: 0 })
    expect(cardText(reviewCard(t, number).card)).not.toContain('**职工评价：**满意')
    expect(cardText(reviewCard(t, number).card)).not.toContain('已结案')
    await afterRelayDelay()
    const g = await rowOf(number)
    expect(g).toMatchObject({ status: 'closed', satisfaction: 'satisfied', reopened_count: 0 })
    expect(g.closed_at?.toISOString()).toBe(clock.now().toISOString())
    expect(g.rated_at?.toISOString()).toBe(clock.now().toISOString())
    // Then the committee's card of the ended case collapses to one line (issue #13); the full card has the rating.
    expect(cardText(reviewCard(t, number).card)).toContain(`**${number}** · 劳动报酬 · 已结案`)
    await clickOn(t, CHAIR.openId, reviewCard(t, number).messageId, 'desk.open')
    const full = lastTo(t, CHAIR.openId)!.content
    expect(full.header.title.content).toBe(`维权诉求 ${number}`)
    expect(cardText(full)).toContain('**职工评价：**满意')
    expect(cardText(full).match(/职工评价：满意/g)).toHaveLength(1)
    clock.set('2026-05-11T02:00:00Z')
  })

  it('不满意 reopens the case with a fresh resolve deadline and tells the committee; a second 办结 asks again', async () => {
    const { w, number, ratingCard } = await resolved()
    const before = committeeMessages(t).length
    clock.set('2026-05-12T03:00:00Z') // Tuesday
    // Only 不满意 asks first (QA F10): Feishu shows the dialog before the click reaches the bot.
    const buttons = JSON.stringify(t.fake.currentCard(ratingCard.messageId)).match(/"confirm":\{[^}]*\}[^}]*\}/g) ?? []
    expect(buttons).toHaveLength(1)
    expect(buttons[0]).toContain('确定不满意？诉求将重新打开，工会继续处理。')
    const res = await clickOn(t, w.openId, ratingCard.messageId, 'grievance.rate', { match: { rating: 'dissatisfied' }, chatId: `oc_p2p_${w.openId}` })
    expect(res.body.toast.content).toBe('已重新打开，工会将继续处理')
    expect(await rowOf(number)).toMatchObject({ status: 'resolved', satisfaction: null, reopened_count: 0 })
    // A second click while the rating waits in the relay queue queues nothing more.
    const twice = await t.click({ operator: w.openId, value: { action: 'grievance.rate', gid: (await rowOf(number)).id, round: 0, rating: 'satisfied' }, messageId: ratingCard.messageId })
    expect(twice.body.toast).toEqual({ type: 'info', content: '您已评价过这次办理，谢谢！' })
    expect(committeeMessages(t).slice(before).filter((m) => m.msgType === 'text')).toHaveLength(0)
    await afterRelayDelay()
    const g = await rowOf(number)
    expect(g).toMatchObject({ status: 'accepted', satisfaction: 'dissatisfied', reopened_count: 1, closed_at: null })
    // 15 working days after Tuesday 2026-05-12 (the relay delivers the same day): Tuesday 2026-06-02.
    expect(g.resolve_due_at.toISOString()).toBe('2026-06-02T15:59:59.999Z')
    const told = committeeMessages(t).slice(before).filter((m) => m.msgType === 'text')
    expect(told.map((m) => m.content.text)).toEqual([`诉求 ${number} 的反映人对办理结果「不满意」，诉求已重新打开（状态：处理中），请继续处理。`])
    const review = reviewCard(t, number).card
    expect(cardText(review)).toContain('**状态：**处理中（已重新打开 1 次）')
    expect(cardText(review)).toContain('匿名职工 **重新打开**')
    expect(buttonValue(review, 'grievance.resolve')).toBeDefined()

    // The old rating card is spent.
    const stale = await t.click({ operator: w.openId, value: { action: 'grievance.rate', gid: g.id, round: 0, rating: 'satisfied' }, messageId: ratingCard.messageId })
    expect(stale.body.toast.content).toBe('您已评价过这次办理，谢谢！')
    await officerAct(t, CHAIR.openId, number, 'grievance.resolve', { result: '已重新调整，并书面答复。' })
    const again = lastTo(t, w)!
    expect(buttonValue(again.content, 'grievance.rate', { rating: 'satisfied' })).toMatchObject({ round: 1 })
    await clickOn(t, w.openId, again.messageId, 'grievance.rate', { match: { rating: 'basically_satisfied' }, chatId: `oc_p2p_${w.openId}` })
    await afterRelayDelay()
    expect(await rowOf(number)).toMatchObject({ status: 'closed', satisfaction: 'basically_satisfied', reopened_count: 1 })
    clock.set('2026-05-11T02:00:00Z')
  })

  it('someone other than the reporter cannot rate', async () => {
    const { number, ratingCard } = await resolved(false)
    const stranger = newWorker(t)
    const res = await clickOn(t, stranger.openId, ratingCard.messageId, 'grievance.rate', { match: { rating: 'dissatisfied' } })
    expect(res.body.toast).toEqual({ type: 'error', content: '该按钮已失效，请重新发起操作。' })
    expect(await rowOf(number)).toMatchObject({ status: 'resolved', satisfaction: null })
    expect(committeeMessages(t).every((m) => m.chatId === ADMIN_CHAT_ID)).toBe(true)
  })
})

// Security review F15: one worker could flood the committee anonymously with review and follow-up cards.
describe('daily caps', () => {
  it('refuses a 6th filing on one day (GRIEVANCE_DAILY_FILING_CAP 5) politely, and accepts it the next day', async () => {
    const w = newWorker(t)
    for (let i = 0; i < 5; i++) await fileGrievance(t, w)
    const cards = committeeMessages(t).length
    await say(t, w, '投诉')
    expect(lastTo(t, w)!.content.text).toBe('您今天已提交 5 件诉求，达到每人每天 5 件的上限。请明天 0 点后再提交；情况紧急的，请直接联系工会干部。')
    expect((await t.bot.services.conversations.load(w.openId)).status).not.toBe('active')
    // Typed in a group, the refusal goes privately too.
    await t.sendMessage({ sender: w.openId, chatId: 'oc_cap_group', chatType: 'group', text: '投诉', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_cap_group')).toHaveLength(0)
    expect(committeeMessages(t).length).toBe(cards)
    clock.set('2026-05-11T16:00:00Z') // 00:00 on 12 May in Shanghai
    const next = await fileGrievance(t, w)
    expect(next).toMatch(/^G-2026-/)
    clock.set('2026-05-11T02:00:00Z')
  })

  it('refuses the 21st 补充 of one day (GRIEVANCE_DAILY_FOLLOWUP_CAP 20), over all of a person’s cases', async () => {
    const w = newWorker(t)
    const a = await fileGrievance(t, w, { anonymous: false })
    const b = await fileGrievance(t, w, { anonymous: false })
    for (let i = 0; i < 20; i++) await say(t, w, `补充 ${i % 2 ? a : b} 第 ${i + 1} 条补充情况`)
    expect(lastTo(t, w)!.content.text).toContain('已转交工会')
    const cards = committeeMessages(t).length
    await say(t, w, `补充 ${a} 第 21 条补充情况`)
    expect(lastTo(t, w)!.content.text).toBe('您今天已补充 20 次，达到每人每天 20 次的上限。请明天 0 点后再补充；也可以把要说的内容合在一条里发送。')
    expect(committeeMessages(t).length).toBe(cards)
    const g = await rowOf(a)
    const followUps = await t.bot.services.db.selectFrom('grievance_events').selectAll().where('grievance_id', '=', g.id).where('kind', '=', 'follow_up').execute()
    expect(followUps).toHaveLength(10)
  })
})

describe('settings', () => {
  it('validates the relay delay and the caps', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config.js')
    expect(loadConfig({}).grievance).toMatchObject({ anonRelayDelayMinMinutes: 10, anonRelayDelayMaxMinutes: 60, dailyFilingCap: 5, dailyFollowUpCap: 20 })
    expect(() => loadConfig({ GRIEVANCE_ANON_RELAY_DELAY_MIN_MINUTES: '70', GRIEVANCE_ANON_RELAY_DELAY_MAX_MINUTES: '60' })).toThrow(ConfigError)
    expect(() => loadConfig({ GRIEVANCE_DAILY_FILING_CAP: '-1' })).toThrow(ConfigError)
    expect(loadConfig({ GRIEVANCE_DAILY_FOLLOWUP_CAP: '0' }).grievance.dailyFollowUpCap).toBe(0)
  })
})
