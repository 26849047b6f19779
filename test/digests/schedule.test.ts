// Scheduled digests (issue #6) with a ManualClock while the process runs in UTC: weekly (Monday) and daily
// (working days, Chinese calendar) digests go out at 09:00 Asia/Shanghai = 01:00 UTC, once per chat and period
// even with two instances ticking, on start when the bot was down at 09:00 the same day, never for older periods;
// unsubscribe stops them; a chat that removed the bot loses its subscriptions and the committee is told.
process.env.TZ = 'UTC'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeMarkdown } from '../../cards/escape.js'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { addBotToGroup, digestsIn, seedActivity, seedGrievance, sendAttempts, tickAt } from '../helpers/digests.js'
import { cardText, expectEscaped, groupSay, say, textsIn } from '../helpers/chat.js'

const GROUP_A = 'oc_workshop_a'
const QUIET = 'oc_quiet_group'
const GONE = 'oc_gone_group'
const HOSTILE_CHAT_NAME = '<at id=all></at>[点我](http://x) **三车间**'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-09-29T02:00:00Z') // Tuesday 29 September, 10:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await groupSay(t, GROUP_A, CHAIR, '订阅周报')
  await groupSay(t, ADMIN_CHAT_ID, CHAIR, '订阅日报')
  await groupSay(t, QUIET, CHAIR, '订阅日报')
  // News on two days only: the quiet group's daily digest has something to report on 09-30 and 10-08 only.
  await seedGrievance(t, { category: '劳动报酬', filedAt: '2026-09-29T03:00:00Z' })
  await seedGrievance(t, { category: '劳动报酬', filedAt: '2026-10-06T03:00:00Z' })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const subtitle = (m: { content: any }) => m.content.header.subtitle.content as string
const deliveryPeriods = async (chatId: string, kind: 'weekly' | 'daily') =>
  (await t.bot.services.db.selectFrom('digest_deliveries').select(['period', 'status']).where('chat_id', '=', chatId).where('kind', '=', kind).orderBy('period').execute()).map(
    (r) => `${r.period}:${r.status}`,
  )

it('runs in a UTC process (the schedule is in Asia/Shanghai all the same)', () => {
  expect(new Date('2026-10-12T00:00:00').getTimezoneOffset()).toBe(0)
  expect(t.config.digest.timezone).toBe('Asia/Shanghai')
})

describe('across National Day 2026', () => {
  // Day (Shanghai), whether the daily digest goes out (holidays and the weekend off, Saturday 10-10 a make-up
  // workday), whether the weekly does (Mondays, 10-05 included).
  const days: Array<[string, boolean, boolean]> = [
    ['2026-09-30', true, false],
    ['2026-10-01', false, false],
    ['2026-10-02', false, false],
    ['2026-10-03', false, false],
    ['2026-10-04', false, false],
    ['2026-10-05', false, true],
    ['2026-10-06', false, false],
    ['2026-10-07', false, false],
    ['2026-10-08', true, false],
    ['2026-10-09', true, false],
    ['2026-10-10', true, false],
    ['2026-10-11', false, false],
    ['2026-10-12', true, true],
  ]

  it('sends at 09:00 Shanghai (01:00 UTC), not at 08:59, the daily only on working days and the weekly on Mondays', async () => {
    let dailies = 0
    let weeklies = 0
    for (const [day, daily, weekly] of days) {
      const previous = new Date(`${day}T00:00:00Z`)
      previous.setUTCDate(previous.getUTCDate() - 1)
      await tickAt(t, clock, `${previous.toISOString().slice(0, 10)}T16:30:00Z`) // 00:30 in Shanghai
      await tickAt(t, clock, `${day}T00:59:00Z`) // 08:59
      expect([day, digestsIn(t, ADMIN_CHAT_ID, '日报').length, digestsIn(t, GROUP_A, '周报').length]).toEqual([day, dailies, weeklies])
      await tickAt(t, clock, `${day}T01:00:00Z`) // 09:00
      if (daily) dailies++
      if (weekly) weeklies++
      expect([day, digestsIn(t, ADMIN_CHAT_ID, '日报').length, digestsIn(t, GROUP_A, '周报').length]).toEqual([day, dailies, weeklies])
      await tickAt(t, clock, `${day}T01:01:00Z`)
      await tickAt(t, clock, `${day}T09:00:00Z`) // 17:00
      expect([day, digestsIn(t, ADMIN_CHAT_ID, '日报').length, digestsIn(t, GROUP_A, '周报').length]).toEqual([day, dailies, weeklies])
    }
  })

  it('covers everything since the previous working day (the holiday included) and last Monday to Sunday', () => {
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报').map(subtitle)).toEqual(['2026-09-29', '2026-09-30 至 2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10 至 2026-10-11'])
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报').every((m) => m.content.header.title.content === '工会日报（委员会版）')).toBe(true)
    expect(digestsIn(t, GROUP_A, '周报').map(subtitle)).toEqual(['2026-09-28 至 2026-10-04', '2026-10-05 至 2026-10-11'])
    expect(digestsIn(t, GROUP_A, '周报').every((m) => m.content.header.title.content === '工会周报')).toBe(true)
  })

  it('does not post a public digest with nothing to report, and records it as skipped', async () => {
    // The quiet group's only news were two grievances, which a public daily digest does not show (security review
    // F4: public grievance figures only by completed week), so none of its dailies had anything to report.
    expect(digestsIn(t, QUIET, '日报').map(subtitle)).toEqual([])
    expect(await deliveryPeriods(QUIET, 'daily')).toEqual(['2026-09-30:skipped', '2026-10-08:skipped', '2026-10-09:skipped', '2026-10-10:skipped', '2026-10-12:skipped'])
  })
})

