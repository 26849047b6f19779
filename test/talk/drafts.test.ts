// Never lose what was typed (issue #14), through the real webhook: another command interrupts a filing and the
// draft is put aside (继续刚才的… / 继续 / 放弃); the draft survives a real restart of the bot on the memory store and
// a Redis FLUSHDB; after expiry, 继续 picks up at the very step. Drafts in Postgres carry no open_id and no plain text.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { PAUSED_RESUME } from '../../src/kit/say.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { DESCRIPTION, OFFICERS_ENV, grievanceNumberIn, newWorker } from '../helpers/grievances.js'
import { answersTo, buttonsOf, cardText, cardTitle, clickOn, clickValue, lastTo, say, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: OFFICERS_ENV })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const stepOf = async (bot: TestBot, openId: string) => {
  const loaded = await bot.bot.services.conversations.load(openId)
  return loaded.status === 'active' ? loaded.state.step : loaded.status
}
/** The person's rows in conversation_drafts (keyed by personKey, never the open_id). */
const draftRows = (bot: TestBot, who: { openId: string }) =>
  bot.bot.services.db.selectFrom('conversation_drafts').selectAll().where('person_key', '=', bot.bot.services.conversations.personKey(who.openId)).execute()

describe('another command during a filing', () => {
  it('活动 at the description step answers 活动 and puts the draft aside; 继续刚才的提交诉求 resumes at that step', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '劳动报酬')
    expect(await stepOf(t, w.openId)).toBe('description')
    const sent = await answersTo(t, w, '活动')
    // The command's own answer first, then the card that offers the draft back.
    expect(cardText(sent[0]!.content)).toContain('活动')
    const paused = sent.at(-1)!
    expect(cardTitle(paused)).toBe('内容已保存')
    expect(cardText(paused.content)).toContain('您的「提交诉求」还没有完成')
    expect(await stepOf(t, w.openId)).toBe('none')
    const rows = await draftRows(t, w)
    expect(rows.map((r) => r.slot)).toEqual(['paused:grievance.file'])
    expect(JSON.stringify(rows)).not.toContain(w.openId)
    expect(JSON.stringify(rows)).not.toContain('劳动报酬')

    await clickOn(t, w, paused, { text: '继续刚才的提交诉求' })
    expect(await stepOf(t, w.openId)).toBe('description')
    const back = lastTo(t, w)!
    expect(cardTitle(back)).toContain('第 2/4 步')
    expect(cardText(back.content)).toContain(MESSAGES.resumed('提交诉求'))
    expect(cardText(back.content)).toContain('类别：**劳动报酬**')
    await say(t, w, DESCRIPTION)
    await say(t, w, '匿名')
    await say(t, w, '确认')
    expect(grievanceNumberIn(lastTo(t, w))).toBeDefined()
    // Filed: no draft of this person is left in Postgres, and the old card's button finds nothing.
    expect((await draftRows(t, w)).length).toBe(0)
    const again = await clickOn(t, w, paused, { text: '继续刚才的提交诉求' })
    expect(again.body.toast.content).toBe(MESSAGES.draftGone)
  })

  it('继续 typed takes the draft up; 放弃 erases it; 取消 and 继续 during a step keep their meaning', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '2')
    await say(t, w, '我的诉求')
    expect(await stepOf(t, w.openId)).toBe('none')
    await say(t, w, '继续')
    expect(await stepOf(t, w.openId)).toBe('description')
    // 继续 typed while the draft is live is an answer for the step, never an interruption.
    await say(t, w, '继续')
    expect(await stepOf(t, w.openId)).toBe('description')
    // A sentence that merely starts like a command word is a description (活动室 is not 活动).
    await say(t, w, '活动室的空调坏了一个多月，车间温度超过三十五度，班组长不让休息。')
    expect(await stepOf(t, w.openId)).toBe('anonymity')
    await say(t, w, '帮助')
    const card = cardsLast(w)
    expect(cardTitle(card)).toBe('内容已保存')
    await clickOn(t, w, card, { text: '放弃' })
    expect((await draftRows(t, w)).filter((r) => r.slot.startsWith('paused:'))).toHaveLength(0)
    expect(textsOf(await answersTo(t, w, '继续'))).toEqual([MESSAGES.nothingToResume])
    // A forged flow name is refused with the same toast as a draft that is gone.
    expect((await clickValue(t, w, { action: PAUSED_RESUME.name, ...PAUSED_RESUME.value({ flow: 'nope' }) })).body.toast.content).toBe(MESSAGES.draftGone)
  })

  it('a paused draft is not taken up over another conversation in progress', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '3')
    await say(t, w, '活动')
    const paused = cardsLast(w)
    await say(t, w, '投诉')
    expect(await stepOf(t, w.openId)).toBe('category')
    await clickOn(t, w, paused, { text: '继续刚才的提交诉求' })
    expect(textsOf([lastTo(t, w)!])).toEqual([MESSAGES.otherActive('提交诉求')])
    await say(t, w, '取消')
    await say(t, w, '继续')
    expect(await stepOf(t, w.openId)).toBe('description')
    await say(t, w, '取消')
  })
})

