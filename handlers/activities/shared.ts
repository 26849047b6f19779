// What the activity handlers share: finding an activity by its number, its phase at a given time, the answers
// to sign-up / cancel / check-in outcomes, posting sign-up cards, and how they are kept current (src/kit/live-cards.ts).
import { randomInt } from 'node:crypto'
import { buildActivityNoticeCard, buildActivityReplacedCard, buildActivitySignupCard, type ActivityCardPhase, type ActivityView } from '../../cards/activities/activity.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { markPromotionNotified, type CancelResult, type SignUpResult } from '../../src/activities/signups.js'
import { ACTIVITY_NUMBER, activityNumber, findActivity, findActivityBySeqNo, type Activity } from '../../src/activities/store.js'
import type { LiveCardSpec, RefreshScope } from '../../src/kit/live-cards.js'
import { formatDateTime } from '../../src/time.js'

/** Check-in opens this long before the start (issue #5) and stays open until the end. */
export const CHECKIN_OPENS_BEFORE_MS = 30 * 60_000
/** Wrong check-in codes one person may give per activity before check-in is refused (stops guessing; F14). */
export const CHECKIN_MAX_ATTEMPTS = 5
/** Digits of a check-in code: 1 in a million per guess, 5 guesses per person. */
const CHECKIN_CODE_DIGITS = 6

/** A fresh random check-in code (crypto-grade: it is the only thing that proves someone is at the venue). */
export function newCheckinCode(): string {
  return String(randomInt(0, 10 ** CHECKIN_CODE_DIGITS)).padStart(CHECKIN_CODE_DIGITS, '0')
}

/** A code as typed: full-width digits and spaces are forgiven. */
export function normalizeCheckinCode(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '')
}

/** Reminders go out this long before the start. */
export const REMINDER_BEFORE_MS = 24 * 3600_000
export interface Answer {
  type: 'success' | 'info' | 'warning' | 'error'
  /** Bot words and the activity number only: it may go out as a text message. */
  text: string
}

export function viewOf(a: Activity): ActivityView {
  return {
    id: a.id,
    number: a.number,
    title: a.title,
    description: a.description,
    place: a.place,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    signupDeadline: a.signupDeadline,
    capacity: a.capacity,
    confirmed: a.confirmedCount,
    waitlisted: a.waitlistCount,
    allowCancelAfterDeadline: a.allowCancelAfterDeadline,
    cancelReason: a.cancelReason,
    checkinCodeRequired: a.checkinCode !== null,
  }
}

/** What the activity's cards should show at `now`. */
export function phaseOf(a: Activity, now: Date): ActivityCardPhase {
  if (a.status === 'cancelled') return 'cancelled'
  if (a.status === 'ended' || now >= a.endsAt) return 'ended'
  if (now.getTime() >= a.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS) return 'checkin'
  if (now > a.signupDeadline) return 'closed'
  return 'signup'
}

/** `A-012`, `a012`, `A 12`, `12` → 12. */
export function parseActivityNumber(text: string): number | undefined {
  return ACTIVITY_NUMBER.parseSeq(text)
}

/** The activity named by the first word of a command's arguments; a polite error (with usage) otherwise. */
export async function activityFromArgs(ctx: BaseContext, args: string, usage: string): Promise<{ activity: Activity; rest: string }> {
  const [first = '', ...rest] = args.trim().split(/\s+/)
  const seqNo = first ? parseActivityNumber(first) : undefined
  if (seqNo === undefined) throw new UserFacingError('INVALID_INPUT', `请写上活动编号，如：${usage}。发送「活动」查看近期活动的编号。`)
  const activity = await findActivityBySeqNo(ctx.db, seqNo)
  if (!activity) throw new UserFacingError('NOT_FOUND', `没有找到活动 ${activityNumber(seqNo)}，请核对编号。发送「活动」查看近期活动。`)
  return { activity, rest: rest.join(' ') }
}

/** What a click on an activity button that no longer fits (an outdated card, a forged value) is told. */
export const STALE_BUTTON = '该按钮已失效，请发送「活动」查看最新的活动。'

export function signUpAnswer(r: SignUpResult, number: string): Answer {
  switch (r.outcome) {
    case 'confirmed':
      return { type: 'success', text: '报名成功' }
    case 'waitlisted':
      return { type: 'info', text: `已加入候补（第 ${r.position} 位）` }
    case 'already_confirmed':
      return { type: 'info', text: '您已报名' }
    case 'already_waitlisted':
      return { type: 'info', text: `您已在候补名单中（第 ${r.position} 位）` }
    case 'closed':
      return { type: 'warning', text: '报名已截止' }
    case 'cancelled':
      return { type: 'warning', text: '活动已取消' }
    case 'ended':
      return { type: 'warning', text: '活动已结束' }
    case 'not_found':
      return { type: 'error', text: number ? `没有找到活动 ${number}` : '没有找到该活动' }
  }
}

