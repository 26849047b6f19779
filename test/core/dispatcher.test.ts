// Routing rules: who the bot listens to, the command table, conversations (buttons, cancel, expiry, Redis down),
// card actions with role checks, the bot joining a group and the bot menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerHandlers } from '../../handlers/index.js'
import { md, answerButton, card } from '../../cards/kit.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { Update } from '../../src/feishu/updates.js'
import { BotIdentityUnknownError, UserFacingError } from '../../src/errors.js'
import { Dispatcher } from '../../src/dispatch/dispatcher.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { TcpProxy } from '../rig/tcp-proxy.js'
import { buttonValue, cardText, inbox, lastCard } from '../helpers/chat.js'
import { NOT_UNDERSTOOD } from '../../cards/talk.js'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { fileGrievance, newWorker } from '../helpers/grievances.js'

const nameCard = () => card({ title: '登记', elements: [md('请输入姓名'), answerButton({ flow: 'test.register', step: 'name', answer: '张三' })] })

type Registration = { name?: string; count?: number; viaButton?: boolean; seen?: string[] }

/** A two-step conversation: a name (re-asked when too short), then any number of messages counted until "done". */
const registration = defineConversation<Registration, 'name' | 'count'>({
  name: 'test.register',
  title: '测试登记',
  version: 1,
  initial: 'name',
  outdated: '测试登记已失效。',
  read: (data) => ({ ...data }),
  steps: {
    name: {
      async prompt(ctx, _data, note) {
        await ctx.say(note && 'hint' in note ? { text: note.hint } : { card: nameCard() })
      },
      parse(input) {
        if (input.text.trim().length < 2) return { hint: '姓名至少两个字，请重新输入。' }
        return { next: 'count', data: { name: input.text.trim(), count: 0, viaButton: input.viaButton } }
      },
    },
    count: {
      async prompt(ctx) {
        await ctx.say({ text: '请发送数字' })
      },
      parse(input, data) {
        const count = (data.count ?? 0) + 1
        return {
          async run(ctx) {
            await ctx.advance('count', { ...data, count, seen: [...(data.seen ?? []), input.text] })
            if (input.text === 'done') {
              await ctx.say({ text: `完成，共 ${count} 条` })
              await ctx.finish()
            }
          },
        }
      },
    },
  },
})

/** What the test guards saw, in the order they ran. */
const guardLog: string[] = []

/** A small feature used only here: a two-step conversation, an officer-only action, a counter and two guards. */
function registerTestFeature(router: BotRouter): void {
  registerHandlers(router)
  router.guard('test.logged', async ({ ctx }, next) => {
    if (ctx.actorOpenId.startsWith('ou_guard')) guardLog.push(`logged:${ctx.actorOpenId}`)
    await next()
  })
  // "Members only" for 登记, as a feature would add it: the dispatcher is not edited for it.
  router.guard('test.members', async ({ ctx, command }, next) => {
    if (ctx.actorOpenId.startsWith('ou_guard')) guardLog.push(`members:${ctx.actorOpenId}`)
    if (command.words.includes('登记') && ctx.actorOpenId === 'ou_guard_outsider') return void (await ctx.reply({ text: '仅限工会会员登记。' }))
    await next()
  })
  router.command({
    words: ['登记', 'register'],
    async handle(ctx) {
      await registration.start(ctx, {})
      await ctx.replyPrivately({ card: nameCard() })
    },
  })
  router.conversation(registration)
  router.action('test.approve', {
    roles: ['officer'],
    async handle(ctx) {
      await ctx.audit({ action: 'test.approve', subjectType: 'test', subjectId: ctx.valueString('id') ?? '' })
      return { toast: { type: 'success', content: '已批准' }, card: card({ title: '已批准', elements: [md('ok')] }) }
    },
  })
  router.action('test.refuse', {
    async handle() {
      throw new UserFacingError('INVALID_STATE', '该申请已处理')
    },
  })
}

