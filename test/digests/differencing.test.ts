// Security review F4: the public digest's small-count rule must hold against differencing. A public group gets
// 日报 and 周报 for two weeks (and an officer asks for both on demand in between) while the review's case happens —
// three 职场欺凌与骚扰 cases on Monday, the victim's one on Tuesday — among others; every count the group was shown,
// and every difference of them, is 0 or at least the threshold. Below it, totals, medians and satisfaction read
// 「少于 3」. The reduction itself is checked over random case sets (fast-check, bounded runs).
process.env.TZ = 'UTC'

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { ManualClock } from '../../src/clock.js'
import { GRIEVANCE_CATEGORIES } from '../../src/grievances/model.js'
import { addDays } from '../../src/time.js'
import { HIDDEN_CATEGORIES_LABEL, categoryBreakdown, chartData, suppressSmallCells } from '../../src/digests/model.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { derivableSmallCounts, seedActivity, seedGrievance, shownFacts, tickAt, type ShownFact } from '../helpers/digests.js'
import { cardText, groupSay } from '../helpers/chat.js'

const GROUP = 'oc_workshop_public'
const X = '职场欺凌与骚扰'
const K = 3

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-31T02:00:00Z') // Sunday 31 May, 10:00 in Shanghai

const at = (day: string, hour = 2) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await groupSay(t, GROUP, CHAIR, '订阅日报')
  await groupSay(t, GROUP, CHAIR, '订阅周报')
  // Week of 06-01: the review's reproduction (X ×3 on Monday, the victim's X on Tuesday) and other categories.
  for (let i = 0; i < 3; i++) await seedGrievance(t, { category: X, filedAt: at('2026-06-01', 1 + i) })
  await seedGrievance(t, { category: X, filedAt: at('2026-06-02') })
  for (let i = 0; i < 4; i++) await seedGrievance(t, { category: '劳动报酬', filedAt: at('2026-06-03', 1 + i) })
  await seedGrievance(t, { category: '劳动安全卫生', filedAt: at('2026-06-04'), status: 'accepted', acceptedAt: at('2026-06-04', 5) })
  await seedGrievance(t, { category: '劳动报酬', filedAt: at('2026-06-05'), status: 'accepted', acceptedAt: at('2026-06-05', 6) })
  for (let i = 0; i < 2; i++) await seedGrievance(t, { category: '工作时间与休息休假', filedAt: at('2026-06-05', 3 + i) })
  // One rating in that week: its share must not be shown (fewer than 3 ratings).
  await seedGrievance(t, {
    category: '劳动报酬',
    filedAt: at('2026-05-20'),
    status: 'closed',
    acceptedAt: at('2026-05-21'),
    resolvedAt: at('2026-06-03', 8),
    ratedAt: at('2026-06-04', 8),
    satisfaction: 'dissatisfied',
    closedAt: at('2026-06-04', 8),
  })
  // Week of 06-08.
  for (let i = 0; i < 2; i++) await seedGrievance(t, { category: X, filedAt: at('2026-06-08', 1 + i) })
  for (let i = 0; i < 3; i++) await seedGrievance(t, { category: '劳动报酬', filedAt: at('2026-06-09', 1 + i), status: 'accepted', acceptedAt: at('2026-06-10', 1 + i) })
  // Three ratings in that week, all satisfied: the share can be shown (neither part is a small count).
  for (let i = 0; i < 3; i++) {
    await seedGrievance(t, {
      category: '劳动报酬',
      filedAt: at('2026-05-11', 1 + i),
      status: 'closed',
      acceptedAt: at('2026-05-12'),
      resolvedAt: at('2026-06-10', 1 + i),
      ratedAt: at('2026-06-11', 1 + i),
      satisfaction: 'satisfied',
      closedAt: at('2026-06-11', 1 + i),
    })
  }
  // Activities, so that the public dailies have news and are sent (grievances are not news for them).
  for (const day of ['2026-06-03', '2026-06-08', '2026-06-12', '2026-06-17']) await seedActivity(t, { title: `职工活动 ${day}`, startsAt: at(day, 6), signupDeadline: at(day, 4), capacity: 20 })
  // Two weeks of scheduled digests, and an officer asking on demand on the review's days (Tuesday, Wednesday).
  for (let d = 1; d <= 16; d++) {
    const day = `2026-06-${String(d).padStart(2, '0')}`
    await tickAt(t, clock, at(day, 1)) // 09:00 in Shanghai
    if (['2026-06-02', '2026-06-03', '2026-06-09'].includes(day)) {
      clock.set(at(day, 3))
      await groupSay(t, GROUP, CHAIR, '日报')
      await groupSay(t, GROUP, CHAIR, '周报')
    }
  }
}, 120_000)
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const publicCards = () =>
  t.fake
    .messagesInChat(GROUP)
    .filter((m) => m.msgType === 'interactive' && /^工会(日报|周报)$/.test(String(m.content?.header?.title?.content)))
    .map((m, i) => ({ title: m.content.header.title.content as string, subtitle: m.content.header.subtitle.content as string, card: m.content, source: `#${i} ${m.content.header.title.content} ${m.content.header.subtitle.content}` }))

