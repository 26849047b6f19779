// 评先评优 through the real webhook: the chair launches a round in a group (form card), members nominate (with a
// co-signer), an officer nominates with a photo, the committee selects on the review card, 公示 goes to the group
// with 提出异议, objections reach the chair alone and must be answered (an upheld one revokes the selection), the
// chair finalises after the period, publicity cards per awardee follow, and 先进 2026 lists them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { buttonValue, buttonsOf, cardText, cardTitle, cardsTo, clickOn, clickValue, EVIL, expectEscaped, inbox, lastCard, lastText, say, sendAttachment, textsIn } from '../helpers/chat.js'
import { importMembers, launchRound } from '../helpers/recognition.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai
const GROUP = 'oc_rec_all_staff'
const GROUP_2 = 'oc_rec_second_workshop'
const A = { openId: 'ou_rec_a', name: '张三', department: '第一车间' }
const B = { openId: 'ou_rec_b', name: '李四', department: '第二车间' }
const C = { openId: 'ou_rec_c', name: '王五', department: '第一车间' }
const D = { openId: 'ou_rec_d', name: '赵六', department: '质检部' }
const OUTSIDER = { openId: 'ou_rec_outsider', name: '钱七' }
const OBJECTOR = { openId: 'ou_rec_objector', name: '孙八' }
const STORY = '十年如一日扎根一线，带头攻克焊接工艺难题，带出徒弟十二名，爱岗敬业、钻研技术。'

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock })
  for (const p of [A, B, C, D, OUTSIDER, OBJECTOR, CHAIR]) t.fake.users.set(p.openId, { name: p.name })
  await importMembers(t, [A, B, C, D])
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

