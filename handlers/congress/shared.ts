// What the congress handlers share: the open meeting, the meeting card's view (到会/应到, items and their
// figures), posting and refreshing the live meeting card, and who chairs.
import { buildMeetingCard, buildMeetingReplacedCard } from '../../cards/congress/meeting.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import type { LiveCardSpec } from '../../src/kit/live-cards.js'
import type { ItemView, Meeting, MeetingView } from '../../src/congress/model.js'
import { findMeeting, findOpenMeeting, presentCount } from '../../src/congress/store.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { passes } from '../../src/polls/model.js'
import { pollsOfMeeting } from '../../src/polls/store.js'
import { resultsOf } from '../polls/shared.js'

export const SECTION = '职代会'

export async function requireChair(ctx: BaseContext): Promise<void> {
  if (!(await ctx.hasRole(ROLE_UNION_CHAIR))) throw new UserFacingError('FORBIDDEN_ROLE', '这一步由工会主席（会议主持人）操作。')
}

export async function requireOpenMeeting(ctx: BaseContext): Promise<Meeting> {
  const m = await findOpenMeeting(ctx.db)
  if (!m) throw new UserFacingError('INVALID_STATE', '现在没有正在进行的职代会。主席可发送「职代会 开会 会议名称」开会。')
  return m
}

export async function meetingViewOf(ctx: BaseContext, meeting: Meeting): Promise<MeetingView> {
  const share = ctx.config.congress.passShare
  const items: ItemView[] = []
  for (const poll of await pollsOfMeeting(ctx.db, meeting.id)) {
    if (poll.status !== 'closed') {
      items.push({ poll })
      continue
    }
    const results = await resultsOf(ctx.db, ctx.config, poll)
    items.push({ poll, results, passed: passes(results.options[0]?.votes ?? 0, meeting.expected, share) })
  }
  return { meeting, present: await presentCount(ctx.db, meeting.id), quorum: ctx.config.congress.quorum, passShare: share, items }
}

export const MEETING_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'congress_meetings', id: 'id', version: 'version' },
  async render(ctx, meetingId) {
    const m = await findMeeting(ctx.db, meetingId)
    return m ? { version: m.version, card: buildMeetingCard(await meetingViewOf(ctx, m), ctx.config.timezone) } : undefined
  },
}

export async function postMeetingCard(ctx: BaseContext, m: Meeting, to: { chatId: string; privateFor?: string }): Promise<void> {
  const card = buildMeetingCard(await meetingViewOf(ctx, m), ctx.config.timezone)
  const sent = await ctx.sendToChat(to.chatId, { card }, { key: `meeting-card:${m.id}:${to.chatId}` })
  await ctx.liveCards.track('congress', m.id, { messageId: sent.messageId, chatId: to.chatId, ...(to.privateFor ? { privateFor: to.privateFor } : {}), version: m.version }, buildMeetingReplacedCard(m))
}

export function refreshMeetingCards(ctx: BaseContext, meetingId: string): Promise<void> {
  return ctx.liveCards.refresh('congress', meetingId, 'all')
}