function cardsLast(w: { openId: string }) {
  const m = lastTo(t, w)!
  expect(m.msgType).toBe('interactive')
  return m
}

describe('drafts survive the state store', () => {
  it('a real restart of a bot on the memory store: the next answer continues the filing', async () => {
    const memory = await startTestBot({ db, fake: t.fake, memoryState: true, env: OFFICERS_ENV })
    const w = newWorker(memory)
    await say(memory, w, '投诉')
    await say(memory, w, '1')
    await memory.stop()
    const restarted = await startTestBot({ db, fake: t.fake, memoryState: true, env: OFFICERS_ENV })
    try {
      await say(restarted, w, DESCRIPTION)
      expect(await stepOf(restarted, w.openId)).toBe('anonymity')
      await say(restarted, w, '实名')
      await say(restarted, w, '确认')
      const number = grievanceNumberIn(lastTo(restarted, w))
      const row = await restarted.bot.services.db.selectFrom('grievances').select(['description', 'category']).where('number', '=', number!).executeTakeFirstOrThrow()
      expect(row).toEqual({ description: DESCRIPTION, category: '劳动报酬' })
    } finally {
      await restarted.stop()
    }
  })

  it('Redis FLUSHDB mid-filing: the next answer continues the filing', async () => {
    // A Redis database of this file's own, so FLUSHDB touches no other test file's keys.
    const url = new URL(db.redisUrl)
    url.pathname = '/13'
    const own = { ...db, redisUrl: url.toString() }
    const bot = await startTestBot({ db: own, fake: t.fake, env: OFFICERS_ENV })
    const redis = new Redis(own.redisUrl)
    try {
      const w = newWorker(bot)
      await say(bot, w, '投诉')
      await say(bot, w, '1')
      await say(bot, w, DESCRIPTION)
      expect(await stepOf(bot, w.openId)).toBe('anonymity')
      expect(await redis.dbsize()).toBeGreaterThan(0)
      await redis.flushdb()
      await say(bot, w, '匿名')
      expect(await stepOf(bot, w.openId)).toBe('confirm')
      expect(cardText(lastTo(bot, w)!.content)).toContain(DESCRIPTION.slice(0, 12))
      await say(bot, w, '确认')
      expect(grievanceNumberIn(lastTo(bot, w))).toBeDefined()
    } finally {
      await redis.flushdb()
      redis.disconnect()
      await bot.stop()
    }
  })

  it('after expiry the text typed is kept; 继续 answers the very step with it; the sealed row goes after', async () => {
    const short = await startTestBot({ db, fake: t.fake, env: { ...OFFICERS_ENV, CONVERSATION_TTL_SECONDS: '1' } })
    try {
      const w = newWorker(short)
      await say(short, w, '投诉')
      await say(short, w, '1')
      await say(short, w, DESCRIPTION)
      expect(await stepOf(short, w.openId)).toBe('anonymity')
      await new Promise((r) => setTimeout(r, 1300))
      await say(short, w, '匿名，谢谢')
      const kept = lastTo(short, w)!
      expect(cardText(kept.content)).toContain('您之前的「提交诉求」已超时，刚才的内容已为您保留。')
      expect(buttonsOf(kept.content).map((b) => b.text)).toEqual(['继续', '放弃'])
      await clickOn(short, w, kept, { text: '继续' })
      // The anonymity step got 匿名，谢谢 (not understood there: re-asked), the draft's category and description intact.
      expect(await stepOf(short, w.openId)).toBe('anonymity')
      await say(short, w, '匿名')
      expect(cardText(lastTo(short, w)!.content)).toContain(DESCRIPTION.slice(0, 12))
      await say(short, w, '取消')
      expect((await draftRows(short, w)).length).toBe(0)
    } finally {
      await short.stop()
    }
  })
})
