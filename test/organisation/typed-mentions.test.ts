// A typed `@张伟` (plain text, not a person picked from Feishu's list) in the organisation's commands (QA F14),
// through the real webhook: in a group the sender is told to pick from the list; in private chat the name is tried
// against the people the organisation knows, and one match is offered back with 「是，继续」, which runs the command
// with that person (once); no match or several say so. Nothing changes until the officer confirms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PICK_FROM_LIST } from '../../handlers/organisation/typed-mentions.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { toCsv } from '../../src/kit/csv.js'
import { findMember } from '../../src/organisation/members.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitle, clickOn, expectEscaped, lastCard, lastText, p2p, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const GROUP = 'oc_typed_group'
const ZHANG = { openId: 'ou_typed_zhang', name: '张伟' }
const CHEN = { openId: 'ou_typed_chen', name: '陈静' }
const TWIN_1 = { openId: 'ou_typed_twin_1', name: '王芳' }
const TWIN_2 = { openId: 'ou_typed_twin_2', name: '王芳' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db })
  for (const p of [ZHANG, CHEN, TWIN_1, TWIN_2]) await t.bot.services.users.seen(p.openId, p.name)
  // Members the organisation knows by name (imported), two of them with the same name.
  t.fake.inboundFiles.set('om_typed_csv/file_typed_csv', toCsv([['open_id', '姓名', '部门', '入会日期'], ...[ZHANG, CHEN, TWIN_1, TWIN_2].map((p) => [p.openId, p.name, '第一车间', '2024-05-01'])]))
  await say(t, CHAIR, '会员 导入')
  await t.sendMessage({ sender: CHAIR, chatId: p2p(CHAIR), chatType: 'p2p', messageType: 'file', content: { file_key: 'file_typed_csv', file_name: '会员.csv' }, messageId: 'om_typed_csv' })
  await t.settle()
  expect(cardText(lastCard(t, CHAIR).content)).toContain('4 人登记为会员')
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const roleOf = async (openId: string) => (await t.bot.services.db.selectFrom('officers').select('role').where('open_id', '=', openId).executeTakeFirst())?.role

describe('a typed @name in a group', () => {
  for (const command of ['干部 添加 @陈静 副主席', '会员 转出 @张伟 调往上海分公司', '代表 添加 @张伟 选区 二车间', '委员会 女职工委员会 添加 @陈静', '部门 添加 后勤保障部 @张伟']) {
    it(`${command}: says to pick the person from the list, and changes nothing`, async () => {
      await t.sendMessage({ sender: CHAIR, chatId: GROUP, chatType: 'group', text: command, mentionBot: true })
      await t.settle()
      const answer = t.fake.messagesInChat(GROUP).at(-1)!.content.text as string
      expect(answer).toContain(PICK_FROM_LIST)
      expect(answer).not.toContain('用法')
      expect(await roleOf(CHEN.openId)).toBeUndefined()
      expect((await findMember(t.bot.services.db, ZHANG.openId))?.status).toBe('member')
    })
  }
})

describe('a typed @name in private chat', () => {
  it('one known person: 「您是指…吗？」, and 是，继续 runs the command with them, once', async () => {
    await say(t, CHAIR, '干部 添加 @陈静 副主席')
    const ask = lastCard(t, CHAIR)
    expect(cardTitle(ask)).toBe('您是指…吗？')
    expect(cardText(ask.content)).toContain('陈静（会员 · 第一车间）')
    expect(await roleOf(CHEN.openId)).toBeUndefined()
    await clickOn(t, CHAIR, ask, { text: '是，继续' })
    expect(await roleOf(CHEN.openId)).toBe('vice_chair')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('已添加为副主席')
    const again = await clickOn(t, CHAIR, ask, { text: '是，继续' })
    expect(again.body.toast?.content).toBe(MESSAGES.draftGone)
  })

  it('会员 转出 keeps the reason typed after the name', async () => {
    await say(t, CHAIR, '会员 转出 @张伟 调往上海分公司')
    await clickOn(t, CHAIR, lastCard(t, CHAIR), { text: '是，继续' })
    expect(lastText(t, CHAIR)).toContain('已办理会员转出')
    expect(await findMember(t.bot.services.db, ZHANG.openId)).toMatchObject({ status: 'transferred', endReason: '调往上海分公司' })
  })

  it('nobody or several by that name: says so and how to do it in a group', async () => {
    await say(t, CHAIR, '委员会 女职工委员会 添加 @李雷')
    expect(lastText(t, CHAIR)).toContain('没有找到名叫「李雷」的人')
    expect(lastText(t, CHAIR)).toContain(PICK_FROM_LIST)
    await say(t, CHAIR, '代表 添加 @王芳')
    expect(lastText(t, CHAIR)).toContain('「王芳」有 2 位同名')
    expect(await t.bot.services.db.selectFrom('proposal_representatives').select('open_id').where('open_id', 'like', 'ou_typed_twin%').execute()).toEqual([])
  })

  it('a name full of markup is shown escaped on the card', async () => {
    await t.bot.services.users.seen('ou_typed_evil', '<at_id=all>')
    await t.bot.services.db.insertInto('officers').values({ open_id: 'ou_typed_evil', role: 'member', added_by: CHAIR.openId, added_at: new Date() } as never).execute()
    await say(t, CHAIR, '部门 添加 安全环保部 @<at_id=all>')
    expectEscaped(lastCard(t, CHAIR).content)
  })
})
