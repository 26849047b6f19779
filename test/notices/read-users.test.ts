// 公开 阅读 for notices posted to groups, through the real webhook: Feishu's read_users (GET
// /open-apis/im/v1/messages/:id/read_users, open_ids, every page) merged with the 已阅 clicks, only within Feishu's
// 7 days; what it says when there is no roll at all (QA F4), when the window has passed, and when Feishu refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardsTitled, cardText, clickOn, groupSay, lastCard } from '../helpers/chat.js'
import { enrol, NOTICE_GROUP, OFFICER, publishNotice } from '../helpers/notices.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T01:00:00Z') // Monday 09:00 in Shanghai
const MEMBERS = [
  { openId: 'ou_r_li', name: '李四', department: '一车间' },
  { openId: 'ou_r_wang', name: '王五', department: '一车间' },
  { openId: 'ou_r_zhao', name: '赵六', department: '仓储部' },
]

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => {
  clock.set('2026-06-01T01:00:00Z')
  t.fake.reset()
})

async function figures(number: string): Promise<{ group: string; privately: string | undefined }> {
  t.fake.reset()
  await groupSay(t, NOTICE_GROUP, OFFICER, `公开 阅读 ${number}`)
  const card = cardsTitled(t.fake.messagesInChat(NOTICE_GROUP), `阅读情况 · ${number}`)
  expect(card).toHaveLength(1)
  const mine = t.fake.messagesToUser(OFFICER).filter((m) => m.msgType === 'interactive').at(-1)
  return { group: cardText(card[0]!.content), privately: mine ? cardText(mine.content) : undefined }
}

const readUsersCalls = () => t.fake.requests.filter((r) => r.method === 'GET' && /\/messages\/[^/]+\/read_users$/.test(r.path))

describe('公开 阅读 with nobody on the roll (QA F4)', () => {
  it('says no members were registered at publication, never that everyone confirmed', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    await clickOn(t, 'ou_r_visitor', n.card!, { text: '已阅' })
    const { group, privately } = await figures(n.number)
    expect(group).toContain('发布时没有登记在册的会员')
    expect(group).toContain('共有 1 人点了「已阅」')
    expect(group).not.toContain('0 / 0')
    expect(privately).toContain('发布时没有登记在册的会员，没有需要确认阅读的名单')
    expect(privately).not.toContain('都已确认阅读')
  })
})

describe('公开 阅读 merges Feishu’s read_users with 已阅', () => {
  beforeAll(async () => enrol(t, MEMBERS))

  it('counts who read the group card without clicking 已阅, by department, and marks them on the private list', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    const card = n.card!
    await clickOn(t, 'ou_r_li', card, { text: '已阅' })
    // 王五 opened the card in the group but did not click; 李四 did both.
    t.fake.markRead(card.messageId, 'ou_r_wang')
    t.fake.markRead(card.messageId, 'ou_r_li')
    const { group, privately } = await figures(n.number)
    expect(group).toContain('已确认阅读：1 / 3')
    expect(group).toContain('群里已读未确认：1 人')
    expect(group).toContain('一车间：1 / 2（另 1 人群里已读）')
    expect(group).toContain('仓储部：0 / 1')
    expect(group).not.toContain('王五')
    expect(privately).toContain('王五（一车间）·群里已读')
    expect(privately).toContain('赵六（仓储部）')
    expect(privately).not.toContain('赵六（仓储部）·群里已读')
    const calls = readUsersCalls()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.path).toBe(`/open-apis/im/v1/messages/${card.messageId}/read_users`)
    expect(calls[0]!.query.user_id_type).toBe('open_id')
  })

  it('reads every page of a large group (page_token) for a notice without confirmation', async () => {
    const n = await publishNotice(t, {})
    for (let i = 0; i < 230; i++) t.fake.markRead(n.card!.messageId, `ou_r_reader_${i}`)
    const { group } = await figures(n.number)
    expect(group).toContain('这项公开没有要求确认阅读')
    expect(group).toContain('群里已读：230 人')
    const calls = readUsersCalls()
    expect(calls.map((c) => c.query.page_token ?? '')).toEqual(['', '100', '200'])
  })

  it('after Feishu’s 7 days says the group read data is no longer available, and does not ask', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    t.fake.markRead(n.card!.messageId, 'ou_r_wang')
    clock.set('2026-06-08T01:00:01Z') // 7 days and a second later
    const { group, privately } = await figures(n.number)
    expect(group).toContain('群消息的已读数据已不再提供（飞书只能查询发送后 7 天内的消息）')
    expect(group).not.toContain('群里已读未确认')
    expect(privately).not.toContain('群里已读')
    expect(readUsersCalls()).toHaveLength(0)
  })

  it('when Feishu refuses a card (too old for it, bot out of the chat) says the data is incomplete and still answers', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    t.fake.readUsersExpired.add(n.card!.messageId)
    const { group } = await figures(n.number)
    expect(readUsersCalls()).toHaveLength(1)
    expect(group).toContain('部分群的已读数据没有取到')
    expect(group).toContain('已确认阅读：0 / 3')
  })

  it('the private list says when every member of the roll confirmed', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    for (const m of MEMBERS) await clickOn(t, m.openId, n.card!, { text: '已阅' })
    const { privately } = await figures(n.number)
    expect(privately).toContain('发布时的 3 位会员都已确认阅读')
    expect(cardText(lastCard(t, OFFICER).content)).toContain('都已确认阅读')
  })
})
