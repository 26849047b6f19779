// What the duties add to the digests (issues #15, #16, #17): the public 周报 shows mediation applications and
// supervision matters as counts under the small-count rule (a public daily shows neither), the committee's as
// they are; the 月报 card and CSV carry 厂务公开 figures (published, reading confirmed, opinions, replies on time)
// and 困难帮扶 figures (open, paid, amount) — numbers only, never a name, a fact or an opinion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { ADMIN_CHAT_ID, CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICERS_ENV, newWorker } from '../helpers/grievances.js'
import { cardText, cardsOf, clickOn, groupSay, lastCard, say } from '../helpers/chat.js'
import { APPLICATION, applyForMediation, setUpCommittee } from '../helpers/mediation.js'
import { NOTICE_GROUP, enrol, publishNotice } from '../helpers/notices.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-11-10T02:00:00Z') // Tuesday 10 November, 10:00 in Shanghai
const CONTACT = { openId: 'ou_duty_contact', name: '钱联系人' }
const PUBLIC_GROUP = 'oc_duty_public'
const MEMBERS = [
  { openId: 'ou_duty_a', name: '甲会员', department: '生产部' },
  { openId: 'ou_duty_b', name: '乙会员', department: '生产部' },
  { openId: 'ou_duty_c', name: '丙会员', department: '后勤保障部' },
  { openId: 'ou_duty_d', name: '丁会员', department: '后勤保障部' },
]
const HARDSHIP_NAME = '困难职工刘某'
const HARDSHIP_REASON = '家人重病住院花费很大'
const OPINION = '福利费体检部分希望公布明细'
const SUPERVISION_FACTS = '十月工资推迟二十天发放，涉及后勤保障部全体职工。'

const at = (local: string) => clock.set(new Date(`${local}+08:00`))
const lastCardIn = (chatId: string) => cardsOf(t.fake.messagesInChat(chatId)).at(-1)!.content

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: OFFICERS_ENV })
  await setUpCommittee(t)
  t.fake.users.set(CONTACT.openId, { name: CONTACT.name })
  await say(t, CHAIR, '部门 添加 后勤保障部', [CONTACT])
  await enrol(t, MEMBERS)

  // Week of 9–15 November: three mediation applications, one supervision matter.
  for (let i = 0; i < 3; i++) await applyForMediation(t, newWorker(t))
  at('2026-11-11T10:00:00')
  await say(t, CHAIR, '劳动监督')
  const department = String((await t.bot.services.db.selectFrom('proposal_departments').select('id').executeTakeFirstOrThrow()).id)
  await clickOn(t, CHAIR, lastCard(t, CHAIR), 'supervision.open', { formValue: { type: 'wages', department, facts: SUPERVISION_FACTS, opinion: '请按时足额支付工资并书面答复。' } })
  expect(await t.bot.services.db.selectFrom('supervision_matters').select('number').execute()).toHaveLength(1)

  // A notice asking four members to confirm reading; three do.
  at('2026-11-12T10:00:00')
  const notice = await publishNotice(t, { confirm: 'yes' })
  for (const m of MEMBERS.slice(0, 3)) expect((await clickOn(t, m.openId, notice.card!, { text: '已阅' })).body.toast.type).toBe('success')
  // Opinions as the notices feature stores them: one received and answered this month within its deadline, one
  // received in October and answered this month after its deadline.
  const opinion = (seq: number, submittedOn: string, replyDueAt: string) => ({
    notice_id: notice.id,
    seq,
    body: OPINION,
    anonymous: true,
    submitted_on: submittedOn,
    filing_key: `duty-${seq}`,
    committee_due_at: new Date(`${submittedOn}T02:00:00Z`),
    status: 'answered' as const,
    department: '后勤保障部',
    reply_due_at: new Date(replyDueAt),
    reply: '已公布体检明细。',
    replied_by: CONTACT.openId,
    replied_at: new Date('2026-11-13T02:00:00Z'),
    replied_event_id: `ev-duty-${seq}`,
  })
  await t.bot.services.db.insertInto('notice_opinions').values([opinion(1, '2026-11-12', '2026-12-12T15:59:59Z'), opinion(2, '2026-10-01', '2026-10-31T15:59:59Z')]).execute()

  // 困难帮扶 as the hardship feature stores it: one open, one paid in November (500 元), one paid in October.
  const hardship = (n: number, status: string, paid?: { fen: number; on: string }) => ({
    number: `K-2026-00${n}`,
    open_id: `ou_hardship_${n}`,
    name: HARDSHIP_NAME,
    department: '生产部',
    income_fen: 3_000_000,
    rigid_fen: 1_000_000,
    household_size: 3,
    sudden_fen: 0,
    level: 'relative',
    sudden: false,
    reason: HARDSHIP_REASON,
    attachments: '[]',
    name_public: false,
    status,
    ...(paid ? { paid_fen: paid.fen, paid_on: paid.on } : {}),
    filing_key: `duty-hardship-${n}`,
    created_at: new Date('2026-10-01T02:00:00Z'),
    updated_at: new Date('2026-10-01T02:00:00Z'),
  })
  await t.bot.services.db
    .insertInto('hardship_cases')
    .values([hardship(1, 'visited'), hardship(2, 'paid', { fen: 50_000, on: '2026-11-05' }), hardship(3, 'paid', { fen: 80_000, on: '2026-10-20' })])
    .execute()
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('the weekly digest', () => {
  it('shows mediation and supervision publicly as counts, a count below 3 as 「少于 3」', async () => {
    at('2026-11-16T10:00:00')
    await groupSay(t, PUBLIC_GROUP, CHAIR, '周报')
    // The week had no grievance, proposal or activity: the casework alone makes it news (a card, not the note).
    expect(t.fake.messagesInChat(PUBLIC_GROUP).at(-1)!.msgType).toBe('interactive')
    const card = lastCardIn(PUBLIC_GROUP)
    const text = cardText(card)
    expect(text).toContain('2026-11-09')
    expect(text).toContain('**劳动争议调解：**新申请 3 件　**劳动法律监督：**发出意见书 少于 3 件')
    expect(text).not.toMatch(/发出意见书 1 件/)
    const json = JSON.stringify(card)
    for (const s of [APPLICATION.facts, APPLICATION.request, SUPERVISION_FACTS, 'M-2026-', 'S-2026-']) expect(json).not.toContain(s)
  })

  it('gives the committee the exact counts of its own week, and a public daily digest none', async () => {
    at('2026-11-16T11:00:00')
    await applyForMediation(t, newWorker(t))
    at('2026-11-16T11:30:00')
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '周报')
    expect(cardText(lastCardIn(ADMIN_CHAT_ID))).toContain('**劳动争议调解：**新申请 1 件　**劳动法律监督：**发出意见书 0 件')
    await groupSay(t, PUBLIC_GROUP, CHAIR, '日报')
    const daily = t.fake.messagesInChat(PUBLIC_GROUP).at(-1)!
    expect(JSON.stringify(daily.content)).not.toContain('劳动争议调解')
  })
})

