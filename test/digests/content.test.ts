// What digests say (issue #6): the public digest shows counts only — no names, no grievance text, no category
// below 3, in the card, its chart or the logs — while the committee digest lists overdue grievances and proposals
// and cases waiting for acceptance; the chart is a valid VChart spec; upcoming activities carry the activities
// feature's 报名 button; the on-demand commands, 月报/季报 (with activities held and attendance) and the CSV sent
// privately, and who may use them.
process.env.TZ = 'UTC'

import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARD_MAX_BYTES, cardByteSize, type Card } from '../../cards/kit.js'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { chartOf, digestsIn, seedActivity, seedGrievance, seedProposals } from '../helpers/digests.js'
import { fileGrievance, newWorker } from '../helpers/grievances.js'
import { HOSTILE, buttonValue, cardText, expectEscaped, groupSay, say, textsIn } from '../helpers/chat.js'

const GROUP = 'oc_canteen_group'
const WORKER_NAME = '赵六<at id=all></at>'
const NAMED_NAME = '钱七'
const SECRET_A = '车间主任孙某长期辱骂我'
const SECRET_B = '机密描述ABC'
const WINDOW_NAME = '=HYPERLINK("http://x")<at id=all></at>第五届职代会'
const DEPARTMENT = '后勤**保障**部[链接](http://y)'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-11-16T02:00:00Z') // Monday 16 November, 10:00 in Shanghai
let overdueAccept = ''
let overdueResolve = ''
let filedPublicly: string[] = []
let proposalNumbers: string[] = []
const ACTIVITY_TITLE = '<at id=all></at>[报名](http://x) 职工篮球赛'
let upcoming = { id: '', number: '' }

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  // Two cases filed through the real conversation, both in 职场欺凌与骚扰 (2 cases: below the public threshold).
  const anonymous = newWorker(t, WORKER_NAME)
  const named = newWorker(t, NAMED_NAME)
  filedPublicly = [
    await fileGrievance(t, anonymous, { category: '6', description: `${HOSTILE.join(' ')} ${SECRET_A}` }),
    await fileGrievance(t, named, { category: '6', description: `${SECRET_B}，请尽快处理。`, anonymous: false }),
  ]
  // This week: three 劳动报酬 cases accepted and resolved, one 劳动安全卫生.
  for (const [i, satisfaction] of (['satisfied', 'basically_satisfied', 'dissatisfied'] as const).entries()) {
    await seedGrievance(t, {
      category: '劳动报酬',
      filedAt: `2026-11-16T0${i}:00:00Z`,
      status: 'closed',
      acceptedAt: `2026-11-16T0${i + 4}:00:00Z`,
      resolvedAt: `2026-11-17T0${i}:00:00Z`,
      ratedAt: '2026-11-17T06:00:00Z',
      satisfaction,
      closedAt: '2026-11-17T06:00:00Z',
      description: SECRET_B,
      reporterName: NAMED_NAME,
    })
  }
  await seedGrievance(t, { category: '劳动安全卫生', filedAt: '2026-11-17T01:00:00Z', status: 'accepted', acceptedAt: '2026-11-17T02:00:00Z' })
  // Earlier: one pending past its accept deadline, one accepted past its resolve deadline.
  overdueAccept = await seedGrievance(t, { category: '劳动报酬', filedAt: '2026-11-02T02:00:00Z', acceptDueAt: '2026-11-05T15:59:59.999Z', resolveDueAt: '2026-11-23T15:59:59.999Z' })
  overdueResolve = await seedGrievance(t, {
    category: '工作时间与休息休假',
    filedAt: '2026-10-12T02:00:00Z',
    status: 'accepted',
    acceptedAt: '2026-10-13T02:00:00Z',
    acceptDueAt: '2026-10-15T15:59:59.999Z',
    resolveDueAt: '2026-11-02T15:59:59.999Z',
  })
  proposalNumbers = await seedProposals(t, {
    windowName: WINDOW_NAME,
    department: DEPARTMENT,
    openedAt: '2026-09-01T02:00:00Z',
    proposals: [
      { status: 'in_progress', submittedAt: '2026-09-10T02:00:00Z', reviewedAt: '2026-09-20T02:00:00Z', dueDate: '2026-11-10' },
      { status: 'answered', submittedAt: '2026-09-11T02:00:00Z', reviewedAt: '2026-09-21T02:00:00Z', answeredAt: '2026-11-17T03:00:00Z', dueDate: '2026-12-01' },
      { status: 'collecting', submittedAt: '2026-11-16T03:00:00Z' },
      { status: 'closed', submittedAt: '2026-09-12T02:00:00Z', reviewedAt: '2026-09-22T02:00:00Z', answeredAt: '2026-10-20T02:00:00Z', ratedAt: '2026-11-17T04:00:00Z', satisfaction: 'satisfied', dueDate: '2026-11-01' },
    ],
  })
  // Activities: one within the next 7 days, one later, one cancelled, one held on 11-10 with check-ins.
  upcoming = await seedActivity(t, { title: ACTIVITY_TITLE, startsAt: '2026-11-20T06:00:00Z', signupDeadline: '2026-11-19T16:00:00Z', capacity: 10, signups: [{ status: 'confirmed' }, { status: 'confirmed' }] })
  await seedActivity(t, { title: '十二月读书会', startsAt: '2026-11-30T06:00:00Z', signupDeadline: '2026-11-29T16:00:00Z', capacity: 0 })
  await seedActivity(t, { title: '取消的活动', startsAt: '2026-11-19T06:00:00Z', signupDeadline: '2026-11-18T16:00:00Z', capacity: 5, status: 'cancelled', cancelledAt: '2026-11-12T02:00:00Z' })
  await seedActivity(t, {
    title: '十一月趣味运动会',
    startsAt: '2026-11-10T06:00:00Z',
    signupDeadline: '2026-11-09T16:00:00Z',
    capacity: 5,
    status: 'ended',
    signups: [{ status: 'confirmed', checkedIn: true }, { status: 'confirmed', checkedIn: true }, { status: 'confirmed', checkedIn: true }, { status: 'confirmed' }, { status: 'cancelled' }],
  })
  clock.set('2026-11-18T02:00:00Z') // Wednesday 10:00
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

