// 厂务公开 through the real webhook: 发布公开 and its form, the live card in the group or in every member's private
// chat, 已阅 and 公开 阅读, the one reminder after 3 working days (once across two instances), corrections as new
// versions with the change shown, withdrawal, and 公开栏.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'
import { button, buttonsOf, cardsTitled, cardText, cardTitle, clickOn, EVIL, expectEscaped, groupSay, inbox, lastCard, lastText, markdownOf, patchesOf, say, textsOf } from '../helpers/chat.js'
import { enrol, massSendFinished, NOTICE_GROUP, OFFICER, openNoticeForm, publishNotice, submitNoticeForm } from '../helpers/notices.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T01:00:00Z') // Monday 09:00 in Shanghai
const MEMBERS = [
  { openId: 'ou_n_li', name: '李四', department: '一车间' },
  { openId: 'ou_n_wang', name: '王五', department: '一车间' },
  { openId: 'ou_n_zhao', name: '赵六', department: '仓储部' },
]

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  await enrol(t, MEMBERS)
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})
beforeEach(() => {
  clock.set('2026-06-01T01:00:00Z')
  t.fake.reset()
})

const current = (m: { messageId: string }) => t.fake.currentCard(m.messageId)

describe('发布公开', () => {
  it('answers an officer with the form and refuses a worker politely', async () => {
    const form = await openNoticeForm(t)
    const json = JSON.stringify(form.content)
    for (const field of ['"title"', '"body"', '"category"', '"audience"', '"chats"', '"confirm_reading"', '"opinions"', '"opinions_until"']) expect(json).toContain(field)
    for (const c of ['财务', '福利', '规章制度', '人事', '安全生产', '其他']) expect(json).toContain(c)
    t.fake.reset()
    await groupSay(t, NOTICE_GROUP, 'ou_n_li', '发布公开')
    expect(textsOf(t.fake.messages)).toEqual(['抱歉，只有工会干部可以使用此功能。'])
  })

  it('publishes N-001 to the group as a live card: title escaped, the officer’s formatting kept, links and mentions not', async () => {
    const n = await publishNotice(t, { title: `福利 ${EVIL}`.slice(0, 60), body: '**体检** 45 万元\n- 节日慰问\n<at id=all></at> [link](http://evil.example) <font color=red>x</font> # heading' })
    expect(n.number).toMatch(/^N-\d{3}$/)
    expect(n.card, 'card in the group').toBeDefined()
    const c = n.card!.content
    expect(c.config.update_multi).toBe(true)
    expect(cardTitle(n.card)).toBe(`厂务公开 · ${n.number}`)
    expect(markdownOf(c).join('\n')).toContain('**体检** 45 万元\n- 节日慰问')
    const title = markdownOf(c).find((m) => m.includes('福利 &#60;at'))
    expect(title, 'the title, escaped').toBeDefined()
    expectEscaped({ tag: 'markdown', content: title })
    const markdown = markdownOf(c).join('\n')
    for (const marker of ['<at', '](', '<font color=red', 'http://', '# heading']) expect(markdown).not.toContain(marker)
    // Neither confirmation nor opinions asked: no buttons.
    expect(buttonsOf(c)).toEqual([])
    const live = await t.bot.services.db.selectFrom('live_cards').selectAll().where('subject_type', '=', 'notice').where('subject_id', '=', n.id).execute()
    expect(live.map((r) => r.message_id)).toEqual([n.card!.messageId])
    const versions = await t.bot.services.db.selectFrom('notice_revisions').selectAll().where('notice_id', '=', n.id).execute()
    expect(versions.map((v) => v.revision)).toEqual([1])
    // The officer hears where it went.
    expect(lastText(t, OFFICER)).toContain(`公开 ${n.number} 已发送到 1 个群`)
  })

  it('a second submit of the same form publishes nothing more', async () => {
    const form = await openNoticeForm(t)
    const first = await submitNoticeForm(t, form, {})
    expect(first.body.toast.type).toBe('success')
    const before = (await t.bot.services.db.selectFrom('notices').select('id').execute()).length
    const again = await submitNoticeForm(t, form, {})
    expect(again.body.toast.content).toContain('该公开已发布')
    expect((await t.bot.services.db.selectFrom('notices').select('id').execute()).length).toBe(before)
  })

  const refusals: Array<[string, Parameters<typeof submitNoticeForm>[2], string, string?]> = [
    ['no title', { title: '  ' }, '请填写标题'],
    ['title too long', { title: '长'.repeat(61) }, '标题不能超过 60 个字'],
    ['no body', { body: '' }, '请填写正文'],
    ['a wrong chat id', { chats: 'group-1' }, '群ID的格式不对'],
    ['opinions without a closing time', { opinions: 'yes' }, '征求意见时请选择意见截止时间'],
    ['a closing time in the past', { opinions: 'yes', until: '2026-05-30 18:00 +0800' }, '意见截止时间已经过去'],
    ['no chat when asked privately', {}, '请填写要发布到的群ID', `oc_p2p_${OFFICER}`],
  ]
  for (const [name, input, reason, chat] of refusals) {
    it(`refuses ${name} and gives the form back with what was typed`, async () => {
      const form = await openNoticeForm(t, chat ?? NOTICE_GROUP)
      const res = await submitNoticeForm(t, form, { title: '保留的标题', ...input })
      expect(res.body.toast.type).toBe('error')
      expect(res.body.toast.content).toContain(reason)
      const back = JSON.stringify(res.body.card.data)
      expect(back).toContain(reason)
      if (input.title === undefined) expect(back).toContain('保留的标题')
    })
  }

  it('sends a notice for all members to each member privately', async () => {
    const n = await publishNotice(t, { audience: 'members', confirm: 'yes', title: '安全生产月安排', category: '安全生产' })
    await massSendFinished(t, n.id)
    for (const m of MEMBERS) expect(cardsTitled(inbox(t, m.openId), `厂务公开 · ${n.number}`)).toHaveLength(1)
    const live = await t.bot.services.db.selectFrom('live_cards').select(['audience', 'open_id']).where('subject_type', '=', 'notice').where('subject_id', '=', n.id).execute()
    expect(live.map((r) => r.open_id).sort()).toEqual(MEMBERS.map((m) => m.openId).sort())
    expect(live.every((r) => r.audience === 'private')).toBe(true)
  })
})

