// Polls (issue #15): the 发起投票 form and its refusals, the live vote card (never interim results when hidden),
// voting (buttons, checkboxes + 提交), who may vote, closing early and at the closing time (once), the results with
// counts, percentages, participation and a chart, the too-few rule, named polls' changes and CSV, free-text
// answers to the committee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, startTestBot, type TestBot } from '../rig/test-bot.js'
import { EVIL, answersTo, cardText, cardsTitled, expectEscaped, textsOf } from '../helpers/chat.js'
import { GROUP, OFFICER, openPollForm, seedMembers, seedRepresentatives, startPoll, submitPollForm, vote } from '../helpers/polls.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await seedMembers(t, [
    { openId: 'ou_m1', name: '会员甲', department: '生产部' },
    { openId: 'ou_m2', name: '会员乙', department: '生产部' },
    { openId: 'ou_m3', name: '会员丙', department: '财务部' },
  ])
  await seedRepresentatives(t, [{ openId: 'ou_r1', name: '代表甲', constituency: '第一选区' }, { openId: 'ou_r2', name: '代表乙', constituency: '第二选区' }])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const current = (messageId: string) => cardText(t.fake.currentCard(messageId))

describe('the 发起投票 form', () => {
  it('refuses what cannot work, with every reason, and keeps what the officer typed', async () => {
    const form = await openPollForm(t)
    const res = await submitPollForm(t, form, { title: '', options: '只有一个', closesAt: '2026-05-01 09:00 +0800', results: 'live', secrecy: 'anonymous' })
    expect(res.body.toast.type).toBe('error')
    const text = cardText(res.body.card.data)
    for (const reason of ['请填写投票主题', '请至少填写 2 个选项', '匿名投票的结果只能在结束后公布', '截止时间已经过去']) expect(text).toContain(reason)
    expect(JSON.stringify(res.body.card.data)).toContain('只有一个')
    const dup = await submitPollForm(t, form, { options: '甲\n甲' })
    expect(dup.body.toast.content).toBe('有重复的选项，请修改')
    const dept = await submitPollForm(t, form, { audience: 'department' })
    expect(dept.body.toast.content).toBe('请填写部门名称')
    expect(await t.bot.services.db.selectFrom('polls').select('id').execute()).toHaveLength(0)
  })

  it('is for officers only', async () => {
    const answers = await answersTo(t, 'ou_m1', '发起投票')
    expect(textsOf(answers).join()).toMatch(/工会干部|权限|仅限/)
    expect(cardsTitled(answers, '发起投票')).toHaveLength(0)
  })
})