describe('月报', () => {
  it('carries 厂务公开 and 困难帮扶 figures on the card and in the CSV, with no name, reason or opinion', async () => {
    at('2026-11-30T10:00:00')
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '月报 本月')
    const card = lastCardIn(ADMIN_CHAT_ID)
    const text = cardText(card)
    expect(text).toContain('**厂务公开**')
    expect(text).toContain('已确认阅读 3/4 人次；答复意见 2 条，其中 1 条在期限内')
    expect(text).toContain('**困难帮扶**：本期发放 1 件，共 500 元；生成时在办 1 件')
    const file = t.fake.messagesToUser(CHAIR.openId).filter((x) => x.msgType === 'file').at(-1)!
    const rows = t.fake.files.get(file.content.file_key)!.data.toString('utf8').split('\r\n')
    for (const r of [
      '厂务公开,发布公开,1',
      '厂务公开,需确认阅读人次,4',
      '厂务公开,已确认阅读人次,3',
      '厂务公开,阅读确认率,75%',
      '厂务公开,收到意见,1',
      '厂务公开,答复意见,2',
      '厂务公开,按期答复,1',
      '困难帮扶,生成时在办,1',
      '困难帮扶,发放帮扶,1',
      '困难帮扶,发放金额（元）,500.00',
    ]) {
      expect(rows).toContain(r)
    }
    const all = JSON.stringify(card) + rows.join('\n')
    for (const s of [HARDSHIP_NAME, HARDSHIP_REASON, OPINION, '已公布体检明细', ...MEMBERS.map((m) => m.name)]) expect(all).not.toContain(s)
  })

  it('counts October apart: the aid paid then, no notice published then', async () => {
    await groupSay(t, ADMIN_CHAT_ID, CHAIR, '月报 2026-10')
    const text = cardText(lastCardIn(ADMIN_CHAT_ID))
    expect(text).toContain('**困难帮扶**：本期发放 1 件，共 800 元')
    expect(text).toContain('已确认阅读 0/0 人次；答复意见 0 条')
  })
})
