// Fault drill (issue #7): Redis becomes unreachable (cut through a TCP proxy, so other test files are not
// disturbed) during a stream of feature events. The webhook still accepts and durably records every event (it
// needs only Postgres); people in the middle of a conversation — a grievance, a proposal — and people starting
// one get the clear "conversations unavailable" message instead of a crash, while everything that does not need
// conversation state (queries, sign-ups, officers' clicks, co-signing) keeps working. When Redis returns, the
// interrupted conversations continue where they were and new ones work end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'
import { DESCRIPTION, fileGrievance, newWorker, reviewCard, type Person } from '../helpers/grievances.js'
import { publish, type Published } from '../helpers/activities.js'
import { CONTENT, REP_A, REP_B, REP_C, setupRoster, submitProposal } from '../helpers/proposals.js'
import { cardClick, count, dedupKeyOf, deliver, expectAll200, inboxRows, messageEnvelope, messageIdOf, p2pMessage, until } from '../helpers/drills.js'
import { button, buttonValue, cardTitle, inbox, say, textsOf } from '../helpers/chat.js'

const clock = new ManualClock('2026-05-01T01:00:00Z')
const GROUP = 'oc_redis_drill_group'

let db: TestDatabase
let proxy: TcpProxy
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  proxy = new TcpProxy('127.0.0.1', Number(new URL(db.redisUrl).port || 6379))
  await proxy.start()
  t = await startTestBot({ db: { ...db, redisUrl: `redis://127.0.0.1:${proxy.port}` }, clock })
})
afterAll(async () => {
  await t?.stop()
  await proxy?.stop()
  await db?.drop()
})

const ready = async () => (await fetch(`${t.opsUrl}/readyz`)).status === 200