describe('an anonymous single-choice poll', () => {
  it('posts a live card that counts voters and never shows figures before closing; closing shows counts, shares, participation and a chart', async () => {
    const p = await startPoll(t, { title: '食堂开饭时间', audience: 'members' })
    expect(p.number).toMatch(/^V-\d{3}$/)
    let text = current(p.card.messageId)
    expect(text).toContain('11:30 开饭')
    expect(text).toContain('已投票：0 人')
    expect(text).toContain('2026-06-05 18:00')

    expect(await vote(t, 'ou_m1', p.card, '11:30 开饭')).toEqual({ type: 'success', content: '已投票' })
    expect(await vote(t, 'ou_m1', p.card, '维持现状')).toEqual({ type: 'info', content: '您已投过票，无记名投票投出后不能更改' })
    expect(await vote(t, 'ou_outsider', p.card, '维持现状')).toEqual({ type: 'warning', content: '本次投票仅限工会会员参加' })
    expect(await vote(t, 'ou_m2', p.card, '11:30 开饭')).toEqual({ type: 'success', content: '已投票' })
    expect(await vote(t, 'ou_m3', p.card, '维持现状')).toEqual({ type: 'success', content: '已投票' })
    await t.settle()
    text = current(p.card.messageId)
    expect(text).toContain('已投票：3 人')
    expect(text).not.toMatch(/\d+ 票/)
    expect(JSON.stringify(t.fake.currentCard(p.card.messageId))).not.toContain('"chart"')

    // Someone else may not close it; the creator may.
    expect(textsOf(await answersTo(t, 'ou_m1', `结束投票 ${p.number}`)).join()).toContain('只有发起人或工会主席')
    expect(textsOf(await answersTo(t, OFFICER, `结束投票 ${p.number}`)).join()).toContain(`${p.number} 已结束`)
    await t.settle()
    const closed = t.fake.currentCard(p.card.messageId)
    text = cardText(closed)
    expect(text).toContain('参与 3/3 人（100.0%）')
    // Said once (QA F5): no 已投票 line next to the participation, and the actual, early, closing time.
    expect(text).not.toContain('已投票：')
    expect(text.match(/3 人/g)).toHaveLength(1)
    expect(text).toContain('结束：**2026-06-01 10:00（提前结束，原定 2026-06-05 18:00）')
    expect(text).not.toContain('截止：')
    // The chart's axis names the options (QA F14), short enough for a phone.
    const chart = JSON.stringify(closed).match(/"values":(\[[^\]]*\])/)![1]!
    expect(JSON.parse(chart)).toEqual([
      { label: '11:30 开饭', value: 2 },
      { label: '12:00 开饭', value: 0 },
      { label: '维持现状', value: 1 },
    ])
    expect(text).toContain('1. 11&#58;30 开饭 — **2 票**（66.7%）')
    expect(text).toContain('维持现状 — **1 票**（33.3%）')
    expect(text).toContain('2. 12&#58;00 开饭 — **0 票**（0.0%）')
    expect(JSON.stringify(closed)).toContain('"chart"')
    expect(buttonsOfCard(closed)).toHaveLength(0)
    expect(await vote(t, 'ou_m1', { ...p.card }, '11:30 开饭').catch(() => 'no button')).toBe('no button')
    // The committee gets the results once.
    expect(cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)).toHaveLength(1)
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    expect(cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)).toHaveLength(1)
    expect(textsOf(await answersTo(t, OFFICER, `结束投票 ${p.number}`)).join()).toContain('已经结束了')
  })

  it('with fewer than 3 ballots publishes only that there were too few votes', async () => {
    const p = await startPoll(t, { title: '小范围投票' })
    await vote(t, 'ou_a', p.card, '12:00 开饭')
    await vote(t, 'ou_b', p.card, '维持现状')
    await answersTo(t, OFFICER, `结束投票 ${p.number}`)
    await t.settle()
    const text = current(p.card.messageId)
    expect(text).toContain('投票人数过少，为保护投票秘密，不公布结果')
    // 全体职工 has no list: participation is against the members on the roll, and says so (QA F5).
    expect(text).toContain('参与 2/3 人（66.7%，按登记的会员人数计）')
    expect(text).not.toMatch(/\d+ 票/)
    expect(JSON.stringify(t.fake.currentCard(p.card.messageId))).not.toContain('"chart"')
    const committee = cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)
    expect(cardText(committee[0]!.content)).toContain('投票人数过少')
    expect(cardText(committee[0]!.content)).not.toMatch(/\d+ 票/)
  })

  it('closes by itself at the closing time, once across two instances, and then answers 投票已结束', async () => {
    const t2 = await startTestBot({ db, clock, fake: t.fake, instanceId: 'bot-2' })
    try {
      const p = await startPoll(t, { title: '自动截止', closesAt: '2026-06-01 12:00 +0800' })
      for (const who of ['ou_x1', 'ou_x2', 'ou_x3']) await vote(t, who, p.card, '维持现状')
      clock.set('2026-06-01T04:00:00Z')
      expect(await vote(t, 'ou_x4', p.card, '维持现状')).toEqual({ type: 'warning', content: '投票已结束' })
      await Promise.all([t.bot.runPeriodic(clock.now()), t2.bot.runPeriodic(clock.now())])
      await t.settle()
      await t2.settle()
      const row = await t.bot.services.db.selectFrom('polls').select(['status', 'voted_count']).where('id', '=', p.id).executeTakeFirstOrThrow()
      expect(row).toEqual({ status: 'closed', voted_count: 3 })
      expect(current(p.card.messageId)).toContain('维持现状 — **3 票**（100.0%）')
      expect(cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)).toHaveLength(1)
      const audit = await t.bot.services.db.selectFrom('audit_log').select('action').where('subject_id', '=', p.number).where('action', '=', 'poll.close').execute()
      expect(audit).toHaveLength(1)
    } finally {
      await t2.stop()
      clock.set('2026-06-01T02:00:00Z')
    }
  })
})