/** Everything that identifies a person or tells what a case is about. */
const FORBIDDEN = [WORKER_NAME, '赵六', NAMED_NAME, SECRET_A, SECRET_B, '种子诉求', '匿名职工', 'ou_worker', 'ou_seed', ...HOSTILE]

function expectNothingPersonal(json: string): void {
  for (const s of FORBIDDEN) expect(json, `contains ${s}`).not.toContain(s)
  for (const s of FORBIDDEN) expect(json, `contains ${s}`).not.toContain(JSON.stringify(s).slice(1, -1))
}

const lastDigest = (chatId: string, kind: '周报' | '日报') => digestsIn(t, chatId, kind).at(-1)!.content as Card

describe('the public digest', () => {
  let card: any

  it('is posted on demand (周报) with counts only: no names, no grievance text, no case numbers', async () => {
    // The next Monday: a public group's 周报 is the last completed week (security review F4), here 11-16 to 11-22.
    clock.set('2026-11-23T02:00:00Z')
    await groupSay(t, GROUP, CHAIR, '周报')
    clock.set('2026-11-18T02:00:00Z')
    card = lastDigest(GROUP, '周报')
    expect(card.header.title.content).toBe('工会周报')
    expect(card.header.subtitle.content).toBe('2026-11-16 至 2026-11-22')
    const text = cardText(card)
    expect(text).toContain("<font color='grey'>新提交</font>\n**6** 件")
    expect(text).toContain("<font color='grey'>已受理</font>\n**4** 件")
    expect(text).toContain("<font color='grey'>已办结</font>\n**3** 件")
    // 2 satisfied, 1 dissatisfied: a share would give the one dissatisfied rating back (67% of 3).
    expect(text).toContain('**满意度：**共 3 件评价，满意与不满意的件数有一方少于 3，不公布比例')
    expect(text).toContain('**受理用时（中位数）：**4 小时')
    expectNothingPersonal(JSON.stringify(card))
    expect(JSON.stringify(card)).not.toMatch(/G-2026-\d{4}/)
    expect(JSON.stringify(card)).not.toMatch(/P-2026-\d{3}/)
    expectEscaped(card)
  })

  it('hides every category count below 3 (merged into 其余类别) in the text and in the chart', () => {
    const text = cardText(card)
    expect(text).toContain('**按类别（新提交）：**劳动报酬 3，其余类别 3')
    expect(text).not.toContain('职场欺凌与骚扰')
    expect(text).not.toContain('劳动安全卫生')
    const chart = chartOf(card)
    for (const v of chart.chart_spec.data.values) {
      if (v.category !== '其余类别' && v.count > 0) expect(v.count, `${v.week} ${v.category}`).toBeGreaterThanOrEqual(3)
    }
    expect(JSON.stringify(chart)).not.toContain('职场欺凌与骚扰')
    expect(JSON.stringify(chart)).not.toContain('工作时间与休息休假')
  })

  it('carries a chart of grievances by category over the last 8 weeks with a valid VChart bar spec', () => {
    const charts: any[] = []
    JSON.stringify(card, (k, v) => {
      if (v && typeof v === 'object' && v.tag === 'chart') charts.push(v)
      return v
    })
    expect(charts.length).toBeGreaterThanOrEqual(1)
    expect(charts.length).toBeLessThanOrEqual(5)
    const el = charts[0]
    expect(Object.keys(el).sort()).toEqual(['chart_spec', 'color_theme', 'height', 'preview', 'tag'])
    const spec = el.chart_spec
    expect(spec).toMatchObject({ type: 'bar', xField: 'week', yField: 'count', seriesField: 'category', stack: true })
    expect(typeof spec.title.text).toBe('string')
    const values: Array<{ week: string; category: string; count: number }> = spec.data.values
    const weeks = [...new Set(values.map((v) => v.week))]
    expect(weeks).toEqual(['09/28', '10/05', '10/12', '10/19', '10/26', '11/02', '11/09', '11/16'])
    for (const v of values) {
      expect(Object.keys(v).sort()).toEqual(['category', 'count', 'week'])
      expect(Number.isInteger(v.count) && v.count >= 0).toBe(true)
      expect(typeof v.category).toBe('string')
    }
    // The week of 11-16 has 6 new cases: 3 劳动报酬 and 3 in categories too small to show.
    expect(values.filter((v) => v.week === '11/16')).toEqual([
      { week: '11/16', category: '劳动报酬', count: 3 },
      { week: '11/16', category: '其余类别', count: 3 },
    ])
    expect(cardByteSize(card)).toBeLessThan(CARD_MAX_BYTES)
  })

  it('shows the proposals by status with the window name escaped, and no committee lists', () => {
    const text = cardText(card)
    expect(text).toContain('**本期：**新提交 1 件，立案 0 件，不立案 0 件，答复 1 件')
    expect(text).toContain('共 4 件：征集附议 1，办理中 1，已答复 1，已办结 1')
    expect(text).not.toContain('超期')
    expect(text).not.toContain('待受理')
  })

  it('lists the activities of the next 7 days with remaining places and a 报名 button that signs up', async () => {
    await groupSay(t, GROUP, CHAIR, '周报') // on Wednesday 11-18: last week's figures, this week's activities
    card = lastDigest(GROUP, '周报')
    expect(card.header.subtitle.content).toBe('2026-11-09 至 2026-11-15')
    const text = cardText(card)
    expect(text).toContain('**近 7 天的活动**')
    expect(text).toContain(`（${upcoming.number}）\n2026-11-20 14:00，剩余名额 8 个`)
    expect(text).not.toContain('十二月读书会')
    expect(text).not.toContain('取消的活动')
    expect(JSON.stringify(card)).not.toContain(ACTIVITY_TITLE)
    const value = buttonValue(card, 'activity.signup')
    expect(value).toEqual({ action: 'activity.signup', id: upcoming.id })
    // The activities feature answers the click on the digest card like a click on its own card.
    const message = digestsIn(t, GROUP, '周报').at(-1)!
    const res = await t.click({ operator: 'ou_reader', value: value!, messageId: message.messageId, chatId: GROUP })
    await t.settle()
    expect(res.body.toast).toEqual({ type: 'success', content: '报名成功' })
    const row = await t.bot.services.db.selectFrom('activities').select('confirmed_count').where('id', '=', upcoming.id).executeTakeFirstOrThrow()
    expect(row.confirmed_count).toBe(3)
  })

  it('is not posted when there is nothing to report: a short note instead', async () => {
    clock.set('2026-11-21T02:00:00Z') // Saturday: the running daily period began on Friday 11-20
    await groupSay(t, GROUP, CHAIR, '日报')
    expect(digestsIn(t, GROUP, '日报')).toHaveLength(0)
    expect(textsIn(t, GROUP).at(-1)).toBe('日报（2026-11-20 至 2026-11-21 10:00）：本期暂无新的诉求、提案或活动，不单独发布。')
    clock.set('2026-11-18T02:00:00Z')
  })
})

