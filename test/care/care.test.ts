// 会员关怀 through the real webhook: 慰问 登记 within, exactly at and one fen above the per-event and yearly caps
// (Anhui defaults, exact fen), the conversation for missing pieces, 台账 totals with its CSV, the roster import
// with the day-before reminder sent once, the 季报's totals, and refusals for non-officers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { toCsv } from '../../src/kit/csv.js'
import { parseYuan } from '../../src/care/model.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, cardsOf, cardsTo, clickOn, committeeCards, expectEscaped, EVIL, inbox, lastCard, lastText, p2p, say, textsTo } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Shanghai
const ZHANG = { openId: 'ou_care_zhang', name: '张三' }
const LI = { openId: 'ou_care_li', name: '李四' }
const WORKER = { openId: 'ou_care_worker', name: '孙职工' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [ZHANG, LI, WORKER, CHAIR]) {
    t.fake.users.set(p.openId, { name: p.name })
    await t.bot.services.users.seen(p.openId, p.name)
  }
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const events = () => t.bot.services.db.selectFrom('care_events').selectAll().orderBy('id').execute()

describe('amounts are exact fen', () => {
  it('reads yuan digit by digit', () => {
    expect(parseYuan('1000')).toBe(100000)
    expect(parseYuan('999.99')).toBe(99999)
    expect(parseYuan('0.1')).toBe(10)
    expect(parseYuan('1,000.01')).toBe(100001)
    expect(parseYuan('300.001')).toBeUndefined()
    expect(parseYuan('0')).toBeUndefined()
    expect(parseYuan('-5')).toBeUndefined()
  })
})

describe('慰问 登记', () => {
  it('records a hospital visit within the cap and shows it', async () => {
    await say(t, CHAIR, '慰问 登记 住院 500', [ZHANG])
    const c = lastCard(t, CHAIR)
    expect(cardText(c.content)).toContain('已登记')
    expect(cardText(c.content)).toContain('500')
    const rows = await events()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ open_id: ZHANG.openId, kind: 'hospital', amount_fen: 50000, status: 'recorded', occurred_on: '2026-03-02', year: 2026 })
  })

  it('takes exactly the per-event cap and refuses one fen above it, showing the cap', async () => {
    await say(t, CHAIR, '慰问 登记 住院 1000.00', [LI])
    expect((await events()).at(-1)).toMatchObject({ open_id: LI.openId, amount_fen: 100000, status: 'recorded' })
    const before = (await events()).length
    await say(t, CHAIR, '慰问 登记 住院 1000.01', [LI])
    expect(lastText(t, CHAIR)).toContain('住院慰问每次不超过 1,000 元')
    // No setting names in a chat message (QA F17): the way to the chair's approval in plain words.
    expect(lastText(t, CHAIR)).toContain('超上限须主席审批')
    expect(lastText(t, CHAIR)).not.toMatch(/[A-Z]{2,}_[A-Z_]{2,}/)
    expect(await events()).toHaveLength(before)
  })

  it('counts the yearly cap per person and kind: the festival total reaches 1,500.00 exactly, one fen more is refused', async () => {
    await say(t, CHAIR, '慰问 登记 春节 1000 年货 2026-02-10', [ZHANG])
    await say(t, CHAIR, '慰问 登记 中秋 499.99', [ZHANG])
    await say(t, CHAIR, '慰问 登记 节日 0.02', [ZHANG])
    expect(lastText(t, CHAIR)).toContain('每人每年不超过 1,500 元（今年已发 1,499.99 元）')
    await say(t, CHAIR, '慰问 登记 节日 0.01', [ZHANG])
    const festival = (await events()).filter((e) => e.kind === 'festival' && e.open_id === ZHANG.openId)
    expect(festival.map((e) => e.amount_fen)).toEqual([100000, 49999, 1])
    expect(festival[0]).toMatchObject({ gift: '年货', occurred_on: '2026-02-10' })
    // Someone else has their own yearly cap.
    await say(t, CHAIR, '慰问 登记 节日 1500', [LI])
    expect((await events()).at(-1)).toMatchObject({ open_id: LI.openId, kind: 'festival', amount_fen: 150000 })
  })

  it('refuses bad amounts and dates politely, keeping nothing', async () => {
    const before = (await events()).length
    await say(t, CHAIR, '慰问 登记 生日 300.001', [LI])
    expect(lastText(t, CHAIR)).toContain('金额「300.001」无效')
    await say(t, CHAIR, '慰问 登记 生日 100 2026-13-01', [LI])
    expect(lastText(t, CHAIR)).toContain('日期「2026-13-01」无效')
    await say(t, CHAIR, '慰问 登记 生日 100 2026-03-03', [LI])
    expect(lastText(t, CHAIR)).toContain('不晚于今天')
    expect(await events()).toHaveLength(before)
  })

  it('asks for what is missing in a private conversation: who, the kind, the amount with a gift', async () => {
    await say(t, CHAIR, '慰问 登记')
    expect(lastText(t, CHAIR)).toContain('慰问谁')
    await say(t, CHAIR, '查无此人')
    expect(lastText(t, CHAIR)).toContain('没有找到')
    await say(t, CHAIR, '李四')
    expect(lastText(t, CHAIR)).toContain('哪类慰问')
    await say(t, CHAIR, '跳舞')
    expect(lastText(t, CHAIR)).toContain('没有这一类')
    await say(t, CHAIR, '生日')
    await say(t, CHAIR, '300.01 蛋糕券')
    expect(lastText(t, CHAIR)).toContain('生日慰问每次不超过 300 元')
    await say(t, CHAIR, '300 蛋糕券')
    expect((await events()).at(-1)).toMatchObject({ open_id: LI.openId, kind: 'birthday', amount_fen: 30000, gift: '蛋糕券', status: 'recorded' })
    expect((await t.bot.services.conversations.load(CHAIR.openId)).status).toBe('none')
  })

  it('escapes the gift on the card', async () => {
    await say(t, CHAIR, `慰问 登记 退休 800 ${EVIL.slice(0, 30)}`, [LI])
    expectEscaped(lastCard(t, CHAIR).content)
  })

  it('refuses a worker, who changes nothing', async () => {
    const before = (await events()).length
    await say(t, WORKER, '慰问 登记 住院 500', [ZHANG])
    expect(lastText(t, WORKER)).toContain('只有工会干部')
    await say(t, WORKER, '慰问 台账')
    expect(lastText(t, WORKER)).toContain('只有工会干部')
    expect(await events()).toHaveLength(before)
  })
})