let db: TestDatabase
let t: TestBot

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, env: { CONVERSATION_TTL_SECONDS: '2' }, botOptions: { register: registerTestFeature } })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const textsTo = (openId: string) => t.fake.messagesToUser(openId).filter((m) => m.msgType === 'text').map((m) => m.content.text as string)
const lastReplyIn = (chatId: string) => t.fake.messagesInChat(chatId).at(-1)
/** The answer to a message nothing was close to: the menu's buttons, never a bare 没听懂 (issue #14). */
const expectNotUnderstood = (m: DeliveredMessage | undefined) => {
  expect(m?.msgType).toBe('interactive')
  expect(cardText(m!.content)).toContain(NOT_UNDERSTOOD)
}

describe('who the bot listens to', () => {
  it('answers every private message; 帮助 gets the help card listing the features', async () => {
    await t.sendMessage({ sender: 'ou_a', chatId: 'oc_p_a', chatType: 'p2p', text: '帮助' })
    await t.settle()
    const reply = lastReplyIn('oc_p_a')!
    expect(reply.via).toBe('reply')
    expect(reply.msgType).toBe('interactive')
    expect(JSON.stringify(reply.content)).toContain('帮助')
  })

  it('matches commands ignoring case, spaces and full-width forms', async () => {
    for (const [i, text] of ['  ＨＥＬＰ ', 'Help', '帮助　'].entries()) {
      await t.sendMessage({ sender: 'ou_b', chatId: `oc_p_b${i}`, chatType: 'p2p', text })
    }
    await t.settle()
    for (let i = 0; i < 3; i++) expect(lastReplyIn(`oc_p_b${i}`)?.msgType).toBe('interactive')
  })

  it('answers unknown input with the menu buttons and a pointer to 帮助', async () => {
    await t.sendMessage({ sender: 'ou_c', chatId: 'oc_p_c', chatType: 'p2p', text: '今天食堂吃什么' })
    await t.settle()
    expectNotUnderstood(lastReplyIn('oc_p_c'))
  })

  it('ignores group messages that do not @-mention the bot', async () => {
    await t.sendMessage({ sender: 'ou_d', chatId: 'oc_g_quiet', chatType: 'group', text: '帮助' })
    await t.sendMessage({ sender: 'ou_d', chatId: 'oc_g_quiet', chatType: 'group', text: '帮助', mentions: [{ openId: 'ou_someone', name: '小李' }] })
    await t.settle()
    expect(t.fake.messagesInChat('oc_g_quiet')).toHaveLength(0)
  })

  it('a group @-mention before the bot knows its own open_id fails with BotIdentityUnknownError (the inbox retries it)', async () => {
    const unknown = new Dispatcher(t.bot.router, t.bot.services, { openId: async () => undefined })
    const message = { messageId: 'om_who', chatId: 'oc_g_who', chatType: 'group' as const, senderOpenId: 'ou_who', messageType: 'text', rawText: '@_user_1 帮助', mentions: [{ key: '@_user_1', openId: 'ou_someone', name: '某人' }], attachments: [], createTime: Date.now() }
    await expect(unknown.handleUpdate({ kind: 'message', eventId: 'evt_who', message })).rejects.toBeInstanceOf(BotIdentityUnknownError)
    expect(t.fake.messagesInChat('oc_g_who')).toHaveLength(0)
  })

  it('strips its own @-mention in groups before matching, and replies in the group', async () => {
    await t.sendMessage({ sender: 'ou_d', chatId: 'oc_g_loud', chatType: 'group', text: 'help', mentionBot: true })
    await t.sendMessage({ sender: 'ou_d', chatId: 'oc_g_loud2', chatType: 'group', text: '随便说说', mentionBot: true })
    await t.settle()
    expect(lastReplyIn('oc_g_loud')?.msgType).toBe('interactive')
    expectNotUnderstood(lastReplyIn('oc_g_loud2'))
  })
})

