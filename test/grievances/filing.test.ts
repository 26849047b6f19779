// Filing a grievance by conversation (issue #3): private chat and group start, buttons, every invalid answer at
// every step, cancel, expiry, attachments, redoing a step, per-year numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { attachmentSource } from '../../src/grievances/reporters.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, startTestBot, type TestBot } from '../rig/test-bot.js'
import { KEPT_TEXT_MIN_SECONDS } from '../../src/dispatch/dispatcher.js'
import { DESCRIPTION, OFFICERS_ENV, fileGrievance, grievanceNumberIn, newWorker, reviewCard, type Person } from '../helpers/grievances.js'
import { NOT_UNDERSTOOD } from '../../cards/talk.js'
import { buttonValue, cardText, clickOn, committeeMessages, inbox, lastTo, say, sendAttachment, textOf } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-03-02T02:00:00Z') // Monday 10:00 in Shanghai

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const grievanceCount = async () => Number((await t.bot.services.db.selectFrom('grievances').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
const stepOf = async (who: Person) => {
  const loaded = await t.bot.services.conversations.load(who.openId)
  return loaded.status === 'active' ? loaded.state.step : loaded.status
}
const lastCardText = (who: Person) => cardText(lastTo(t, who)!.content)

describe('filing in private chat', () => {
  it('walks through category, description, 实名 and confirm by typing, and files G-2026-0001', async () => {
    const w = newWorker(t, '李四')
    await say(t, w, '投诉')
    let card = lastTo(t, w)!.content
    expect(card.header.title.content).toContain('第 1/4 步')
    expect(cardText(card)).toContain('1. 劳动报酬')
    expect(cardText(card)).toContain('7. 其他')
    await say(t, w, '劳动报酬')
    expect(lastCardText(w)).toContain('请描述您遇到的问题')
    await say(t, w, DESCRIPTION)
    card = lastTo(t, w)!.content
    expect(cardText(card)).toContain('匿名：工会干部在卡片和消息里只看到「匿名职工」')
    expect(cardText(card)).toContain('实名：工会干部会看到您的姓名')
    await say(t, w, '实名')
    const summary = lastCardText(w)
    expect(summary).toContain('请确认您要提交的内容')
    expect(summary).toContain('劳动报酬')
    expect(summary).toContain('**身份：**实名')
    expect(await grievanceCount()).toBe(0)
    await say(t, w, '确认')

    const ack = lastTo(t, w)!
    expect(ack.msgType).toBe('text')
    expect(ack.content.text).toContain('G-2026-0001')
    expect(ack.content.text).toContain('待受理')
    // 3 working days after Monday 2026-03-02: Thursday 03-05; 15: Monday 03-23.
    expect(ack.content.text).toContain('2026-03-05 23:59 前')
    expect(ack.content.text).toContain('2026-03-23 23:59 前')
    expect(ack.content.text).not.toContain('加班费')
    expect(await stepOf(w)).toBe('none')

    const review = reviewCard(t, 'G-2026-0001').card
    const text = cardText(review)
    expect(text).toContain('**反映人：**李四')
    expect(text).toContain('**类别：**劳动报酬')
    expect(text).toContain('**状态：**待受理')
    // Committee cards show the date only (security review F7): no minute to match against a suspect.
    expect(text).toContain('**提交时间：**2026-03-02\n')
    expect(text).not.toMatch(/\d{2}:\d{2}/)
    expect(text).toContain('加班费')
    expect(buttonValue(review, 'grievance.accept')).toMatchObject({ rev: 0 })

    const row = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', 'G-2026-0001').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'pending', anonymous: false, reporter_open_id: w.openId, reporter_name: '李四', category: '劳动报酬', description: DESCRIPTION })
    expect(row.accept_due_at.toISOString()).toBe('2026-03-05T15:59:59.999Z')
    expect(row.review_message_id).toBe(reviewCard(t, 'G-2026-0001').messageId)
    // The filing key is random, not the Feishu event id that inbox_events ties to the reporter's message (F8).
    expect(row.filing_key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const inboxIds = (await t.bot.services.db.selectFrom('inbox_events').select('event_id').execute()).map((r) => r.event_id)
    expect(inboxIds).not.toContain(row.filing_key)
    const history = await t.bot.services.db.selectFrom('grievance_events').select('event_id').where('grievance_id', '=', row.id).execute()
    expect(history.map((h) => h.event_id)).toEqual([null])
  })

  it('files by clicking the buttons of each step card, anonymously', async () => {
    const w = newWorker(t, '王五')
    await say(t, w, '反映问题')
    const click = async (answer: string) => {
      const m = lastTo(t, w)!
      const res = await clickOn(t, w.openId, m.messageId, 'conversation.answer', { match: { answer }, chatId: `oc_p2p_${w.openId}` })
      expect(res.status).toBe(200)
    }
    await click('3')
    expect(lastCardText(w)).toContain('类别：**劳动安全卫生**')
    await say(t, w, '车间的通风设备坏了一个多月，粉尘很大，没有人来修。')
    await click('匿名')
    expect(lastCardText(w)).toContain('**身份：**匿名')
    await click('确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    expect(number).toMatch(/^G-2026-\d{4}$/)
    const text = cardText(reviewCard(t, number).card)
    expect(text).toContain('**反映人：**匿名职工')
    expect(text).not.toContain('王五')
    const row = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ anonymous: true, reporter_open_id: null, reporter_name: null, category: '劳动安全卫生' })
  })

  it('a stale step button (the step has moved on) changes nothing', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    const first = lastTo(t, w)!
    await say(t, w, '2')
    const res = await t.click({ operator: w.openId, value: buttonValue(first.content, 'conversation.answer', { answer: '5' })!, messageId: first.messageId })
    await t.settle()
    expect(res.body.toast.content).toContain('此步骤已结束')
    expect(await stepOf(w)).toBe('description')
    await say(t, w, '取消')
  })

  it('keeps the text typed after 投诉 as the description, shown again before confirming', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉 食堂每天的饭菜分量越来越少，价格却涨了两次。')
    await say(t, w, '4')
    expect(lastCardText(w)).toContain('是否匿名反映')
    await say(t, w, '匿名')
    expect(lastCardText(w)).toContain('食堂每天的饭菜分量越来越少')
    await say(t, w, '确认')
    expect(grievanceNumberIn(lastTo(t, w))).toBeDefined()
  })
})

