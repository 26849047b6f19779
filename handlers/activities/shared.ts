// What the activity handlers share: finding an activity by its number, its phase at a given time, the answers
// to sign-up / cancel / check-in outcomes, posting sign-up cards, and the coalesced refresh of every posted card.
import { randomInt, randomUUID } from 'node:crypto'
import { buildActivityNoticeCard, buildActivityReplacedCard, buildActivitySignupCard, type ActivityCardPhase, type ActivityView } from '../../cards/activities/activity.js'
import type { Card } from '../../cards/kit.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { UserFacingError, errorCode } from '../../src/errors.js'
import { FeishuApiError } from '../../src/feishu/api-errors.js'
import { markCardGone, markCardRendered, markCardTried, registerCard, staleCards } from '../../src/activities/posted-cards.js'
import { markPromotionNotified, type CancelResult, type SignUpResult } from '../../src/activities/signups.js'
import { findActivity, findActivityBySeqNo, type Activity } from '../../src/activities/store.js'
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
/**
 * At most about one patch per card per second: Feishu allows 5 QPS per message (docs/feishu-platform.md#rate-limits), and a burst of
 * clicks must not turn into a burst of patches that the group sees flicker.
 */
const REFRESH_SLOT_MS = 1000
/** The refresh slot expires on its own if its holder dies mid-way (the periodic reconcile then catches up). */
const REFRESH_SLOT_TTL_MS = 15_000
const REFRESH_SLOT_ROUNDS = 10

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
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    signupDeadline: a.signup_deadline,
    capacity: a.capacity,
    confirmed: a.confirmed_count,
    waitlisted: a.waitlist_count,
    allowCancelAfterDeadline: a.allow_cancel_after_deadline,
    cancelReason: a.cancel_reason,
    checkinCodeRequired: a.checkin_code !== null,
  }
}

/** What the activity's cards should show at `now`. */
export function phaseOf(a: Activity, now: Date): ActivityCardPhase {
  if (a.status === 'cancelled') return 'cancelled'
  if (a.status === 'ended' || now >= a.ends_at) return 'ended'
  if (now.getTime() >= a.starts_at.getTime() - CHECKIN_OPENS_BEFORE_MS) return 'checkin'
  if (now > a.signup_deadline) return 'closed'
  return 'signup'
}

/** `A-012`, `a012`, `A 12`, `12` → 12. */
export function parseActivityNumber(text: string): number | undefined {
  const m = /^a?\s*-?\s*0*(\d{1,7})$/i.exec(text.trim())
  return m ? Number(m[1]) : undefined
}

/** The activity named by the first word of a command's arguments; a polite error (with usage) otherwise. */
export async function activityFromArgs(ctx: BaseContext, args: string, usage: string): Promise<{ activity: Activity; rest: string }> {
  const [first = '', ...rest] = args.trim().split(/\s+/)
  const seqNo = first ? parseActivityNumber(first) : undefined
  if (seqNo === undefined) throw new UserFacingError('INVALID_INPUT', `请写上活动编号，如：${usage}。发送「活动」查看近期活动的编号。`)
  const activity = await findActivityBySeqNo(ctx.db, seqNo)
  if (!activity) throw new UserFacingError('NOT_FOUND', `没有找到活动 A-${String(seqNo).padStart(3, '0')}，请核对编号。发送「活动」查看近期活动。`)
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
  if (a.status === 'ended' || now >= a.ends_at) return { type: 'warning', text: '活动已结束，签到已关闭' }
  const opens = new Date(a.starts_at.getTime() - CHECKIN_OPENS_BEFORE_MS)
  if (now < opens) return { type: 'warning', text: `签到尚未开始，${formatDateTime(opens, timeZone)} 起可以签到` }
  return undefined
}

/**
 * Posts the activity's sign-up card to a chat (shared) or as `privateFor`'s own copy, and registers it, so every
 * later change patches it. The copy it replaces (same chat, or same person) is marked gone and patched once to
 * say so: without that a stale copy would go on showing old places and buttons; one patch per new copy keeps the
 * cost of asking again constant (security review F6). Callers refresh afterwards: a sign-up between rendering and
 * registering would otherwise stay unshown.
 */
export async function postSignupCard(ctx: BaseContext, a: Activity, to: { chatId: string; privateFor?: string } | { openId: string }): Promise<string> {
  const content = { card: buildActivitySignupCard(viewOf(a), phaseOf(a, ctx.now()), ctx.config.timezone) }
  const sent =
    'chatId' in to
      ? await ctx.sendToChat(to.chatId, content, { key: `card:${a.id}:${to.chatId}` })
      : await ctx.sendToUser(to.openId, content, { key: `card:${a.id}:${to.openId}` })
  const replaced = await registerCard(ctx.db, {
    messageId: sent.messageId,
    activityId: a.id,
    chatId: 'chatId' in to ? to.chatId : undefined,
    ownerOpenId: 'chatId' in to ? to.privateFor : to.openId,
    postedAt: ctx.now(),
    renderedVersion: a.version,
  })
  const notice = buildActivityReplacedCard(viewOf(a))
  for (const messageId of replaced) {
    try {
      await ctx.patchCard(messageId, notice)
    } catch (err) {
      // Best effort: the old copy is already out of the registry; at worst it keeps showing what it showed.
      ctx.log.warn({ activityId: a.id, messageId, code: errorCode(err) }, 'replaced activity card not patched')
    }
  }
  return sent.messageId
}

