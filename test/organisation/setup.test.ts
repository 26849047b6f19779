// First start through the real webhook (issue #20): 初始化 with the setup code (right, wrong, locked, already set
// up), the code printed once, and 设为委员会群 routing the committee's cards — every refusal with nothing changed.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { SETUP_CODE_LOG } from '../../src/organisation/setup.js'
import { ALREADY_SET_UP, CHAIR_ONLY, WRONG_CODE } from '../../handlers/organisation/setup.js'
import { auditTrail } from '../../src/core/audit.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { answersTo, cardTitle, cardText, cardsOf, say, textsOf } from '../helpers/chat.js'
import { fileGrievance, newWorker } from '../helpers/grievances.js'

const CODE = '24681357'
const clock = new ManualClock('2026-06-01T02:00:00Z')
const NEWCOMER = { openId: 'ou_setup_newcomer', name: '刘主席' }
const GUESSER = { openId: 'ou_setup_guesser', name: '乱猜的人' }
const COMMITTEE_GROUP = 'oc_setup_committee'

function captureLogs(): { logger: Logger; lines: () => string[] } {
  const out: string[] = []
  const stream = new Writable({ write: (chunk, _enc, done) => (out.push(String(chunk)), done()) })
  return { logger: createLogger('info', stream), lines: () => out.join('').split('\n').filter(Boolean) }
}

const setupRows = (t: TestBot) => auditTrail(t.bot.services.db, 'organisation', 'setup')
const role = async (t: TestBot, openId: string) => (await t.bot.services.db.selectFrom('officers').select('role').where('open_id', '=', openId).executeTakeFirst())?.role

describe('初始化 with a configured UNION_SETUP_CODE', () => {
  let db: TestDatabase
  let t: TestBot
  beforeAll(async () => {
    db = await createTestDatabase()
    // Neither officers nor a committee group configured: a union as it first starts.
    t = await startTestBot({ db, clock, env: { UNION_SETUP_CODE: CODE, UNION_OFFICER_OPEN_IDS: undefined, UNION_ADMIN_CHAT_ID: undefined } })
    for (const p of [NEWCOMER, GUESSER]) t.fake.users.set(p.openId, { name: p.name })
  })
  afterAll(async () => {
    await t?.stop()
    await db?.drop()
  })

  it('refuses a code in a group without checking or counting it', async () => {
    const sent = await answersTo(t, GUESSER, `初始化 ${CODE}`, 'oc_setup_somegroup')
    expect(textsOf(sent)).toEqual(['请私聊我发送「初始化 设置码」，不要把设置码发在群里。'])
    expect(await role(t, GUESSER.openId)).toBeUndefined()
    expect(await setupRows(t)).toEqual([])
  })

  it('refuses wrong codes politely, then locks for 15 minutes after the 5th — a right code is refused too while locked', async () => {
    for (let i = 1; i <= 4; i++) {
      expect(textsOf(await answersTo(t, GUESSER, `初始化 1111000${i}`))).toEqual([WRONG_CODE])
      clock.advance(60_000)
    }
    const fifth = textsOf(await answersTo(t, GUESSER, '初始化 99999999'))[0]!
    expect(fifth).toContain(WRONG_CODE)
    expect(fifth).toContain('已暂时锁定')
    // The right code, from someone else, while locked.
    const locked = textsOf(await answersTo(t, NEWCOMER, `初始化 ${CODE}`))[0]!
    expect(locked).toContain('已暂时锁定')
    expect(await role(t, NEWCOMER.openId)).toBeUndefined()
    const audit = await setupRows(t)
    expect(audit.map((a) => [a.action, (a.detail as { reason?: string }).reason])).toEqual([
      ...Array.from({ length: 5 }, () => ['organisation.setup.refused', 'wrong']),
      ['organisation.setup.refused', 'locked'],
    ])
    // The audit never holds the code, right or wrong.
    expect(JSON.stringify(audit)).not.toContain(CODE)
    expect(JSON.stringify(audit)).not.toContain('99999999')
  })

  it('the sender of the right code after the lock becomes 工会主席 and gets the next steps; the code is used up', async () => {
    clock.advance(15 * 60_000 + 1000)
    const sent = await answersTo(t, NEWCOMER, `初始化 ${CODE}`)
    const card = cardsOf(sent)[0]
    expect(cardTitle(card)).toBe('您已成为工会主席')
    expect(cardText(card?.content)).toContain('设为委员会群')
    expect(cardText(card?.content)).toContain('干部 添加')
    expect(await role(t, NEWCOMER.openId)).toBe('chair')
    expect((await setupRows(t)).at(-1)?.action).toBe('organisation.setup.completed')
    expect(await t.bot.services.db.selectFrom('organisation_setup_codes').selectAll().execute()).toEqual([])
  })

  it('after a chair exists, 初始化 answers that the union is already set up, whatever the code', async () => {
    expect(textsOf(await answersTo(t, GUESSER, `初始化 ${CODE}`))).toEqual([ALREADY_SET_UP])
    expect(textsOf(await answersTo(t, GUESSER, '初始化'))).toEqual([ALREADY_SET_UP])
    expect(await role(t, GUESSER.openId)).toBeUndefined()
    expect((await setupRows(t)).at(-1)?.detail).toEqual({ reason: 'already' })
  })

  it('设为委员会群: refused to others and outside a group; the chair’s group then gets the review cards', async () => {
    const before = await t.bot.services.db.selectFrom('organisation_settings').selectAll().where('key', '=', 'committee_chat_id').execute()
    expect(before).toEqual([])
    expect(textsOf(await answersTo(t, GUESSER, '设为委员会群', COMMITTEE_GROUP))).toEqual([CHAIR_ONLY])
    expect(textsOf(await answersTo(t, NEWCOMER, '设为委员会群'))).toEqual(['请在工会委员会的工作群里 @我 发送「设为委员会群」。'])
    expect(await t.bot.services.db.selectFrom('organisation_settings').selectAll().where('key', '=', 'committee_chat_id').execute()).toEqual([])
    const sent = await answersTo(t, NEWCOMER, '设为委员会群', COMMITTEE_GROUP)
    expect(textsOf(sent)[0]).toContain('本群已设为工会委员会群')
    const worker = newWorker(t)
    const number = await fileGrievance(t, worker)
    expect(t.fake.messagesInChat(COMMITTEE_GROUP).some((m) => cardTitle(m) === `维权诉求 ${number}`)).toBe(true)
    expect((await auditTrail(t.bot.services.db, 'organisation', 'committee_chat')).map((a) => a.action)).toEqual(['organisation.committee_chat.set'])
  })
})