export function cancelAnswer(r: CancelResult, number: string): Answer {
  switch (r.outcome) {
    case 'cancelled_confirmed':
    case 'cancelled_waitlisted':
      return { type: 'success', text: '已取消报名' }
    case 'not_signed_up':
      return { type: 'info', text: '您没有报名此活动' }
    case 'locked':
      return { type: 'warning', text: '报名已截止，不能取消报名' }
    case 'cancelled':
      return { type: 'warning', text: '活动已取消' }
    case 'ended':
      return { type: 'warning', text: '活动已结束' }
    case 'not_found':
      return { type: 'error', text: number ? `没有找到活动 ${number}` : '没有找到该活动' }
  }
}

/** Did the outcome change what the cards show? */
export function changedPlaces(outcome: SignUpResult['outcome'] | CancelResult['outcome']): boolean {
  return outcome === 'confirmed' || outcome === 'waitlisted' || outcome === 'cancelled_confirmed' || outcome === 'cancelled_waitlisted'
}

export function checkInNotOpen(a: Activity, now: Date, timeZone: string): Answer | undefined {
  if (a.status === 'cancelled') return { type: 'warning', text: '活动已取消' }
  if (a.status === 'ended' || now >= a.endsAt) return { type: 'warning', text: '活动已结束，签到已关闭' }
  const opens = new Date(a.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS)
  if (now < opens) return { type: 'warning', text: `签到尚未开始，${formatDateTime(opens, timeZone)} 起可以签到` }
  return undefined
}

/** Live cards of subject type 'activity': the sign-up card, drawn from the activity as it is now. */
export const ACTIVITY_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'activities', id: 'id', version: 'version' },
  async render(ctx, activityId) {
    const a = await findActivity(ctx.db, activityId)
    return a ? { version: a.version, card: buildActivitySignupCard(viewOf(a), phaseOf(a, ctx.now()), ctx.config.timezone) } : undefined
  },
}

/**
 * Posts the activity's sign-up card to a chat (shared) or as `privateFor`'s own copy, and tracks it as a live
 * card, so every later change patches it; the copy it replaces is patched once to say so. Callers refresh
 * afterwards: a sign-up between rendering and registering would otherwise stay unshown.
 */
export async function postSignupCard(ctx: BaseContext, a: Activity, to: { chatId: string; privateFor?: string } | { openId: string }): Promise<string> {
  const content = { card: buildActivitySignupCard(viewOf(a), phaseOf(a, ctx.now()), ctx.config.timezone) }
  const sent =
    'chatId' in to
      ? await ctx.sendToChat(to.chatId, content, { key: `card:${a.id}:${to.chatId}` })
      : await ctx.sendToUser(to.openId, content, { key: `card:${a.id}:${to.openId}` })
  const owner = 'chatId' in to ? to.privateFor : to.openId
  await ctx.liveCards.track(
    'activity',
    a.id,
    { messageId: sent.messageId, ...('chatId' in to ? { chatId: to.chatId } : {}), ...(owner !== undefined ? { privateFor: owner } : {}), version: a.version },
    buildActivityReplacedCard(viewOf(a)),
  )
  return sent.messageId
}

/** Brings the activity's posted cards up to date (group cards; private copies too with 'all'), coalesced. */
export function refreshActivityCards(ctx: BaseContext, activityId: string, scope: RefreshScope = 'shared'): Promise<void> {
  return ctx.liveCards.refresh('activity', activityId, scope)
}

/** Tells people moved up from the waitlist, privately, and records it (the periodic task retries leftovers). */
export async function notifyPromoted(ctx: BaseContext, activityId: string, openIds: string[]): Promise<void> {
  if (openIds.length === 0) return
  const a = await findActivity(ctx.db, activityId)
  if (!a) return
  const notice = buildActivityNoticeCard('promoted', viewOf(a), ctx.config.timezone)
  for (const openId of openIds) {
    await sendIgnoringGone(ctx, () => ctx.sendToUser(openId, { card: notice }, { key: `promoted:${activityId}:${openId}` }))
    await markPromotionNotified(ctx.db, activityId, openId, ctx.now())
  }
}

/** Sends, treating a recipient Feishu will never reach (left the company, blocked the bot) as done. */
export async function sendIgnoringGone(ctx: BaseContext, send: () => Promise<unknown>): Promise<boolean> {
  return (await deliver(ctx, 'activity:notice', send)).sent
}