describe('Redis unavailable during a stream of events', () => {
  let activity: Published
  let proposal: string
  let filing: Person
  let reporter: Person
  let pending: string
  let newcomer: Person

  beforeAll(async () => {
    await setupRoster(t)
    proposal = await submitProposal(t, REP_A)
    activity = await publish(t, { capacity: '20' }, GROUP)
    reporter = newWorker(t, '吴十')
    pending = await fileGrievance(t, reporter)
    // Two conversations under way: a grievance at its description step, a proposal at its content step.
    filing = newWorker(t, '郑十一')
    await say(t, filing, '投诉')
    await say(t, filing, '1')
    await say(t, REP_B, '提交提案')
    await say(t, REP_B, '关于延长午休时间的提案')
    newcomer = newWorker(t, '王十二')
  })

  it('accepts and records every event while Redis is down; conversations degrade with a clear message; the rest works', async () => {
    const descriptionCard = inbox(t.fake, filing.openId).filter((m) => cardTitle(m).includes('第 2/4 步')).at(-1)!
    const review = reviewCard(t, pending)
    const signUp = button(activity.card.content, '报名').value
    const conversing = {
      typedDescription: p2pMessage(t.events, t.fake, filing.openId, DESCRIPTION),
      typedContent: p2pMessage(t.events, t.fake, REP_B.openId, CONTENT),
      startFiling: p2pMessage(t.events, t.fake, newcomer.openId, '投诉'),
      startInGroup: messageEnvelope(t.events, t.fake, { sender: 'ou_redis_grp', chatId: GROUP, chatType: 'group', text: '投诉', mentionBot: true }),
    }
    const stepButton = cardClick(t.events, { operator: filing.openId, value: buttonValue(descriptionCard.content, 'conversation.answer', { answer: '取消' })!, messageId: descriptionCard.messageId, chatId: `oc_p2p_${filing.openId}` })
    const helpers = Array.from({ length: 3 }, (_, i) => p2pMessage(t.events, t.fake, `ou_redis_help_${i}`, '帮助'))
    const mine = p2pMessage(t.events, t.fake, reporter.openId, '我的诉求')
    const clicks = Array.from({ length: 5 }, (_, i) => cardClick(t.events, { operator: `ou_redis_click_${i}`, value: signUp, messageId: activity.card.messageId, chatId: GROUP }))
    const typed = Array.from({ length: 2 }, (_, i) => messageEnvelope(t.events, t.fake, { sender: `ou_redis_typed_${i}`, chatId: GROUP, chatType: 'group', text: `报名 ${activity.number}`, mentionBot: true }))
    const accept = cardClick(t.events, { operator: CHAIR.openId, value: buttonValue(review.card, 'grievance.accept')!, messageId: review.messageId, chatId: ADMIN_CHAT_ID })
    const cosign = p2pMessage(t.events, t.fake, REP_C.openId, `附议 ${proposal}`)
    const stream = [...Object.values(conversing), stepButton, ...helpers, mine, ...clicks, ...typed, accept, cosign]

    proxy.cut()
    const answers = new Map<string, { status: number; body: any }>()
    for (const env of stream) answers.set(dedupKeyOf(env), await deliver(t.url, t.events, env))
    expectAll200([...answers.values()], 'webhook while Redis is down')
    await t.settle()

    // Durably recorded and handled, every one.
    const rows = await inboxRows(t.bot.services.db, stream.map(dedupKeyOf))
    expect(stream.map((env) => rows.get(dedupKeyOf(env))?.status)).toEqual(stream.map(() => 'done'))
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
    const readiness = await fetch(`${t.opsUrl}/readyz`)
    expect(readiness.status).toBe(503)
    expect(((await readiness.json()) as { checks: unknown }).checks).toEqual({ postgres: true, redis: false })

    // Conversations: one clear message each, in the chat they wrote in; the step button gets it as a toast.
    for (const env of Object.values(conversing)) {
      expect(t.fake.messages.filter((m) => m.replyTo === messageIdOf(env)).map((m) => m.content.text)).toEqual([MESSAGES.stateDown])
    }
    expect(answers.get(dedupKeyOf(stepButton))!.body.toast).toEqual({ type: 'error', content: MESSAGES.stateDown })
    expect(inbox(t.fake, newcomer.openId).filter((m) => m.msgType === 'interactive')).toHaveLength(0)

    // Everything else worked as usual.
    for (const env of [...helpers, mine, ...typed, cosign]) expect(t.fake.messages.filter((m) => m.replyTo === messageIdOf(env)), messageIdOf(env)).toHaveLength(1)
    for (const env of clicks) expect(answers.get(dedupKeyOf(env))!.body.toast).toEqual({ type: 'success', content: '报名成功' })
    expect(await count(t.bot.services.db, 'activity_signups', `activity_id = ${activity.id}`)).toBe(7)
    expect(answers.get(dedupKeyOf(accept))!.body.toast).toEqual({ type: 'success', content: '已受理，已通知职工' })
    expect(textsOf(inbox(t.fake, reporter.openId)).filter((x) => x.includes(`您的诉求 ${pending} 已受理`))).toHaveLength(1)
    expect(await count(t.bot.services.db, 'proposal_cosigners')).toBe(1)
  })

  it('when Redis returns, interrupted conversations go on where they were and new ones work end to end', async () => {
    proxy.restore()
    await until('ready again', async () => (await ready()) || undefined)

    // The grievance conversation kept its place (description step): it goes on to a filed case.
    await say(t, filing, DESCRIPTION)
    expect(cardTitle(inbox(t.fake, filing.openId).at(-1)!)).toContain('第 3/4 步')
    await say(t, filing, '实名')
    await say(t, filing, '确认')
    // A new filing from the worker who was turned away, end to end.
    await say(t, newcomer, '投诉')
    for (const text of ['3', DESCRIPTION, '匿名', '确认']) await say(t, newcomer, text)
    // The proposal conversation goes on from its content step.
    for (const text of [CONTENT, '2', '确认']) await say(t, REP_B, text)

    for (const who of [filing, newcomer]) expect(textsOf(inbox(t.fake, who.openId)).filter((x) => x.startsWith('✅ 已提交'))).toHaveLength(1)
    expect(await count(t.bot.services.db, 'grievances')).toBe(3)
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m).startsWith('维权诉求 G-'))).toHaveLength(3)
    expect(textsOf(inbox(t.fake, REP_B.openId)).filter((x) => x.includes('提案已提交'))).toHaveLength(1)
    expect(await count(t.bot.services.db, 'proposals')).toBe(2)
    // The sign-up card could not be refreshed while Redis was away (its refresh slot lives there): the periodic
    // reconcile catches it up.
    await t.bot.runPeriodic(clock.now())
    expect(JSON.stringify(t.fake.currentCard(activity.card.messageId))).toContain('已报名 7/20')
  })
})