describe('two weeks of a public group (日报 and 周报, scheduled and on demand)', () => {
  it('received the dailies, the weeklies of completed weeks, and no running week', () => {
    const cards = publicCards()
    const weeklies = cards.filter((c) => c.title === '工会周报').map((c) => c.subtitle)
    // Scheduled on 06-08 and 06-15; on demand on 06-02/06-03 (the week of 05-25) and 06-09 (the week of 06-01).
    expect([...new Set(weeklies)].sort()).toEqual(['2026-05-25 至 2026-05-31', '2026-06-01 至 2026-06-07', '2026-06-08 至 2026-06-14'])
    expect(cards.filter((c) => c.title === '工会日报').length).toBeGreaterThanOrEqual(8)
    for (const c of cards.filter((x) => x.title === '工会周报')) expect(c.subtitle, c.source).not.toMatch(/\d{2}:\d{2}/) // no week "so far"
  })

  it('shows no grievance figures and no chart in any public daily', () => {
    for (const c of publicCards().filter((x) => x.title === '工会日报')) {
      expect(shownFacts(c.card, c.source, 2026), c.source).toEqual([])
      const text = cardText(c.card)
      expect(text, c.source).not.toContain(X)
      expect(text, c.source).not.toContain(HIDDEN_CATEGORIES_LABEL)
      expect(text, c.source).toContain('维权诉求的统计不按日公布')
      expect(JSON.stringify(c.card), c.source).not.toContain('"tag":"chart"')
    }
  })

  it('lets no count below 3 be worked out by subtracting any shown figures from another (brute force over every card)', () => {
    const facts: ShownFact[] = publicCards().flatMap((c) => shownFacts(c.card, c.source, 2026))
    // The weekly of 06-01 and the chart bar of that week were read (the figures the review differenced).
    expect(facts.some((f) => f.from === '2026-06-01' && f.to === '2026-06-07' && f.measure === 'filed')).toBe(true)
    expect(derivableSmallCounts(facts, K, GRIEVANCE_CATEGORIES)).toEqual([])
  })

  it('merges a second category when 其余类别 alone would be small (complementary suppression)', () => {
    const weekly = publicCards().find((c) => c.title === '工会周报' && c.subtitle === '2026-06-01 至 2026-06-07')!
    const text = cardText(weekly.card)
    // 劳动报酬 5, X 4, 工作时间 2, 安全 1: the small ones add up to 3 here, so 其余类别 3 is shown as it is.
    expect(text).toContain('**按类别（新提交）：**劳动报酬 5，职场欺凌与骚扰 4，其余类别 3')
    const week2 = publicCards().find((c) => c.title === '工会周报' && c.subtitle === '2026-06-08 至 2026-06-14')!
    // 劳动报酬 3, X 2: 其余类别 2 would single out the two X cases, so 劳动报酬 is merged into it too.
    expect(cardText(week2.card)).toContain("<font color='grey'>新提交</font>\n**5** 件")
    expect(cardText(week2.card)).toContain('**按类别（新提交）：**其余类别 5')
  })

  it('shows totals, medians and satisfaction below 3 as 「少于 3」', () => {
    const weekly = publicCards().find((c) => c.title === '工会周报' && c.subtitle === '2026-06-01 至 2026-06-07')!
    const text = cardText(weekly.card)
    expect(text).toContain("<font color='grey'>新提交</font>\n**12** 件")
    expect(text).toContain("<font color='grey'>已受理</font>\n**少于 3** 件")
    expect(text).toContain("<font color='grey'>已办结</font>\n**少于 3** 件")
    expect(text).toContain('**受理用时（中位数）：**少于 3 件，不计算　**办结用时（中位数）：**少于 3 件，不计算')
    expect(text).toContain('**满意度：**少于 3 件评价，不计算')
    const week2 = publicCards().find((c) => c.title === '工会周报' && c.subtitle === '2026-06-08 至 2026-06-14')!
    expect(cardText(week2.card)).toContain("<font color='grey'>已受理</font>\n**3** 件")
    expect(cardText(week2.card)).toContain('**受理用时（中位数）：**24 小时')
    expect(cardText(week2.card)).toContain("<font color='grey'>已办结</font>\n**3** 件")
    expect(cardText(week2.card)).toContain('**满意度：**100%（共 3 件评价）')
  })

  it('charts completed weeks only, each bar as that week’s own digest showed it', () => {
    const last = publicCards().filter((c) => c.title === '工会周报' && c.subtitle === '2026-06-08 至 2026-06-14').at(-1)!
    const values = (last.card.body.elements as any[]).find((e) => e.tag === 'chart').chart_spec.data.values as Array<{ week: string; category: string; count: number }>
    expect([...new Set(values.map((v) => v.week))].at(-1)).toBe('06/08')
    expect(values.filter((v) => v.week === '06/01')).toEqual([
      { week: '06/01', category: '劳动报酬', count: 5 },
      { week: '06/01', category: X, count: 4 },
      { week: '06/01', category: HIDDEN_CATEGORIES_LABEL, count: 3 },
    ])
    expect(values.filter((v) => v.week === '06/08')).toEqual([{ week: '06/08', category: HIDDEN_CATEGORIES_LABEL, count: 5 }])
  })

  it('the committee still sees exact figures, this week so far included', async () => {
    clock.set(at('2026-06-09', 5))
    await groupSay(t, 'oc_union_committee', CHAIR, '周报')
    const week = t.fake.messagesInChat('oc_union_committee').filter((m) => m.msgType === 'interactive').at(-1)!.content
    expect(week.header.title.content).toBe('工会周报（委员会版）')
    expect(week.header.subtitle.content).toBe('2026-06-08 至 2026-06-09 13:00')
    expect(cardText(week)).toContain(`**按类别（新提交）：**劳动报酬 3，${X} 2`)
    expect(cardText(week)).toContain('**满意度：**本期暂无评价')
  })
})