describe('conversations', () => {
  it('routes later messages to the active conversation, re-asks on invalid input, and finishes', async () => {
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: '登记' })
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: '王' })
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: '王五' })
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: '帮助' })
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: 'done' })
    await t.settle()
    expect(textsTo('ou_conv')).toEqual(['姓名至少两个字，请重新输入。', '请发送数字', '完成，共 2 条'])
    // The conversation is over: 帮助 is a command again.
    await t.sendMessage({ sender: 'ou_conv', chatId: 'oc_p_conv', chatType: 'p2p', text: '帮助' })
    await t.settle()
    expect(lastReplyIn('oc_p_conv')?.msgType).toBe('interactive')
  })

  it('a conversation started in a group continues in private chat', async () => {
    await t.sendMessage({ sender: 'ou_grp', chatId: 'oc_g_start', chatType: 'group', text: '登记', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesToUser('ou_grp')).toHaveLength(1)
    // A later group message is a command again, not a conversation answer.
    await t.sendMessage({ sender: 'ou_grp', chatId: 'oc_g_start', chatType: 'group', text: '赵六', mentionBot: true })
    await t.sendMessage({ sender: 'ou_grp', chatId: 'oc_p_grp', chatType: 'p2p', text: '赵六' })
    await t.settle()
    expectNotUnderstood(lastReplyIn('oc_g_start'))
    expect(textsTo('ou_grp')).toEqual(['请发送数字'])
  })

  it('takes a step answer from a button on the step card, and refuses a stale one', async () => {
    await t.sendMessage({ sender: 'ou_btn', chatId: 'oc_p_btn', chatType: 'p2p', text: '登记' })
    await t.settle()
    const value = buttonValue(lastCard(t, 'ou_btn'), 'conversation.answer', { step: 'name' })!
    // A value written by hand (no conversation stamp) is not a button of this draft.
    const forged = await t.click({ operator: 'ou_btn', value: { action: 'conversation.answer', flow: 'test.register', step: 'name', answer: '张三' } })
    expect(forged.body.toast).toEqual({ type: 'warning', content: MESSAGES.stepGone })
    const first = await t.click({ operator: 'ou_btn', value })
    expect(first.status).toBe(200)
    await t.settle()
    expect(textsTo('ou_btn')).toEqual(['请发送数字'])
    const stale = await t.click({ operator: 'ou_btn', value })
    expect(stale.body.toast).toEqual({ type: 'warning', content: MESSAGES.stepGone })
    await t.settle()
    expect(textsTo('ou_btn')).toEqual(['请发送数字'])
  })

  it('refuses a button drawn for an earlier conversation at the same step (it must not act on the new draft)', async () => {
    await t.sendMessage({ sender: 'ou_btn2', chatId: 'oc_p_btn2', chatType: 'p2p', text: '登记' })
    await t.settle()
    const earlier = buttonValue(lastCard(t, 'ou_btn2'), 'conversation.answer', { step: 'name' })!
    await t.sendMessage({ sender: 'ou_btn2', chatId: 'oc_p_btn2', chatType: 'p2p', text: '取消' })
    await t.sendMessage({ sender: 'ou_btn2', chatId: 'oc_p_btn2', chatType: 'p2p', text: '登记' })
    await t.settle()
    const current = buttonValue(lastCard(t, 'ou_btn2'), 'conversation.answer', { step: 'name' })!
    expect(current.cid).not.toEqual(earlier.cid)
    const old = await t.click({ operator: 'ou_btn2', value: earlier })
    expect(old.body.toast).toEqual({ type: 'warning', content: MESSAGES.stepGone })
    await t.settle()
    expect(textsTo('ou_btn2').filter((x) => x === '请发送数字')).toEqual([])
    // Positive control: the button of the current card still answers.
    await t.click({ operator: 'ou_btn2', value: current })
    await t.settle()
    expect(textsTo('ou_btn2').filter((x) => x === '请发送数字')).toEqual(['请发送数字'])
  })

  it('取消 ends the conversation at any step', async () => {
    await t.sendMessage({ sender: 'ou_cancel', chatId: 'oc_p_cancel', chatType: 'p2p', text: '登记' })
    await t.sendMessage({ sender: 'ou_cancel', chatId: 'oc_p_cancel', chatType: 'p2p', text: '取消' })
    await t.sendMessage({ sender: 'ou_cancel', chatId: 'oc_p_cancel', chatType: 'p2p', text: '李雷' })
    await t.settle()
    expect(textsTo('ou_cancel')).toEqual([MESSAGES.cancelled('测试登记')])
    expectNotUnderstood(lastReplyIn('oc_p_cancel'))
  })

  it('an abandoned conversation expires and the next message starts fresh with a note', async () => {
    await t.sendMessage({ sender: 'ou_exp', chatId: 'oc_p_exp', chatType: 'p2p', text: '登记' })
    await t.settle()
    await new Promise((r) => setTimeout(r, 2300))
    await t.sendMessage({ sender: 'ou_exp', chatId: 'oc_p_exp', chatType: 'p2p', text: '韩梅梅' })
    await t.settle()
    expect(lastReplyIn('oc_p_exp')?.content.text).toBe(MESSAGES.expired('测试登记'))
    expect(textsTo('ou_exp')).toEqual([])
  })

  it('handles a burst of 40 messages of one user in order, losing none', async () => {
    await t.sendMessage({ sender: 'ou_burst', chatId: 'oc_p_burst', chatType: 'p2p', text: '登记' })
    await t.settle()
    await t.sendMessage({ sender: 'ou_burst', chatId: 'oc_p_burst', chatType: 'p2p', text: '小明' })
    await t.settle()
    // Sent back to back without waiting for handling: each is acknowledged, then handled in arrival order.
    for (let i = 0; i < 40; i++) await t.sendMessage({ sender: 'ou_burst', chatId: 'oc_p_burst', chatType: 'p2p', text: String(i) })
    const state = await t.bot.services.conversations.load('ou_burst')
    await t.settle()
    const after = await t.bot.services.conversations.load('ou_burst')
    expect(after.status === 'active' && after.state.data.seen).toEqual(Array.from({ length: 40 }, (_, i) => String(i)))
    expect(state.status).toBe('active')
    await t.sendMessage({ sender: 'ou_burst', chatId: 'oc_p_burst', chatType: 'p2p', text: 'done' })
    await t.settle()
    expect(textsTo('ou_burst').at(-1)).toBe('完成，共 41 条')
  })

  it('an event the inbox runs again after its turn ended changes nothing: not the next step, not an unknown command', async () => {
    await t.sendMessage({ sender: 'ou_rerun', chatId: 'oc_p_rerun', chatType: 'p2p', text: '登记' })
    await t.settle()
    const update = (eventId: string, text: string): Update => {
      t.fake.inboundChats.set(`om_${eventId}`, 'oc_p_rerun')
      return {
        kind: 'message',
        eventId,
        message: { messageId: `om_${eventId}`, chatId: 'oc_p_rerun', chatType: 'p2p', senderOpenId: 'ou_rerun', messageType: 'text', rawText: text, mentions: [], attachments: [], createTime: Date.now() },
      }
    }
    const name = update('evt_rerun_name', '王五')
    await t.bot.dispatcher.handleUpdate(name)
    // Run again (a lost done-mark): '王五' must not become the answer to the next step.
    await t.bot.dispatcher.handleUpdate(name)
    const state = await t.bot.services.conversations.load('ou_rerun')
    expect(state.status === 'active' && state.state.data).toEqual({ name: '王五', count: 0, viaButton: false })
    const done = update('evt_rerun_done', 'done')
    await t.bot.dispatcher.handleUpdate(done)
    await t.bot.dispatcher.handleUpdate(done)
    expect(textsTo('ou_rerun')).toEqual(['请发送数字', '完成，共 1 条'])
    expect(t.fake.messagesInChat('oc_p_rerun').map((m) => cardText(m.content))).not.toContain(NOT_UNDERSTOOD)
    expect(t.fake.messagesInChat('oc_p_rerun').filter((m) => m.msgType === 'interactive')).toEqual([])
    // What the closed turn keeps: event, conversation and step, nothing of the data.
    const replay = await t.bot.services.conversations.replayOf('ou_rerun', 'evt_rerun_done')
    expect(replay).toEqual({ status: 'done' })
  })

  it('a turn cut short (crash after it moved the conversation on) is replayed from where it started, then closed', async () => {
    const conversations = t.bot.services.conversations
    const before = { v: 1, flow: 'test.register', step: 'name', data: {}, startedAt: 'x', id: 'conv-crash' }
    // What a crash right after the turn's advance leaves: the turn in flight, the conversation at the next step.
    await conversations.recordTurn('ou_crashed', 'evt_crashed', before)
    await conversations.save('ou_crashed', { ...before, step: 'count', data: { name: '李雷', count: 0, viaButton: false } })
    t.fake.inboundChats.set('om_crashed', 'oc_p_crashed')
    const message = { messageId: 'om_crashed', chatId: 'oc_p_crashed', chatType: 'p2p' as const, senderOpenId: 'ou_crashed', messageType: 'text', rawText: '李雷', mentions: [], attachments: [], createTime: Date.now() }
    await t.bot.dispatcher.handleUpdate({ kind: 'message', eventId: 'evt_crashed', message })
    // Replayed as the answer to 'name' (not counted as a number at 'count'), and its prompt sent.
    const now = await conversations.load('ou_crashed')
    expect(now.status === 'active' && now.state.data).toEqual({ name: '李雷', count: 0, viaButton: false })
    expect(textsTo('ou_crashed')).toEqual(['请发送数字'])
    expect(await conversations.replayOf('ou_crashed', 'evt_crashed')).toEqual({ status: 'done' })
    await conversations.end('ou_crashed')
  })

  it('a cut-short turn of a conversation replaced since is not replayed, and its state is dropped', async () => {
    const conversations = t.bot.services.conversations
    const old = { v: 1, flow: 'test.register', step: 'count', data: { name: '旧会话的内容', count: 3 }, startedAt: 'x', id: 'conv-old' }
    // A turn that crashed mid-way, then the person started over.
    await conversations.recordTurn('ou_replaced', 'evt_cut_short', old)
    await conversations.save('ou_replaced', { ...old, step: 'name', data: {}, id: 'conv-new' })
    t.fake.inboundChats.set('om_cut_short', 'oc_p_replaced')
    const message = { messageId: 'om_cut_short', chatId: 'oc_p_replaced', chatType: 'p2p' as const, senderOpenId: 'ou_replaced', messageType: 'text', rawText: '7', mentions: [], attachments: [], createTime: Date.now() }
    await t.bot.dispatcher.handleUpdate({ kind: 'message', eventId: 'evt_cut_short', message })
    expect(t.fake.messagesInChat('oc_p_replaced')).toHaveLength(0)
    expect(textsTo('ou_replaced')).toEqual([])
    const now = await conversations.load('ou_replaced')
    expect(now.status === 'active' && now.state).toMatchObject({ id: 'conv-new', step: 'name', data: {} })
    expect(await conversations.replayOf('ou_replaced', 'evt_cut_short')).toEqual({ status: 'done' })
    await conversations.end('ou_replaced')
  })
})