describe('help', () => {
  it('lists the grievance commands on the help card', async () => {
    const w = newWorker(t)
    await say(t, w, '帮助')
    const text = cardText(lastTo(t, w)!.content)
    expect(text).toContain('**维权诉求**')
    for (const usage of ['**投诉**', '**我的诉求**', '**补充 编号 内容**']) expect(text).toContain(usage)
  })
})

describe('from a group @-mention', () => {
  it('answers nothing in the group (which would show who raised it) and continues privately; nothing of the description reaches the group', async () => {
    const w = newWorker(t, '陈六')
    const group = 'oc_workshop_group'
    const res = await t.sendMessage({ sender: w.openId, chatId: group, chatType: 'group', text: '投诉 组长天天骂人', mentionBot: true })
    expect(res.status).toBe(200)
    await t.settle()
    // Security review F17: before, the group got 「我已私信您…」 in answer to the sender's message.
    expect(t.fake.messagesInChat(group)).toHaveLength(0)
    expect(lastTo(t, w)!.content.header.title.content).toContain('第 1/4 步')

    await say(t, w, '6')
    // The words typed in the group were not taken as the description.
    expect(lastCardText(w)).toContain('请描述您遇到的问题')
    await say(t, w, '班组长经常当众辱骂我们，还威胁扣绩效，已经持续两个月。')
    await say(t, w, '匿名')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    expect(number).toBeDefined()
    expect(t.fake.messagesInChat(group)).toHaveLength(0)
    expect(cardText(reviewCard(t, number).card)).toContain('辱骂')
  })

  it('does not overwrite another unfinished conversation of the person', async () => {
    const w = newWorker(t)
    const other = { v: 1, flow: 'proposal.draft', step: 'title', data: { title: 'x' }, startedAt: clock.now().toISOString() }
    await t.bot.services.conversations.save(w.openId, other)
    await t.sendMessage({ sender: w.openId, chatId: 'oc_third_group', chatType: 'group', text: '投诉', mentionBot: true })
    await t.settle()
    expect(t.fake.messagesInChat('oc_third_group')).toHaveLength(0)
    expect(lastTo(t, w)!.content.text).toContain('您还有一项未完成的办理')
    const loaded = await t.bot.services.conversations.load(w.openId)
    expect(loaded.status === 'active' && loaded.state.flow).toBe('proposal.draft')
    await t.bot.services.conversations.end(w.openId)
  })

  it('says nothing in the group even when it cannot message the person privately, and starts nothing', async () => {
    const w = newWorker(t)
    t.fake.unreachableUsers.add(w.openId)
    await t.sendMessage({ sender: w.openId, chatId: 'oc_other_group', chatType: 'group', text: '投诉', mentionBot: true, mentions: [] })
    await t.settle()
    expect(t.fake.messagesInChat('oc_other_group')).toHaveLength(0)
    expect(await stepOf(w)).toBe('none')
    t.fake.unreachableUsers.delete(w.openId)
  })
})