const reviewCard = (number: string) => {
  const m = t.fake.messagesInChat(ADMIN_CHAT_ID).filter((x) => cardTitle(x) === `评选评审 ${number}`).at(-1)
  if (!m) throw new Error('no review card')
  return m
}
/** A minimal PNG (signature, IHDR, tEXt Author, IDAT, IEND; CRCs are not checked by anyone here). */
function pngWithAuthor(author: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
    chunk('tEXt', Buffer.from(`Author\0${author}`, 'utf8')),
    chunk('IDAT', Buffer.from('pixels', 'latin1')),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
const status = async (openId: string) => (await t.bot.services.db.selectFrom('award_nominations').select('status').where('nominee_open_id', '=', openId).executeTakeFirst())?.status

async function nominate(who: { openId: string; name: string }, number: string, nominee: { openId: string; name: string }, opts: { photo?: string; story?: string; noPhotoWord?: string } = {}): Promise<void> {
  await say(t, who, `提名 ${number}`, [nominee])
  await say(t, who, opts.story ?? STORY)
  if (opts.photo) {
    // The fake serves the original as a message resource, as Feishu does: a PNG with a text chunk naming its author.
    const messageId = `om_rec_photo_${opts.photo}`
    t.fake.inboundFiles.set(`${messageId}/${opts.photo}`, pngWithAuthor(who.name))
    const res = await t.sendMessage({ sender: who, chatId: `oc_p2p_${who.openId}`, chatType: 'p2p', messageType: 'image', content: { image_key: opts.photo }, messageId })
    expect(res.status).toBe(200)
    await t.settle()
  } else await say(t, who, opts.noPhotoWord ?? '跳过')
  const confirm = lastCard(t, who)
  expect(cardTitle(confirm)).toBe('确认提名')
  await clickOn(t, who, confirm, { text: '确认提名' })
}

let number: string

describe('an award round from launch to archive', () => {
  it('the chair launches it with a form; a bad value re-shows the form with the reason', async () => {
    await t.sendMessage({ sender: CHAIR, chatId: GROUP, chatType: 'group', text: '评选 发起 2026年度先进工作者', mentionBot: true })
    await t.settle()
    const form = t.fake.messagesInChat(GROUP).filter((m) => cardTitle(m) === '发起评选').at(-1)!
    const refused = await clickOn(t, CHAIR, form, 'award.round.create', { chatId: GROUP, formValue: { round_name: '2026年度先进工作者', round_places: '0', round_nominators: 'members', round_cosigners: '1', round_deadline: '2026-05-01 +0800' } })
    expect(refused.body.toast.type).toBe('error')
    expect(cardText(refused.body.card.data)).toContain('名额应为')
    expect(cardText(refused.body.card.data)).toContain('不能早于今天')
    expect(await t.bot.services.db.selectFrom('award_rounds').selectAll().execute()).toEqual([])
    number = await launchRound(t, GROUP, { deadline: '2026-06-05', places: '2', cosigners: '1' })
    expect(number).toBe('PX-2026-01')
    expect(cardText(reviewCard(number).content)).toContain('尚无提名')
  })

  it('refuses a worker who is not the chair, politely; the chair lists rounds and adds a second 公示 group', async () => {
    await say(t, A, '评选 发起 偷偷评选')
    expect(lastText(t, A)).toContain('只有工会主席')
    await say(t, CHAIR, '评选')
    expect(lastText(t, CHAIR)).toContain(`${number} 2026年度先进工作者：提名中`)
    await say(t, CHAIR, `评选 公示群 ${number}`)
    expect(lastText(t, CHAIR)).toContain('请在要公示的群里')
    await t.sendMessage({ sender: CHAIR, chatId: GROUP_2, chatType: 'group', text: `评选 公示群 ${number}`, mentionBot: true })
    await t.settle()
    expect(textsIn(t, GROUP_2).at(-1)).toContain('共 2 个群')
    await say(t, A, `提名 PX-2026-99`, [B])
    expect(lastText(t, A)).toContain('没有找到评选 PX-2026-99')
  })

  it('a member nominates (story, no photo); the nomination waits for one co-signer', async () => {
    await nominate(A, number, B, { noPhotoWord: '不要了' }) // 「不要」 is a natural no (QA F24)
    expect(await status(B.openId)).toBe('cosigning')
    const cosign = cardsTo(t, A).filter((m) => cardTitle(m).startsWith('提名联名')).at(-1)!
    expect(cardText(cosign.content)).toContain('已联名 0 人，需 1 人')
    // The nominator and the nominee may not co-sign; a non-member is told why.
    expect((await clickOn(t, A, cosign, 'award.cosign')).body.toast.content).toContain('不能联名')
    expect((await clickOn(t, OUTSIDER, cosign, 'award.cosign')).body.toast.content).toBe('仅限工会会员联名。')
    expect(await status(B.openId)).toBe('cosigning')
    const done = await clickOn(t, C, cosign, 'award.cosign')
    expect(done.body.toast.content).toBe('已联名，谢谢！')
    expect(await status(B.openId)).toBe('nominated')
    expect(lastText(t, A)).toContain('联名人数已够')
    expect(cardText(t.fake.currentCard(reviewCard(number).messageId))).toContain('李四')
  })

  it('an officer nominates directly, with a photo; a story with markup is escaped', async () => {
    await nominate(CHAIR, number, D, { photo: 'img_v3_rec_photo', story: `${STORY}${EVIL}` })
    expect(await status(D.openId)).toBe('nominated')
    const row = await t.bot.services.db.selectFrom('award_nominations').selectAll().where('nominee_open_id', '=', D.openId).executeTakeFirstOrThrow()
    // Only the bot's re-upload is kept and shown (src/kit/evidence.ts), without the text chunk naming the author.
    expect(row.photo_key).toMatch(/^img_v3_bot_/)
    const upload = t.fake.images.get(row.photo_key!)!
    expect(upload.data.toString('latin1')).not.toContain('Author')
    expect(upload.data.toString('latin1')).toContain('IDAT')
    expect(JSON.stringify(t.fake.currentCard(reviewCard(number).messageId))).toContain(`"img_key":"${row.photo_key}"`)
    expect(JSON.stringify(t.fake.currentCard(reviewCard(number).messageId))).not.toContain('img_v3_rec_photo')
    expect(row.department).toBe('质检部')
    expectEscaped(t.fake.currentCard(reviewCard(number).messageId))
  })

  it('refuses a non-member, a second nomination of the same person, and nominations after the deadline', async () => {
    await say(t, OUTSIDER, `提名 ${number}`, [C])
    expect(lastText(t, OUTSIDER)).toContain('只能由工会会员')
    await nominate(C, number, B, { noPhotoWord: '不用了' })
    expect(lastText(t, C)).toContain('已被提名过了')
    clock.set(new Date('2026-06-05T17:00:00Z')) // 06-06 01:00 in Shanghai
    await say(t, C, `提名 ${number}`, [A])
    expect(lastText(t, C)).toContain('已截止提名')
  })

  it('the committee closes nominations and selects within the places', async () => {
    const review = reviewCard(number)
    const closed = await clickOn(t, CHAIR, review, 'award.round.close', { chatId: ADMIN_CHAT_ID })
    expect(closed.body.toast.content).toBe('提名已截止，请评审。')
    const card = t.fake.currentCard(review.messageId)
    expect(cardText(card)).toContain('评审中')
    // The card as it was before (an old copy): its 截止提名 no longer acts, and is answered kindly.
    const stale = buttonValue(review.content, 'award.round.close')!
    expect((await clickValue(t, CHAIR, stale, { chatId: ADMIN_CHAT_ID, messageId: review.messageId })).body.toast.content).toBe('提名已截止。')
    const nids = (await t.bot.services.db.selectFrom('award_nominations').select(['id', 'nominee_open_id']).orderBy('id').execute()).map((r) => r.id)
    for (const nid of nids) await clickOn(t, CHAIR, review, 'award.nomination.decide', { chatId: ADMIN_CHAT_ID, match: { nid, pick: 'select' } })
    expect(await status(B.openId)).toBe('selected')
    expect(await status(D.openId)).toBe('selected')
  })

  it('公示 goes to the group with 提出异议; the period is 5 working days', async () => {
    const review = reviewCard(number)
    const res = await clickOn(t, CHAIR, review, 'award.round.publicise', { chatId: ADMIN_CHAT_ID })
    expect(res.body.toast.content).toContain('公示已开始')
    const pub = t.fake.messagesInChat(GROUP).filter((m) => cardTitle(m).startsWith('评选公示')).at(-1)!
    const text = cardText(pub.content)
    expect(t.fake.messagesInChat(GROUP_2).filter((m) => cardTitle(m).startsWith('评选公示'))).toHaveLength(1)
    expect(text).toContain('李四')
    expect(text).toContain('赵六')
    const round = await t.bot.services.db.selectFrom('award_rounds').selectAll().executeTakeFirstOrThrow()
    // Publicised on Saturday 06-06 (local): five working days are 06-08 … 06-12, to the end of Friday.
    expect(round.publicity_until!.toISOString()).toBe('2026-06-12T15:59:59.999Z')
  })

  it('an anonymous objection reaches the chair alone, says 匿名, and holds nothing of the objector', async () => {
    const pub = t.fake.messagesInChat(GROUP).filter((m) => cardTitle(m).startsWith('评选公示')).at(-1)!
    const before = t.fake.messages.length
    await clickOn(t, OBJECTOR, pub, { text: '提出异议' }, { chatId: GROUP })
    expect(lastText(t, OBJECTOR)).toContain('对哪一位')
    await say(t, OBJECTOR, '1')
    await say(t, OBJECTOR, '太短')
    // How many characters were typed, like opinions (QA F16).
    expect(lastText(t, OBJECTOR)).toContain('太短了')
    expect(lastText(t, OBJECTOR)).toContain('现在 2 个字')
    const body = '据我所知此人去年曾有安全生产违章记录，与先进条件不符。'
    await say(t, OBJECTOR, body)
    // 匿名 / 实名 on buttons; the natural 「匿名的」 typed is taken too.
    const anonymity = lastCard(t, OBJECTOR)
    expect(buttonsOf(anonymity.content).map((b) => b.text)).toEqual(['匿名', '实名'])
    await say(t, OBJECTOR, '匿名的')
    // The confirmation repeats the text being submitted, and 确认提交 is a button.
    const confirm = lastCard(t, OBJECTOR)
    expect(cardTitle(confirm)).toBe('确认提出异议')
    expect(cardText(confirm.content)).toContain(body)
    expect(cardText(confirm.content)).toContain('匿名')
    await clickOn(t, OBJECTOR, confirm, { text: '确认提交' })
    expect(lastText(t, OBJECTOR)).toContain('已提交给工会主席')
    const sent = t.fake.messages.slice(before).filter((m) => m.receiveId !== OBJECTOR.openId && m.chatId !== `oc_p2p_${OBJECTOR.openId}`)
    const toChair = sent.filter((m) => cardTitle(m).startsWith('评选异议'))
    expect(toChair).toHaveLength(1)
    expect(toChair[0]!.receiveId).toBe(CHAIR.openId)
    expect(cardText(toChair[0]!.content)).toContain('匿名')
    // Nothing else went anywhere but the review card's patch (no group, no committee message).
    expect(sent.filter((m) => m !== toChair[0])).toEqual([])
    expect(JSON.stringify(t.fake.messages.filter((m) => m.receiveId !== OBJECTOR.openId && m.chatId !== `oc_p2p_${OBJECTOR.openId}`))).not.toContain(OBJECTOR.openId)
    const row = await t.bot.services.db.selectFrom('award_objections').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ anonymous: true, objector_open_id: null, objector_name: null, raised_on: '2026-06-06' })
  })

  it('a named objection shows the name; the chair must answer each before finalising, and only after the period', async () => {
    await say(t, A, '提出异议')
    await say(t, A, '2')
    await say(t, A, '质检部推荐时没有经过部门职工讨论，程序不符合规定。')
    await clickOn(t, A, lastCard(t, A), { text: '实名' })
    expect(cardText(lastCard(t, A).content)).toContain('实名')
    await say(t, A, '确认')
    const named = cardsTo(t, CHAIR).filter((m) => cardTitle(m).startsWith('评选异议')).at(-1)!
    expect(cardText(named.content)).toContain('张三')
    const review = reviewCard(number)
    const early = await clickOn(t, CHAIR, review, 'award.round.finalise', { chatId: ADMIN_CHAT_ID })
    expect(early.body.toast.content).toContain('期满后才能确认')
    clock.set(new Date('2026-06-13T02:00:00Z'))
    const open = await clickOn(t, CHAIR, review, 'award.round.finalise', { chatId: ADMIN_CHAT_ID })
    expect(open.body.toast.content).toContain('还有 2 条异议没有答复')
    // Objections after the period are refused.
    await say(t, OBJECTOR, '提出异议')
    expect(lastText(t, OBJECTOR)).toContain('没有正在公示')
  })

  it('the chair is reminded once, from 09:00 on the next working day, that the 公示 is over with objections open', async () => {
    const reminders = () => inbox(t, CHAIR).filter((m) => m.msgType === 'text' && String(m.content.text).includes('公示期已满'))
    await t.bot.runPeriodic(clock.now()) // Saturday: not a working day
    await t.settle()
    expect(reminders()).toHaveLength(0)
    for (const at of ['2026-06-15T00:30:00Z', '2026-06-15T01:01:00Z', '2026-06-15T01:02:00Z', '2026-06-16T01:01:00Z']) {
      clock.set(new Date(at))
      await t.bot.runPeriodic(clock.now())
      await t.settle()
    }
    expect(reminders().map((m) => m.content.text)).toEqual([`【评先评优】评选 ${number} 的公示期已满，还有 2 条异议待答复。逐条答复后，请在工会委员会群的评审卡片上点「确认评选结果」。`])
  })

  it('answers go to the objector (anonymous included); an upheld objection revokes the selection', async () => {
    const cards = cardsTo(t, CHAIR).filter((m) => cardTitle(m).startsWith('评选异议'))
    const [anon, named] = cards
    const noReason = await clickOn(t, CHAIR, anon!, 'award.objection.answer', { formValue: { objection_answer: 'not_upheld', objection_reason: '' } })
    expect(noReason.body.toast.content).toContain('请填写答复理由')
    await clickOn(t, CHAIR, anon!, 'award.objection.answer', { formValue: { objection_answer: 'not_upheld', objection_reason: '经核实，该违章记录已于前年撤销，不影响评选。' } })
    const toObjector = cardsTo(t, OBJECTOR).at(-1)!
    expect(cardTitle(toObjector)).toBe('您的异议已答复')
    expect(cardText(toObjector.content)).toContain('异议不成立')
    // A worker cannot answer (the chair's role), and nothing changes.
    expect((await clickValue(t, B, buttonValue(t.fake.currentCard(named!.messageId), 'award.objection.answer')!, { formValue: { objection_answer: 'upheld', objection_reason: 'x' } })).body.toast.content).toContain('只有工会主席')
    await clickOn(t, CHAIR, named!, 'award.objection.answer', { formValue: { objection_answer: 'upheld', objection_reason: '推荐程序确有缺失，取消本次拟当选资格。' } })
    expect(await status(D.openId)).toBe('revoked')
    expect(cardText(cardsTo(t, A).at(-1)!.content)).toContain('异议成立')
  })

  it('the chair finalises: one publicity card per awardee in the group, and 先进 2026 lists them', async () => {
    const review = reviewCard(number)
    const value = buttonValue(t.fake.currentCard(review.messageId), 'award.round.finalise')!
    const res = await clickOn(t, CHAIR, review, 'award.round.finalise', { chatId: ADMIN_CHAT_ID })
    expect(res.body.toast.content).toContain('评选结果已确认')
    expect(cardText(t.fake.currentCard(review.messageId))).toContain('已确定')
    const awardees = t.fake.messagesInChat(GROUP).filter((m) => cardTitle(m).startsWith('先进典型 · '))
    expect(awardees.map(cardTitle)).toEqual(['先进典型 · 李四'])
    expect(t.fake.messagesInChat(GROUP_2).filter((m) => cardTitle(m).startsWith('先进典型 · ')).map(cardTitle)).toEqual(['先进典型 · 李四'])
    expect(cardText(awardees[0]!.content)).toContain('第二车间')
    // A second click changes nothing and posts nothing.
    const mark = t.fake.messages.length
    expect((await clickValue(t, CHAIR, value, { chatId: ADMIN_CHAT_ID, messageId: review.messageId })).body.toast.content).toBe('评选结果已确认。')
    expect(t.fake.messages.length).toBe(mark)
    await say(t, B, '先进 2026')
    const archive = lastCard(t, B)
    expect(cardTitle(archive)).toBe('2026 年先进典型')
    expect(cardText(archive.content)).toContain('李四')
    expect(cardText(archive.content)).not.toContain('赵六')
    await say(t, B, '先进 2025')
    expect(cardText(lastCard(t, B).content)).toContain('还没有确定的评选结果')
    expect(inbox(t, B).length).toBeGreaterThan(0)
  })
})