describe('typed conversations', () => {
  it('a stored state of another version, or at a step the definition does not know, is dropped with the flow’s note', async () => {
    const conversations = t.bot.services.conversations
    for (const [who, state] of [
      ['ou_old_version', { v: 2, flow: 'test.register', step: 'count', data: { name: '李雷', count: 1 }, startedAt: 'x', id: 'conv-v2' }],
      ['ou_old_step', { v: 1, flow: 'test.register', step: 'age', data: { name: '韩梅梅' }, startedAt: 'x', id: 'conv-step' }],
    ] as const) {
      await conversations.save(who, state)
      await t.sendMessage({ sender: who, chatId: `oc_p_${who}`, chatType: 'p2p', text: '5' })
      await t.settle()
      expect(textsTo(who)).toEqual(['测试登记已失效。'])
      expect((await conversations.load(who)).status).toBe('none')
    }
    // The current version at a known step is taken as it is (positive control).
    await conversations.save('ou_this_version', { v: 1, flow: 'test.register', step: 'count', data: { name: '王五', count: 1 }, startedAt: 'x', id: 'conv-v1' })
    await t.sendMessage({ sender: 'ou_this_version', chatId: 'oc_p_ou_this_version', chatType: 'p2p', text: 'done' })
    await t.settle()
    expect(textsTo('ou_this_version')).toEqual(['完成，共 2 条'])
  })

  it('a definition with the same name cannot be registered twice', () => {
    expect(() => t.bot.router.conversation(registration)).toThrow(/registered twice/)
  })
})

