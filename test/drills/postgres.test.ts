// Fault drill (issue #7): Postgres becomes unreachable in the middle of a stream of mixed events — private
// commands, a grievance conversation at its last step, group @-mentions, card clicks (sign-ups, an officer's
// 受理, a co-signature) — cut and restored through a TCP proxy in front of the real server, so other test files
// are not disturbed. While it is down the webhook answers 5xx, so Feishu keeps the events; Feishu's redelivery of
// every refused envelope afterwards succeeds; events caught mid-way are finished by the inbox. Nothing is lost
// (every event's effect is there) and nothing is doubled (replies, grievances, sign-ups, co-signatures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../devtools/feishu-events.js'
import { ManualClock } from '../../src/clock.js'
import { normalizeEnvelope } from '../../src/feishu/normalize.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'
import { DESCRIPTION, fileGrievance, newWorker, reviewCard, type Person } from '../helpers/grievances.js'
import { publish, type Published } from '../helpers/activities.js'
import { setupRoster, submitProposal, REP_A, REP_B, REP_C } from '../helpers/proposals.js'
import { cardClick, count, dedupKeyOf, deliver, inboxRows, messageEnvelope, messageIdOf, p2pMessage, shuffle, until } from '../helpers/drills.js'
import { button, buttonValue, cardTitle, cardTitled, inbox, say, textsOf } from '../helpers/chat.js'

const clock = new ManualClock('2026-05-01T01:00:00Z')
const GROUP = 'oc_pg_drill_group'

let db: TestDatabase
let proxy: TcpProxy
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  const url = new URL(db.url)
  proxy = new TcpProxy(url.hostname, Number(url.port || 5432))
  await proxy.start()
  url.port = String(proxy.port)
  t = await startTestBot({ db: { ...db, url: url.toString() }, clock, env: { INBOX_LEASE_SECONDS: '2' } })
})
afterAll(async () => {
  await t?.stop()
  await proxy?.stop()
  await db?.drop()
})

/** Handling attempts that failed (events and card actions' deferred work), for every type. */
const failures = async (type?: string) => (await t.bot.metrics.eventsFailed.get()).values.filter((v) => !type || v.labels.type === type).reduce((n, v) => n + v.value, 0)