describe('the public reduction (pure)', () => {
  it('merges the smallest named category into 其余类别 when the small ones add up to less than the threshold', () => {
    expect(suppressSmallCells([{ category: X, count: 3 }, { category: '劳动报酬', count: 1 }], 3)).toEqual({ shown: [], hiddenTotal: 4 })
    expect(suppressSmallCells([{ category: X, count: 5 }, { category: '劳动报酬', count: 3 }, { category: '其他', count: 1 }], 3)).toEqual({ shown: [{ category: X, count: 5 }], hiddenTotal: 4 })
    expect(suppressSmallCells([{ category: X, count: 2 }], 3)).toEqual({ shown: [], hiddenTotal: 0, suppressed: true })
    expect(suppressSmallCells([{ category: X, count: 1 }, { category: '其他', count: 1 }, { category: '劳动报酬', count: 1 }], 3)).toEqual({ shown: [], hiddenTotal: 3 })
  })

  it('over random weeks of cases and thresholds 2–5, no shown count nor any difference of them is below the threshold', () => {
    const cell = fc.record({ bucket: fc.integer({ min: 0, max: 7 }), category: fc.constantFrom(...GRIEVANCE_CATEGORIES), count: fc.integer({ min: 1, max: 7 }) })
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 30 }), fc.integer({ min: 2, max: 5 }), (rows, k) => {
        const mondays = Array.from({ length: 8 }, (_, i) => addDays('2026-06-01', 7 * i))
        const chart = chartData(mondays, rows, 'public', k)
        const facts: ShownFact[] = []
        const byWeek = new Map<string, Array<{ category: string; count: number }>>()
        for (const v of chart.values) if (v.count > 0) byWeek.set(v.week, [...(byWeek.get(v.week) ?? []), v])
        mondays.forEach((monday, bucket) => {
          const week = `${monday.slice(5, 7)}/${monday.slice(8, 10)}`
          const to = addDays(monday, 6)
          // That week's own digest: categoryBreakdown over the same rows must equal its bar.
          const table = categoryBreakdown(rows.filter((r) => r.bucket === bucket), 'public', k)
          const bar = byWeek.get(week) ?? []
          expect(bar).toEqual([...table.shown.map((c) => ({ week, ...c })), ...(table.hiddenTotal ? [{ week, category: HIDDEN_CATEGORIES_LABEL, count: table.hiddenTotal }] : [])])
          const named = table.shown.map((c) => c.category)
          for (const c of table.shown) facts.push({ source: `${week} ${c.category}`, measure: 'filed', from: monday, to, categories: { only: [c.category] }, value: c.count })
          if (table.hiddenTotal) facts.push({ source: `${week} 其余`, measure: 'filed', from: monday, to, categories: { allBut: named }, value: table.hiddenTotal })
          const total = rows.filter((r) => r.bucket === bucket).reduce((n, r) => n + r.count, 0)
          if (total >= k) facts.push({ source: `${week} 合计`, measure: 'filed', from: monday, to, categories: { all: true }, value: total })
        })
        expect(derivableSmallCounts(facts, k, GRIEVANCE_CATEGORIES)).toEqual([])
      }),
      { numRuns: 300, seed: 20260601 },
    )
  })
})

describe('DIGEST_MIN_PUBLIC_COUNT', () => {
  it('defaults to 3, takes a larger value, and refuses 0 and 1', () => {
    expect(loadConfig({}).digest.minPublicCount).toBe(3)
    expect(loadConfig({ DIGEST_MIN_PUBLIC_COUNT: '5' }).digest.minPublicCount).toBe(5)
    expect(() => loadConfig({ DIGEST_MIN_PUBLIC_COUNT: '1' })).toThrow(ConfigError)
    expect(() => loadConfig({ DIGEST_MIN_PUBLIC_COUNT: '0' })).toThrow(ConfigError)
    expect(() => loadConfig({ DIGEST_MIN_PUBLIC_COUNT: 'drei' })).toThrow(ConfigError)
  })
})
