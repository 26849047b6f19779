// The congress's meetings: `职代会 开会 <名称>` (chair) opens one for the current term's representatives and posts the
// live meeting card; 签到 on the card (or `职代会 签到 @代表…` by an officer); `职代会 闭会` (chair) closes it, posts
// the minutes (会议纪要) and sends the file; `职代会 纪要` sends them again; once only, on a working day from 09:00,
// the committee and the chair are reminded to report to the upper union within CONGRESS_REPORT_WORKDAYS working days.
import { buildMinutesCard, buildReportReminderCard } from '../../cards/congress/meeting.js'
import { escapeMarkdown } from '../../cards/escape.js'
import { card, md } from '../../cards/kit.js'
import type { BaseContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { toCsv } from '../../src/kit/csv.js'
import { deliver } from '../../src/kit/deliver.js'
import { claimOnce, workdayFrom } from '../../src/kit/periodic.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { transition, type Machine } from '../../src/kit/transition.js'
import { MEETING_CHECK_IN } from '../../src/congress/actions.js'
import { MEETING_TITLE_MAX, MEETING_TRANSITIONS, type Meeting, type MeetingStatus, type MinutesView } from '../../src/congress/model.js'
import {
  CONGRESS_REMINDERS_LEDGER,
  checkIn,
  createMeeting,
  findMeetingByEvent,
  latestMeeting,
  lockMeeting,
  markMeetingClosed,
  markReminderSent,
  remindersDue,
  rollOf,
  termRepresentatives,
  type CheckInOutcome,
} from '../../src/congress/store.js'
import { passNeeded } from '../../src/polls/model.js'
import { pollsOfMeeting } from '../../src/polls/store.js'
import { MEETING_LIVE_CARD, SECTION, meetingViewOf, postMeetingCard, refreshMeetingCards, requireChair, requireOpenMeeting } from './shared.js'

const MEETING_MACHINE: Machine<Meeting, MeetingStatus> = { subject: 'congress_meeting', table: MEETING_TRANSITIONS, status: (m) => m.status, subjectId: (m) => m.number }
const REMINDER_LEASE_MS = 5 * 60_000

const CHECK_IN_TOAST: Record<CheckInOutcome, { type: 'success' | 'info' | 'warning'; content: string }> = {
  done: { type: 'success', content: '签到成功' },
  already: { type: 'info', content: '您已签到' },
  not_on_roll: { type: 'warning', content: '本次会议仅限本届职工代表签到' },
  closed: { type: 'warning', content: '会议已结束' },
}

export function registerCongressMeetings(router: BotRouter): void {
  router.liveCard('congress', MEETING_LIVE_CARD)

  router.command({
    words: ['职代会', 'congress'],
    roles: ['officer'],
    takesText: true,
    help: { section: SECTION, usage: '职代会 开会 会议名称 | 签到 @代表 | 闭会 | 纪要', description: '开职工代表大会：签到、法定人数、表决、会议纪要（开会、闭会由主席操作）' },
    async handle(ctx) {
      const [sub = '', ...rest] = ctx.argsTyped.trim().split(/\s+/)
      const restTyped = rest.join(' ')
      if (sub === '开会') return openMeeting(ctx, restTyped)
      if (sub === '签到') return recordAttendance(ctx)
      if (sub === '闭会') return closeMeeting(ctx)
      if (sub === '纪要') return sendMinutes(ctx, (await latestMeeting(ctx.db)) ?? missing())
      throw new UserFacingError('INVALID_INPUT', '请这样发送：「职代会 开会 第三届第二次职工代表大会」「职代会 签到 @代表」「职代会 闭会」「职代会 纪要」。')
    },
  })

  router.action(MEETING_CHECK_IN, {
    async handle(ctx, { id }): Promise<CardActionResult> {
      const outcome = await checkIn(ctx.db, id, ctx.actorOpenId, undefined)
      if (outcome === 'done') ctx.defer(() => refreshAfterRoll(ctx, id))
      return { toast: CHECK_IN_TOAST[outcome] }
    },
  })

  router.periodic({
    name: 'congress-report-reminders',
    async run(ctx) {
      if (!workdayFrom(ctx.now(), ctx.services.calendar, ctx.config.timezone)) return
      for (const m of await remindersDue(ctx.db)) {
        if (!(await claimOnce(ctx.db, CONGRESS_REMINDERS_LEDGER, { meeting_id: m.id }, { now: ctx.now(), leaseMs: REMINDER_LEASE_MS }))) continue
        const card = buildReportReminderCard(m)
        await deliver(ctx, 'congress:report-reminder', () => ctx.sendToCommittee({ card }, { key: `congress-report:${m.id}:committee` }), { meeting: m.number })
        const chair = (await closedByOf(ctx, m)) ?? m.createdBy
        await deliver(ctx, 'congress:report-reminder', () => ctx.sendToUser(chair, { card }, { key: `congress-report:${m.id}:chair` }), { meeting: m.number })
        await markReminderSent(ctx.db, m.id, ctx.now())
      }
    },
  })
}

function missing(): never {
  throw new UserFacingError('NOT_FOUND', '还没有开过职代会。主席可发送「职代会 开会 会议名称」开会。')
}

async function closedByOf(ctx: BaseContext, m: Meeting): Promise<string | undefined> {
  const r = await ctx.db.selectFrom('congress_meetings').select('closed_by').where('id', '=', m.id).executeTakeFirst()
  return r?.closed_by ?? undefined
}

/** The roll changed: the meeting card and the items waiting for the quorum are patched. */
async function refreshAfterRoll(ctx: BaseContext, meetingId: string): Promise<void> {
  await refreshMeetingCards(ctx, meetingId)
  for (const p of await pollsOfMeeting(ctx.db, meetingId)) if (p.status === 'draft') await ctx.liveCards.refresh('poll', p.id, 'all')
}

async function openMeeting(ctx: MessageContext, titleTyped: string): Promise<void> {
  await requireChair(ctx)
  const title = tidyText(titleTyped)
  if (!title) throw new UserFacingError('INVALID_INPUT', '请写上会议名称，如：职代会 开会 第三届第二次职工代表大会')
  if (charCount(title) > MEETING_TITLE_MAX) throw new UserFacingError('INVALID_INPUT', `会议名称不能超过 ${MEETING_TITLE_MAX} 个字`)
  let meeting = await findMeetingByEvent(ctx.db, ctx.eventId)
  if (!meeting) {
    const open = await ctx.db.selectFrom('congress_meetings').select('number').where('status', '=', 'open').executeTakeFirst()
    if (open) throw new UserFacingError('INVALID_STATE', `${open.number} 还在开会中，请先发送「职代会 闭会」。`)
    const term = ctx.config.congress.term
    const roll = await termRepresentatives(ctx.db, term)
    if (roll.length === 0) throw new UserFacingError('INVALID_STATE', '本届还没有登记职工代表，请先用「代表 添加 @代表」登记。')
    meeting = await ctx.db.transaction().execute(async (trx) => {
      const m = await createMeeting(trx, { title, term, roll, createdBy: ctx.actorOpenId, at: ctx.now(), eventId: ctx.eventId, chatId: ctx.chatId })
      await ctx.audit({ action: 'congress.open', subjectType: 'congress_meeting', subjectId: m.number, detail: { expected: m.expected } }, trx)
      return m
    })
    ctx.log.info({ eventId: ctx.eventId, meeting: meeting.number }, 'congress meeting opened')
  }
  await postMeetingCard(ctx, meeting, ctx.isGroup ? { chatId: ctx.chatId } : { chatId: ctx.chatId, privateFor: ctx.actorOpenId })
  await refreshMeetingCards(ctx, meeting.id)
}

async function recordAttendance(ctx: MessageContext): Promise<void> {
  const m = await requireOpenMeeting(ctx)
  const people = ctx.mentions.filter((p) => p.openId)
  if (people.length === 0) throw new UserFacingError('INVALID_INPUT', '请 @ 要登记签到的代表，如：职代会 签到 @张三 @李四')
  const lines: string[] = []
  for (const p of people) {
    const outcome = await checkIn(ctx.db, m.id, p.openId!, ctx.actorOpenId)
    lines.push(`${p.name || '该同事'}：${outcome === 'done' ? '已登记签到' : outcome === 'already' ? '已签到' : outcome === 'not_on_roll' ? '不是本届职工代表' : '会议已结束'}`)
  }
  await refreshAfterRoll(ctx, m.id)
  // Names come from Feishu's mentions; the answer is a card so they are escaped like any user text.
  await ctx.reply({ card: card({ title: `签到登记 · ${m.number}`, template: 'blue', summary: `签到登记 ${m.number}`, elements: [md(lines.map(escapeMarkdown).join('\n'))] }) })
}

async function closeMeeting(ctx: MessageContext): Promise<void> {
  await requireChair(ctx)
  const m = await requireOpenMeeting(ctx)
  const items = await pollsOfMeeting(ctx.db, m.id)
  const voting = items.find((p) => p.status === 'open')
  if (voting) throw new UserFacingError('INVALID_STATE', `${voting.number} 还在表决中，请先发送「表决 结束 ${voting.number}」。`)
  const due = ctx.services.calendar.nthWorkdayAfter(ctx.now(), ctx.config.congress.reportWorkdays)
  const r = await transition(ctx, MEETING_MACHINE, {
    step: 'close',
    lock: (trx) => lockMeeting(trx, m.id),
    missing: () => new UserFacingError('NOT_FOUND', '没有找到该会议'),
    replayed: async (_trx, row) => row.closedEventId === ctx.eventId,
    from: ['open'],
    already: (row) => row.status === 'closed',
    refusal: (row) => `${row.number} 已经闭会了。`,
    apply: (trx, row, at) => markMeetingClosed(trx, row.id, { by: ctx.actorOpenId, at, eventId: ctx.eventId, reportDueOn: due }),
    audit: { action: 'congress.close', detail: (_b, a) => ({ items: items.length, expected: a.expected }) },
  })
  await refreshMeetingCards(ctx, m.id)
  await sendMinutes(ctx, r.after)
}

async function minutesOf(ctx: BaseContext, m: Meeting): Promise<MinutesView> {
  return { ...(await meetingViewOf(ctx, m)), roll: await rollOf(ctx.db, m.id), timeZone: ctx.config.timezone }
}

/** The minutes card where asked (the meeting's chat at closing) and the file privately to whoever asked. */
async function sendMinutes(ctx: MessageContext, m: Meeting): Promise<void> {
  const view = await minutesOf(ctx, m)
  await ctx.reply({ card: buildMinutesCard(view) }, { key: `minutes:${m.id}` })
  const present = view.roll.filter((r) => r.checkedIn)
  const rows: string[][] = [
    ['会议', m.title],
    ['会议编号', m.number],
    ['届次', m.term ?? ''],
    ['应到', String(m.expected)],
    ['到会', String(present.length)],
    [],
    ['表决事项', '赞成', '反对', '弃权', '通过所需赞成票', '结果'],
    ...view.items.map((it) => {
      const o = it.results?.options ?? []
      return [it.poll.title, String(o[0]?.votes ?? ''), String(o[1]?.votes ?? ''), String(o[2]?.votes ?? ''), String(passNeeded(m.expected, view.passShare)), it.poll.status === 'closed' ? (it.passed ? '通过' : '未通过') : '未表决']
    }),
    [],
    ['代表', '是否到会'],
    ...view.roll.map((r) => [r.name, r.checkedIn ? '到会' : '缺席']),
  ]
  await ctx.sendFileToUser(ctx.actorOpenId, `会议纪要-${m.number}.csv`, toCsv(rows), { key: `minutes-file:${m.id}` })
}
