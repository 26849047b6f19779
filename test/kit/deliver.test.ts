// deliver() against the fake Open API, through a real feature (发布活动 to several groups): a malformed card
// (230099) is an error in the logs and unionbot_feishu_format_errors_total while the other groups still get theirs;
// a group without the bot (230002) is skipped at info.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { OFFICER, publish, type Published } from '../helpers/activities.js'
import { cardsTitled, textsOf } from '../helpers/chat.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t: TestBot
let a: Published
let lines: Array<{ level: number; msg: string; code?: number; what?: string; errorKind?: string; chatId?: string }> = []
const clock = new ManualClock('2026-05-01T01:00:00Z') // Friday 09:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk))), cb()) })
  t = await startTestBot({ db, clock, botOptions: { logger: pino({ level: 'info' }, sink) } })
  a = await publish(t)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => {
  t.fake.reset()
  lines = []
})

const formatErrors = async () => (await t.bot.metrics.feishuFormatErrors.get()).values.find((v) => v.labels.method === 'message.create' && v.labels.code === '230099')?.value ?? 0
const signupCards = (chatId: string) => cardsTitled(t.fake.messagesInChat(chatId), `活动报名 · ${a.number}`)

describe('deliver()', () => {
  it('a card Feishu rejects as malformed (230099) is logged as an error and counted; the other groups get theirs', async () => {
    const before = await formatErrors()
    // The groups are posted to in order, so the first card send is the one to oc_k1_bad.
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 400, body: { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621' } })
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_k1_bad oc_k1_good_1 oc_k1_good_2` })
    await t.settle()

    expect(signupCards('oc_k1_bad')).toHaveLength(0)
    expect(signupCards('oc_k1_good_1')).toHaveLength(1)
    expect(signupCards('oc_k1_good_2')).toHaveLength(1)
    expect(textsOf(t.fake.messagesInChat('oc_p2p_chair'))).toEqual([`${a.number} 的报名卡片已发到 2 个群；以下群发送失败（请先把我拉进群）：oc_k1_bad`])

    expect((await formatErrors()) - before).toBe(1)
    const errors = lines.filter((l) => l.level >= 50)
    expect(errors.some((l) => l.what === 'activity:signup-card' && l.code === 230099 && l.errorKind === 'malformed' && l.chatId === 'oc_k1_bad')).toBe(true)
  })

  it('a group without the bot (230002) is skipped at info: no error, not counted as a format error', async () => {
    const before = await formatErrors()
    t.fake.chatsWithoutBot.add('oc_k1_gone')
    await t.sendMessage({ sender: OFFICER, chatId: 'oc_p2p_chair', chatType: 'p2p', text: `发布活动 ${a.number} oc_k1_gone oc_k1_good_3` })
    await t.settle()

    expect(signupCards('oc_k1_good_3')).toHaveLength(1)
    expect(textsOf(t.fake.messagesInChat('oc_p2p_chair'))).toEqual([`${a.number} 的报名卡片已发到 1 个群；以下群发送失败（请先把我拉进群）：oc_k1_gone`])
    expect(await formatErrors()).toBe(before)
    const skipped = lines.filter((l) => l.what === 'activity:signup-card' && l.code === 230002)
    expect(skipped).toHaveLength(1)
    expect(skipped[0]).toMatchObject({ level: 30, errorKind: 'recipient_gone', chatId: 'oc_k1_gone' })
    expect(lines.filter((l) => l.level >= 40)).toEqual([])
  })
})