describe('guards', () => {
  it('registered guards run in order after the role check, and one can stop the command', async () => {
    guardLog.length = 0
    await t.sendMessage({ sender: 'ou_guard_outsider', chatId: 'oc_p_guard_out', chatType: 'p2p', text: '登记' })
    await t.settle()
    expect(guardLog).toEqual(['logged:ou_guard_outsider', 'members:ou_guard_outsider'])
    expect(lastReplyIn('oc_p_guard_out')?.content.text).toBe('仅限工会会员登记。')
    expect((await t.bot.services.conversations.load('ou_guard_outsider')).status).toBe('none')

    guardLog.length = 0
    await t.sendMessage({ sender: 'ou_guard_member', chatId: 'oc_p_guard_in', chatType: 'p2p', text: '登记' })
    await t.settle()
    expect(guardLog).toEqual(['logged:ou_guard_member', 'members:ou_guard_member'])
    expect((await t.bot.services.conversations.load('ou_guard_member')).status).toBe('active')
    await t.bot.services.conversations.end('ou_guard_member')
  })

  it('guards see only matched commands that passed the role check', async () => {
    guardLog.length = 0
    await t.sendMessage({ sender: 'ou_guard_nobody', chatId: 'oc_p_guard_x', chatType: 'p2p', text: '随便说说' })
    await t.settle()
    expectNotUnderstood(lastReplyIn('oc_p_guard_x'))
    expect(guardLog).toEqual([])
  })

  it('refuses a second guard of the same name', () => {
    expect(() => t.bot.router.guard('test.members', async (_turn, next) => next())).toThrow(/registered twice/)
  })
})

