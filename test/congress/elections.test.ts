// Elections of representatives by constituency through the real webhook (issue #15): 选区 设置, 选举 发起 in the group
// with the candidates @-mentioned, only the constituency's workers vote (secret ballot, once), 选举 结束; valid at
// exactly two thirds of the constituency's workers and not below; elected only above half of ALL of them (exactly
// half fails); winners become representatives of the constituency for the term.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, cardText, cardsTitled, clickOn, textsOf } from '../helpers/chat.js'
import { seedMembers } from '../helpers/polls.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai
const GROUP = 'oc_election_hall'
// 第一选区 = 一车间 + 二车间: six workers. 仓储部 is another constituency.
const WORKERS = [
  ...Array.from({ length: 4 }, (_, i) => ({ openId: `ou_e1_${i}`, name: `一车间${i}`, department: '一车间' })),
  ...Array.from({ length: 2 }, (_, i) => ({ openId: `ou_e2_${i}`, name: `二车间${i}`, department: '二车间' })),
  { openId: 'ou_store', name: '仓储甲', department: '仓储部' },
]
const A = { openId: 'ou_e1_0', name: '一车间0' }
const B = { openId: 'ou_e2_0', name: '二车间0' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { CONGRESS_TERM: '第三届' } })
  await seedMembers(t, WORKERS)
  for (const w of WORKERS) t.fake.users.set(w.openId, { name: w.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function start(text: string, candidates = [A, B], who = CHAIR.openId) {
  const mark = t.fake.messages.length
  await t.sendMessage({ sender: who, chatId: GROUP, chatType: 'group', text, mentionBot: true, mentions: candidates })
  await t.settle()
  const fresh = t.fake.messages.slice(mark)
  const card = cardsTitled(fresh, '代表选举 · V-').at(-1)
  return { fresh, card, number: card ? /V-\d{3}/.exec(JSON.stringify(card.content))![0] : '' }
}
const ballot = async (who: string, card: { messageId: string }, name: string) => (await clickOn(t, who, card.messageId, { text: name }, { chatId: GROUP })).body.toast
const close = (number: string) => answersTo(t, CHAIR.openId, `选举 结束 ${number}`, GROUP)
const shown = (card: { messageId: string }) => cardText(t.fake.currentCard(card.messageId))

describe('选区 and 选举', () => {
  it('the chair sets a constituency’s departments; others are refused', async () => {
    expect(textsOf(await answersTo(t, 'ou_e1_1', '选区 设置 第一选区 一车间 二车间', GROUP)).join()).toContain('只有工会干部')
    const answer = await answersTo(t, CHAIR.openId, '选区 设置 第一选区 一车间 二车间', GROUP)
    expect(cardText(cardsTitled(answer, '选区设置')[0]!.content)).toContain('一车间、二车间')
    expect(textsOf(await answersTo(t, CHAIR.openId, '选举 发起 第一选区 应选 1')).join()).toContain('请在要发布选举的群里发送')
    const none = await start('选举 发起 不存在的选区')
    expect(textsOf(none.fresh).join()).toContain('这个选区还没有登记在册的职工')
  })

  it('exactly half of ALL the workers does not elect, even as a majority of the ballots; exactly two thirds voting is valid', async () => {
    const e = await start('选举 发起 第一选区 应选 1')
    expect(e.card, 'the election card').toBeDefined()
    const text = shown(e.card!)
    expect(text).toContain('选区职工 6 人')
    expect(text).toContain('至少 **4 人**')
    expect(text).toContain('至少 **4 票**')
    expect(text).toContain('上海市职工代表大会条例第十五条')
    // Only the constituency's workers; a ballot is final.
    expect(await ballot('ou_store', e.card!, A.name)).toEqual({ type: 'warning', content: '本次选举仅限选区「第一选区」的职工参加' })
    expect(await ballot('ou_e1_1', e.card!, A.name)).toEqual({ type: 'success', content: '已投票' })
    expect(await ballot('ou_e1_1', e.card!, B.name)).toEqual({ type: 'info', content: '您已投过票，无记名选举投出后不能更改' })
    await ballot('ou_e1_2', e.card!, A.name)
    await ballot('ou_e1_3', e.card!, A.name)
    await ballot('ou_e2_1', e.card!, B.name)
    // A worker may not close it.
    expect(textsOf(await answersTo(t, 'ou_e1_1', `选举 结束 ${e.number}`, GROUP)).join()).toContain('只有工会干部')
    expect(textsOf(await close(e.number)).join()).toContain(`${e.number} 选举已结束`)
    const result = shown(e.card!)
    expect(result).toContain('参与 4/6 人')
    expect(result).toContain('无人当选')
    expect(result).not.toContain('选举无效')
    expect((await t.bot.services.db.selectFrom('proposal_representatives').select('open_id').execute()).length).toBe(0)
  })

  it('above half of ALL elects, and the winner becomes a representative of the constituency for the term, once', async () => {
    const e = await start('选举 发起 第一选区 应选 1')
    for (const w of ['ou_e1_1', 'ou_e1_2', 'ou_e1_3', 'ou_e2_1']) await ballot(w, e.card!, A.name)
    await close(e.number)
    expect(shown(e.card!)).toContain(`当选：**${A.name}`)
    const reps = await t.bot.services.db.selectFrom('proposal_representatives').selectAll().execute()
    expect(reps.map((r) => [r.open_id, r.constituency, r.term, r.removed_at])).toEqual([[A.openId, '第一选区', '第三届', null]])
    expect(textsOf(t.fake.messagesToUser(CHAIR.openId)).join()).toContain(`选举 ${e.number} 已结束：1 人当选`)
    // A second close and the minute task change nothing.
    expect(textsOf(await close(e.number)).join()).toContain('已经结束了')
    await t.bot.runPeriodic(clock.now())
    expect((await t.bot.services.db.selectFrom('proposal_representatives').select('open_id').execute()).length).toBe(1)
  })

  it('one below two thirds voting is invalid, whatever the votes', async () => {
    const e = await start('选举 发起 第一选区 应选 1')
    for (const w of ['ou_e1_1', 'ou_e1_2', 'ou_e1_3']) await ballot(w, e.card!, B.name)
    await close(e.number)
    expect(shown(e.card!)).toContain('选举无效')
    expect(shown(e.card!)).toContain('参加 3 人，未达到选区职工的三分之二（至少 4 人），须重新选举')
    const b = await t.bot.services.db.selectFrom('proposal_representatives').select('open_id').where('open_id', '=', B.openId).executeTakeFirst()
    expect(b).toBeUndefined()
  })

  it('with two seats a ballot names at most two; the card lists who is elected', async () => {
    const C = { openId: 'ou_e1_3', name: '一车间3' }
    const e = await start('选举 发起 第一选区 应选 2', [A, B, C])
    const submit = (who: string, picks: number[]) => {
      const value = JSON.stringify(t.fake.currentCard(e.card!.messageId)).match(/"value":(\{"action":"poll\.vote"[^}]*\})/)![1]!
      const formValue: Record<string, unknown> = {}
      for (const i of picks) formValue[`opt_${i}`] = true
      return t.click({ operator: who, value: JSON.parse(value), formValue, messageId: e.card!.messageId, chatId: GROUP }).then((r) => r.body.toast)
    }
    expect(await submit('ou_e1_1', [0, 1, 2])).toEqual({ type: 'warning', content: '本次应选 2 名，最多勾选 2 人' })
    for (const w of ['ou_e1_1', 'ou_e1_2', 'ou_e2_0', 'ou_e2_1']) await submit(w, [0, 1])
    await close(e.number)
    expect(shown(e.card!)).toContain(`当选：**${A.name}、${B.name}`)
  })

  it('keeps the secret ballot: only poll_voters names voters, and nothing joins them to the tallies', async () => {
    const voters = await t.bot.services.db.selectFrom('poll_voters').selectAll().execute()
    expect(voters.length).toBeGreaterThan(0)
    expect(Object.keys(voters[0]!).sort()).toEqual(['open_id', 'poll_id', 'sealed'])
    const tallies = await t.bot.services.db.selectFrom('poll_tallies').selectAll().execute()
    expect(Object.keys(tallies[0]!).sort()).toEqual(['option_no', 'poll_id', 'votes'])
    expect(await t.bot.services.db.selectFrom('poll_named_ballots').selectAll().execute()).toEqual([])
  })
})