describe('已阅 and 公开 阅读', () => {
  it('counts a confirmation once, patches the group card, and shows figures by department with the unconfirmed privately', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    const c = n.card!
    expect(buttonsOf(c.content).map((b) => b.text)).toEqual(['已阅'])
    const first = await clickOn(t, 'ou_n_li', c, { text: '已阅' })
    expect(first.body.toast).toEqual({ type: 'success', content: '已确认阅读，谢谢！' })
    const again = await clickOn(t, 'ou_n_li', c, { text: '已阅' })
    expect(again.body.toast.content).toBe('您已确认过阅读')
    await clickOn(t, 'ou_n_zhao', c, { text: '已阅' })
    // Someone not on the roll may confirm too; counted apart.
    await clickOn(t, 'ou_n_visitor', c, { text: '已阅' })
    expect(patchesOf(t, c.messageId).length).toBeGreaterThan(0)
    expect(cardText(current(c))).toContain('已确认 3 人')

    t.fake.reset()
    await groupSay(t, NOTICE_GROUP, OFFICER, `公开 阅读 ${n.number}`)
    const inGroup = cardsTitled(t.fake.messagesInChat(NOTICE_GROUP), `阅读情况 · ${n.number}`)
    expect(inGroup).toHaveLength(1)
    const shown = cardText(inGroup[0]!.content)
    expect(shown).toContain('已确认阅读：2 / 3')
    expect(shown).toContain('一车间：1 / 2')
    expect(shown).toContain('仓储部：1 / 1')
    expect(shown).toContain('另有 1 人确认')
    // No names in the group.
    for (const m of MEMBERS) expect(JSON.stringify(inGroup[0]!.content)).not.toContain(m.name)
    const privately = lastCard(t, OFFICER)
    expect(cardTitle(privately)).toBe(`未确认阅读 · ${n.number}`)
    expect(cardText(privately.content)).toContain('王五（一车间）')
    expect(cardText(privately.content)).not.toContain('李四')
    expect(privately.content.config.enable_forward).toBe(false)
  })

  it('refuses 公开 阅读 to a worker and explains a wrong number', async () => {
    await say(t, 'ou_n_li', '公开 阅读 N-001')
    expect(lastText(t, 'ou_n_li')).toBe('抱歉，只有工会干部可以使用此功能。')
    await say(t, OFFICER, '公开 阅读 N-999')
    expect(lastText(t, OFFICER)).toContain('没有找到公开 N-999')
    await say(t, OFFICER, '公开 阅读')
    expect(lastText(t, OFFICER)).toContain('请写上公开编号')
  })

  it('reminds those who have not confirmed once, after 3 working days, on one of two instances', async () => {
    const n = await publishNotice(t, { confirm: 'yes', title: '规章制度修订' , category: '规章制度' })
    await clickOn(t, 'ou_n_li', n.card!, { text: '已阅' })
    const reminders = (who: string) => cardsTitled(inbox(t, who), `请确认阅读 · ${n.number}`)
    const tickAt = async (iso: string) => {
      clock.set(iso)
      await t.bot.runPeriodic(clock.now())
      await t.settle()
    }
    await tickAt('2026-06-03T03:00:00Z') // Wednesday: 2 working days
    expect(reminders('ou_n_wang')).toHaveLength(0)
    await tickAt('2026-06-04T00:30:00Z') // Thursday 08:30: before the morning
    expect(reminders('ou_n_wang')).toHaveLength(0)
    const second = await startTestBot({ db, fake: t.fake, clock })
    try {
      clock.set('2026-06-04T01:01:00Z') // Thursday 09:01
      await Promise.all([t.bot.runPeriodic(clock.now()), second.bot.runPeriodic(clock.now())])
      await Promise.all([t.settle(), second.settle()])
    } finally {
      await second.stop()
    }
    expect(reminders('ou_n_wang')).toHaveLength(1)
    expect(reminders('ou_n_zhao')).toHaveLength(1)
    expect(reminders('ou_n_li')).toHaveLength(0)
    await tickAt('2026-06-05T02:00:00Z')
    expect(reminders('ou_n_wang')).toHaveLength(1)
  })
})

