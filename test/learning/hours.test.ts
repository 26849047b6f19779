// Learning hours through the real webhook: an officer gives an activity 讲座 hours, check-in credits them (before or
// after the hours were set), an import of outside training is taken whole or not at all, 我的学时 shows the year and
// its sources, 学时 统计 counts by department with a CSV by person, and the 季报 shows the totals. Minutes are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { toCsv } from '../../src/kit/csv.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { publish } from '../helpers/activities.js'
import { cardText, cardTitle, clickOn, expectEscaped, lastCard, lastText, say, textsIn } from '../helpers/chat.js'
import { importMembers, sendCsv } from '../helpers/recognition.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-05-01T01:00:00Z')
const A = { openId: 'ou_learn_a', name: '张三', department: '第一车间' }
const B = { openId: 'ou_learn_b', name: '李四', department: '第二车间' }
const C = { openId: 'ou_learn_c', name: '王五', department: '第一车间' }

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [A, B, C, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
  await importMembers(t, [A, B, C])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('learning hours', () => {
  let number: string

  it('an officer gives an activity 讲座 hours; a worker cannot, and bad input is explained', async () => {
    const a = await publish(t, { title: '安全生产讲座' })
    number = a.number
    for (const who of [A, B]) await clickOn(t, who, a.card, { text: '报名' })
    await say(t, A, `学时 设置 ${number} 讲座 2`)
    expect(lastText(t, A)).toContain('只有工会干部')
    await say(t, CHAIR, `学时 设置 ${number} 讲座 1.333`)
    expect(lastText(t, CHAIR)).toContain('用法')
    await say(t, CHAIR, `学时 设置 ${number} 讲座 1.5`)
    expect(lastText(t, CHAIR)).toContain('1.5 学时')
  })

  it('check-in credits the hours; who did not check in gets none', async () => {
    clock.set(new Date('2026-05-03T01:10:00Z'))
    await say(t, A, `签到 ${number}`)
    expect(lastText(t, A)).toContain('签到成功')
    await say(t, A, '我的学时')
    const mine = cardText(lastCard(t, A).content)
    expect(mine).toContain('累计：1.5 学时')
    // The year once, in the header (QA F19: 「2026 年 2026 年累计」).
    expect(mine.match(/2026 年/g)).toHaveLength(1)
    expect(mine).toContain('讲座「安全生产讲座」')
    await say(t, B, '我的学时')
    expect(cardText(lastCard(t, B).content)).toContain('累计：0 学时')
  })

  it('an import with a bad row takes nothing; a clean one is taken whole', async () => {
    await say(t, CHAIR, '学时 导入')
    await sendCsv(t, CHAIR, toCsv([['姓名', '日期', '学时', '内容'], ['张三', '2026-04-20', '2', '外部安全培训'], ['李四', '2026-04-21', '1.333', '消防培训'], ['无此人', '2026-04-21', '1', '消防培训'], ['王五', '2030-01-01', '1', '未来培训']]))
    const refused = cardText(lastCard(t, CHAIR).content)
    expect(refused).toContain('没有导入任何一行')
    for (const line of [3, 4, 5]) expect(refused).toContain(`第 ${line} 行`)
    expect(await t.bot.services.db.selectFrom('learning_credits').selectAll().execute()).toEqual([])
    await say(t, CHAIR, '学时 导入')
    await sendCsv(t, CHAIR, toCsv([['姓名', '日期', '学时', '内容'], ['张三', '2026-04-20', '2', '外部安全培训<at id=all></at>'], ['李四', '2026-04-21', '90分钟', '消防培训']]))
    expect(cardText(lastCard(t, CHAIR).content)).toContain('全部 2 行已导入')
    await say(t, A, '我的学时 2026')
    const card = lastCard(t, A)
    expect(cardText(card.content)).toContain('累计：3.5 学时')
    expect(cardText(card.content)).toContain('外部培训')
    expectEscaped(card.content)
  })

  it('学时 统计 only privately or in the committee group; 我的学时 in a group answers privately; bad usage is explained', async () => {
    await t.sendMessage({ sender: CHAIR, chatId: 'oc_learn_workers', chatType: 'group', text: '学时 统计', mentionBot: true })
    await t.settle()
    expect(textsIn(t, 'oc_learn_workers').at(-1)).toContain('只在工会委员会群或与我的私聊')
    await t.sendMessage({ sender: A, chatId: 'oc_learn_workers', chatType: 'group', text: '我的学时', mentionBot: true })
    await t.settle()
    expect(textsIn(t, 'oc_learn_workers').at(-1)).toBe('已私聊发给您。')
    expect(cardTitle(lastCard(t, A))).toBe('我的学时')
    await say(t, CHAIR, '学时 乱写')
    expect(lastText(t, CHAIR)).toContain('用法')
  })

  it('学时 统计 counts by department, with a CSV by person in exact minutes', async () => {
    await say(t, CHAIR, '学时 统计 2026')
    const card = t.fake.messages.filter((m) => cardTitle(m) === '学时统计').at(-1)!
    const text = cardText(card.content)
    expect(text).toContain('合计：5 学时，2 人参加学习')
    expect(text).toContain('第一车间：3.5 学时，1 人')
    expect(text).toContain('第二车间：1.5 学时，1 人')
    const csv = [...t.fake.files.values()].at(-1)!.data.toString('utf8')
    expect(csv).toContain('张三,第一车间,210,3.5')
    expect(csv).toContain('李四,第二车间,90,1.5')
  })

  it('the 季报 shows the hours and the people', async () => {
    await say(t, CHAIR, '季报 本季')
    const report = t.fake.messages.filter((m) => cardTitle(m).startsWith('工会季报')).at(-1)!
    expect(cardText(report.content)).toContain('学习型组织')
    expect(cardText(report.content)).toContain('5 学时')
    const csv = [...t.fake.files.values()].at(-1)!.data.toString('utf8')
    expect(csv).toContain('学习型组织,学时合计,5 学时')
    expect(csv).toContain('学习型组织,参加学习人数,2')
  })
})