describe('Postgres unreachable during a stream of mixed events', () => {
  let activity: Published
  let proposal: string
  let midway: Person
  let reporter: Person
  let pending: string

  beforeAll(async () => {
    await setupRoster(t)
    proposal = await submitProposal(t, REP_A)
    activity = await publish(t, { capacity: '50' }, GROUP)
    reporter = newWorker(t, '钱七')
    pending = await fileGrievance(t, reporter)
    // A worker in the middle of filing: only 确认 is left, and it comes in the stream.
    midway = newWorker(t, '孙八')
    for (const text of ['投诉', '2', DESCRIPTION, '匿名']) await say(t, midway, text)
  })

  it('answers 503 while it is down, takes the redelivered events afterwards, and every effect happens exactly once', async () => {
    const newcomer = newWorker(t, '周九')
    const review = reviewCard(t, pending)
    const shared = cardTitled(t, REP_A.openId, `职代会提案 ${proposal}`)
    const signUp = button(activity.card.content, '报名').value
    const helpers = Array.from({ length: 6 }, (_, i) => p2pMessage(t.events, t.fake, `ou_pg_help_${i}`, '帮助'))
    const groupHelp = Array.from({ length: 2 }, (_, i) => messageEnvelope(t.events, t.fake, { sender: `ou_pg_grp_${i}`, chatId: GROUP, chatType: 'group', text: '帮助', mentionBot: true }))
    const typedSignUps = Array.from({ length: 4 }, (_, i) => messageEnvelope(t.events, t.fake, { sender: `ou_pg_typed_${i}`, chatId: GROUP, chatType: 'group', text: `报名 ${activity.number}`, mentionBot: true }))
    const clickSignUps = Array.from({ length: 8 }, (_, i) => cardClick(t.events, { operator: `ou_pg_click_${i}`, value: signUp, messageId: activity.card.messageId, chatId: GROUP }))
    const confirm = p2pMessage(t.events, t.fake, midway.openId, '确认')
    const start = p2pMessage(t.events, t.fake, newcomer.openId, '投诉')
    const accept = cardClick(t.events, { operator: CHAIR.openId, value: buttonValue(review.card, 'grievance.accept')!, messageId: review.messageId, chatId: ADMIN_CHAT_ID })
    const cosignClick = cardClick(t.events, { operator: REP_B.openId, value: buttonValue(shared.content, 'proposal.cosign')!, messageId: shared.messageId, chatId: `oc_p2p_${REP_A.openId}` })
    const cosignTyped = p2pMessage(t.events, t.fake, REP_C.openId, `附议 ${proposal}`)
    const mine = p2pMessage(t.events, t.fake, reporter.openId, '我的诉求')
    // The first part arrives while Postgres is up, and the Open API is slow (1.5 s a send, under the client's
    // timeout), so its handlers are still under way when the connection is cut: the filing, the officer's notice,
    // a typed sign-up, replies.
    const upFront = [confirm, accept, typedSignUps[0]!, clickSignUps[0]!, clickSignUps[1]!, helpers[0]!, groupHelp[0]!, cosignTyped]
    const rest = shuffle([...helpers.slice(1), groupHelp[1]!, ...typedSignUps.slice(1), ...clickSignUps.slice(2), start, cosignClick, mine], 2026)
    const stream = [...upFront, ...rest]
    const failedBefore = await failures()
    const cardFailuresBefore = await failures('card_action')
    t.fake.failNext({ path: /^\/open-apis\/im\/v1\/messages/, delayMs: 1500, times: 1000 })
    for (const env of upFront) expect((await deliver(t.url, t.events, env)).status).toBe(200)
    proxy.cut()
    const refused: Envelope[] = []
    for (const env of rest) {
      const res = await deliver(t.url, t.events, env)
      expect(res.status, `${env.header.event_type} while Postgres is down`).toBeGreaterThanOrEqual(500)
      refused.push(env)
    }
    expect((await fetch(`${t.opsUrl}/readyz`)).status).toBe(503)
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
    // Postgres stays away until the handlers caught mid-way have run into it: the messages' handlers are through
    // (failed, or done with their done-mark lost) and the officer's deferred notice failed.
    await t.bot.processor.idle()
    await until('the deferred work of a click ran into the cut', async () => (await failures('card_action')) > cardFailuresBefore, 30_000)

    // Postgres is back; Feishu redelivers what was refused (the same envelopes, signed again), some twice.
    proxy.restore()
    t.fake.clearFailures()
    for (const env of [...refused, ...refused.slice(0, 4)]) expect((await deliver(t.url, t.events, env)).status).toBe(200)
    await t.settle()
    // The periodic sweep is what posts a review card a filing could not post while Postgres was away.
    await t.bot.runPeriodic(new Date(clock.now().getTime() + 5 * 60_000))
    await t.settle()

    // Handlers were caught mid-way by the cut (and finished by the inbox afterwards).
    expect(await failures()).toBeGreaterThan(failedBefore)
    // Every event of the stream is recorded and handled.
    const rows = await inboxRows(t.bot.services.db, stream.map(dedupKeyOf))
    expect(stream.map((env) => rows.get(dedupKeyOf(env))?.status)).toEqual(stream.map(() => 'done'))

    // Replies: exactly one per message that asks for one.
    for (const env of [...helpers, ...groupHelp, ...typedSignUps, cosignTyped, mine]) {
      expect(t.fake.messages.filter((m) => m.replyTo === messageIdOf(env)), `${messageIdOf(env)}`).toHaveLength(1)
    }

    // The conversation in progress filed its grievance once: one case, one number told, one card for officers.
    const filed = await t.bot.services.db.selectFrom('grievances').select(['number', 'status']).orderBy('id').execute()
    expect(filed).toHaveLength(2)
    // After the last step's card the worker gets the confirmation, and nothing else (a re-run of 确认 after the
    // conversation ended must not be answered as an unknown command).
    const told = inbox(t.fake, midway.openId)
    const afterSummary = told.slice(told.findIndex((m) => cardTitle(m).includes('第 4/4 步')) + 1).map((m) => (m.msgType === 'text' ? m.content.text : cardTitle(m)))
    expect(afterSummary).toHaveLength(1)
    expect(afterSummary[0]).toMatch(new RegExp(`^✅ 已提交。编号：${filed[1]!.number}`))
    for (const g of filed) expect(t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `维权诉求 ${g.number}`)).toHaveLength(1)
    // The newcomer's conversation started once.
    expect(inbox(t.fake, newcomer.openId).filter((m) => cardTitle(m).includes('第 1/4 步'))).toHaveLength(1)
    expect((await t.bot.services.conversations.load(newcomer.openId)).status).toBe('active')

    // The officer's 受理: once, audited once, the reporter told once.
    expect(filed[0]).toEqual({ number: pending, status: 'accepted' })
    expect(await count(t.bot.services.db, 'audit_log', `action = 'grievance.accept'`)).toBe(1)
    expect(textsOf(inbox(t.fake, reporter.openId)).filter((x) => x.includes(`您的诉求 ${pending} 已受理`))).toHaveLength(1)

    // Co-signatures: two, 待审查 once, one review card for the committee.
    const p = await t.bot.services.db.selectFrom('proposals').select(['id', 'status']).where('number', '=', proposal).executeTakeFirstOrThrow()
    expect(p.status).toBe('pending_review')
    expect(await count(t.bot.services.db, 'proposal_cosigners', `proposal_id = ${p.id}`)).toBe(2)
    expect(t.fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `提案审查 ${proposal}`)).toHaveLength(1)

    // Sign-ups: twelve people, one place each, counted once.
    const signups = await t.bot.services.db.selectFrom('activity_signups').select(['open_id', 'status']).where('activity_id', '=', activity.id).execute()
    expect(signups).toHaveLength(12)
    expect(new Set(signups.map((s) => s.open_id)).size).toBe(12)
    const a = await t.bot.services.db.selectFrom('activities').select(['confirmed_count', 'waitlist_count']).where('id', '=', activity.id).executeTakeFirstOrThrow()
    expect(a).toEqual({ confirmed_count: 12, waitlist_count: 0 })
    expect(JSON.stringify(t.fake.currentCard(activity.card.messageId))).toContain('已报名 12/50')
  })

  it('a turn the inbox runs again after the person started a new conversation leaves the new one alone', async () => {
    const worker = newWorker(t, '陈十四')
    for (const text of ['投诉', '3', DESCRIPTION, '匿名']) await say(t, worker, text)
    const confirm = p2pMessage(t.events, t.fake, worker.openId, '确认')
    expect((await deliver(t.url, t.events, confirm)).status).toBe(200)
    await t.settle()
    await say(t, worker, '投诉')
    const sent = t.fake.messages.length
    // 确认 once more, as the inbox runs an event whose done-mark was lost (Postgres gone at the wrong moment).
    const normalized = normalizeEnvelope(confirm as unknown as Record<string, unknown>)
    if (!normalized.ok) throw new Error('the envelope does not normalize')
    await t.bot.dispatcher.handleUpdate(normalized.update)
    const now = await t.bot.services.conversations.load(worker.openId)
    expect(now.status === 'active' && now.state.step).toBe('category')
    expect(t.fake.messages.length).toBe(sent)
    expect(await count(t.bot.services.db, 'grievance_reporters', `open_id = '${worker.openId}'`)).toBe(1)
    expect(textsOf(inbox(t.fake, worker.openId)).filter((x) => x.startsWith('✅ 已提交'))).toHaveLength(1)
  })
})