/** Activities whose refresh slot this instance holds right now (per instance: keyed by its services). */
const heldHere = new WeakMap<object, Set<string>>()

/**
 * Brings every posted card of the activity up to date, coalescing bursts across all instances: whoever takes the
 * refresh slot (a key in the state store) patches, then keeps the slot for the rest of the second and looks
 * again; everyone else just leaves their change to the slot holder. After giving the slot back the holder looks
 * once more, so a change whose owner found the slot taken is never left unshown. If the state store is down, the
 * periodic reconcile (activity.cards) patches within a minute.
 */
export async function refreshActivityCards(ctx: BaseContext, activityId: string, scope: 'shared' | 'all' = 'shared'): Promise<void> {
  let held = heldHere.get(ctx.services)
  if (!held) heldHere.set(ctx.services, (held = new Set()))
  // This instance holds the slot: its holder looks again after letting go, which is after this change committed.
  // (Saves a state-store round trip per click during a rush.)
  if (held.has(activityId)) return
  const key = `activity-cards:${activityId}`
  const token = randomUUID()
  try {
    if (!(await ctx.services.state.setIfAbsent(key, token, REFRESH_SLOT_TTL_MS))) return
  } catch (err) {
    ctx.log.warn({ activityId, code: errorCode(err) }, 'activity card refresh skipped: state store unavailable')
    return
  }
  held.add(activityId)
  const failed = new Set<string>()
  try {
    // A bounded number of rounds, well inside the slot's TTL; a longer rush continues through the look-again below.
    for (let round = 0; round < REFRESH_SLOT_ROUNDS; round++) {
      const patchedAt = await patchStaleCards(ctx, activityId, failed, scope)
      if (patchedAt === undefined) break
      // Keep the slot a full second after the patches went out, so the next patch (ours or another instance's)
      // comes a second later at the earliest. Wall-clock spacing of API calls, hence Date.now, not ctx.now().
      await new Promise((r) => setTimeout(r, Math.max(0, REFRESH_SLOT_MS - (Date.now() - patchedAt))))
    }
  } finally {
    await ctx.services.state.deleteIfEquals(key, token).catch(() => false)
    held.delete(activityId)
  }
  const a = await findActivity(ctx.db, activityId)
  if (a && (await staleCards(ctx.db, activityId, a.version, scope)).some((c) => !failed.has(c.messageId))) await refreshActivityCards(ctx, activityId, scope)
}

/** Patches the cards showing an older version; returns when the patches went out, or undefined if none was due. */
async function patchStaleCards(ctx: BaseContext, activityId: string, failed: Set<string>, scope: 'shared' | 'all'): Promise<number | undefined> {
  const a = await findActivity(ctx.db, activityId)
  if (!a) return undefined
  const cards = (await staleCards(ctx.db, activityId, a.version, scope)).filter((c) => !failed.has(c.messageId))
  if (cards.length === 0) return undefined
  const content = buildActivitySignupCard(viewOf(a), phaseOf(a, ctx.now()), ctx.config.timezone)
  const patchedAt = Date.now()
  await Promise.all(
    cards.map(async ({ messageId }) => {
      if (!(await patchOne(ctx, a, messageId, content))) failed.add(messageId)
    }),
  )
  return patchedAt
}

/** Patches one card to the activity's current state and records the outcome; false when the patch failed. */
export async function patchOne(ctx: BaseContext, a: Activity, messageId: string, content: Card): Promise<boolean> {
  try {
    await ctx.patchCard(messageId, content)
    await markCardRendered(ctx.db, messageId, a.version, ctx.now())
    return true
  } catch (err) {
    // Recalled, older than 14 days (230031), bot removed: Feishu will never accept a patch again.
    if (err instanceof FeishuApiError && err.permanent) await markCardGone(ctx.db, messageId, ctx.now())
    else await markCardTried(ctx.db, messageId, ctx.now())
    ctx.log.warn({ activityId: a.id, messageId, code: errorCode(err) }, 'activity card patch failed')
    return false
  }
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
  try {
    await send()
    return true
  } catch (err) {
    if (err instanceof FeishuApiError && err.permanent) {
      ctx.log.warn({ eventId: ctx.eventId, code: err.code }, 'activity notice not delivered')
      return false
    }
    throw err
  }
}
