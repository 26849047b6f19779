// Officers with roles and the special committees through the real webhook (issue #20): 干部 添加 / 移除 / 列表 and
// 委员会 … — the welcome, the roles' rights, the last chair kept, every refusal with nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_ONLY, LAST_CHAIR } from '../../handlers/organisation/officers.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { isCommitteeMember } from '../../src/organisation/store.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitle, cardsOf, clickOn, expectEscaped, inbox, say, textsOf, EVIL, type Person } from '../helpers/chat.js'

const CODE = '13572468'
const CHAIR = { openId: 'ou_org_chair', name: '王主席' }
const VICE = { openId: 'ou_org_vice', name: '李副主席' }
const MEMBER = { openId: 'ou_org_member', name: '张委员' }
const WORKER = { openId: 'ou_org_worker', name: '赵职工' }
const OTHER = { openId: 'ou_org_other', name: EVIL.slice(0, 60) }

let db: TestDatabase
let t: TestBot
beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: { UNION_SETUP_CODE: CODE, UNION_OFFICER_OPEN_IDS: undefined } })
  for (const p of [CHAIR, VICE, MEMBER, WORKER, OTHER]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, CHAIR, `初始化 ${CODE}`)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const roleOf = async (openId: string) => (await t.bot.services.db.selectFrom('officers').select('role').where('open_id', '=', openId).executeTakeFirst())?.role
const officersTable = () => t.bot.services.db.selectFrom('officers').select(['open_id', 'role']).orderBy('open_id').execute()
const committeeTable = () => t.bot.services.db.selectFrom('organisation_committee_members').select(['committee', 'open_id']).orderBy('open_id').execute()
/** What the bot answered a person last (text or card). */
async function answer(who: Person, text: string, mentions: Person[] = []) {
  const mark = inbox(t, who).length
  await say(t, who, text, mentions)
  return inbox(t, who).slice(mark)
}

describe('干部', () => {
  it('the chair adds officers with roles (委员 by default); each is welcomed privately with what they can do', async () => {
    const sent = await answer(CHAIR, '干部 添加 副主席', [VICE])
    expect(cardTitle(sent[0])).toBe('工会干部名单已更新')
    expect(cardText(sent[0]!.content)).toContain('已添加为副主席')
    await say(t, CHAIR, '干部 添加', [MEMBER])
    expect(await roleOf(VICE.openId)).toBe('vice_chair')
    expect(await roleOf(MEMBER.openId)).toBe('member')
    const welcome = cardsOf(inbox(t, VICE)).find((m) => cardTitle(m) === '您已成为工会副主席')
    expect(cardText(welcome?.content)).toContain('管理工会干部')
    expect(cardsOf(inbox(t, MEMBER)).map(cardTitle)).toContain('您已成为工会委员')
    // A re-sent 添加 changes nothing and welcomes nobody again.
    await say(t, CHAIR, '干部 添加 委员', [MEMBER])
    expect(cardsOf(inbox(t, MEMBER)).filter((m) => cardTitle(m) === '您已成为工会委员')).toHaveLength(1)
  })

  it('lists officers for every officer; a worker is refused', async () => {
    const list = cardsOf(await answer(MEMBER, '干部 列表'))[0]
    expect(cardTitle(list)).toBe('工会干部名单')
    const text = cardText(list?.content)
    expect(text.indexOf(CHAIR.name)).toBeLessThan(text.indexOf(VICE.name))
    expect(text).toContain('主席')
    expect(textsOf(await answer(WORKER, '干部 列表'))).toEqual([MESSAGES.denied])
  })

  it('a 委员 may not add or remove, and a worker may not either: nothing changes', async () => {
    const before = await officersTable()
    expect(textsOf(await answer(MEMBER, '干部 添加', [WORKER]))).toEqual([ADMIN_ONLY])
    expect(textsOf(await answer(MEMBER, '干部 移除', [VICE]))).toEqual([ADMIN_ONLY])
    expect(textsOf(await answer(WORKER, '干部 添加 主席', [WORKER]))).toEqual([MESSAGES.denied])
    expect(await officersTable()).toEqual(before)
    expect(cardsOf(inbox(t, WORKER))).toEqual([])
  })

  it('refuses an unknown role word and a missing mention', async () => {
    const before = await officersTable()
    expect(textsOf(await answer(CHAIR, '干部 添加 组长', [WORKER]))[0]).toContain('没有“组长”这个干部角色')
    expect(textsOf(await answer(CHAIR, '干部 添加'))[0]).toContain('请 @ 要添加的人')
    expect(await officersTable()).toEqual(before)
  })

  it('the last chair cannot be removed nor demoted; after a hand-over the old chair can be', async () => {
    const before = await officersTable()
    expect(textsOf(await answer(VICE, '干部 移除', [CHAIR]))).toEqual([LAST_CHAIR])
    expect(textsOf(await answer(CHAIR, '干部 添加 委员', [CHAIR]))).toEqual([LAST_CHAIR])
    expect(await officersTable()).toEqual(before)
    // The vice-chair hands over: a second chair, then the first one leaves.
    await say(t, CHAIR, '干部 添加 主席', [VICE])
    expect(await roleOf(VICE.openId)).toBe('chair')
    expect(cardsOf(inbox(t, VICE)).map(cardTitle)).toContain('您已成为工会主席')
    const removed = await answer(VICE, '干部 移除', [CHAIR])
    expect(cardText(removed[0]!.content)).toContain('已移除')
    expect(await roleOf(CHAIR.openId)).toBeUndefined()
    expect(textsOf(await answer(CHAIR, '干部 列表'))).toEqual([MESSAGES.denied])
    // Put back for the tests that follow.
    await say(t, VICE, '干部 添加 副主席', [CHAIR])
  })

  it('names are escaped on the cards', async () => {
    await say(t, VICE, '干部 添加', [OTHER])
    const list = cardsOf(await answer(VICE, '干部 列表'))[0]!
    expectEscaped(list.content)
    await say(t, VICE, '干部 移除', [OTHER])
    expect(await roleOf(OTHER.openId)).toBeUndefined()
  })
})

