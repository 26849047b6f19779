// Role-aware help, a kind 取消 with nothing in progress, and a bare case number after 诉求 (issue #14), through the
// real webhook: a worker, an officer, a department contact, a representative and the chair each get their card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, buttonsOf, cardText, cardTitle, clickOn, expectEscaped, lastTo, say, textsOf, EVIL } from '../helpers/chat.js'
import { fileGrievance } from '../helpers/grievances.js'

const CODE = '24681357'
const CHAIR = { openId: 'ou_help_chair', name: '王主席' }
const OFFICER = { openId: 'ou_help_officer', name: '张委员' }
const CONTACT = { openId: 'ou_help_contact', name: '后勤刘' }
const REP = { openId: 'ou_help_rep', name: '代表陈' }
const WORKER = { openId: 'ou_help_worker', name: '赵职工' }

let db: TestDatabase
let t: TestBot
beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: { UNION_SETUP_CODE: CODE, UNION_OFFICER_OPEN_IDS: undefined, UNION_ADMIN_CHAT_ID: ADMIN_CHAT_ID } })
  for (const p of [CHAIR, OFFICER, CONTACT, REP, WORKER]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, `初始化 ${CODE}`)
  await say(t, CHAIR, '干部 添加', [OFFICER])
  await say(t, OFFICER, '部门 添加 后勤保障部', [CONTACT])
  await say(t, OFFICER, '代表 添加', [REP])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function helpOf(who: { openId: string }, text = '帮助') {
  const [card] = await answersTo(t, who, text)
  expect(cardTitle(card)).toBe('工会助手 · 使用帮助')
  return { text: cardText(card!.content), card: card! }
}

describe('帮助 by role', () => {
  it('a worker sees the worker commands as buttons and text, and the card says it is the worker view', async () => {
    const { text, card } = await helpOf(WORKER)
    expect(text).toContain('下面是**职工**可以使用的指令')
    for (const usage of ['**投诉**', '**我的诉求**', '**活动 [A-012]**', '**入会**']) expect(text).toContain(usage)
    for (const officerOnly of ['诉求列表', '发起活动', '干部 添加', '提案处理', '提交提案']) expect(text).not.toContain(officerOnly)
    expect(buttonsOf(card.content).map((b) => b.text)).toEqual(['投诉', '我的诉求', '活动', '提案列表'])
    // A button runs its command privately.
    await clickOn(t, WORKER, card, { text: '我的诉求' })
    expect(lastTo(t, WORKER)!.messageId).not.toBe(card.messageId)
  })

  it('an officer sees the officer sections too; a department contact and a representative their own', async () => {
    const officer = await helpOf(OFFICER)
    expect(officer.text).toContain('您的身份：**工会干部**')
    for (const usage of ['诉求列表', '发起活动', '**投诉**']) expect(officer.text).toContain(usage)
    expect(officer.text).not.toContain('设为委员会群')
    expect(buttonsOf(officer.card.content)[0]!.text).toBe('待办')

    const contact = await helpOf(CONTACT)
    expect(contact.text).toContain('您的身份：**部门联系人**')
    expect(contact.text).toContain('提案交办卡片')
    expect(contact.text).not.toContain('诉求列表')

    const rep = await helpOf(REP)
    expect(rep.text).toContain('您的身份：**职工代表**')
    expect(rep.text).toContain('提交提案')
    expect(rep.text).not.toContain('提案处理')
  })

  it('the chair sees the set-up commands; 帮助 诉求 gives one section; an unknown topic says so, escaped', async () => {
    const chair = await helpOf(CHAIR)
    expect(chair.text).toContain('工会主席')
    expect(chair.text).toContain('设为委员会群')
    const one = await helpOf(WORKER, '帮助 诉求')
    expect(one.text).toContain('**维权诉求**')
    expect(one.text).not.toContain('**活动报名**')
    expect(buttonsOf(one.card.content)).toEqual([])
    const none = await helpOf(WORKER, `帮助 ${EVIL}`)
    expect(none.text).toContain('没有找到与')
    expectEscaped(none.card.content, 'markdown')
  })

  it('in a workers group the card lists what everyone may use; in the committee group the officers’ commands', async () => {
    const [group] = await answersTo(t, OFFICER, '帮助', 'oc_help_workers')
    expect(cardText(group!.content)).toContain('请私聊我发送「帮助」查看')
    expect(cardText(group!.content)).not.toContain('诉求列表')
    const [committee] = await answersTo(t, WORKER, '帮助', ADMIN_CHAT_ID)
    expect(cardText(committee!.content)).toContain('诉求列表')
  })
})

describe('取消 with nothing in progress', () => {
  it('gets a kind answer, not "没听懂"; counted as understood', async () => {
    for (const word of ['取消', '退出', 'Cancel']) {
      const sent = await answersTo(t, WORKER, word)
      expect(textsOf(sent)).toEqual([MESSAGES.nothingToCancel])
    }
    const counted = (await t.bot.metrics.messagesUnderstood.get()).values.find((v) => v.labels.via === 'cancel')?.value
    expect(counted).toBe(3)
  })
})

describe('a case number without its letter', () => {
  it('诉求 2026-1 from a worker looks up their own case and starts no filing', async () => {
    const number = await fileGrievance(t, WORKER)
    const seq = Number(number.split('-')[2])
    const sent = await answersTo(t, WORKER, `诉求 2026-${seq}`)
    expect(JSON.stringify(sent)).toContain(number)
    expect((await t.bot.services.conversations.load(WORKER.openId)).status).not.toBe('active')
    // Someone else's number is not shown to them: the same answer as for a number that does not exist.
    const other = await answersTo(t, REP, `诉求 ２０２６－${seq}`)
    expect(JSON.stringify(other)).toContain(`未找到诉求 ${number}`)
    expect((await t.bot.services.conversations.load(REP.openId)).status).not.toBe('active')
    // A date is description, not a number: 投诉 2026-11-03 … starts a filing.
    await say(t, REP, '投诉 2026-11-03 那天班长当众骂人，还扣了我们组的奖金。')
    expect((await t.bot.services.conversations.load(REP.openId)).status).toBe('active')
    await say(t, REP, '取消')
  })
})
