// Fault drill (issue #7): the bot process is killed (SIGKILL) right after acknowledging a burst of feature events
// — grievance 确认 by button and by typing, sign-up clicks and typed sign-ups, a co-signature by button and by
// command, help requests — while every message it tries to send hangs at Feishu, so nothing it started is
// finished. After a restart every acknowledged event is processed exactly once: counted in the database and at
// the fake Open API (which de-duplicates idempotency uuids as Feishu does).
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOpenApi } from '../../devtools/fake-open-api.js'
import { FeishuEventBuilder, type Envelope } from '../../devtools/feishu-events.js'
import type { Database } from '../../src/db/schema.js'
import { formatDateTime } from '../../src/time.js'
import { startChildBot, type ChildBot } from '../rig/child-bot.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN, startTestBot } from '../rig/test-bot.js'
import { DESCRIPTION } from '../helpers/grievances.js'
import { publish } from '../helpers/activities.js'
import { setupRoster, submitProposal } from '../helpers/proposals.js'
import { CHILD_REDIS_PREFIX, childEnv, deletePersonKeys, existingKeys, openDatabase, personKeysOf } from '../helpers/child-drills.js'
import { cardClick, dedupKeyOf, deliver, expectAll200, messageIdOf, p2pMessage, until } from '../helpers/drills.js'
import { button, buttonValue, cardTitle, cardTitled, cardsOf, inbox, say, textsOf } from '../helpers/chat.js'

const tag = randomBytes(3).toString('hex')
const id = (name: string) => `ou_k${tag}_${name}`
const GROUP = `oc_k${tag}_group`
const buttonConfirmers = Array.from({ length: 4 }, (_, i) => ({ openId: id(`wb${i}`), name: `按钮职工${i}` }))
const typedConfirmers = Array.from({ length: 2 }, (_, i) => ({ openId: id(`wt${i}`), name: `打字职工${i}` }))
const reps = Array.from({ length: 4 }, (_, i) => ({ openId: id(`rep${i}`), name: `代表${i}` }))
/** Everyone who acts in the drill (their Redis keys are HMACs of their open_ids: found through the database's secret). */
const everyone = [
  ...[...buttonConfirmers, ...typedConfirmers, ...reps].map((p) => p.openId),
  ...['fan', 'typist', 'help'].flatMap((kind) => Array.from({ length: 10 }, (_, i) => id(`${kind}${i}`))),
  CHAIR.openId,
]

let db: TestDatabase
let fake: FakeOpenApi
let events: FeishuEventBuilder
let records: Kysely<Database>
const children: ChildBot[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  fake = new FakeOpenApi()
  await fake.start()
  for (const p of [...buttonConfirmers, ...typedConfirmers, ...reps]) fake.users.set(p.openId, { name: p.name })
  events = new FeishuEventBuilder({ appId: fake.appId, verificationToken: TEST_VERIFICATION_TOKEN, encryptKey: TEST_ENCRYPT_KEY, botOpenId: fake.botOpenId })
  records = openDatabase(db)
})
afterAll(async () => {
  for (const c of children) if (c.process.exitCode === null) c.kill('SIGKILL')
  await Promise.all(children.map((c) => c.exited))
  await records?.destroy()
  await fake?.stop()
  if (db) await deletePersonKeys(db, everyone)
  await db?.drop()
})

/** A picker value `days` from now at `hour`:00 in Shanghai (the children run on the real clock). */
function pickerIn(days: number, hour: number): string {
  const day = formatDateTime(new Date(Date.now() + days * 86_400_000), 'Asia/Shanghai').slice(0, 10)
  return `${day} ${String(hour).padStart(2, '0')}:00 +0800`
}