describe('invalid answers re-ask the same step with a hint', () => {
  it('category: unknown words, out-of-range numbers and attachments', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    for (const bad of ['天气', '0', '8', '12', 'abc', '1 2']) {
      const before = inbox(t, w).length
      await say(t, w, bad)
      expect(inbox(t, w).length).toBe(before + 1)
      const card = lastTo(t, w)!.content
      expect(card.header.title.content).toContain('第 1/4 步')
      expect(cardText(card)).toContain('没有识别出类别')
      expect(await stepOf(w)).toBe('category')
    }
    await sendAttachment(t, w, 'image', 'img_v2_cat')
    expect(lastCardText(w)).toContain('图片和文件请在「描述」这一步发送')
    expect(await stepOf(w)).toBe('category')
    await say(t, w, '7')
    expect(await stepOf(w)).toBe('description')
    await say(t, w, '取消')
  })

  it('description: too short and no words at all; exactly 10 and 2000 characters are accepted', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '1')
    await say(t, w, '一二三四五六七八九')
    expect(lastCardText(w)).toContain('描述太短：至少需要 10 个字（现在 9 个字）')
    expect(await stepOf(w)).toBe('description')
    await t.sendMessage({ sender: w.openId, chatId: `oc_p2p_${w.openId}`, chatType: 'p2p', messageType: 'post', content: { zh_cn: { title: '', content: [[{ tag: 'text', text: '  ' }]] } } })
    await t.settle()
    expect(lastCardText(w)).toContain('请用文字描述您遇到的问题')
    expect(await stepOf(w)).toBe('description')
    await say(t, w, '一二三四五六七八九十')
    expect(await stepOf(w)).toBe('anonymity')
    await say(t, w, '修改')
    expect(lastCardText(w)).toContain('请回复「匿名」或「实名」')
    await say(t, w, '取消')

    const w2 = newWorker(t)
    await say(t, w2, '投诉')
    await say(t, w2, '1')
    await say(t, w2, '长'.repeat(2000))
    expect(await stepOf(w2)).toBe('anonymity')
    await say(t, w2, '取消')
  })

  it('F26: an over-long description keeps its first 2000 characters, says how many were cut, and sends the rest back as a ready 补充', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '1')
    // 2,092 characters, an emoji (one character, two UTF-16 units) at the cut, and a recognisable tail.
    const head = '前'.repeat(1999) + '😀'
    const tail = '尾部内容'.repeat(23)
    await say(t, w, head + tail)
    expect(await stepOf(w)).toBe('anonymity')
    expect(lastCardText(w)).toContain('描述超过 2000 字，已保留前 2000 字；后面的 92 字没有放入描述')
    await say(t, w, '实名')
    expect(await stepOf(w)).toBe('confirm')
    expect(lastCardText(w)).toContain('后面的 92 字没有放入描述')
    await say(t, w, '确认')
    const ack = await t.fake.waitFor(() => inbox(t, w).find((m) => m.msgType === 'text' && textOf(m).startsWith('✅ 已提交')), 20_000)
    const number = grievanceNumberIn(ack)!
    await t.fake.waitFor(() => inbox(t, w).find((m) => m.msgType === 'text' && textOf(m).startsWith(`补充 ${number}`)), 20_000)
    const g = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    expect(g.description).toBe(head)
    const texts = inbox(t, w).filter((m) => m.msgType === 'text').map(textOf)
    expect(texts.some((x) => x.includes('后面的 92 字没有放入'))).toBe(true)
    const ready = texts.at(-1)!
    expect(ready).toBe(`补充 ${number} ${tail}`)
    // Sent back as it came, the rest becomes the case's 补充: nothing the worker typed is lost.
    await say(t, w, ready)
    const followUps = await t.bot.services.db.selectFrom('grievance_events').select('body').where('grievance_id', '=', g.id).where('kind', '=', 'follow_up').execute()
    expect(followUps.map((f) => f.body)).toEqual([tail])
  })

  it('F26: a pasted document comes back in at most five 补充 messages, and the rest is named', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '1')
    await say(t, w, '文'.repeat(2000 + 5 * 2000 + 300))
    expect(lastCardText(w)).toContain('后面的 10300 字没有放入描述')
    await say(t, w, '匿名')
    await say(t, w, '确认')
    const ack = await t.fake.waitFor(() => inbox(t, w).find((m) => m.msgType === 'text' && textOf(m).startsWith('✅ 已提交')), 20_000)
    const number = grievanceNumberIn(ack)!
    const ready = () => inbox(t, w).filter((m) => m.msgType === 'text' && textOf(m).startsWith(`补充 ${number} `))
    await t.fake.waitFor(() => (ready().length === 5 ? true : undefined), 20_000)
    expect(ready().map((m) => textOf(m).length)).toEqual(Array(5).fill(`补充 ${number} `.length + 2000))
    expect(inbox(t, w).map(textOf).find((x) => x.startsWith('您的描述超过'))).toContain('最后还有 300 字太长未能发回')
  })

  it('F26: a description typed with 投诉 over the limit is kept cut, not dropped', async () => {
    const w = newWorker(t)
    await say(t, w, `投诉 ${'长'.repeat(2000)}多出来`)
    await say(t, w, '1')
    expect(await stepOf(w)).toBe('anonymity')
    expect(lastCardText(w)).toContain('后面的 3 字没有放入描述')
    await say(t, w, '取消')
  })

  it('anonymity and confirm: anything else than the offered answers, and attachments', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '2')
    await say(t, w, DESCRIPTION)
    for (const bad of ['随便', '匿名吧', 'yes please']) {
      await say(t, w, bad)
      expect(lastCardText(w)).toContain('请回复「匿名」或「实名」')
      expect(await stepOf(w)).toBe('anonymity')
    }
    await sendAttachment(t, w, 'file', 'file_v2_x', 'a.pdf')
    expect(lastCardText(w)).toContain('图片和文件请在「描述」这一步发送')
    expect(await stepOf(w)).toBe('anonymity')
    await say(t, w, '匿名')
    for (const bad of ['好的', '1', '修改']) {
      await say(t, w, bad)
      expect(lastCardText(w)).toContain('请回复「确认」提交')
      expect(await stepOf(w)).toBe('confirm')
    }
    await sendAttachment(t, w, 'image', 'img_v2_late')
    expect(await stepOf(w)).toBe('confirm')
    const before = await grievanceCount()
    await say(t, w, '取消')
    expect(await grievanceCount()).toBe(before)
  })
})

