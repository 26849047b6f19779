// Officers keep representatives, departments and collection windows by @-mention commands; nobody else may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { auditTrail } from '../../src/core/audit.js'
import { listDepartments } from '../../src/organisation/departments.js'
import { listRepresentatives } from '../../src/organisation/representatives.js'
import { currentWindow } from '../../src/proposals/windows.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { CONTACT, OFFICER, REP_A, REP_B, REP_C, WORKER, submitProposal } from '../helpers/proposals.js'
import { cardJson, clickOn, inbox, lastCard, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const NEW_CONTACT = { openId: 'ou_contact_new', name: '郑联系人' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [REP_A, REP_B, REP_C, CONTACT, WORKER, NEW_CONTACT]) t.fake.users.set(p.openId, { name: p.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('representatives', () => {
  it('an officer adds representatives by @-mention (in a group too); each is welcomed privately', async () => {
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_union_committee', chatType: 'group', text: '代表 添加', mentionBot: true, mentions: [REP_A, REP_B] })
    await t.settle()
    const answer = t.fake.messagesInChat('oc_union_committee').at(-1)!
    expect(cardJson(answer.content)).toContain('已添加')
    expect((await listRepresentatives(t.bot.services.db)).map((r) => r.openId)).toEqual([REP_A.openId, REP_B.openId])
    expect(lastText(t, REP_A.openId)).toContain('您已被登记为职工代表')
    expect((await auditTrail(t.bot.services.db, 'representative', REP_A.openId)).map((a) => a.action)).toEqual(['proposal.representative.add'])
  })

  it('adding someone already listed says so; 代表 列表 shows the names', async () => {
    await say(t, OFFICER, '代表 添加', [REP_A, REP_C])
    const text = cardJson(lastCard(t, OFFICER.openId).content)
    expect(text).toContain('已在名单中')
    expect(text).toContain('张代表')
    await say(t, OFFICER, '代表 列表')
    const list = cardJson(lastCard(t, OFFICER.openId).content)
    for (const name of ['张代表', '李代表', '赵代表']) expect(list).toContain(name)
    expect(list).toContain('共 3 人')
  })

  it('removing a representative takes away submitting and co-signing', async () => {
    await say(t, OFFICER, '代表 移除', [REP_C])
    expect((await listRepresentatives(t.bot.services.db)).map((r) => r.openId)).not.toContain(REP_C.openId)
    await say(t, REP_C, '提交提案')
    expect(lastText(t, REP_C.openId)).toContain('只有登记在册的职工代表')
  })

  it('asks for a mention, and refuses non-officers politely without changing anything', async () => {
    await say(t, OFFICER, '代表 添加')
    expect(lastText(t, OFFICER.openId)).toContain('请 @ 要添加的职工代表')
    await say(t, REP_A, '代表 添加', [WORKER])
    expect(lastText(t, REP_A.openId)).toBe('抱歉，只有工会干部可以使用此功能。')
    expect((await listRepresentatives(t.bot.services.db)).map((r) => r.openId)).not.toContain(WORKER.openId)
  })
})

describe('departments', () => {
  it('adds a department with its contact, who is told', async () => {
    await say(t, OFFICER, '部门 添加 后勤保障部', [CONTACT])
    expect(cardJson(lastCard(t, OFFICER.openId).content)).toContain('已登记承办部门')
    expect(cardJson(lastCard(t, CONTACT.openId).content)).toContain('您已被登记为提案承办部门联系人')
    expect(await listDepartments(t.bot.services.db)).toMatchObject([{ name: '后勤保障部', contactOpenId: CONTACT.openId, contactName: CONTACT.name }])
  })

  it('adding the same name changes its contact; 部门 列表 lists it', async () => {
    await say(t, OFFICER, '部门 添加 后勤保障部', [NEW_CONTACT])
    expect(cardJson(lastCard(t, OFFICER.openId).content)).toContain('已更新承办部门联系人')
    const depts = await listDepartments(t.bot.services.db)
    expect(depts).toHaveLength(1)
    expect(depts[0]!.contactOpenId).toBe(NEW_CONTACT.openId)
    await say(t, OFFICER, '部门 列表')
    expect(cardJson(lastCard(t, OFFICER.openId).content)).toContain('郑联系人')
  })

  it('needs exactly one contact and a name', async () => {
    await say(t, OFFICER, '部门 添加 安全环保部')
    expect(lastText(t, OFFICER.openId)).toContain('用法：部门 添加')
    await say(t, OFFICER, '部门 添加', [CONTACT])
    expect(lastText(t, OFFICER.openId)).toContain('用法：部门 添加')
  })

  it('removes a department without open proposals; non-officers are refused', async () => {
    await say(t, OFFICER, '部门 添加 临时部门', [CONTACT])
    await say(t, WORKER, '部门 移除 临时部门')
    expect(lastText(t, WORKER.openId)).toBe('抱歉，只有工会干部可以使用此功能。')
    await say(t, OFFICER, '部门 移除 临时部门')
    expect(cardJson(lastCard(t, OFFICER.openId).content)).toContain('已移除承办部门')
    expect((await listDepartments(t.bot.services.db)).map((d) => d.name)).toEqual(['后勤保障部'])
  })
})

describe('collection windows', () => {
  it('an officer opens a window; representatives are told; a second opening is refused', async () => {
    await say(t, WORKER, '提案征集 开始 第五届职代会第三次会议')
    expect(lastText(t, WORKER.openId)).toBe('抱歉，只有工会干部可以使用此功能。')
    expect(await currentWindow(t.bot.services.db)).toBeUndefined()
    await say(t, OFFICER, '提案征集 开始 第五届职代会第三次会议')
    expect((await currentWindow(t.bot.services.db))?.name).toBe('第五届职代会第三次会议')
    for (const rep of [REP_A, REP_B]) expect(cardJson(lastCard(t, rep.openId).content)).toContain('职代会提案征集开始')
    expect(inbox(t, REP_C.openId).some((m) => cardJson(m.content).includes('职代会提案征集开始'))).toBe(false)
    await say(t, OFFICER, '提案征集 开始 另一次')
    expect(lastText(t, OFFICER.openId)).toContain('已有一次提案征集正在进行')
  })

  it('提案征集 shows the counts; 结束 closes it with a summary; a second 结束 is refused', async () => {
    await submitProposal(t, REP_A)
    await say(t, OFFICER, '提案征集')
    expect(cardJson(lastCard(t, OFFICER.openId).content)).toContain('收到提案 1 件')
    await say(t, OFFICER, '提案征集 结束')
    const summary = cardJson(lastCard(t, OFFICER.openId).content)
    expect(summary).toContain('职代会提案征集已结束')
    expect(summary).toContain('征集附议：1 件')
    expect(summary).toContain('附议人数不足')
    await say(t, OFFICER, '提案征集 结束')
    expect(lastText(t, OFFICER.openId)).toContain('当前没有进行中的提案征集')
    expect((await auditTrail(t.bot.services.db, 'proposal_window', '1')).map((a) => a.action)).toEqual(['proposal.window.open', 'proposal.window.close'])
  })

  it('a department with proposals in hand cannot be removed', async () => {
    await say(t, OFFICER, '提案征集 开始 第五届职代会第四次会议')
    const number = await submitProposal(t, REP_B)
    await say(t, OFFICER, '代表 添加', [REP_C])
    await say(t, REP_A, `附议 ${number}`)
    await say(t, REP_C, `附议 ${number}`)
    const act = (action: string, formValue: Record<string, unknown>) => t.click({ operator: OFFICER, value: { action, number }, formValue })
    expect((await act('proposal.register', { reason: '' })).body.toast.type).toBe('success')
    const deptId = String((await listDepartments(t.bot.services.db))[0]!.id)
    expect((await act('proposal.assign', { department: deptId, due_date: '2026-04-01 +0800' })).body.toast.type).toBe('success')
    await t.settle()
    await say(t, OFFICER, '部门 移除 后勤保障部')
    expect(lastText(t, OFFICER.openId)).toContain('该部门还有 1 件提案在办理或待评价')
  })

  it('a new contact takes over the department’s open proposals and may answer them; the old one may not', async () => {
    const number = 'P-2026-002'
    await say(t, OFFICER, '部门 添加 后勤保障部', [CONTACT])
    const handed = lastCard(t, CONTACT.openId)
    expect(handed.content.header.title.content).toBe(`提案交办 ${number}`)
    const old = await t.click({ operator: NEW_CONTACT, value: { action: 'proposal.answer', number }, formValue: { answer: '旧联系人试图答复这个提案', answer_class: 'A' } })
    expect(old.body.toast.type).toBe('error')
    const { body: res } = await clickOn(t, CONTACT, handed, 'proposal.answer', { formValue: { answer: '新联系人已安排办理并答复。', answer_class: 'A' } })
    expect(res.toast?.type).toBe('success')
  })
})