describe('killed right after acknowledging a burst of feature events', () => {
  it('after a restart, every acknowledged event takes effect exactly once', async () => {
    // Set-up through an in-process instance sharing the children's Redis prefix: roster, a proposal, an
    // activity, and six workers at the last step of filing a grievance.
    const setup = await startTestBot({ db, fake, botOptions: { redisNamespace: CHILD_REDIS_PREFIX } })
    let proposal: string
    let activity: Awaited<ReturnType<typeof publish>>
    try {
      await setupRoster(setup, { reps })
      proposal = await submitProposal(setup, reps[0]!)
      activity = await publish(setup, { capacity: '100', start: pickerIn(10, 9), end: pickerIn(10, 17), deadline: pickerIn(9, 18) }, GROUP)
      for (const w of [...buttonConfirmers, ...typedConfirmers]) for (const text of ['投诉', '1', DESCRIPTION, '匿名']) await say(setup, w, text)
      // A representative at the last step of a proposal: 确认 comes in the burst.
      for (const text of ['提交提案', '关于增设夜班班车的提案', '夜班职工凌晨下班后没有公共交通，建议增设两条夜班班车线路。', '5']) await say(setup, reps[3]!, text)
    } finally {
      await setup.stop()
    }
    const shared = cardTitled(setup, reps[0]!.openId, `职代会提案 ${proposal}`)
    const signUp = button(activity.card.content, '报名').value
    const burst: Envelope[] = [
      ...buttonConfirmers.map((w) => {
        const summary = inbox(fake, w.openId).filter((m) => cardTitle(m).includes('第 4/4 步')).at(-1)!
        return cardClick(events, { operator: w.openId, value: buttonValue(summary.content, 'conversation.answer', { answer: '确认' })!, messageId: summary.messageId, chatId: `oc_p2p_${w.openId}` })
      }),
      ...typedConfirmers.map((w) => p2pMessage(events, fake, w.openId, '确认')),
      ...Array.from({ length: 10 }, (_, i) => cardClick(events, { operator: id(`fan${i}`), value: signUp, messageId: activity.card.messageId, chatId: GROUP })),
      ...Array.from({ length: 3 }, (_, i) => p2pMessage(events, fake, id(`typist${i}`), `报名 ${activity.number}`)),
      cardClick(events, { operator: reps[1]!.openId, value: buttonValue(shared.content, 'proposal.cosign')!, messageId: shared.messageId, chatId: `oc_p2p_${reps[0]!.openId}` }),
      p2pMessage(events, fake, reps[2]!.openId, `附议 ${proposal}`),
      p2pMessage(events, fake, reps[3]!.openId, '确认'),
      ...Array.from({ length: 3 }, (_, i) => p2pMessage(events, fake, id(`help${i}`), '帮助')),
    ]

    const env = childEnv(db, fake)
    const first = await startChildBot(env)
    children.push(first)
    fake.failNext({ path: /^\/open-apis\/im\/v1\/messages/, delayMs: 60_000, status: 500, times: 10_000 })
    expectAll200(await Promise.all(burst.map((e) => deliver(first.url, events, e))), 'acknowledgements')
    first.kill('SIGKILL')
    await first.exited
    fake.clearFailures()
    // Killed before anything it started was finished: no worker has been told a number yet.
    for (const w of [...buttonConfirmers, ...typedConfirmers]) expect(textsOf(inbox(fake, w.openId)).filter((x) => x.startsWith('✅ 已提交'))).toHaveLength(0)
    const delivered = fake.messages.length

    // With the production lease (60 s) a restarted process finds the dead one's locks (15 s) long gone; this
    // drill leases for 2 s, so it waits for them to lapse before restarting.
    const locks = (await personKeysOf(db, everyone)).filter((k) => k.includes(':lock:'))
    expect(locks.length).toBeGreaterThan(0)
    await until('the dead process’s locks lapsed', async () => (await existingKeys(db.redisUrl, locks)).length === 0, 30_000, 250)
    const survivor = await startChildBot(env)
    children.push(survivor)
    const keys = burst.map(dedupKeyOf)
    await until('every acknowledged event handled', async () => {
      const rows = await records.selectFrom('inbox_events').select('status').where('dedup_key', 'in', keys).execute()
      return rows.length === keys.length && rows.every((r) => r.status === 'done')
    }, 40_000, 100)
    expect(fake.messages.length).toBeGreaterThan(delivered)

    // Grievances: one case per worker, each told its number once, one card per case for the committee.
    const filed = await records.selectFrom('grievances').select('number').execute()
    expect(filed).toHaveLength(6)
    for (const w of [...buttonConfirmers, ...typedConfirmers]) {
      const acks = textsOf(inbox(fake, w.openId)).filter((x) => x.startsWith('✅ 已提交'))
      expect(acks, w.openId).toHaveLength(1)
    }
    for (const g of filed) expect(fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `维权诉求 ${g.number}`), g.number).toHaveLength(1)

    // Sign-ups: thirteen people, one place each; each typed sign-up answered once.
    const signups = await records.selectFrom('activity_signups').select('open_id').where('activity_id', '=', activity.id).execute()
    expect(signups).toHaveLength(13)
    expect(new Set(signups.map((s) => s.open_id)).size).toBe(13)
    const a = await records.selectFrom('activities').select('confirmed_count').where('id', '=', activity.id).executeTakeFirstOrThrow()
    expect(a.confirmed_count).toBe(13)

    // Co-signatures: two, 待审查 once, one review card; the proposer told of each co-signature once.
    const p = await records.selectFrom('proposals').select(['id', 'status']).where('number', '=', proposal).executeTakeFirstOrThrow()
    expect(p.status).toBe('pending_review')
    expect((await records.selectFrom('proposal_cosigners').select('open_id').where('proposal_id', '=', p.id).execute()).length).toBe(2)
    expect(fake.messagesInChat(ADMIN_CHAT_ID).filter((m) => cardTitle(m) === `提案审查 ${proposal}`)).toHaveLength(1)
    expect(textsOf(inbox(fake, reps[0]!.openId)).filter((x) => x.includes('新增 1 名职工代表附议'))).toHaveLength(2)

    // The proposal confirmed in the burst: filed once, its number told once, nothing else said to its proposer.
    expect(await records.selectFrom('proposals').select('number').execute()).toHaveLength(2)
    const told = textsOf(inbox(fake, reps[3]!.openId)).filter((x) => !x.includes('您已被登记为职工代表'))
    expect(told.filter((x) => x.includes('提案已提交'))).toHaveLength(1)
    expect(told.filter((x) => x.includes('没有听懂'))).toEqual([])
    // Nor a card for a message not understood (the menu or "您是不是想："): every message was understood.
    expect(cardsOf(inbox(fake, reps[3]!.openId)).map((m) => JSON.stringify(m.content)).filter((x) => x.includes('没有完全明白') || x.includes('您是不是想'))).toEqual([])

    // Every typed message that expects an answer got exactly one.
    for (const e of burst.filter((x) => x.header.event_type === 'im.message.receive_v1')) {
      const sender = (e.event.sender as { sender_id: { open_id: string } }).sender_id.open_id
      if ([...typedConfirmers, reps[3]!].some((w) => sender === w.openId)) continue
      expect(fake.messages.filter((m) => m.replyTo === messageIdOf(e)), messageIdOf(e)).toHaveLength(1)
    }
    survivor.kill('SIGTERM')
    expect(await survivor.exited).toBe(0)
  }, 90_000)
})
