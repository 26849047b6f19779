// Representatives with a constituency (选区/代表团) and a term (届次), through the real webhook; they stay in the table
// proposals read, so submitting and co-signing are unchanged (test/proposals/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { listRepresentatives } from '../../src/organisation/representatives.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { cardText, expectEscaped, lastCard, lastText, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const REP = { openId: 'ou_seat_rep', name: '张三' }
const REP_2 = { openId: 'ou_seat_rep_2', name: '李四' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock: new ManualClock('2026-03-02T02:00:00Z') })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('representatives with constituency and term', () => {
  it('代表 添加 @张三 选区 第一车间 届次 第五届 records both; the list shows them; adding again updates them', async () => {
    await say(t, CHAIR, '代表 添加 @张三 选区 第一车间 届次 第五届', [REP])
    await say(t, CHAIR, '代表 添加 @李四', [REP_2])
    expect(await listRepresentatives(t.bot.services.db)).toMatchObject([
      { openId: REP.openId, constituency: '第一车间', term: '第五届' },
      { openId: REP_2.openId },
    ])
    await say(t, CHAIR, '代表 添加 @李四 代表团 <at id=all></at>', [REP_2])
    expect((await listRepresentatives(t.bot.services.db))[1]?.constituency).toBe('<at')
    await say(t, CHAIR, '代表 列表')
    const list = lastCard(t, CHAIR)
    expect(cardText(list.content)).toContain('选区：第一车间')
    expect(cardText(list.content)).toContain('届次：第五届')
    expectEscaped(list.content)
  })

  it('adding again with a new 选区 says it was updated; the same 选区 again says already listed (QA F31)', async () => {
    await say(t, CHAIR, '代表 添加 @张三 代表团 二车间', [REP])
    const updated = lastCard(t, CHAIR)
    expect(cardText(updated.content)).toContain('**已更新选区/届次：**张三（选区：二车间）')
    expect(cardText(updated.content)).not.toContain('已在名单中')
    expect((await listRepresentatives(t.bot.services.db))[0]).toMatchObject({ openId: REP.openId, constituency: '二车间', term: '第五届' })
    await say(t, CHAIR, '代表 添加 @张三 代表团 二车间', [REP])
    expect(cardText(lastCard(t, CHAIR).content)).toContain('**已在名单中：**张三')
    expectEscaped(updated.content)
  })

  it('a representative removed and added again gets the 选区 given', async () => {
    await say(t, CHAIR, '代表 移除 @李四', [REP_2])
    await say(t, CHAIR, '代表 添加 @李四 选区 三车间', [REP_2])
    expect((await listRepresentatives(t.bot.services.db)).find((r) => r.openId === REP_2.openId)).toMatchObject({ constituency: '三车间' })
  })

  it('refuses a constituency longer than a department name', async () => {
    await say(t, CHAIR, `代表 添加 @张三 选区 ${'长'.repeat(31)}`, [REP])
    expect(lastText(t, CHAIR)).toContain('不能超过')
  })
})
