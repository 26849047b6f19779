// What workers still got wrong answers to (issue #14, QA F19, F20, F27, F33, F34), through the real webhook: plain
// questions reach the worker's command (never an officer's refusal), suggestions are role-aware, `你是谁` / `人工客服`
// / `找工会主席` say who the bot is and who is at the union, an activity named in words gets its card, the kept start
// of a sentence is not said twice, and a cancel word after expiry is never kept as content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DID_YOU_MEAN } from '../../cards/talk.js'
import { SIGN_UP } from '../../src/activities/actions.js'
import { ManualClock } from '../../src/clock.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, OFFICER_2, newWorker } from '../helpers/grievances.js'
import { publish } from '../helpers/activities.js'
import { answersTo, buttonsOf, cardJson, cardText, cardTitle, cardsOf, clickOn, lastTo, markdownOf, say, textsOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  t.fake.users.set('ou_chair', { name: '王建国' })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const stepOf = async (bot: TestBot, openId: string) => {
  const loaded = await bot.bot.services.conversations.load(openId)
  return loaded.status === 'active' ? `${loaded.state.step}` : loaded.status
}

describe('a worker’s plain questions (F33)', () => {
  it('我是不是会员 answers 我的会籍 and 我的报名 answers 我的活动, never an officer’s refusal', async () => {
    const w = newWorker(t)
    for (const [text, title] of [
      ['我是不是会员', '我的会籍'],
      ['我是不是工会会员啊', '我的会籍'],
      ['我的报名', '我的活动'],
      ['我报了哪些活动', '我的活动'],
    ] as const) {
      const answers = await answersTo(t, w, text)
      expect(textsOf(answers), text).not.toContain(MESSAGES.denied)
      expect(cardTitle(cardsOf(answers)[0]), text).toBe(title)
    }
  })

  it('我被领导骂了 offers a worker 投诉 and no officer command; the card says 「您是不是想：」 once, not as its title too (F19)', async () => {
    const w = newWorker(t)
    const [card] = await answersTo(t, w, '我被领导骂了')
    const words = buttonsOf(card!.content).map((b) => b.text)
    expect(words[0]).toBe('投诉')
    for (const officerOnly of ['名单', '诉求列表', '会员', '干部']) expect(words).not.toContain(officerOnly)
    expect(cardTitle(card)).toBe('工会助手')
    expect(markdownOf(card!.content).filter((m) => m.includes(DID_YOU_MEAN))).toHaveLength(1)
  })

  it('a command found inside a sentence is one the person may use: a worker’s 我想看名单 is not refused, an officer’s 我要发起活动 opens the form', async () => {
    const w = newWorker(t)
    const worker = await answersTo(t, w, '我想看名单')
    expect(textsOf(worker)).not.toContain(MESSAGES.denied)
    expect(cardsOf(worker).length).toBe(1)
    const officer = await answersTo(t, OFFICER_2.openId, '我要发起活动')
    expect(cardTitle(cardsOf(officer)[0])).toBe('发起活动')
  })
})

describe('who the bot is and how to reach a person (F34)', () => {
  it('你是谁, 人工客服, 找工会主席 and 找人工 say it is the bot and name the officers, with no open_id', async () => {
    const w = newWorker(t)
    for (const text of ['你是谁', '人工客服', '找工会主席', '找人工', '工会电话多少']) {
      const [card] = await answersTo(t, w, text)
      expect(cardTitle(card), text).toBe('工会助手 · 联系工会')
      const shown = cardText(card!.content)
      expect(shown).toContain('不是真人')
      expect(shown).toContain('工会干部：王建国')
      expect(shown).toContain(`工会干部：${OFFICER_2.name}`)
      expect(cardJson(card!.content)).not.toMatch(/ou_chair|ou_officer/)
    }
  })

  it('the officers’ roles kept in chat show as 主席 / 委员; the card’s 投诉 button starts a filing privately', async () => {
    await t.bot.services.db.insertInto('officers').values({ open_id: 'ou_chair', role: 'chair', added_by: 'ou_chair', added_at: new Date() }).onConflict((oc) => oc.column('open_id').doUpdateSet({ role: 'chair' })).execute()
    const w = newWorker(t)
    const [card] = await answersTo(t, w, '找工会主席')
    expect(cardText(card!.content)).toContain('主席：王建国')
    await clickOn(t, w, card!, { text: '投诉' })
    expect(await stepOf(t, w.openId)).toBe('category')
    await say(t, w, '取消')
  })
})

describe('an activity named in words (F34)', () => {
  it('报名读书会 with one open activity of that name sends its sign-up card; 我想参加健步走 with two gives a choice', async () => {
    const reading = await publish(t, { title: '职工读书分享会' })
    const walkA = await publish(t, { title: '春季健步走' })
    const walkB = await publish(t, { title: '秋季健步走' })
    const w = newWorker(t)

    const [single] = await answersTo(t, w, '报名读书会')
    expect(cardTitle(single)).toBe(`活动报名 · ${reading.number}`)
    expect(buttonsOf(single!.content).map((b) => b.text)).toContain('报名')

    const [choice] = await answersTo(t, w, '我想参加健步走')
    expect(cardTitle(choice)).toBe('选择活动')
    const offered = buttonsOf(choice!.content).map((b) => b.text)
    expect(offered).toEqual([`报名 ${walkA.number}`, `报名 ${walkB.number}`])
    const res = await clickOn(t, w, choice!, SIGN_UP.name, { match: { id: walkB.id } })
    expect(res.body.toast).toEqual({ type: 'success', content: '报名成功' })
    expect(cardTitle(lastTo(t, w))).toBe(`报名成功 · ${walkB.number}`)

    // A name nothing fits: the number is asked for, as before.
    expect(textsOf(await answersTo(t, w, '报名 篮球赛'))[0]).toContain('请写上活动编号')
  })
})

describe('the kept start of a sentence (F20)', () => {
  it('我想投诉我们班长 + 「班长经常…」 is filed as 「我们班长经常…」, said once', async () => {
    const w = newWorker(t)
    await say(t, w, '我想投诉我们班长')
    await say(t, w, '工资')
    await say(t, w, '班长经常让我们无偿加班，已经三个月了。')
    await say(t, w, '实名')
    expect(cardText(lastTo(t, w)!.content)).toContain('我们班长经常让我们无偿加班')
    await say(t, w, '确认')
    const row = await t.bot.services.db.selectFrom('grievances').select('description').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row.description).toBe('我们班长经常让我们无偿加班，已经三个月了。')
  })
})