describe('the committee digest', () => {
  it('lists overdue grievances and proposals with days overdue, and cases waiting for acceptance', async () => {
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '周报')
    const card = lastDigest(ADMIN_CHAT_ID, '周报')
    expect(card.header!.title.content).toBe('工会周报（委员会版）')
    const text = cardText(card)
    expect(text).toContain('**按类别（新提交）：**劳动报酬 3，劳动安全卫生 1，职场欺凌与骚扰 2')
    expect(text).toContain('**超期诉求（2 件）**')
    // 11-05 23:59 → 11-18: 11-06, 11-09…13, 11-16…18 = 9 working days.
    expect(text).toContain(`- **${overdueResolve}**（工作时间与休息休假，处理中）办结时限 2026-11-02 23:59，<font color='red'>已超期 12 个工作日</font>`)
    expect(text).toContain(`- **${overdueAccept}**（劳动报酬，待受理）受理时限 2026-11-05 23:59，<font color='red'>已超期 9 个工作日</font>`)
    expect(text.indexOf(overdueResolve)).toBeLessThan(text.indexOf(overdueAccept))
    expect(text).toContain('**待受理（未超期，2 件）**')
    for (const n of filedPublicly) expect(text).toContain(`- **${n}**（职场欺凌与骚扰）提交于 2026-11-16 10:00`)
    expect(text).toContain(`- **${proposalNumbers[0]}**（承办：后勤&#42;&#42;保障&#42;&#42;部&#91;链接&#93;&#40;http&#58;&#47;&#47;y&#41;）办理期限 2026-11-10，<font color='red'>已超期 8 天</font>`)
    expect(text).toContain('**满意度：**67%（满意 1，基本满意 1，不满意 1）')
    expect(text).toContain('**当前在办：**待受理 3 件，处理中 2 件')
    expectNothingPersonal(JSON.stringify(card))
    expectEscaped(card)
    expect(chartOf(card).chart_spec.data.values.filter((v: any) => v.week === '11/16')).toEqual([
      { week: '11/16', category: '劳动报酬', count: 3 },
      { week: '11/16', category: '劳动安全卫生', count: 1 },
      { week: '11/16', category: '职场欺凌与骚扰', count: 2 },
    ])
  })

  it('is the version an officer gets in private chat', async () => {
    await say(t, CHAIR, '日报')
    const m = t.fake.messages.filter((x) => x.chatId === `oc_p2p_${CHAIR.openId}`).at(-1)!
    expect(m.content.header.title.content).toBe('工会日报（委员会版）')
    expect(m.content.header.subtitle.content).toBe('2026-11-18 截至 10:00')
  })

  it('never writes names or grievance text to the logs', () => {
    const logs = logLines.join('\n')
    for (const s of [SECRET_A, SECRET_B, NAMED_NAME, '赵六', WINDOW_NAME, DEPARTMENT]) expect(logs).not.toContain(s)
    expect(logs).toContain('digest posted on demand')
  })
})