describe('委员会', () => {
  it('adds and removes members of a known committee; membership is a role', async () => {
    const sent = await answer(CHAIR, '委员会 劳动争议调解委员会 添加', [MEMBER, WORKER])
    expect(cardTitle(sent[0])).toBe('劳动争议调解委员会成员已更新')
    expect(await isCommitteeMember(t.bot.services.db, '劳动争议调解委员会', WORKER.openId)).toBe(true)
    expect(await t.bot.services.roles.has(WORKER.openId, 'committee:劳动争议调解委员会')).toBe(true)
    expect(await t.bot.services.roles.has(WORKER.openId, 'committee:女职工委员会')).toBe(false)
    await say(t, CHAIR, '委员会 劳动争议调解委员会 移除', [WORKER])
    expect(await t.bot.services.roles.has(WORKER.openId, 'committee:劳动争议调解委员会')).toBe(false)
  })

  it('allows other names ending in 委员会, and lists every committee, the known ones included', async () => {
    await say(t, CHAIR, '委员会 青年工作委员会 添加', [OTHER])
    const list = cardsOf(await answer(MEMBER, '委员会 列表'))[0]!
    const text = cardText(list.content)
    for (const name of ['女职工委员会', '劳动争议调解委员会', '经费审查委员会', '提案工作委员会', '青年工作委员会']) expect(text).toContain(name)
    expect(text).toContain(MEMBER.name)
    expectEscaped(list.content)
  })

  it('refuses a 委员, a worker, a name that is not a committee’s, and a missing mention — nothing changes', async () => {
    const before = await committeeTable()
    expect(textsOf(await answer(MEMBER, '委员会 女职工委员会 添加', [WORKER]))).toEqual([ADMIN_ONLY])
    expect(textsOf(await answer(WORKER, '委员会 女职工委员会 添加', [WORKER]))).toEqual([MESSAGES.denied])
    expect(textsOf(await answer(CHAIR, '委员会 篮球队 添加', [WORKER]))[0]).toContain('委员会名称应以“委员会”结尾')
    expect(textsOf(await answer(CHAIR, '委员会 女职工委员会 添加'))[0]).toContain('请 @ 要添加的人')
    expect(textsOf(await answer(CHAIR, '委员会 女职工委员会 改名', [WORKER]))[0]).toContain('用法')
    expect(await committeeTable()).toEqual(before)
  })

  it('every change is audited, naming no one but by open_id', async () => {
    const rows = await t.bot.services.db.selectFrom('audit_log').select(['action', 'subject_type', 'subject_id']).where('action', 'like', 'organisation.%').orderBy('id').execute()
    const actions = rows.map((r) => r.action)
    for (const a of ['organisation.setup.completed', 'organisation.officer.add', 'organisation.officer.role', 'organisation.officer.remove', 'organisation.committee.add', 'organisation.committee.remove']) expect(actions).toContain(a)
    expect(JSON.stringify(rows)).not.toContain(MEMBER.name)
  })
})

describe('a committee name close to a known one (QA F16)', () => {
  it('asks 「您是指…吗？」; 是 adds to the known committee, and the card is used up', async () => {
    const before = await committeeTable()
    const [asked] = await answer(CHAIR, '委员会 女工委员会 添加', [WORKER])
    expect(cardTitle(asked)).toBe('您是指「女职工委员会」吗？')
    expect(await committeeTable()).toEqual(before)
    await clickOn(t, CHAIR, asked!, { text: '是，女职工委员会' })
    expect(await isCommitteeMember(t.bot.services.db, '女职工委员会', WORKER.openId)).toBe(true)
    expect(await isCommitteeMember(t.bot.services.db, '女工委员会', WORKER.openId)).toBe(false)
    const second = await clickOn(t, CHAIR, asked!, { text: '不是，新建「女工委员会」' })
    expect(second.body.toast?.content).toBe(MESSAGES.draftGone)
    expect(await isCommitteeMember(t.bot.services.db, '女工委员会', WORKER.openId)).toBe(false)
  })

  it('不是 creates the committee as typed; 委员会 新建 … takes the name without asking; a new name far from any is not asked about', async () => {
    const [asked] = await answer(CHAIR, '委员会 经审委员会 添加', [WORKER])
    await clickOn(t, CHAIR, asked!, { text: '不是，新建「经审委员会」' })
    expect(await isCommitteeMember(t.bot.services.db, '经审委员会', WORKER.openId)).toBe(true)
    // Now in use: a slip for it is asked about too, and the exact name is not.
    expect(cardTitle((await answer(CHAIR, '委员会 经审委员会 添加', [MEMBER]))[0])).toBe('经审委员会成员已更新')
    expect(cardTitle((await answer(CHAIR, '委员会 新建 女工委员会 添加', [MEMBER]))[0])).toBe('女工委员会成员已更新')
    expect(cardTitle((await answer(CHAIR, '委员会 宣传教育委员会 添加', [MEMBER]))[0])).toBe('宣传教育委员会成员已更新')
  })
})