describe('the setup code printed at start', () => {
  it('prints a generated 8-digit code while no chair exists, and nothing once it is used', async () => {
    const db = await createTestDatabase()
    try {
      const first = captureLogs()
      let t = await startTestBot({ db, clock, env: { UNION_OFFICER_OPEN_IDS: undefined }, botOptions: { logger: first.logger } })
      const line = first.lines().find((l) => l.includes(SETUP_CODE_LOG))
      const code = new RegExp(`${SETUP_CODE_LOG} (\\d{8})`).exec(line ?? '')?.[1]
      expect(code, 'the setup code in the log').toBeDefined()
      t.fake.users.set(NEWCOMER.openId, { name: NEWCOMER.name })
      expect(cardTitle(cardsOf(await answersTo(t, NEWCOMER, `初始化 ${code}`))[0])).toBe('您已成为工会主席')
      await t.stop()
      const second = captureLogs()
      t = await startTestBot({ db, clock, env: { UNION_OFFICER_OPEN_IDS: undefined }, botOptions: { logger: second.logger } })
      await t.stop()
      expect(second.lines().join('\n')).not.toContain(SETUP_CODE_LOG)
      expect(second.lines().some((l) => l.includes('"url"') || l.includes('internal endpoints')), 'the second start did log').toBe(true)
    } finally {
      await db.drop()
    }
  }, 60_000)

  it('a group chosen in chat wins over UNION_ADMIN_CHAT_ID, after a restart too; until then the variable is followed', async () => {
    const db = await createTestDatabase()
    let t = await startTestBot({ db, clock })
    try {
      expect(await t.bot.services.db.selectFrom('organisation_settings').select(['value', 'set_by']).where('key', '=', 'committee_chat_id').execute()).toEqual([{ value: ADMIN_CHAT_ID, set_by: null }])
      const chosen = 'oc_setup_chosen'
      await answersTo(t, CHAIR, '设为委员会群', chosen)
      await t.stop()
      t = await startTestBot({ db, clock, env: { UNION_ADMIN_CHAT_ID: 'oc_setup_from_env' } })
      const worker = newWorker(t)
      const number = await fileGrievance(t, worker)
      expect(t.fake.messagesInChat(chosen).map(cardTitle)).toContain(`维权诉求 ${number}`)
      expect(t.fake.messagesInChat('oc_setup_from_env')).toEqual([])
      // The committee group gets the committee version of the digest on demand.
      expect(cardTitle(cardsOf(await answersTo(t, CHAIR, '周报', chosen))[0])).toBe('工会周报（委员会版）')
    } finally {
      await t.stop()
      await db.drop()
    }
  }, 60_000)

  it('UNION_OFFICER_OPEN_IDS keeps working: the configured officer holds the chair’s set-up rights until a chair is set', async () => {
    const db = await createTestDatabase()
    const t = await startTestBot({ db, clock, env: { UNION_SETUP_CODE: CODE } })
    try {
      t.fake.users.set(NEWCOMER.openId, { name: NEWCOMER.name })
      const group = 'oc_setup_bootstrap'
      expect(textsOf(await answersTo(t, CHAIR, '设为委员会群', group))[0]).toContain('本群已设为工会委员会群')
      await say(t, NEWCOMER, `初始化 ${CODE}`)
      // Now a chair exists in chat: the configured officer is still an officer, without the set-up rights.
      expect(textsOf(await answersTo(t, CHAIR, '设为委员会群', ADMIN_CHAT_ID))).toEqual([CHAIR_ONLY])
      expect(await t.bot.services.roles.isOfficer(CHAIR.openId)).toBe(true)
    } finally {
      await t.stop()
      await db.drop()
    }
  }, 60_000)
})