describe('慰问 台账', () => {
  it('totals the year by kind and department on a card and sends every entry as an exact CSV privately', async () => {
    await t.bot.services.db.insertInto('members').values({ open_id: ZHANG.openId, name: ZHANG.name, department: '第一车间', status: 'member', source: 'import', updated_at: new Date() }).execute()
    await say(t, CHAIR, '慰问 登记 结婚 600', [ZHANG])
    await say(t, CHAIR, '慰问 台账 2026')
    const ledger = cardText(lastCard(t, CHAIR).content)
    // 500 + 1000 + 1000 + 499.99 + 0.01 + 1500 + 300 + 800 + 600 = 6,200.00
    expect(ledger).toContain('9 次，6,200 元')
    expect(ledger).toContain('住院：2 次，1,500 元')
    expect(ledger).toContain('节日慰问：4 次，3,000 元')
    expect(ledger).toContain('第一车间：1 次，600 元')
    const file = [...t.fake.files.values()].at(-1)!
    const csv = file.data.toString('utf8')
    expect(csv).toContain('499.99')
    expect(csv).toContain('0.01')
    expect(csv).toContain('1500.00')
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(10)
    expect(t.fake.messagesToUser(CHAIR.openId).some((m) => m.msgType === 'file')).toBe(true)
  })

  it('shows the care totals in the 季报', async () => {
    await t.sendMessage({ sender: CHAIR.openId, chatId: p2p(CHAIR), chatType: 'p2p', text: '季报 本季' })
    await t.settle()
    const report = cardsOf(inbox(t, CHAIR)).map((m) => cardText(m.content)).find((x) => x.includes('会员关怀'))
    expect(report).toBeDefined()
    // The quarter (from 2026-01-01) holds every entry, including 2026-02-10.
    expect(report).toContain('慰问 9 人次，共 6,200 元')
  })
})

