// The congress's own votes (issue #15): a meeting for the current term's representatives, 签到 from the card or
// recorded by an officer, 到会 N / 应到 M and the two-thirds quorum (tested at exactly two thirds), items that open
// only with the quorum and only for checked-in representatives, the pass rule 赞成 > half of ALL representatives
// (tested at exactly half, and where a majority of those present is not enough), the minutes and their file, the
// once-only reminder to report to the upper union, and the secrecy of the congress's ballots.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, cardText, cardsTitled, clickOn, textsOf } from '../helpers/chat.js'
import { seedRepresentatives } from '../helpers/polls.js'
import { everyRow, xminsOf } from '../helpers/secrecy.js'

let db: TestDatabase
let t: TestBot
const logLines: string[] = []
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai
const HALL = 'oc_congress_hall'
const REPS = Array.from({ length: 6 }, (_, i) => ({ openId: `ou_rep_${i}`, name: `代表${'一二三四五六'[i]}`, term: '第三届' }))

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  t = await startTestBot({ db, clock, env: { CONGRESS_TERM: '第三届', LOG_LEVEL: 'debug' }, botOptions: { logger: pino({ level: 'debug' }, sink) } })
  await seedRepresentatives(t, [...REPS, { openId: 'ou_old_rep', name: '上届代表', term: '第二届' }])
  for (const r of REPS) t.fake.users.set(r.openId, { name: r.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const inHall = (who: string, text: string) => answersTo(t, who, text, HALL)
const meetingCard = () => cardsTitled(t.fake.messagesInChat(HALL), '职代会 · HY-').at(-1)!
const itemCard = (number: string) => cardsTitled(t.fake.messagesInChat(HALL), `职代会表决 · ${number}`).at(-1)!
const toast = async (p: Promise<{ body: any }>) => (await p).body.toast
const ballot = (who: string, card: { messageId: string }, choice: '赞成' | '反对' | '弃权') => toast(clickOn(t, who, card.messageId, { text: choice }, { chatId: HALL }))

async function addItem(title: string): Promise<string> {
  await inHall(CHAIR.openId, `表决 添加 ${title}`)
  const rows = await t.bot.services.db.selectFrom('polls').select(['number', 'title']).where('kind', '=', 'congress').orderBy('seq_no', 'desc').execute()
  const row = rows.find((r) => r.title === title)!
  return row.number
}

describe('a congress meeting', () => {
  it('only the chair opens it; 应到 is the current term; quorum at exactly two thirds; pass only above half of all', async () => {
    expect(textsOf(await inHall('ou_rep_0', '职代会 开会 第三届第二次职工代表大会')).join()).not.toContain('HY-001')
    await inHall(CHAIR.openId, '职代会 开会 第三届第二次职工代表大会')
    let text = cardText(t.fake.currentCard(meetingCard().messageId))
    expect(text).toContain('到会 0 / 应到 6')
    expect(text).toContain('未达三分之二（需至少 4 人）')
    // With no item yet the hint has a placeholder, never another poll's number (QA F15).
    expect(text).toContain('「表决 开始 事项编号」')
    expect(textsOf(await inHall(CHAIR.openId, '职代会 开会 另一个会')).join()).toContain('还在开会中')

    // 签到 on the card: representatives of this term only.
    expect(await toast(clickOn(t, 'ou_old_rep', meetingCard().messageId, { text: '签到' }, { chatId: HALL }))).toEqual({ type: 'warning', content: '本次会议仅限本届职工代表签到' })
    for (const r of REPS.slice(0, 3)) expect(await toast(clickOn(t, r.openId, meetingCard().messageId, { text: '签到' }, { chatId: HALL }))).toEqual({ type: 'success', content: '签到成功' })
    expect(await toast(clickOn(t, 'ou_rep_0', meetingCard().messageId, { text: '签到' }, { chatId: HALL }))).toEqual({ type: 'info', content: '您已签到' })
    await t.settle()
    expect(cardText(t.fake.currentCard(meetingCard().messageId))).toContain('到会 3 / 应到 6')

    // 3 of 6 present: below two thirds, the item cannot be opened.
    const first = await addItem('集体合同草案')
    const card1 = itemCard(first)
    text = cardText(t.fake.currentCard(card1.messageId))
    expect(text).toContain('至少 **4 票**赞成')
    expect(text).toContain('到会人数尚未达到三分之二')
    expect(await toast(clickOn(t, CHAIR.openId, card1.messageId, { text: '开始表决' }, { chatId: HALL }))).toEqual({ type: 'warning', content: '到会 3 / 应到 6，未达到法定人数（至少 4 人），不能开始表决。' })

    // An officer records the fourth: exactly two thirds (4/6) is enough.
    await t.sendMessage({ sender: CHAIR.openId, chatId: HALL, chatType: 'group', text: '职代会 签到', mentionBot: true, mentions: [{ openId: 'ou_rep_3', name: '代表四' }] })
    await t.settle()
    text = cardText(t.fake.currentCard(meetingCard().messageId))
    expect(text).toContain('到会 4 / 应到 6')
    expect(text).toContain('已达三分之二（至少 4 人），可以表决')
    // The hint quotes this meeting's own item (QA F15).
    expect(text).toContain(`「表决 开始 ${first}」`)
    expect(await toast(clickOn(t, 'ou_rep_0', card1.messageId, { text: '开始表决' }, { chatId: HALL }))).toMatchObject({ type: 'error' })
    expect(await toast(clickOn(t, CHAIR.openId, card1.messageId, { text: '开始表决' }, { chatId: HALL }))).toEqual({ type: 'success', content: `${first} 开始表决` })
    await t.settle()

    // Only checked-in representatives vote; a ballot is final.
    expect(await ballot('ou_rep_4', card1, '赞成')).toEqual({ type: 'warning', content: '本次表决仅限已签到的职工代表参加' })
    expect(await ballot('ou_someone', card1, '赞成')).toEqual({ type: 'warning', content: '本次表决仅限已签到的职工代表参加' })
    for (const r of REPS.slice(0, 3)) expect(await ballot(r.openId, card1, '赞成')).toEqual({ type: 'success', content: '已投票' })
    expect(await ballot('ou_rep_3', card1, '反对')).toEqual({ type: 'success', content: '已投票' })
    expect(await ballot('ou_rep_3', card1, '赞成')).toEqual({ type: 'info', content: '您已投过票，无记名表决投出后不能更改' })
    await t.settle()
    expect(cardText(t.fake.currentCard(card1.messageId))).not.toMatch(/\d+ 票（/)

    // 3 赞成 of 4 present is a majority of those present, but exactly half of all 6: not passed.
    await inHall(CHAIR.openId, `表决 结束 ${first}`)
    await t.settle()
    text = cardText(t.fake.currentCard(card1.messageId))
    expect(text).toContain('赞成 — **3 票**')
    expect(text).toContain('反对 — **1 票**')
    expect(text).toContain('表决结果：未通过')
    expect(await ballot('ou_rep_0', { messageId: card1.messageId }, '赞成').catch(() => 'no button')).toBe('no button')

    // A fifth arrives; 4 赞成 of all 6 is more than half: passed.
    await clickOn(t, 'ou_rep_4', meetingCard().messageId, { text: '签到' }, { chatId: HALL })
    const second = await addItem('工资分配方案')
    const card2 = itemCard(second)
    await inHall(CHAIR.openId, `表决 开始 ${second}`)
    await t.settle()
    for (const r of REPS.slice(0, 4)) await ballot(r.openId, card2, '赞成')
    await ballot('ou_rep_4', card2, '弃权')
    await inHall(CHAIR.openId, `表决 结束 ${second}`)
    await t.settle()
    text = cardText(t.fake.currentCard(card2.messageId))
    expect(text).toContain('赞成 — **4 票**')
    expect(text).toContain('表决结果：通过')
    text = cardText(t.fake.currentCard(meetingCard().messageId))
    expect(text).toContain(`${first} 集体合同草案：赞成 3，反对 1，弃权 0（通过需 4 票）— **未通过**`)
    expect(text).toContain(`${second} 工资分配方案：赞成 4，反对 0，弃权 1（通过需 4 票）— **通过**`)

    // Secrecy of the congress's ballots: sealed, no row naming a representative holds a choice, nothing in the logs.
    for (const number of [first, second]) {
      const row = await t.bot.services.db.selectFrom('polls').select('id').where('number', '=', number).executeTakeFirstOrThrow()
      const ids = [...(await xminsOf(t, 'poll_voters', String(row.id))), ...(await xminsOf(t, 'poll_tallies', String(row.id)))]
      expect(new Set(ids).size).toBe(1)
    }
    for (const [table, list] of await everyRow(t)) {
      if (['poll_named_ballots'].includes(table)) expect(list).toHaveLength(0)
      for (const r of list) if (REPS.some((p) => r.includes(p.openId))) expect(['poll_voters', 'congress_roll', 'proposal_representatives', 'users', 'audit_log', 'live_cards']).toContain(table)
    }
    const logs = logLines.join('')
    for (const r of REPS) expect(logs).not.toContain(r.openId)

    // 闭会: the minutes in the hall, the file to the chair; the report reminder once, on a working day.
    await inHall(CHAIR.openId, '职代会 闭会')
    await t.settle()
    const minutes = cardsTitled(t.fake.messagesInChat(HALL), '会议纪要 · HY-001')
    expect(minutes).toHaveLength(1)
    text = cardText(minutes[0]!.content)
    expect(text).toContain('到会 5 / 应到 6')
    expect(text).toContain('代表六')
    expect(text).toContain('工资分配方案：赞成 4，反对 0，弃权 1')
    expect(text).toContain('请于 2026-06-10 前将会议情况报告上级工会')
    const file = [...t.fake.files.values()].at(-1)!
    expect(file.name).toBe('会议纪要-HY-001.csv')
    expect(file.data.toString('utf8')).toContain('工资分配方案,4,0,1,4,通过')
    expect(cardText(t.fake.currentCard(meetingCard().messageId))).toContain('会议已于')
    expect(await toast(clickOn(t, 'ou_rep_5', meetingCard().messageId, { text: '签到' }, { chatId: HALL }).catch(() => ({ body: { toast: 'no button' } })))).toBe('no button')

    const t2 = await startTestBot({ db, clock, fake: t.fake, instanceId: 'bot-2', env: { CONGRESS_TERM: '第三届' } })
    try {
      await Promise.all([t.bot.runPeriodic(clock.now()), t2.bot.runPeriodic(clock.now())])
      await Promise.all([t.bot.runPeriodic(clock.now()), t2.bot.runPeriodic(clock.now())])
      await t.settle()
      await t2.settle()
    } finally {
      await t2.stop()
    }
    expect(cardsTitled(t.fake.messagesInChat(ADMIN_CHAT_ID), '职代会报告提醒 · HY-001')).toHaveLength(1)
    expect(cardsTitled(t.fake.messagesToUser(CHAIR.openId), '职代会报告提醒 · HY-001')).toHaveLength(1)

    // The 季报 counts the meeting, its items and how many passed.
    clock.set('2026-06-01T03:00:00Z')
    await answersTo(t, CHAIR.openId, '季报 本季')
    const report = [...t.fake.files.values()].at(-1)!.data.toString('utf8')
    expect(report).toContain('民主管理,职代会（闭会）,1')
    expect(report).toContain('民主管理,职代会表决事项,2')
    expect(report).toContain('民主管理,表决通过,1')

    // 纪要 again after closing; a new meeting may open now.
    expect(cardsTitled(await inHall(CHAIR.openId, '职代会 纪要'), '会议纪要 · HY-001')).toHaveLength(1)
    expect(textsOf(await inHall(CHAIR.openId, '表决 添加 民主评议')).join()).toContain('没有正在进行的职代会')
  }, 120_000)
})