describe('card actions', () => {
  it('refuses an officer action to a worker with an error toast and changes nothing', async () => {
    const res = await t.click({ operator: 'ou_worker', value: { action: 'test.approve', id: 'x1' } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ toast: { type: 'error', content: MESSAGES.actionDenied } })
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', 'x1').execute()
    expect(audit).toHaveLength(0)
  })

  it('runs it for an officer and answers with toast and card', async () => {
    const res = await t.click({ operator: CHAIR.openId, value: { action: 'test.approve', id: 'x2' } })
    expect(res.body.toast).toEqual({ type: 'success', content: '已批准' })
    expect(res.body.card.type).toBe('raw')
    expect(res.body.card.data.header.title.content).toBe('已批准')
    await t.settle()
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', 'x2').execute()
    expect(audit.map((a) => [a.actor_open_id, a.action])).toEqual([[CHAIR.openId, 'test.approve']])
  })

  it('officers kept in the database count too', async () => {
    await t.bot.services.db.insertInto('officers').values({ open_id: 'ou_db_officer', title: '委员' }).execute()
    const res = await t.click({ operator: 'ou_db_officer', value: { action: 'test.approve', id: 'x3' } })
    expect(res.body.toast.type).toBe('success')
  })

  it('a replayed callback (same event_id) takes effect once', async () => {
    const env = t.events.cardAction({ operator: CHAIR.openId, value: { action: 'test.approve', id: 'x4' } })
    const first = await t.post(env, '/feishu/cards')
    const again = await t.post(env, '/feishu/cards')
    expect(first.body.toast.type).toBe('success')
    expect(again.body).toEqual({})
    await t.settle()
    expect(await t.bot.services.db.selectFrom('audit_log').selectAll().where('subject_id', '=', 'x4').execute()).toHaveLength(1)
  })

  it('turns a UserFacingError into an error toast, and unknown actions into a polite one', async () => {
    expect((await t.click({ operator: 'ou_w', value: { action: 'test.refuse' } })).body.toast).toEqual({ type: 'error', content: '该申请已处理' })
    expect((await t.click({ operator: 'ou_w', value: { action: 'nope' } })).body.toast).toEqual({ type: 'error', content: MESSAGES.actionUnknown })
  })
})