describe('a cancel word after the conversation expired (F27)', () => {
  it('取消, 取消吧 and 算了 are answered, never kept; 帮助 runs; nothing is offered to 继续', async () => {
    const short = await startTestBot({ db, fake: t.fake, env: { ...OFFICERS_ENV, CONVERSATION_TTL_SECONDS: '1' } })
    try {
      for (const word of ['取消', '取消吧', '算了', '帮助']) {
        const w = newWorker(short)
        await say(short, w, '投诉')
        await say(short, w, '1')
        expect(await stepOf(short, w.openId)).toBe('description')
        await new Promise((r) => setTimeout(r, 1300))
        const answers = await answersTo(short, w, word)
        expect(await short.bot.services.conversations.kept(w.openId), word).toBeUndefined()
        for (const c of cardsOf(answers)) expect(cardTitle(c), word).not.toBe('内容已保留')
        if (word === '帮助') expect(cardTitle(cardsOf(answers).at(-1))).toBe('工会助手 · 使用帮助')
        else expect(textsOf(answers), word).toEqual([MESSAGES.expired('提交诉求')])
        // 继续 has nothing to take up, so 「取消」 can never become the start of a description.
        expect(textsOf(await answersTo(short, w, '继续'))).toEqual([MESSAGES.nothingToResume])
      }
    } finally {
      await short.stop()
    }
  })
})