function buttonsOfCard(card: unknown): unknown[] {
  const found: unknown[] = []
  const visit = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(visit)
    else if (o && typeof o === 'object') {
      if ((o as { tag?: string }).tag === 'button') found.push(o)
      Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return found
}

describe('who may vote', () => {
  it('a department, a constituency, the representatives: others are told 本次投票仅限…参加', async () => {
    const dept = await startPoll(t, { title: '生产部排班', audience: 'department', audienceValue: '生产部' })
    expect(await vote(t, 'ou_m3', dept.card, '维持现状')).toEqual({ type: 'warning', content: '本次投票仅限部门「生产部」参加' })
    expect(await vote(t, 'ou_m1', dept.card, '维持现状')).toEqual({ type: 'success', content: '已投票' })
    const area = await startPoll(t, { title: '选区事项', audience: 'constituency', audienceValue: '第一选区' })
    expect(await vote(t, 'ou_r2', area.card, '维持现状')).toEqual({ type: 'warning', content: '本次投票仅限选区「第一选区」参加' })
    expect(await vote(t, 'ou_r1', area.card, '维持现状')).toEqual({ type: 'success', content: '已投票' })
    const reps = await startPoll(t, { title: '代表事项', audience: 'representatives' })
    expect(await vote(t, 'ou_m1', reps.card, '维持现状')).toEqual({ type: 'warning', content: '本次投票仅限职工代表参加' })
    expect(await vote(t, 'ou_r2', reps.card, '维持现状')).toEqual({ type: 'success', content: '已投票' })
  })
})

describe('a named multiple-choice poll', () => {
  it('takes checkboxes + 提交, may be changed until closing, shows live results when asked, and gives officers the CSV', async () => {
    const p = await startPoll(t, { title: '工会活动意向', options: '登山\n羽毛球\n观影', mode: 'multiple', secrecy: 'named', results: 'live', freeQuestion: '还想参加什么？' })
    const card = t.fake.currentCard(p.card.messageId)
    expect(JSON.stringify(card)).toContain('"checker"')
    expect(await vote(t, 'ou_n1', p.card, [])).toEqual({ type: 'warning', content: '请至少勾选一项，再点提交' })
    expect(await vote(t, 'ou_n1', p.card, [0, 1], { free_answer: EVIL })).toEqual({ type: 'success', content: '已投票' })
    expect(await vote(t, 'ou_n2', p.card, [1])).toEqual({ type: 'success', content: '已投票' })
    expect(await vote(t, 'ou_n2', p.card, [1])).toEqual({ type: 'info', content: '您已投票' })
    expect(await vote(t, 'ou_n2', p.card, [2])).toEqual({ type: 'success', content: '已改投' })
    await t.settle()
    const live = current(p.card.messageId)
    expect(live).toContain('登山 — **1 票**（50.0%）')
    expect(live).toContain('羽毛球 — **1 票**（50.0%）')
    expect(live).toContain('观影 — **1 票**（50.0%）')
    expect(live).toContain('参与 2/3 人（66.7%，按登记的会员人数计）')

    // Anyone may not have the list; an officer gets the CSV privately.
    expect(textsOf(await answersTo(t, 'ou_n1', `投票名单 ${p.number}`)).join()).not.toContain('已私信')
    const before = t.fake.files.size
    await answersTo(t, OFFICER, `投票名单 ${p.number}`, GROUP)
    expect(t.fake.files.size).toBe(before + 1)
    const csv = [...t.fake.files.values()].at(-1)!
    expect(csv.name).toBe(`投票名单-${p.number}.csv`)
    const body = csv.data.toString('utf8')
    expect(body).toContain('ou_n1,登山；羽毛球')
    expect(body).toContain('ou_n2,观影')

    await answersTo(t, OFFICER, `结束投票 ${p.number}`)
    await t.settle()
    const committee = cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), `投票结果 · ${p.number}`)
    expect(committee).toHaveLength(1)
    expectEscaped(committee[0]!.content, 'markdown')
    expect(cardText(committee[0]!.content)).toContain('还想参加什么')
    expect(await vote(t, 'ou_n1', p.card, [0]).catch(() => 'no button')).toBe('no button')
  })

  it('an anonymous poll has no list of who voted what', async () => {
    const p = await startPoll(t, { title: '无记名' })
    expect(textsOf(await answersTo(t, OFFICER, `投票名单 ${p.number}`)).join()).toContain('无记名投票')
  })
})

describe('投票 V-001', () => {
  it('posts another live copy in a group, and a private copy in private; a wrong number is answered politely', async () => {
    const p = await startPoll(t, { title: '再发一张' })
    await answersTo(t, 'ou_m1', `投票 ${p.number}`, 'oc_other_group')
    const copy = cardsTitled(t.fake.messagesInChat('oc_other_group'), `投票 · ${p.number}`)
    expect(copy).toHaveLength(1)
    await vote(t, 'ou_m1', copy[0]!, '维持现状')
    await t.settle()
    expect(current(p.card.messageId)).toContain('已投票：1 人')
    expect(current(copy[0]!.messageId)).toContain('已投票：1 人')
    expect(textsOf(await answersTo(t, 'ou_m1', '投票 V-999')).join()).toContain('没有找到投票 V-999')
  })
})