describe('other events', () => {
  it('greets a group it is added to with the help card and remembers the chat', async () => {
    await t.post(t.events.botAdded('oc_new_group', CHAIR.openId, '工会委员会'))
    await t.settle()
    const [greeting] = t.fake.messagesInChat('oc_new_group')
    expect(greeting?.via).toBe('create')
    expect(greeting?.msgType).toBe('interactive')
    const row = await t.bot.services.db.selectFrom('bot_chats').selectAll().where('chat_id', '=', 'oc_new_group').executeTakeFirst()
    expect(row?.name).toBe('工会委员会')
  })

  it('treats a bot menu click as the typed command, answered privately', async () => {
    await t.post(t.events.botMenu('ou_menu', 'help'))
    await t.settle()
    expect(t.fake.messagesToUser('ou_menu').map((m) => m.msgType)).toEqual(['interactive'])
  })

  it('review cards go to the configured committee chat and nowhere else', async () => {
    // A bot whose committee chat is not the rig's default: the card must follow the setting, not a constant.
    const committee = 'oc_committee_elsewhere'
    const other = await startTestBot({ db, env: { UNION_ADMIN_CHAT_ID: committee } })
    try {
      const worker = newWorker(other)
      const number = await fileGrievance(other, worker)
      const reviewCards = other.fake.messages.filter((m) => m.msgType === 'interactive' && m.content?.header?.title?.content === `维权诉求 ${number}`)
      expect(reviewCards.map((m) => [m.receiveIdType, m.receiveId])).toEqual([['chat_id', committee]])
      expect(other.fake.messagesInChat(ADMIN_CHAT_ID)).toEqual([])
      // Nothing about the case reached anyone but the worker and the committee chat.
      const elsewhere = other.fake.messages.filter((m) => !inbox(other, worker).includes(m) && m.receiveId !== committee)
      expect(elsewhere).toEqual([])
    } finally {
      await other.stop()
    }
  })
})

describe('when Redis is unavailable', () => {
  it('still accepts events; conversations degrade with a clear message; they work again when Redis returns', async () => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(db.redisUrl).port || 6379))
    await proxy.start()
    const r = await startTestBot({ db: { ...db, redisUrl: `redis://127.0.0.1:${proxy.port}` }, fake: t.fake, botOptions: { register: registerTestFeature } })
    try {
      proxy.cut()
      const accepted = await r.sendMessage({ sender: 'ou_redis', chatId: 'oc_p_redis', chatType: 'p2p', text: '登记' })
      expect(accepted.status).toBe(200)
      await r.sendMessage({ sender: 'ou_redis', chatId: 'oc_p_redis', chatType: 'p2p', text: '帮助' })
      await r.settle()
      const replies = t.fake.messagesInChat('oc_p_redis')
      expect(replies[0]?.content.text).toBe(MESSAGES.stateDown)
      expect(replies[1]?.msgType).toBe('interactive')
      const ready = await fetch(`${r.opsUrl}/readyz`)
      expect(ready.status).toBe(503)
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual({ postgres: true, redis: false })

      proxy.restore()
      for (let i = 0; i < 50 && (await fetch(`${r.opsUrl}/readyz`)).status !== 200; i++) await new Promise((res) => setTimeout(res, 100))
      await r.sendMessage({ sender: 'ou_redis', chatId: 'oc_p_redis', chatType: 'p2p', text: '登记' })
      await r.settle()
      expect(t.fake.messagesToUser('ou_redis').map((m) => m.msgType)).toEqual(['interactive'])
    } finally {
      await r.stop()
      await proxy.stop()
    }
  })
})