describe('cancel, redo and expiry', () => {
  it('取消 ends the conversation at every step and saves nothing', async () => {
    const before = await grievanceCount()
    const answers = ['1', DESCRIPTION, '实名']
    for (let stop = 0; stop <= answers.length; stop++) {
      const w = newWorker(t)
      await say(t, w, '投诉')
      for (const a of answers.slice(0, stop)) await say(t, w, a)
      await say(t, w, '取消')
      expect(lastTo(t, w)!.content.text).toBe('已取消「提交诉求」，填写的内容没有保存。')
      expect(await stepOf(w)).toBe('none')
      await say(t, w, '1')
      expect(cardText(lastTo(t, w)!.content)).toContain(NOT_UNDERSTOOD)
    }
    // By the cancel button, too.
    const w = newWorker(t)
    await say(t, w, '投诉')
    await clickOn(t, w.openId, lastTo(t, w)!.messageId, 'conversation.answer', { match: { answer: '取消' } })
    expect(lastTo(t, w)!.content.text).toContain('已取消')
    expect(await grievanceCount()).toBe(before)
  })

  it('redoes a step from the summary and comes back to it', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '1')
    await say(t, w, DESCRIPTION)
    await say(t, w, '匿名')
    await say(t, w, '修改类别')
    expect(await stepOf(w)).toBe('category')
    await say(t, w, '5')
    expect(await stepOf(w)).toBe('confirm')
    expect(lastCardText(w)).toContain('劳动合同与解除')
    await say(t, w, '修改描述')
    expect(lastCardText(w)).toContain('发送新的描述将替换原来的描述')
    await say(t, w, '公司要求我们签新的劳动合同，把工资里的一部分改成绩效。')
    expect(await stepOf(w)).toBe('confirm')
    expect(lastCardText(w)).toContain('改成绩效')
    await say(t, w, '修改匿名')
    await say(t, w, '实名')
    expect(lastCardText(w)).toContain('**身份：**实名')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    const row = await t.bot.services.db.selectFrom('grievances').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ category: '劳动合同与解除', anonymous: false, description: '公司要求我们签新的劳动合同，把工资里的一部分改成绩效。' })
  })

  it('an abandoned conversation expires; what is typed then is kept (继续 / 放弃), and 投诉 starts fresh', async () => {
    const short = await startTestBot({ db, fake: t.fake, clock, env: { ...OFFICERS_ENV, CONVERSATION_TTL_SECONDS: '1' } })
    try {
      const w = newWorker(short)
      await say(short, w, '投诉')
      await say(short, w, '1')
      await new Promise((r) => setTimeout(r, 1300))
      await say(short, w, DESCRIPTION)
      // Never lose what was typed (issue #14): the text is kept, 继续 starts filing again with it as the description.
      const kept = lastTo(short, w)!
      expect(cardText(kept.content)).toContain('您之前的「提交诉求」已超时，刚才的内容已为您保留。')
      // Kept under personKey (no open_id in the row), sealed, no longer than a live draft (at least a minute to click).
      const rows = await short.bot.services.db.selectFrom('conversation_drafts').selectAll().execute()
      expect(rows.map((r) => r.slot)).toEqual(['kept'])
      expect(JSON.stringify(rows)).not.toContain(w.openId)
      expect(JSON.stringify(rows)).not.toContain(DESCRIPTION.slice(0, 6))
      const left = new Date(rows[0]!.purge_after).getTime() - Date.now()
      expect(left).toBeGreaterThan(0)
      expect(left).toBeLessThanOrEqual(KEPT_TEXT_MIN_SECONDS * 1000)
      // 继续 picks up at the very step (the description), with the kept text as its answer (issue #14).
      await clickOn(short, w, kept, { text: '继续' })
      expect(lastTo(short, w)!.content.header.title.content).toContain('第 3/4 步')
      await say(short, w, '1')
      await say(short, w, '匿名')
      expect(cardText(lastTo(short, w)!.content)).toContain(DESCRIPTION.slice(0, 12))
      await say(short, w, '取消')
      // 放弃 erases the kept text: a second 继续 on the same card finds nothing.
      await say(short, w, '投诉')
      await say(short, w, '1')
      await new Promise((r) => setTimeout(r, 1300))
      await say(short, w, DESCRIPTION)
      const again = lastTo(short, w)!
      expect((await clickOn(short, w, again, { text: '放弃' })).body.toast.content).toBe('已放弃保留的内容。')
      expect((await clickOn(short, w, again, { text: '继续' })).body.toast.content).toBe('保留的内容已过期或已处理，请重新开始。')
      await say(short, w, '投诉')
      expect(lastTo(short, w)!.content.header.title.content).toContain('第 1/4 步')
      await say(short, w, '取消')

      // Straight back with 投诉: the note, then a fresh first step (nothing of the old draft carried over).
      const w2 = newWorker(short)
      await say(short, w2, '投诉')
      await say(short, w2, '4')
      await new Promise((r) => setTimeout(r, 1300))
      const before = inbox(short, w2).length
      await say(short, w2, '投诉')
      const [note, first] = inbox(short, w2).slice(before)
      expect(note!.content.text).toContain('因长时间未回复已自动结束')
      expect(first!.content.header.title.content).toContain('第 1/4 步')
      await say(short, w2, '1')
      expect(cardText(lastTo(short, w2)!.content)).toContain('类别：**劳动报酬**')
      await say(short, w2, '取消')
    } finally {
      await short.stop()
    }
  })
})