describe('who may ask', () => {
  it('refuses non-officers and explains where subscriptions are made', async () => {
    await groupSay(t, GROUP, 'ou_someone', '周报')
    expect(textsIn(t, GROUP).at(-1)).toBe('抱歉，只有工会干部可以调取周报、日报、月报和季报。')
    await groupSay(t, GROUP, 'ou_someone', '订阅周报')
    expect(textsIn(t, GROUP).at(-1)).toBe('抱歉，只有工会干部可以订阅、取消或查看周报和日报的推送。')
    await groupSay(t, GROUP, 'ou_someone', '取消订阅')
    expect(textsIn(t, GROUP).at(-1)).toBe('抱歉，只有工会干部可以订阅、取消或查看周报和日报的推送。')
    await say(t, CHAIR, '订阅周报')
    const last = t.fake.messages.filter((x) => x.chatId === `oc_p2p_${CHAIR.openId}`).at(-1)!
    expect(last.content.text).toBe('请在要接收推送的群里 @我 发送「订阅周报」。')
    expect(await t.bot.services.db.selectFrom('digest_subscriptions').selectAll().execute()).toEqual([])
  })

  it('subscribes an officer’s group, tells the first send time, and knows an existing subscription', async () => {
    await groupSay(t, GROUP, CHAIR, '订阅周报')
    expect(textsIn(t, GROUP).at(-1)).toBe(
      '已为本群订阅工会周报：每周一 09:00 推送上一周（周一至周日）的统计，本群收到公开版（只含统计数字，不含姓名和诉求内容）。首次推送：2026-11-23 09:00（Asia/Shanghai）。没有新内容的一期不发到本群。发送「取消订阅」可停止。',
    )
    await groupSay(t, GROUP, CHAIR, '订阅日报')
    expect(textsIn(t, GROUP).at(-1)).toContain('首次推送：2026-11-19 09:00（Asia/Shanghai）')
    await groupSay(t, GROUP, CHAIR, '订阅周报')
    expect(textsIn(t, GROUP).at(-1)).toContain('本群已订阅工会周报')
    expect(textsIn(t, GROUP).at(-1)).toContain('下次推送：2026-11-23 09:00')
    await groupSay(t, GROUP, CHAIR, '取消订阅 月报')
    expect(textsIn(t, GROUP).at(-1)).toBe('请发送「取消订阅」（全部）、「取消订阅 周报」或「取消订阅 日报」。')
    await groupSay(t, GROUP, CHAIR, '订阅列表')
    expect(textsIn(t, GROUP).at(-1)).toBe(
      '本群的推送订阅（公开版（只含统计数字，不含姓名和诉求内容））：\n周报：已订阅（2026-11-18 10:00 起），每周一 09:00 推送上一周（周一至周日）的统计\n日报：已订阅（2026-11-18 10:00 起），每个工作日 09:00 推送自上一个工作日以来的统计（节假日和周末不发，调休上班日照常）',
    )
    const audit = await t.bot.services.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', 'like', 'digest.%').execute()
    expect(audit).toEqual([
      { action: 'digest.subscribe', subject_id: GROUP },
      { action: 'digest.subscribe', subject_id: GROUP },
    ])
  })
})