describe('exactly once', () => {
  it('sends one digest when two instances tick the same minute', async () => {
    const second = await startTestBot({ db, fake: t.fake, clock, instanceId: 'second' })
    try {
      const before = sendAttempts(t, ADMIN_CHAT_ID, '工会日报')
      const dailies = digestsIn(t, ADMIN_CHAT_ID, '日报').length
      clock.set('2026-10-13T01:00:00Z')
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now()), t.bot.runPeriodic(clock.now())])
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now())])
      expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies + 1)
      // Not even a second request: the key in Postgres stopped the other instance before it sent anything.
      expect(sendAttempts(t, ADMIN_CHAT_ID, '工会日报') - before).toBe(1)
    } finally {
      await second.stop()
    }
  })

  it('resends after a crash between claim and send, with the same uuid, once the claim has lapsed', async () => {
    // An instance claimed 10-14's digest at 09:00 and died before sending (the claim is left behind).
    await t.bot.services.db
      .insertInto('digest_deliveries')
      .values({ chat_id: ADMIN_CHAT_ID, kind: 'daily', period: '2026-10-14', status: 'claimed', claimed_at: '2026-10-14T01:00:00Z', claimed_until: '2026-10-14T01:05:00Z' })
      .execute()
    const dailies = digestsIn(t, ADMIN_CHAT_ID, '日报').length
    await tickAt(t, clock, '2026-10-14T01:03:00Z')
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies)
    await tickAt(t, clock, '2026-10-14T01:06:00Z')
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies + 1)
    const sent = digestsIn(t, ADMIN_CHAT_ID, '日报').at(-1)!
    // A crash after the send but before it was marked: the resend carries the same uuid, Feishu keeps one message.
    await t.bot.services.db.updateTable('digest_deliveries').set({ status: 'claimed', claimed_until: '2026-10-14T01:07:00Z' }).where('chat_id', '=', ADMIN_CHAT_ID).where('period', '=', '2026-10-14').execute()
    await tickAt(t, clock, '2026-10-14T01:08:00Z')
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies + 1)
    const resends = t.fake.requests.filter((r) => (r.body as { uuid?: string })?.uuid === sent.uuid)
    expect(resends).toHaveLength(2)
    expect(await deliveryPeriods(ADMIN_CHAT_ID, 'daily')).toContain('2026-10-14:sent')
  })
})

describe('catch-up after downtime', () => {
  async function restartAt(iso: string): Promise<TestBot> {
    clock.set(iso)
    // A real start: the pg-boss scheduler on, and the catch-up run listen() makes at once.
    return startTestBot({ db, fake: t.fake, clock, instanceId: `restart-${iso}`, env: { SCHEDULER_ENABLED: '1' } })
  }

  it('sends on start when the bot was down at 09:00 and starts at 11:00 the same day', async () => {
    const dailies = digestsIn(t, ADMIN_CHAT_ID, '日报').length
    const started = await restartAt('2026-10-15T03:00:00Z') // Thursday 11:00
    try {
      await t.fake.waitFor(() => digestsIn(t, ADMIN_CHAT_ID, '日报').length === dailies + 1, 15_000)
      expect(subtitle(digestsIn(t, ADMIN_CHAT_ID, '日报').at(-1)!)).toBe('2026-10-14')
    } finally {
      await started.stop()
    }
  })

  it("does not send yesterday's digest when it starts the next day; today's follows at 09:00", async () => {
    const dailies = digestsIn(t, ADMIN_CHAT_ID, '日报').length
    // Down on Tuesday 10-20 from before 09:00 to the end of the day; started on Wednesday 10-21 at 07:30.
    const started = await restartAt('2026-10-20T23:30:00Z')
    try {
      await new Promise((r) => setTimeout(r, 1500))
      await started.bot.runPeriodic(clock.now())
      expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies)
      expect((await deliveryPeriods(ADMIN_CHAT_ID, 'daily')).filter((p) => p.startsWith('2026-10-20'))).toEqual([])
      await tickAt(started, clock, '2026-10-21T01:00:00Z')
      expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies + 1)
      // Wednesday's digest covers Tuesday: what happened on the missed day is still reported, once.
      expect(subtitle(digestsIn(t, ADMIN_CHAT_ID, '日报').at(-1)!)).toBe('2026-10-20')
    } finally {
      await started.stop()
    }
  })

  it('does not flood missed periods after a long downtime: one daily, one weekly', async () => {
    const dailies = digestsIn(t, ADMIN_CHAT_ID, '日报').length
    const weeklies = digestsIn(t, GROUP_A, '周报').length
    // Down from 10-22 to 10-28 (the weekly of 10-26 and five dailies missed); back on Thursday 10-29 10:00.
    await seedGrievance(t, { category: '劳动报酬', filedAt: '2026-10-27T03:00:00Z' })
    await tickAt(t, clock, '2026-10-29T02:00:00Z')
    expect(digestsIn(t, ADMIN_CHAT_ID, '日报')).toHaveLength(dailies + 1)
    expect(digestsIn(t, GROUP_A, '周报')).toHaveLength(weeklies)
    await tickAt(t, clock, '2026-11-02T01:00:00Z')
    expect(digestsIn(t, GROUP_A, '周报')).toHaveLength(weeklies + 1)
    expect(subtitle(digestsIn(t, GROUP_A, '周报').at(-1)!)).toBe('2026-10-26 至 2026-11-01')
    const periods = await deliveryPeriods(GROUP_A, 'weekly')
    expect(periods.filter((p) => p.startsWith('2026-10-19') || p.startsWith('2026-10-26'))).toEqual([])
  })
})