describe('慰问 名单 导入 and the reminders', () => {
  let files = 0
  async function sendCsv(data: Buffer): Promise<void> {
    const messageId = `om_care_roster_${++files}`
    const key = `file_v3_care_${files}`
    t.fake.inboundFiles.set(`${messageId}/${key}`, data)
    await t.sendMessage({ sender: CHAIR, chatId: p2p(CHAIR), chatType: 'p2p', messageType: 'file', content: { file_key: key, file_name: '名单.csv' }, messageId })
    await t.settle()
  }

  it('refuses a file with a bad row whole, then takes a clean one', async () => {
    await say(t, CHAIR, '慰问 名单 导入')
    expect(lastText(t, CHAIR)).toContain('CSV')
    await sendCsv(toCsv([['姓名', '部门', '生日', '退休日期'], ['张三', '第一车间', '1980-03-03', ''], ['李四', '', '02-30', '']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('没有导入任何一行')
    expect(await t.bot.services.db.selectFrom('care_roster').selectAll().execute()).toHaveLength(0)
    await say(t, CHAIR, '慰问 名单 导入')
    await sendCsv(toCsv([['姓名', '部门', '生日', '退休日期'], ['张三', '第一车间', '1980-03-03', ''], ['李四', '第二车间', '05-17', '2026-03-03']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('全部 2 行已导入')
  })

  it('reminds the committee the day before a birthday and a retirement, once, from 09:00', async () => {
    clock.set(new Date('2026-03-02T00:30:00Z')) // 08:30 local: not yet
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    const before = committeeCards(t).length
    clock.set(new Date('2026-03-02T01:05:00Z')) // 09:05 local
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    await t.bot.runPeriodic(new Date('2026-03-02T01:06:00Z'))
    await t.settle()
    const reminders = committeeCards(t).slice(before).map((m) => cardText(m.content))
    expect(reminders).toHaveLength(2)
    expect(reminders.some((r) => r.includes('明天生日') && r.includes('张三'))).toBe(true)
    expect(reminders.some((r) => r.includes('明天退休') && r.includes('李四'))).toBe(true)
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).length).toBeGreaterThanOrEqual(2)
  })

  it('two instances ticking the same minute send one reminder; a 29 February birthday is reminded before the 28th in a common year', async () => {
    // 2027 has no 29 February: 王五 (born 1988-02-29) is remembered on 2027-02-28, so reminded on 02-27.
    const WANG = { openId: 'ou_care_leap', name: '王五' }
    await t.bot.services.users.seen(WANG.openId, WANG.name)
    await t.bot.services.db.insertInto('care_roster').values({ open_id: WANG.openId, name: WANG.name, department: '第三车间', birthday: '02-29', retires_on: null, imported_by: CHAIR.openId, imported_at: new Date() }).execute()
    const second = await startTestBot({ db, fake: t.fake, clock, instanceId: 'care-second' })
    try {
      const before = committeeCards(t).length
      clock.set(new Date('2027-02-26T01:05:00Z')) // 2027-02-26 09:05: tomorrow is the 27th, nobody
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now())])
      await Promise.all([t.settle(), second.settle()])
      expect(committeeCards(t)).toHaveLength(before)
      clock.set(new Date('2027-02-27T01:05:00Z')) // 09:05 on the 27th: tomorrow is the 28th
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now()), t.bot.runPeriodic(clock.now())])
      await Promise.all([t.settle(), second.settle()])
      await Promise.all([t.bot.runPeriodic(new Date('2027-02-27T01:06:00Z')), second.bot.runPeriodic(new Date('2027-02-27T01:06:00Z'))])
      await Promise.all([t.settle(), second.settle()])
      const sent = committeeCards(t).slice(before).map((m) => cardText(m.content))
      expect(sent).toHaveLength(1)
      expect(sent[0]).toContain('明天生日')
      expect(sent[0]).toContain('王五')
      expect(sent[0]).toContain('2027&#45;02&#45;28') // the date, as escaped in markdown
      // Not even a second request to Feishu: the claim in Postgres stopped the other instance first.
      expect(t.fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages' && JSON.stringify(r.body).includes('王五'))).toHaveLength(1)
    } finally {
      await second.stop()
      clock.set(new Date('2026-03-02T02:00:00Z'))
    }
  })
})

describe('where 慰问 登记 may be used', () => {
  it('records in the committee group, but not in another group (a hospital stay is personal)', async () => {
    const before = (await events()).length
    await t.sendMessage({ sender: CHAIR, chatId: 'oc_care_workshop', chatType: 'group', text: '慰问 登记 住院 100', mentionBot: true, mentions: [ZHANG] })
    await t.settle()
    expect(t.fake.messagesInChat('oc_care_workshop').at(-1)!.content.text).toContain('工会委员会群或与我的私聊')
    expect(await events()).toHaveLength(before)
    await t.sendMessage({ sender: CHAIR, chatId: ADMIN_CHAT_ID, chatType: 'group', text: '慰问 登记 生育 600', mentionBot: true, mentions: [LI] })
    await t.settle()
    expect(await events()).toHaveLength(before + 1)
  })
})