describe('failures while filing', () => {
  it('a confirmation Feishu failed to deliver is retried without filing twice', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '1')
    await say(t, w, DESCRIPTION)
    await say(t, w, '匿名')
    const before = await grievanceCount()
    // The acknowledgement fails through all of the outbound's attempts; the inbox retries the event 5 s later.
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5 })
    await t.sendMessage({ sender: w.openId, chatId: `oc_p2p_${w.openId}`, chatType: 'p2p', text: '确认' })
    const ack = await t.fake.waitFor(() => inbox(t, w).find((m) => m.msgType === 'text' && m.content.text.startsWith('✅ 已提交')), 20_000)
    await t.settle()
    expect(await grievanceCount()).toBe(before + 1)
    const number = grievanceNumberIn(ack)!
    expect(inbox(t, w).filter((m) => m.msgType === 'text' && m.content.text.startsWith('✅'))).toHaveLength(1)
    expect(committeeMessages(t).filter((m) => m.content?.header?.title?.content === `维权诉求 ${number}`)).toHaveLength(1)
    expect(await stepOf(w)).toBe('none')
  })

  it('pressing 确认 again after a failed answer finds the case already filed', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '2')
    await say(t, w, DESCRIPTION)
    await say(t, w, '实名')
    const before = await grievanceCount()
    const confirmCard = lastTo(t, w)!
    t.fake.failNext({ method: 'POST', path: '/open-apis/im/v1/messages', status: 500, times: 5 })
    const first = await t.click({ operator: w.openId, value: buttonValue(confirmCard.content, 'conversation.answer', { answer: '确认' })!, messageId: confirmCard.messageId })
    await t.settle()
    expect(first.body.toast).toEqual({ type: 'error', content: '操作失败，请稍后重试。' })
    expect(await grievanceCount()).toBe(before + 1)
    expect(await stepOf(w)).toBe('confirm')
    await clickOn(t, w.openId, confirmCard.messageId, 'conversation.answer', { match: { answer: '确认' } })
    expect(await grievanceCount()).toBe(before + 1)
    expect(grievanceNumberIn(lastTo(t, w))).toBeDefined()
    expect(await stepOf(w)).toBe('none')
  })
})