describe('已阅 on two instances', () => {
  it('counts each person once, whichever instance and however often they click', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    const second = await startTestBot({ db, fake: t.fake, clock, instanceId: 'notices-2' })
    try {
      const value = button(n.card!.content, '已阅').value
      const people = Array.from({ length: 20 }, (_, i) => `ou_n_rush_${i}`)
      const clicks = people.flatMap((p, i) => [t, second, i % 2 ? t : second].map((via) => via.click({ operator: p, value, messageId: n.card!.messageId, chatId: NOTICE_GROUP })))
      const answers = await Promise.all(clicks)
      expect(answers.every((a) => a.status === 200)).toBe(true)
      expect(answers.filter((a) => a.body.toast?.content === '已确认阅读，谢谢！')).toHaveLength(people.length)
      await Promise.all([t.settle(), second.settle()])
    } finally {
      await second.stop()
    }
    const row = await t.bot.services.db.selectFrom('notices').select(['read_count']).where('id', '=', n.id).executeTakeFirstOrThrow()
    const reads = await t.bot.services.db.selectFrom('notice_reads').select('open_id').where('notice_id', '=', n.id).execute()
    expect(row.read_count).toBe(20)
    expect(reads).toHaveLength(20)
    // The card catches up (coalesced patches, or the minute's reconcile).
    await t.bot.runPeriodic(clock.now())
    await t.settle()
    expect(cardText(current(n.card!))).toContain('已确认 20 人')
  })
})

