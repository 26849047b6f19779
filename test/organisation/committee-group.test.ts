// 设为委员会群 checks who is in the group first (QA F1, issue #20), through the real webhook: an all-officer group
// switches at once; a group with workers, or one whose members cannot be read, gets a confirmation card (a count,
// never names) and nothing changes until the chair confirms; a non-chair's click is refused; the old group is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONFIRM_CHAIR_ONLY } from '../../handlers/organisation/setup.js'
import { COMMITTEE_GROUP_LEFT_TEXT } from '../../cards/organisation/setup.js'
import { auditTrail } from '../../src/core/audit.js'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, buttonsOf, cardText, cardTitle, cardsOf, clickOn, clickValue, EVIL, expectEscaped, say, textsIn, textsOf } from '../helpers/chat.js'
import { fileGrievance, newWorker } from '../helpers/grievances.js'

const clock = new ManualClock('2026-06-01T02:00:00Z')
const OFFICER = { openId: 'ou_cg_officer', name: '赵委员' }
const WORKER_A = { openId: 'ou_cg_worker_a', name: '张伟' }
const WORKER_B = { openId: 'ou_cg_worker_b', name: '刘芳' }
const OFFICERS_GROUP = 'oc_cg_officers_only'
const WORKERS_GROUP = 'oc_cg_workshop'
const UNREADABLE_GROUP = 'oc_cg_unreadable'