describe('月报 and 季报', () => {
  const csvTo = (openId: string) => {
    const m = t.fake.messagesToUser(openId).filter((x) => x.msgType === 'file').at(-1)
    if (!m) return undefined
    return t.fake.files.get(m.content.file_key)
  }
  const rowsOf = (data: Buffer) =>
    data
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')

  it('posts this month so far in the committee group and sends the CSV privately', async () => {
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '月报 本月')
    const card = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.msgType === 'interactive').at(-1)!.content
    expect(card.header.title.content).toBe('工会月报 · 2026年11月（截至 2026-11-18）')
    const text = cardText(card)
    expect(text).toContain('**一、维权诉求办理**')
    expect(text).toContain("<font color='grey'>新提交</font>\n**7** 件")
    expect(text).toContain('**二、职代会提案**')
    expect(text).toContain("<font color='grey'>答复</font>\n**1** 件")
    expect(text).toContain('CSV 明细已私信发送给您')
    expectNothingPersonal(JSON.stringify(card))
    expectEscaped(card)
    const file = csvTo(CHAIR.openId)!
    expect(file.name).toBe('工会月报-2026-11-截至2026-11-18.csv')
    expect([...file.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = rowsOf(file.data)
    expect(rows[0]).toBe('部分,项目,数值')
    expect(rows).toContain('报告,期间,2026-11-01 至 2026-11-18')
    expect(rows).toContain('维权诉求,新提交,7')
    expect(rows).toContain('维权诉求,办结,3')
    expect(rows).toContain('维权诉求按类别（新提交）,职场欺凌与骚扰,2')
    expect(rows).toContain('职代会提案,征集（新提交）,1')
    expect(rows).toContain('职代会提案,满意,1')
    expect(rows).toContain('职代会提案,满意率（满意+基本满意）,100%')
    // A cell that would start a formula is defused and quoted.
    expect(text).toContain('**三、工会活动**')
    expect(text).toContain("<font color='grey'>出勤率</font>\n**75%**")
    expect(rows).toContain('工会活动,举办场次,1')
    expect(rows).toContain('工会活动,报名人次,4')
    expect(rows).toContain('工会活动,签到人次,3')
    expect(rows).toContain('工会活动,出勤率,75%')
    expect(rows).toContain('工会活动,取消场次,1')
    expect(rows).toContain(`本届提案（生成时）,届次,"'=HYPERLINK(""http://x"")<at id=all></at>第五届职代会"`)
    expectNothingPersonal(rows.filter((r) => !r.startsWith('本届提案（生成时）,届次')).join('\n'))
  })

  it('defaults to the last complete quarter; the file name says which', async () => {
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '季报')
    const card = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.msgType === 'interactive').at(-1)!.content
    expect(card.header.title.content).toBe('工会季报 · 2026年第3季度')
    expect(cardText(card)).toContain('**统计区间：**2026-07-01 至 2026-09-30')
    const file = csvTo(CHAIR.openId)!
    expect(file.name).toBe('工会季报-2026-Q3.csv')
    expect(rowsOf(file.data)).toContain('职代会提案,征集（新提交）,3')
  })

  it('is refused outside the committee group, for a period it cannot read, and for non-officers', async () => {
    await groupSay(t, GROUP, CHAIR, '月报')
    expect(textsIn(t, GROUP).at(-1)).toBe('月报只在工会委员会群或与我的私聊中提供。')
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '月报 13月')
    expect(textsIn(t, ADMIN_CHAT_ID).at(-1)).toBe('没有看懂要哪一期，请发送「月报」（上个月）、「月报 本月」或「月报 2026-09」。')
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '季报 2027Q1')
    expect(textsIn(t, ADMIN_CHAT_ID).at(-1)).toContain('没有看懂要哪一期')
    await groupSay(t, ADMIN_CHAT_ID, 'ou_someone', '季报')
    expect(textsIn(t, ADMIN_CHAT_ID).at(-1)).toBe('抱歉，只有工会干部可以调取周报、日报、月报和季报。')
    expect(csvTo('ou_someone')).toBeUndefined()
  })
})