describe('corrections and withdrawal', () => {
  it('a correction is a new version: every card says so and shows what changed', async () => {
    const n = await publishNotice(t, { body: '一、总额 120 万元\n二、体检 45 万元' })
    await say(t, OFFICER, `公开 更正 ${n.number}`)
    const form = lastCard(t, OFFICER)
    expect(cardTitle(form)).toBe(`更正公开 · ${n.number}`)
    const submit = button(form.content, '发布更正')
    const click = (formValue: Record<string, unknown>) => t.click({ operator: OFFICER, value: submit.value, formValue, messageId: form.messageId, chatId: form.chatId! })
    const unchanged = await click({ title: '2026 年职工福利费使用情况', body: '一、总额 120 万元\n二、体检 45 万元', category: '福利', change_note: '无' })
    expect(unchanged.body.toast.content).toContain('内容没有改动')
    const noNote = await click({ title: '2026 年职工福利费使用情况', body: '一、总额 120 万元\n二、体检 48 万元', category: '福利', change_note: '' })
    expect(noNote.body.toast.content).toContain('请写明更正了什么')
    const done = await click({ title: '2026 年职工福利费使用情况', body: '一、总额 120 万元\n二、体检 48 万元', category: '福利', change_note: `体检金额有误 ${EVIL}`.slice(0, 100) })
    expect(done.body.toast).toEqual({ type: 'success', content: `${n.number} 已更正为第 2 版` })
    await t.settle()
    const shown = cardText(current(n.card!))
    expect(shown).toContain('第 2 版：已于')
    expect(shown).toContain('二、体检 45 万元')
    expect(shown).toContain('二、体检 48 万元')
    expectEscaped(current(n.card!))
    // The form of version 1 cannot overwrite version 2.
    const stale = await click({ title: '另一个标题', body: 'x', category: '福利', change_note: '再改' })
    expect(stale.body.toast.content).toContain('已有更新的版本')
    const versions = await t.bot.services.db.selectFrom('notice_revisions').select(['revision', 'body']).where('notice_id', '=', n.id).orderBy('revision').execute()
    expect(versions.map((v) => v.revision)).toEqual([1, 2])
    expect(versions[0]!.body).toContain('45 万元')
  })

  it('the changed lines show the words, not raw markdown (QA F11), and the title keeps its full-width punctuation (QA F12)', async () => {
    const n = await publishNotice(t, { title: '食堂调价，请知悉', body: '调价如下：\n- **荤菜** 每份上调 1 元\n- 素菜不变' })
    await say(t, OFFICER, `公开 更正 ${n.number}`)
    const form = lastCard(t, OFFICER)
    const done = await t.click({ operator: OFFICER, value: button(form.content, '发布更正').value, formValue: { title: '食堂调价，请知悉', body: '调价如下：\n- **荤菜** 每份上调 0.5 元\n- 素菜不变', category: '福利', change_note: '荤菜涨价幅度有误，已更正' }, messageId: form.messageId, chatId: form.chatId! })
    expect(done.body.toast.type).toBe('success')
    await t.settle()
    const md = markdownOf(current(n.card!)).join('\n')
    expect(md).toContain('・荤菜 每份上调 1 元')
    expect(md).toContain('・荤菜 每份上调 0.5 元')
    expect(md).not.toMatch(/[－＋]<\/font> - /)
    expect(md).not.toContain('**荤菜** 每份上调 1 元')
    // The body itself is still laid out with the officer's formatting.
    expect(md).toContain('- **荤菜** 每份上调 0.5 元')
    expect(md).toContain('食堂调价，请知悉')
    const row = await t.bot.services.db.selectFrom('notices').select('title').where('id', '=', n.id).executeTakeFirstOrThrow()
    expect(row.title).toBe('食堂调价，请知悉')
  })

  it('withdrawal asks first, then every card says it was withdrawn and 已阅 is refused', async () => {
    const n = await publishNotice(t, { confirm: 'yes' })
    await groupSay(t, NOTICE_GROUP, OFFICER, `公开 撤回 ${n.number} 数据有误，重新核对后发布`)
    const confirm = cardsTitled(t.fake.messagesInChat(NOTICE_GROUP), `撤回公开 · ${n.number}`).at(-1)!
    expect(cardText(confirm.content)).toContain('数据有误，重新核对后发布')
    const r = await clickOn(t, OFFICER, confirm, { text: '确认撤回' })
    expect(r.body.toast.content).toBe(`已撤回 ${n.number}`)
    const again = await t.click({ operator: OFFICER, value: button(confirm.content, '确认撤回').value, messageId: confirm.messageId, chatId: NOTICE_GROUP })
    expect(again.body.toast.content).toBe('这项公开已撤回')
    const shown = cardText(current(n.card!))
    expect(shown).toContain('本公开已于')
    expect(shown).toContain('撤回')
    expect(shown).toContain('数据有误')
    expect(buttonsOf(current(n.card!))).toEqual([])
    // A click on an old copy of the card.
    const stale = await t.click({ operator: 'ou_n_li', value: button(n.card!.content, '已阅').value, messageId: n.card!.messageId, chatId: NOTICE_GROUP })
    expect(stale.body.toast.content).toBe('这项公开已撤回')
    // Once withdrawn: neither a correction nor a second withdrawal.
    await say(t, OFFICER, `公开 更正 ${n.number}`)
    expect(lastText(t, OFFICER)).toBe(`${n.number} 已撤回，不能更正。`)
    await say(t, OFFICER, `公开 撤回 ${n.number}`)
    expect(lastText(t, OFFICER)).toBe(`${n.number} 已经撤回了。`)
    await say(t, OFFICER, `公开 删除 ${n.number}`)
    expect(lastText(t, OFFICER)).toContain('用法：公开 阅读 N-001')
    const row = await t.bot.services.db.selectFrom('notices').selectAll().where('id', '=', n.id).executeTakeFirstOrThrow()
    expect(row.status).toBe('withdrawn')
    // The text is kept, nothing is deleted.
    expect(row.body).not.toBe('')
  })
})

describe('公开栏', () => {
  it('lists published notices for everyone, by category, and sends one notice by number', async () => {
    const a = await publishNotice(t, { title: '食堂价格调整', category: '福利' })
    const b = await publishNotice(t, { title: '夜班安全规程', category: '安全生产' })
    await say(t, 'ou_n_li', '公开栏')
    const all = cardText(lastCard(t, 'ou_n_li').content)
    expect(all).toContain(a.number)
    expect(all).toContain(b.number)
    await say(t, 'ou_n_li', '公开栏 安全生产')
    const safety = cardText(lastCard(t, 'ou_n_li').content)
    expect(safety).toContain(b.number)
    expect(safety).not.toContain(a.number)
    await say(t, 'ou_n_li', '公开栏 八卦')
    expect(lastText(t, 'ou_n_li')).toContain('没有「八卦」这个类别')
    await say(t, 'ou_n_li', `公开栏 ${a.number.toLowerCase()}`)
    expect(cardTitle(lastCard(t, 'ou_n_li'))).toBe(`厂务公开 · ${a.number}`)
  })
})
