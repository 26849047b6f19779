// User text on every proposal card is escaped: titles, cases, reasons, answers, department and window names and
// people's names carrying <at>, links, headings, bold and font tags never reach card markdown as markup, and
// text messages never carry user text at all.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { cardByteSize, type Card } from '../../cards/kit.js'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER, WORKER, submitProposal } from '../helpers/proposals.js'
import { EVIL, INJECTION_MARKERS, cardTitled, clickOn, expectEscaped, lastCard, markdownOf, say } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z')
const responses: unknown[] = []

// People whose display names are hostile too.
const A = { openId: 'ou_evil_a', name: '<at id=all></at>**张**' }
const B = { openId: 'ou_evil_b', name: '[李](http://x)' }
const C = { openId: 'ou_evil_c', name: '# <font color=red>赵</font>' }
const CONTACT = { openId: 'ou_evil_contact', name: '<at user_id="ou_x"></at>' }
const TITLE = '<at id=all></at>[link](http://x)# heading **bold**'
const DEPT = '<at user_id="ou_x"></at>部'
const WINDOW = '<font color=red>届</font>**bold**'
const CONTENT = `${EVIL}\n${EVIL}`

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [A, B, C, CONTACT]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, OFFICER, '代表 添加', [A, B, C])
  await say(t, OFFICER, `部门 添加 ${DEPT}`, [CONTACT])
  await say(t, OFFICER, `提案征集 开始 ${WINDOW}`)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

async function press(...args: Parameters<typeof clickOn>) {
  const { body } = await clickOn(...args)
  if (body.card) responses.push(body.card.data)
  return body
}

it('walks a hostile proposal through every card of its life', async () => {
  const number = await submitProposal(t, A, { title: TITLE, content: CONTENT })
  await press(t, B, cardTitled(t, A.openId, `职代会提案 ${number}`), 'proposal.cosign')
  await press(t, C, cardTitled(t, A.openId, `职代会提案 ${number}`), 'proposal.follow')
  await say(t, C, `附议 ${number}`)
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  const reg = await press(t, OFFICER, review, 'proposal.register', { formValue: { reason: EVIL } })
  const deptId = JSON.stringify(reg.card?.data).match(/"value":"(\d+)"/)![1]
  await press(t, OFFICER, review, 'proposal.assign', { formValue: { department: deptId, due_date: '2026-03-03 +0800' } })
  clock.set('2026-03-04T01:00:00Z')
  await t.bot.runPeriodic(clock.now()) // overdue reminder card
  await press(t, CONTACT, cardTitled(t, CONTACT.openId, `提案交办 ${number}`), 'proposal.answer', { formValue: { answer: EVIL, answer_class: 'C' } })
  await press(t, A, cardTitled(t, A.openId, `提案答复 ${number}`), 'proposal.rate', { text: '不满意' })
  await press(t, CONTACT, cardTitled(t, CONTACT.openId, `提案交办 ${number}`), 'proposal.answer', { formValue: { answer: `${EVIL} 再次答复`, answer_class: 'B' } })
  await press(t, A, cardTitled(t, A.openId, `提案答复 ${number}`), 'proposal.rate', { text: '满意' })

  // A second proposal rejected with a hostile reason, a third withdrawn with one.
  const rejected = await submitProposal(t, B, { title: TITLE, content: CONTENT })
  await say(t, A, `附议 ${rejected}`)
  await say(t, C, `附议 ${rejected}`)
  await press(t, OFFICER, cardTitled(t, undefined, `提案审查 ${rejected}`), 'proposal.reject', { formValue: { reason: EVIL } })
  const withdrawn = await submitProposal(t, C, { title: TITLE, content: CONTENT })
  await say(t, C, `撤回提案 ${withdrawn} ${EVIL}`)

  for (const n of [number, rejected, withdrawn]) await say(t, WORKER, `提案 ${n}`)
  await say(t, A, '我的提案')
  await say(t, WORKER, '提案列表')
  await say(t, OFFICER, '代表 列表')
  await say(t, OFFICER, '部门 列表')
  await say(t, OFFICER, '提案征集')
  await say(t, OFFICER, `提案处理 ${number}`)
  expect(lastCard(t, OFFICER.openId).content.header.title.content).toBe(`提案审查 ${number}`)
  // Some forty steps, each patching the live copies of the card at most once a second (src/kit/live-cards.ts).
}, 120_000)

it('no card (sent, patched or answered to a click) carries user markup unescaped', () => {
  const all: unknown[] = [...responses]
  for (const m of t.fake.messages) if (m.msgType === 'interactive') all.push(m.content, ...m.patches)
  expect(all.length).toBeGreaterThan(40)
  for (const c of all) expectEscaped(c, 'markdown')
  // The text is shown, escaped: e.g. the mention, the link brackets and the font tag as entities.
  const markdown = all.flatMap(markdownOf).join('\n')
  for (const entity of ['&#60;at id&#61;all&#62;', '&#91;link&#93;&#40;http&#58;&#47;&#47;x&#41;', '&#35; heading', '&#42;&#42;bold&#42;&#42;', '&#60;font color&#61;red&#62;']) {
    expect(markdown).toContain(entity)
  }
  for (const c of all) expect(cardByteSize(c as Card)).toBeLessThan(30 * 1024)
})

it('text messages carry no user text', () => {
  const texts = t.fake.messages.filter((m) => m.msgType === 'text').map((m) => m.content.text as string)
  expect(texts.length).toBeGreaterThan(20)
  for (const text of texts) for (const marker of [...INJECTION_MARKERS, '<at', '张', '[李]']) expect(text).not.toContain(marker)
})

it('a proposal at every maximum length still fits Feishu’s 30 KB on every card', async () => {
  const before = t.fake.messages.length
  const number = await submitProposal(t, A, { title: '<'.repeat(50), content: '|'.repeat(2000) })
  await say(t, B, `附议 ${number}`)
  await say(t, C, `附议 ${number}`)
  const review = cardTitled(t, undefined, `提案审查 ${number}`)
  const reg = await press(t, OFFICER, review, 'proposal.register', { formValue: { reason: '='.repeat(500) } })
  const deptId = JSON.stringify(reg.card?.data).match(/"value":"(\d+)"/)![1]
  await press(t, OFFICER, review, 'proposal.assign', { formValue: { department: deptId, due_date: '2026-03-20 +0800' } })
  await press(t, CONTACT, cardTitled(t, CONTACT.openId, `提案交办 ${number}`), 'proposal.answer', { formValue: { answer: '|'.repeat(2000), answer_class: 'A' } })
  await say(t, WORKER, `提案 ${number}`)
  const detail = lastCard(t, WORKER.openId)
  expect(detail.content.header.title.content).toBe(`职代会提案 ${number}`)
  for (const m of t.fake.messages.slice(before)) {
    if (m.msgType === 'interactive') for (const c of [m.content, ...m.patches]) expect(cardByteSize(c as Card)).toBeLessThanOrEqual(30 * 1024)
  }
})