describe('慰问 登记 by a typed name (QA F7) and the department (QA F18)', () => {
  const ZHAO = { openId: 'ou_care_zhao', name: '赵六' }
  const WANG_A = { openId: 'ou_care_wang_a', name: '王芳' }
  const WANG_B = { openId: 'ou_care_wang_b', name: '王芳' }

  beforeAll(async () => {
    // 赵六 is known to the bot and the contact directory has his department (the cast's 一车间); two members are 王芳.
    t.fake.departments.set('od_care_ws1', { name: '一车间' })
    t.fake.users.set(ZHAO.openId, { name: ZHAO.name, departmentIds: ['od_care_ws1'] })
    await t.bot.services.users.seen(ZHAO.openId, ZHAO.name)
    for (const [p, department] of [[WANG_A, '二车间'], [WANG_B, '三车间']] as const) {
      await t.bot.services.db.insertInto('members').values({ open_id: p.openId, name: p.name, department, status: 'member', source: 'import', updated_at: new Date() }).execute()
    }
  })

  it('finds the one person of the name in the one-line command, with the department from the contact directory', async () => {
    await say(t, CHAIR, '慰问 登记 赵六 住院 300.5 水果篮')
    const c = cardText(lastCard(t, CHAIR).content)
    expect(c).toContain('已计入慰问台账')
    expect(c).toContain('赵六')
    expect(c).toContain('一车间')
    expect((await events()).at(-1)).toMatchObject({ open_id: ZHAO.openId, kind: 'hospital', amount_fen: 30050, gift: '水果篮', department: '一车间' })
    expect((await t.bot.services.conversations.load(CHAIR.openId)).status).toBe('none')
    await say(t, CHAIR, '慰问 台账')
    expect(cardText(cardsTo(t, CHAIR).filter((m) => cardText(m.content).includes('按部门')).at(-1)!.content)).toContain('一车间：1 次，300.50 元')
  })

  it('offers a choice when several people have the name; the button records the entry the command described', async () => {
    const before = (await events()).length
    await say(t, CHAIR, '慰问 登记 王芳 生日 200 蛋糕券')
    const pick = lastCard(t, CHAIR)
    const text = cardText(pick.content)
    expect(text).toContain('王芳（二车间）')
    expect(text).toContain('王芳（三车间）')
    expect(await events()).toHaveLength(before)
    await clickOn(t, CHAIR, pick, { text: '2. 王芳（三车间）' })
    expect((await events()).at(-1)).toMatchObject({ open_id: WANG_B.openId, kind: 'birthday', amount_fen: 20000, gift: '蛋糕券', department: '三车间' })
    expect((await t.bot.services.conversations.load(CHAIR.openId)).status).toBe('none')
  })

  it('asks again when nobody has the name, and a command typed instead leaves the question, keeping the draft', async () => {
    const before = (await events()).length
    await say(t, CHAIR, '慰问 登记 查无此人 住院 400')
    expect(lastText(t, CHAIR)).toContain('没有找到这个人')
    expect(lastText(t, CHAIR)).toContain('慰问谁')
    const cardsBefore = cardsTo(t, CHAIR).length
    const textsBefore = textsTo(t, CHAIR).length
    await say(t, CHAIR, '慰问 台账')
    // The ledger came (not 「没有找到这个人」), then the card to take the draft up again.
    const after = cardsTo(t, CHAIR).slice(cardsBefore).map((m) => cardText(m.content))
    expect(after.some((x) => x.includes('按类别'))).toBe(true)
    expect(after.some((x) => x.includes('继续'))).toBe(true)
    expect(textsTo(t, CHAIR).slice(textsBefore).some((x) => x.includes('没有找到这个人'))).toBe(false)
    await say(t, CHAIR, '继续')
    expect(lastText(t, CHAIR)).toContain('慰问谁')
    await say(t, CHAIR, '赵六')
    // The kind and the amount from the command were kept: recorded at once.
    expect((await events()).at(-1)).toMatchObject({ open_id: ZHAO.openId, kind: 'hospital', amount_fen: 40000, department: '一车间' })
    expect(await events()).toHaveLength(before + 1)
  })

  it('in the committee group, a typed name that several people share asks for an @-mention and records nothing', async () => {
    const before = (await events()).length
    await t.sendMessage({ sender: CHAIR, chatId: ADMIN_CHAT_ID, chatType: 'group', text: '慰问 登记 王芳 住院 100', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).at(-1)!.content.text).toContain('有重名')
    expect(await events()).toHaveLength(before)
  })
})
