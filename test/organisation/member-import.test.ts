// 会员 导入 through the real webhook: the officer starts it, sends a CSV file privately (downloaded from the fake Open
// API as Feishu serves message resources); every row is checked, bad rows and duplicates are reported and nothing is
// imported, a clean file is taken whole; non-officers are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { findMember, listMembers } from '../../src/organisation/members.js'
import { checkImport, parseCsv } from '../../src/organisation/member-import.js'
import { toCsv } from '../../src/kit/csv.js'
import { NOT_A_FILE } from '../../src/kit/csv-import.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardTitle, clickOn, expectEscaped, inbox, lastCard, lastText, p2p, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const A = { openId: 'ou_import_a', name: '张三' }
const B = { openId: 'ou_import_b', name: '李四' }
const TWIN_1 = { openId: 'ou_import_twin_1', name: '王五' }
const TWIN_2 = { openId: 'ou_import_twin_2', name: '王五' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  // People the bot knows by name (they have talked to it or been mentioned).
  for (const p of [A, B, TWIN_1, TWIN_2]) await t.bot.services.users.seen(p.openId, p.name)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

let files = 0
async function sendCsv(who: { openId: string }, data: Buffer, name = '会员.csv'): Promise<void> {
  const messageId = `om_import_${++files}`
  const key = `file_v3_import_${files}`
  t.fake.inboundFiles.set(`${messageId}/${key}`, data)
  const res = await t.sendMessage({ sender: who, chatId: p2p(who), chatType: 'p2p', messageType: 'file', content: { file_key: key, file_name: name }, messageId })
  expect(res.status).toBe(200)
  await t.settle()
}

describe('会员 导入', () => {
  it('refuses non-officers, and in a group points to private chat', async () => {
    await say(t, A, '会员 导入')
    expect(lastText(t, A)).toContain('只有工会干部')
    expect((await t.bot.services.conversations.load(A.openId)).status).toBe('none')
    await t.sendMessage({ sender: CHAIR, chatId: 'oc_union_committee', chatType: 'group', text: '会员 导入', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_union_committee').at(-1)!.content.text).toContain('私聊')
  })

  it('a file with bad rows and duplicates imports nothing and lists every refused row', async () => {
    await say(t, CHAIR, '会员 导入')
    expect(lastText(t, CHAIR)).toContain('CSV')
    const csv = toCsv([
      ['姓名', '部门', '入会日期', 'open_id'],
      ['张三', '第一车间', '2024-05-01', ''],
      ['李四', '第二车间', '2024-13-01', ''],
      ['王五', '', '2024-05-01', ''],
      ['', '', '2024-05-01', 'ou_import_a'],
      ['赵六<at id=all></at>', '', '2025-01-01', ''],
      ['', '', '2030-01-01', 'ou_import_b'],
      ['', '', '2024-01-01', 'not-an-id'],
    ])
    await sendCsv(CHAIR, csv)
    const report = lastCard(t, CHAIR)
    const text = cardText(report.content)
    expect(text).toContain('没有导入任何一行')
    for (const line of [3, 4, 5, 6, 7, 8]) expect(text).toContain(`- 第 ${line} 行`)
    expect(text).not.toContain('- 第 2 行')
    expect(text).toContain('重名')
    expect(text).toContain('与第 2 行是同一个人')
    expectEscaped(report.content)
    expect(await listMembers(t.bot.services.db)).toEqual([])
  })

  it('a clean file is taken whole, in one go; importing the same people again is refused as duplicates', async () => {
    await say(t, CHAIR, '会员 导入')
    await sendCsv(CHAIR, toCsv([['姓名', '部门', '入会日期'], ['张三', '第一车间', '2024-05-01'], ['李四', '第二车间', '2019/3/8']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('2 人登记为会员')
    expect(await findMember(t.bot.services.db, A.openId)).toMatchObject({ status: 'member', joinedOn: '2024-05-01', department: '第一车间', source: 'import' })
    expect((await findMember(t.bot.services.db, B.openId))?.joinedOn).toBe('2019-03-08')
    await say(t, A, '我的会籍')
    expect(cardText(lastCard(t, A).content)).toContain('会员')
    await say(t, CHAIR, '会员 导入')
    await sendCsv(CHAIR, toCsv([['open_id', '入会日期'], [TWIN_1.openId, '2024-05-01'], [A.openId, '2024-05-01']]))
    const again = cardText(lastCard(t, CHAIR).content)
    expect(again).toContain('已是会员')
    expect((await findMember(t.bot.services.db, TWIN_1.openId))?.status ?? 'none').not.toBe('member')
  })

  it('the 工号 column is looked up in the contact API (Feishu user_id); an unknown 工号 is refused with its line', async () => {
    // Someone the bot has never met, known to the company's directory by user_id E2001.
    t.fake.users.set('ou_import_c', { name: '陈七', userId: 'E2001' })
    await say(t, CHAIR, '会员 导入')
    await sendCsv(CHAIR, toCsv([['工号', '入会日期'], ['E2001', '2023-09-01'], ['E9999', '2023-09-01']]))
    const refused = cardText(lastCard(t, CHAIR).content)
    expect(refused).toContain('- 第 3 行')
    expect(refused).toContain('通讯录里找不到工号「E9999」')
    expect(await findMember(t.bot.services.db, 'ou_import_c')).toBeUndefined()
    await say(t, CHAIR, '会员 导入')
    await sendCsv(CHAIR, toCsv([['工号', '部门', '入会日期'], ['E2001', '质检部', '2023-09-01']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('1 人登记为会员')
    expect(await findMember(t.bot.services.db, 'ou_import_c')).toMatchObject({ status: 'member', name: '陈七', department: '质检部', joinedOn: '2023-09-01' })
  })

  it('a text instead of a file, or a file without the header, is asked again', async () => {
    await say(t, CHAIR, '会员 导入')
    await say(t, CHAIR, '张三,2024-05-01')
    // One short line, not the whole prompt with its example again (QA F13).
    expect(lastText(t, CHAIR)).toBe(NOT_A_FILE)
    await sendCsv(CHAIR, toCsv([['张三', '2024-05-01']]))
    expect(lastText(t, CHAIR)).toContain('表头')
    await say(t, CHAIR, '取消')
    expect((await t.bot.services.conversations.load(CHAIR.openId)).status).toBe('none')
  })
})

describe('a CSV sent before 会员 导入 (QA F13)', () => {
  const FILE_A = { openId: 'ou_first_a', name: '孙八' }
  const FILE_B = { openId: 'ou_first_b', name: '周九' }
  beforeAll(async () => {
    for (const p of [FILE_A, FILE_B]) await t.bot.services.users.seen(p.openId, p.name)
  })

  it('is answered with the imports the officer may run, and the button imports that very file once', async () => {
    expect((await t.bot.services.conversations.load(CHAIR.openId)).status).toBe('none')
    await sendCsv(CHAIR, toCsv([['姓名', '入会日期'], ['孙八', '2024年5月1日']]), '名单.csv')
    const offer = lastCard(t, CHAIR)
    expect(cardTitle(offer)).toBe('收到文件')
    const text = cardText(offer.content)
    expect(text).toContain('名单.csv')
    for (const b of ['会员导入', '关怀名单导入', '学时导入', '书目导入']) expect(text).toContain(b)
    const res = await clickOn(t, CHAIR, offer, { text: '会员导入' })
    expect(res.body.toast?.content).toContain('会员导入')
    expect(cardText(t.fake.currentCard(offer.messageId))).toContain('正在按「会员导入」检查')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('1 人登记为会员')
    expect(await findMember(t.bot.services.db, FILE_A.openId)).toMatchObject({ status: 'member', joinedOn: '2024-05-01', source: 'import' })
    // A second click (this button or another import's) imports nothing.
    const before = inbox(t, CHAIR).length
    const again = await t.click({ operator: CHAIR, value: offer.content.body.elements.flatMap((e: any) => e.columns ?? []).flatMap((c: any) => c.elements)[1].behaviors[0].value, messageId: offer.messageId, chatId: p2p(CHAIR) })
    await t.settle()
    expect(again.body.toast?.content).toContain('已经选过')
    expect(inbox(t, CHAIR).length).toBe(before)
  })

  it('a bad file sent first is refused with its line numbers, and nothing is imported', async () => {
    await sendCsv(CHAIR, toCsv([['姓名', '入会日期'], ['周九', '2024年13月1日']]))
    await clickOn(t, CHAIR, lastCard(t, CHAIR), { text: '会员导入' })
    const report = cardText(lastCard(t, CHAIR).content)
    expect(report).toContain('没有导入任何一行')
    expect(report).toContain('- 第 2 行')
    expect(await findMember(t.bot.services.db, FILE_B.openId)).toBeUndefined()
  })

  it('an old card after a newer file is refused; an .xlsx is told to be saved as CSV; a worker gets the usual menu', async () => {
    await sendCsv(CHAIR, toCsv([['姓名', '入会日期'], ['周九', '2024-05-01']]))
    const older = lastCard(t, CHAIR)
    await sendCsv(CHAIR, toCsv([['姓名', '入会日期'], ['周九', '2024-06-01']]))
    const res = await clickOn(t, CHAIR, older, { text: '会员导入' })
    expect(res.body.toast?.content).toContain('请重新发送文件')
    expect(await findMember(t.bot.services.db, FILE_B.openId)).toBeUndefined()
    await sendCsv(CHAIR, Buffer.from('PK'), '会员.xlsx')
    expect(cardText(lastCard(t, CHAIR).content)).toContain('CSV UTF-8')
    // Any other file is not taken for an import: the usual answers.
    await sendCsv(CHAIR, Buffer.from('%PDF'), '通知.pdf')
    expect(cardTitle(lastCard(t, CHAIR))).not.toBe('收到文件')
    await sendCsv(A, toCsv([['姓名', '入会日期'], ['周九', '2024-05-01']]))
    expect(cardTitle(lastCard(t, A))).not.toBe('收到文件')
  })

  it('while 会员 导入 waits for the file, another command is answered normally', async () => {
    await say(t, CHAIR, '会员 导入')
    await say(t, CHAIR, '会员 列表')
    const answers = inbox(t, CHAIR).slice(-3)
    expect(answers.map((m) => (m.msgType === 'text' ? m.content.text : cardTitle(m))).join('|')).not.toContain('请发送 CSV 文件')
    expect(answers.some((m) => cardText(m.content).includes('会员'))).toBe(true)
    await say(t, CHAIR, '取消')
  })
})

describe('the CSV reader', () => {
  it('reads quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    expect(parseCsv('\ufeff姓名,备注\r\n"张,三","第一行\n第二行"\r\n"引""号",x\n\n')).toEqual([
      ['姓名', '备注'],
      ['张,三', '第一行\n第二行'],
      ['引"号', 'x'],
    ])
  })

  it('refuses a file whose header lacks the joined date', async () => {
    expect(await checkImport(t.bot.services.db, '姓名\n张三\n', '2026-03-02')).toEqual({ error: expect.stringContaining('表头') })
  })
})