describe('attachments and numbering', () => {
  it('images and files sent during the description step are attached (keys kept, count on the card)', async () => {
    const w = newWorker(t)
    await say(t, w, '投诉')
    await say(t, w, '3')
    const imageMessage = await sendAttachment(t, w, 'image', 'img_v2_evidence1')
    expect(lastCardText(w)).toContain('已收到附件（共 1 个）')
    expect(await stepOf(w)).toBe('description')
    await sendAttachment(t, w, 'file', 'file_v2_payroll', '工资条.xlsx')
    await say(t, w, DESCRIPTION)
    await say(t, w, '实名')
    expect(lastCardText(w)).toContain('图片 1 个、文件 1 个')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    const row = await t.bot.services.db.selectFrom('grievances').select('attachments').where('number', '=', number).executeTakeFirstOrThrow()
    // The case keeps kind, key and (a named case) the name; the carrying messages are sealed apart (F8).
    expect(row.attachments).toEqual([
      { kind: 'image', key: 'img_v2_evidence1' },
      { kind: 'file', key: 'file_v2_payroll', name: '工资条.xlsx' },
    ])
    const g = await t.bot.services.db.selectFrom('grievances').select('id').where('number', '=', number).executeTakeFirstOrThrow()
    expect(await attachmentSource(t.bot.services.db, g.id, 'img_v2_evidence1')).toBe(imageMessage)
    expect(await attachmentSource(t.bot.services.db, g.id, 'file_v2_payroll')).toMatch(/^om_/)
    expect(cardText(reviewCard(t, number).card)).toContain('图片 1 个、文件 1 个（工资条.xlsx）')
  })

  it('numbers count per year in the configured zone', async () => {
    clock.set('2026-12-31T15:58:00Z') // 23:58 on 31 December in Shanghai
    const a = await fileGrievance(t, newWorker(t))
    expect(a).toMatch(/^G-2026-/)
    clock.set('2026-12-31T16:01:00Z') // 00:01 on 1 January 2027 in Shanghai (still 2026 in UTC)
    const b = await fileGrievance(t, newWorker(t))
    expect(b).toBe('G-2027-0001')
    const c = await fileGrievance(t, newWorker(t))
    expect(c).toBe('G-2027-0002')
    clock.set('2026-03-02T02:00:00Z')
  })

  it('posts every review card to the committee group only', async () => {
    const cards = committeeMessages(t).filter((m) => m.msgType === 'interactive')
    expect(cards.length).toBeGreaterThan(0)
    for (const m of cards) expect(m.chatId).toBe(ADMIN_CHAT_ID)
    expect(textOf(cards[0]!)).toContain('维权诉求')
  })
})