describe('unsubscribing', () => {
  it('stops the weekly digest of the group and says so in 订阅列表', async () => {
    clock.set('2026-11-02T03:00:00Z')
    await groupSay(t, GROUP_A, CHAIR, '取消订阅 周报')
    expect(textsIn(t, GROUP_A).at(-1)).toBe('已取消本群的工会周报订阅，不再推送。')
    await groupSay(t, GROUP_A, CHAIR, '取消订阅 周报')
    expect(textsIn(t, GROUP_A).at(-1)).toBe('本群没有订阅工会周报，无需取消。')
    const weeklies = digestsIn(t, GROUP_A, '周报').length
    await seedGrievance(t, { category: '劳动报酬', filedAt: '2026-11-03T03:00:00Z' })
    await tickAt(t, clock, '2026-11-09T01:00:00Z')
    await tickAt(t, clock, '2026-11-09T05:00:00Z')
    expect(digestsIn(t, GROUP_A, '周报')).toHaveLength(weeklies)
    await groupSay(t, GROUP_A, CHAIR, '订阅列表')
    expect(textsIn(t, GROUP_A).at(-1)).toContain('周报：已取消（2026-11-02 11:00）')
    expect(textsIn(t, GROUP_A).at(-1)).toContain('日报：未订阅')
  })
})

describe('a chat that removed the bot', () => {
  it('loses its subscriptions, the committee is told once, and nothing is sent there again', async () => {
    clock.set('2026-11-09T06:00:00Z')
    await addBotToGroup(t, GONE, HOSTILE_CHAT_NAME)
    await groupSay(t, GONE, CHAIR, '订阅日报')
    await groupSay(t, GONE, CHAIR, '订阅周报')
    // News for the public daily of 11-10 (a grievance alone is not news there): an activity in the coming week.
    await seedActivity(t, { title: '职工羽毛球赛', startsAt: '2026-11-12T06:00:00Z', signupDeadline: '2026-11-11T16:00:00Z', capacity: 10 })
    t.fake.chatsWithoutBot.add(GONE)
    const attempts = sendAttempts(t, GONE)
    await tickAt(t, clock, '2026-11-10T01:00:00Z')
    expect(sendAttempts(t, GONE)).toBe(attempts + 1)
    const notices = () => t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => m.content?.header?.title?.content === '定期推送已停止')
    expect(notices()).toHaveLength(1)
    const notice = notices()[0]!.content
    expect(cardText(notice)).toContain('周报、日报订阅已停止')
    expect(cardText(notice)).toContain('230002')
    expectEscaped(notice)
    const rows = await t.bot.services.db.selectFrom('digest_subscriptions').select(['kind', 'disabled_reason']).where('chat_id', '=', GONE).orderBy('kind').execute()
    expect(rows).toEqual([
      { kind: 'daily', disabled_reason: 'recipient_gone' },
      { kind: 'weekly', disabled_reason: 'recipient_gone' },
    ])
    await tickAt(t, clock, '2026-11-11T01:00:00Z')
    await tickAt(t, clock, '2026-11-16T01:00:00Z')
    expect(sendAttempts(t, GONE)).toBe(attempts + 1)
    expect(notices()).toHaveLength(1)
    await say(t, CHAIR, '订阅列表')
    const overview = t.fake.messages.filter((m) => m.chatId === `oc_p2p_${CHAIR.openId}`).at(-1)!
    expect(overview.content.header.title.content).toBe('周报 / 日报订阅')
    expect(JSON.stringify(overview.content)).not.toContain(escapeMarkdown(GONE))
    expect(JSON.stringify(overview.content)).toContain(escapeMarkdown(ADMIN_CHAT_ID))
  })
})