describe('设为委员会群 checks the group’s members first', () => {
  let db: TestDatabase
  let t: TestBot
  const committeeChat = async () => (await t.bot.services.db.selectFrom('organisation_settings').select('value').where('key', '=', 'committee_chat_id').executeTakeFirst())?.value
  const sets = async () => (await auditTrail(t.bot.services.db, 'organisation', 'committee_chat')).filter((a) => a.action === 'organisation.committee_chat.set')
  const reviewCardsIn = (chatId: string, number: string) => t.fake.messagesInChat(chatId).filter((m) => cardTitle(m) === `维权诉求 ${number}`)

  beforeAll(async () => {
    db = await createTestDatabase()
    t = await startTestBot({ db, clock, env: { UNION_OFFICER_OPEN_IDS: CHAIR.openId } })
    for (const p of [OFFICER, WORKER_A, WORKER_B]) t.fake.users.set(p.openId, { name: p.name })
    await say(t, CHAIR, '干部 添加 @赵委员 委员', [OFFICER])
    expect(await t.bot.services.roles.isOfficer(OFFICER.openId)).toBe(true)
    // The bot is in every group; Feishu never lists bots, and the fake leaves it out too.
    t.fake.chatMembers.set(OFFICERS_GROUP, [CHAIR.openId, OFFICER.openId, t.fake.botOpenId])
    t.fake.chatMembers.set(WORKERS_GROUP, [CHAIR.openId, OFFICER.openId, WORKER_A.openId, WORKER_B.openId, t.fake.botOpenId])
    t.fake.chatMembers.set(UNREADABLE_GROUP, [CHAIR.openId])
    t.fake.chatNames.set(WORKERS_GROUP, '一车间职工群')
  })
  afterAll(async () => {
    await t?.stop()
    await db?.drop()
  })

  it('a group of officers only becomes the committee group at once, and the old group is told once', async () => {
    expect(await committeeChat()).toBe(ADMIN_CHAT_ID)
    const sent = await answersTo(t, CHAIR, '设为委员会群', OFFICERS_GROUP)
    expect(textsOf(sent)[0]).toContain('本群已设为工会委员会群')
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
    expect(t.fake.requests.some((r) => r.method === 'GET' && r.path === `/open-apis/im/v1/chats/${OFFICERS_GROUP}/members`)).toBe(true)
    expect(textsIn(t, ADMIN_CHAT_ID).filter((x) => x === COMMITTEE_GROUP_LEFT_TEXT)).toHaveLength(1)
    // Said again in the same group: nothing changes, nobody is told again.
    await answersTo(t, CHAIR, '设为委员会群', OFFICERS_GROUP)
    expect(textsIn(t, ADMIN_CHAT_ID).filter((x) => x === COMMITTEE_GROUP_LEFT_TEXT)).toHaveLength(1)
    expect(await sets()).toHaveLength(1)
  })

  it('a group with workers gets a confirmation card with how many are not officers (no names); nothing changes meanwhile', async () => {
    const sent = await answersTo(t, CHAIR, '设为委员会群', WORKERS_GROUP)
    const card = cardsOf(sent)[0]
    expect(cardTitle(card)).toBe('确认设为委员会群？')
    expect(card?.content.header.subtitle.content).toBe('群：一车间职工群')
    expect(card?.chatId).toBe(WORKERS_GROUP)
    const text = cardText(card?.content)
    expect(text).toContain('**2** 位成员不是工会干部')
    for (const p of [WORKER_A, WORKER_B, OFFICER, CHAIR]) {
      expect(text).not.toContain(p.name)
      expect(JSON.stringify(card?.content)).not.toContain(p.openId)
    }
    expect(textsOf(sent).join('')).not.toContain('本群已设为工会委员会群')
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
    expect(await sets()).toHaveLength(1)
    // A grievance filed now still goes to the committee group, not to the workers' group.
    const number = await fileGrievance(t, newWorker(t, '陈静'))
    expect(reviewCardsIn(OFFICERS_GROUP, number)).toHaveLength(1)
    expect(reviewCardsIn(WORKERS_GROUP, number)).toEqual([])
  })

  it('a click on 确认 by anyone but the chair is refused, and changes nothing', async () => {
    const card = t.fake.messagesInChat(WORKERS_GROUP).find((m) => cardTitle(m) === '确认设为委员会群？')!
    for (const who of [OFFICER, WORKER_A]) {
      const res = await clickOn(t, who, card, { text: '确认设为委员会群' })
      expect(res.body.toast?.content).toBe(CONFIRM_CHAIR_ONLY)
      const cancel = await clickOn(t, who, card, { text: '取消' })
      expect(cancel.body.toast?.content).toBe(CONFIRM_CHAIR_ONLY)
    }
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
    expect(await sets()).toHaveLength(1)
    expect(buttonsOf(t.fake.currentCard(card.messageId)).map((b) => b.text)).toEqual(['确认设为委员会群', '取消'])
  })

  it('the members cannot be read (no scope): the chair is told so and asked the same way; 取消 keeps the group', async () => {
    t.fake.failNext({ method: 'GET', path: `/open-apis/im/v1/chats/${UNREADABLE_GROUP}/members`, status: 400, body: { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:chat:readonly, im:chat.members:read]' } })
    const card = cardsOf(await answersTo(t, CHAIR, '设为委员会群', UNREADABLE_GROUP))[0]
    expect(cardTitle(card)).toBe('确认设为委员会群？')
    expect(cardText(card?.content)).toContain('无法读取本群的成员名单')
    // No name known for this group: the card says 本群.
    expect(card?.content.header.subtitle.content).toBe('本群')
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
    const res = await clickOn(t, CHAIR, card!, { text: '取消' })
    expect(res.body.card?.data?.header?.title?.content ?? JSON.stringify(res.body)).toContain('未更改委员会群')
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
    expect(await sets()).toHaveLength(1)
  })

  it('a large group is read through every page of the member list (100 a page): each non-officer is counted', async () => {
    const big = 'oc_cg_whole_plant'
    t.fake.chatMembers.set(big, [CHAIR.openId, OFFICER.openId, ...Array.from({ length: 248 }, (_, i) => `ou_cg_plant_${i}`)])
    // A group name is typed by people: shown as plain text, never parsed as markdown.
    t.fake.chatNames.set(big, EVIL)
    const card = cardsOf(await answersTo(t, CHAIR, '设为委员会群', big))[0]
    expect(cardText(card?.content)).toContain('**248** 位成员不是工会干部')
    expect(card?.content.header.subtitle.content).toBe(`群：${EVIL}`)
    expectEscaped(card?.content, 'markdown')
    const pages = t.fake.requests.filter((r) => r.method === 'GET' && r.path === `/open-apis/im/v1/chats/${big}/members`)
    expect(pages.map((r) => r.query.page_token ?? '')).toEqual(['', '100', '200'])
    expect(await committeeChat()).toBe(OFFICERS_GROUP)
  })

  it('the chair confirms: the workers’ group becomes the committee group, the old group is told once, the next grievance goes there', async () => {
    const card = t.fake.messagesInChat(WORKERS_GROUP).find((m) => cardTitle(m) === '确认设为委员会群？')!
    const value = buttonsOf(card.content).find((b) => b.text === '确认设为委员会群')!.value
    const res = await clickOn(t, CHAIR, card, { text: '确认设为委员会群' })
    expect(res.body.toast?.type).toBe('success')
    expect(buttonsOf(t.fake.currentCard(card.messageId))).toEqual([])
    expect(await committeeChat()).toBe(WORKERS_GROUP)
    const audit = await sets()
    expect(audit).toHaveLength(2)
    expect(audit.at(-1)?.detail).toEqual({ chatId: WORKERS_GROUP, previous: OFFICERS_GROUP, confirmedByChair: true })
    expect(textsIn(t, OFFICERS_GROUP).filter((x) => x === COMMITTEE_GROUP_LEFT_TEXT)).toHaveLength(1)
    // A second click (a double tap before the card was replaced) changes nothing and tells nobody again.
    await clickValue(t, CHAIR, value, { messageId: card.messageId, chatId: WORKERS_GROUP })
    await t.settle()
    expect(textsIn(t, OFFICERS_GROUP).filter((x) => x === COMMITTEE_GROUP_LEFT_TEXT)).toHaveLength(1)
    expect(await sets()).toHaveLength(2)
    const number = await fileGrievance(t, newWorker(t, '孙丽'))
    expect(reviewCardsIn(WORKERS_GROUP, number)).toHaveLength(1)
    expect(reviewCardsIn(OFFICERS_GROUP, number)).toEqual([])
  })
})