// Security review F3: the file names of an anonymous filing (pay slips named after the worker) reached officers.
describe('attachment names of anonymous filings', () => {
  async function anonymousDraftWithFile(w: { openId: string; name: string }): Promise<void> {
    await say(t, w, '投诉')
    await say(t, w, '1')
    await sendAttachment(t, w, 'image', 'img_v3_scan')
    await sendAttachment(t, w, 'file', 'file_v3_secret', '欧阳秘密-工资条.pdf')
    await say(t, w, DESCRIPTION)
    await say(t, w, '匿名')
  }

  it('shows officers counts only, and keeps no file name on the case', async () => {
    const w = newWorker(t, '欧阳秘密')
    await anonymousDraftWithFile(w)
    const confirm = lastCardText(w)
    expect(confirm).toContain('图片 1 个、文件 1 个')
    expect(confirm).not.toContain('欧阳秘密')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    const review = JSON.stringify(reviewCard(t, number).card)
    expect(review).toContain('图片 1 个、文件 1 个')
    expect(review).not.toContain('欧阳秘密')
    expect(review).not.toContain('工资条')
    const row = await t.bot.services.db.selectFrom('grievances').select('attachments').where('number', '=', number).executeTakeFirstOrThrow()
    expect(row.attachments).toEqual([{ kind: 'image', key: 'img_v3_scan' }, { kind: 'file', key: 'file_v3_secret' }])
  })

  it('shows the names with the warning when the worker chooses 显示文件名, and only then', async () => {
    const w = newWorker(t)
    await anonymousDraftWithFile(w)
    await say(t, w, '显示文件名')
    const confirm = lastCardText(w)
    expect(confirm).toContain('欧阳秘密&#45;工资条.pdf')
    expect(confirm).toContain('文件名会显示给工会干部，文件名中常含姓名或工号')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    expect(cardText(reviewCard(t, number).card)).toContain('文件 1 个（欧阳秘密&#45;工资条.pdf）')
  })

  it('删除附件 at the confirm step removes the attachments before anything is filed', async () => {
    const w = newWorker(t)
    await anonymousDraftWithFile(w)
    await say(t, w, '删除附件')
    expect(lastCardText(w)).toContain('**附件：**无')
    await say(t, w, '确认')
    const number = grievanceNumberIn(lastTo(t, w))!
    const row = await t.bot.services.db.selectFrom('grievances').select(['id', 'attachments']).where('number', '=', number).executeTakeFirstOrThrow()
    expect(row.attachments).toEqual([])
    expect(await t.bot.services.db.selectFrom('grievance_attachment_sources').selectAll().where('grievance_id', '=', row.id).execute()).toEqual([])
    expect(cardText(reviewCard(t, number).card)).toContain('**附件：**无')
  })
})
