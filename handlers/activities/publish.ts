// Officers publish activities: `发起活动` opens the form, its submit creates A-012 and posts the sign-up card,
// `发布活动 A-012 <chat>…` posts it to more groups, `取消活动 A-012` cancels it (after a confirmation) and tells
// everyone signed up.
import { buildActivityCancelConfirmCard, buildActivityCreatedCard, buildActivityFormCard } from '../../cards/activities/forms.js'
import { buildActivityCheckinCodeCard, buildActivityNoticeCard } from '../../cards/activities/activity.js'
import { truncate } from '../../cards/escape.js'
import type { BaseContext, CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { isUniqueViolation } from '../../src/db/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { CANCEL, CREATE } from '../../src/activities/actions.js'
import type { PayloadOf } from '../../src/kit/actions.js'
import { TransitionRefusedError, transition, type TransitionResult } from '../../src/kit/transition.js'
import { activeSignups } from '../../src/activities/signups.js'
import { ACTIVITY_MACHINE, createActivity, findActivityBySourceMessage, lockActivity, markActivityCancelled, type Activity } from '../../src/activities/store.js'
import { checkActivityForm } from './form.js'
import { CHECKIN_MAX_ATTEMPTS, activityFromArgs, newCheckinCode, postSignupCard, refreshActivityCards, sendIgnoringGone, viewOf } from './shared.js'

const SECTION = '活动报名'
/** Feishu chat ids look like oc_ followed by hex; anything else is refused before it reaches a message. */
const CHAT_ID = /^oc_[0-9A-Za-z_-]{4,80}$/

export function registerActivityPublish(router: BotRouter): void {
  router.command({
    words: ['发起活动', 'new activity'],
    roles: ['officer'],
    help: { section: SECTION, usage: '发起活动', description: '填写表单发布一项活动（名称、时间、地点、人数上限、报名截止）' },
    async handle(ctx) {
      await ctx.reply({ card: buildActivityFormCard({ chatId: ctx.chatId, ...(ctx.isGroup ? { group: true } : {}) }) })
    },
  })

  router.action(CREATE, {
    roles: ['officer'],
    handle: (ctx, { chat, group }) => createFromForm(ctx, chat, group === '1'),
  })

  router.command({
    words: ['发布活动', 'publish activity'],
    roles: ['officer'],
    help: { section: SECTION, usage: '发布活动 A-012 [群ID…]', description: '把报名卡片发到其他群（也可在那个群里 @我 发送）' },
    async handle(ctx) {
      const { activity, rest } = await activityFromArgs(ctx, ctx.argsText, '发布活动 A-012 oc_xxx')
      if (activity.status === 'cancelled') throw new UserFacingError('INVALID_STATE', `${activity.number} 已取消，不能再发布。`)
      if (activity.status === 'ended' || ctx.now() >= activity.endsAt) throw new UserFacingError('INVALID_STATE', `${activity.number} 已结束，不能再发布。`)
      const listed = rest.split(/\s+/).filter(Boolean)
      const bad = listed.filter((c) => !CHAT_ID.test(c))
      if (bad.length) throw new UserFacingError('INVALID_INPUT', '群ID的格式不对（应以 oc_ 开头），请核对后重试。')
      const targets = [...new Set(listed.length ? listed : ctx.chatId ? [ctx.chatId] : [])]
      if (targets.length === 0) throw new UserFacingError('INVALID_INPUT', `请写上群ID，如：发布活动 ${activity.number} oc_xxx；或在那个群里 @我 发送「发布活动 ${activity.number}」。`)
      const failed: string[] = []
      for (const chatId of targets) {
        // The bot is not in that group (230002) or may not post there: say so, post to the others.
        const posted = await deliver(ctx, 'activity:signup-card', () => postSignupCard(ctx, activity, { chatId }), { chatId })
        if (!posted.sent) failed.push(chatId)
      }
      await refreshActivityCards(ctx, activity.id)
      const posted = targets.length - failed.length
      if (failed.length) {
        await ctx.reply({ text: `${activity.number} 的报名卡片已发到 ${posted} 个群；以下群发送失败（请先把我拉进群）：${failed.join('、')}` })
      } else if (listed.length) {
        await ctx.reply({ text: `${activity.number} 的报名卡片已发到 ${posted} 个群。` })
      }
    },
  })

  router.command({
    words: ['签到码', 'checkin code'],
    roles: ['officer'],
    help: { section: SECTION, usage: '签到码 A-012', description: '私信获取活动的签到码（在现场出示或张贴）' },
    async handle(ctx) {
      const { activity } = await activityFromArgs(ctx, ctx.argsText, '签到码 A-012')
      if (!activity.checkinCode) throw new UserFacingError('INVALID_STATE', `${activity.number} 签到不需要签到码。`)
      await sendCheckinCode(ctx, activity)
      if (ctx.isGroup) await ctx.reply({ text: `${activity.number} 的签到码已私信发给您。` })
    },
  })

  router.command({
    words: ['取消活动', 'cancel activity'],
    roles: ['officer'],
    help: { section: SECTION, usage: '取消活动 A-012 [原因]', description: '取消活动并私信通知所有报名和候补的人' },
    async handle(ctx) {
      const { activity, rest } = await activityFromArgs(ctx, ctx.argsText, '取消活动 A-012')
      if (activity.status === 'cancelled') throw new UserFacingError('INVALID_STATE', `${activity.number} 已经取消了。`)
      if (activity.status === 'ended' || ctx.now() >= activity.endsAt) throw new UserFacingError('INVALID_STATE', `${activity.number} 已结束，不能取消。`)
      await ctx.reply({ card: buildActivityCancelConfirmCard(viewOf(activity), truncate(rest, 200), ctx.config.timezone) })
    },
  })

  router.action(CANCEL, {
    roles: ['officer'],
    handle: (ctx, payload) => cancelActivity(ctx, payload),
  })
}

async function createFromForm(ctx: CardActionContext, chat: string | undefined, inGroup: boolean): Promise<CardActionResult> {
  const tz = ctx.config.timezone
  const chatId = chat || ctx.action.chatId || ''
  const formMessageId = ctx.action.messageId
  if (formMessageId) {
    const existing = await findActivityBySourceMessage(ctx.db, formMessageId)
    if (existing) return alreadyCreated(ctx, existing, chatId, inGroup)
  }
  const check = checkActivityForm(ctx.action.formValue, ctx.now(), tz)
  if (!check.ok) {
    return { toast: { type: 'error', content: check.errors[0]! }, card: buildActivityFormCard({ chatId, ...(inGroup ? { group: true } : {}), values: check.values, errors: check.errors }) }
  }
  let activity: Activity
  try {
    activity = await ctx.db.transaction().execute(async (trx) => {
      const a = await createActivity(trx, {
        ...check.value,
        checkinCode: check.value.checkinCode ? newCheckinCode() : undefined,
        createdBy: ctx.actorOpenId,
        createdAt: ctx.now(),
        eventId: ctx.eventId,
        sourceMessageId: formMessageId,
        originChatId: chatId || undefined,
      })
      await ctx.audit({ action: 'activity.create', subjectType: 'activity', subjectId: a.number, detail: { capacity: a.capacity } }, trx)
      return a
    })
  } catch (err) {
    // Two submits of one form at the same moment: the second finds the first's activity.
    const existing = isUniqueViolation(err) && formMessageId ? await findActivityBySourceMessage(ctx.db, formMessageId) : undefined
    if (existing) return alreadyCreated(ctx, existing, chatId, inGroup)
    throw err
  }
  ctx.log.info({ eventId: ctx.eventId, activity: activity.number }, 'activity created')
  if (activity.checkinCode) ctx.defer(() => sendCheckinCode(ctx, activity))
  if (inGroup) ctx.defer(() => sendCreatedCard(ctx, activity))
  if (chatId) ctx.defer(() => publishToOrigin(ctx, activity, chatId))
  return { toast: { type: 'success', content: `活动 ${activity.number} 已发布` }, card: buildActivityCreatedCard(viewOf(activity), tz, { forGroup: inGroup }) }
}

function alreadyCreated(ctx: CardActionContext, a: Activity, chatId: string, inGroup: boolean): CardActionResult {
  // The same event again (recovery after a crash): finish what it started. Another click: nothing more to do.
  if (a.createdEventId === ctx.eventId && a.checkinCode) ctx.defer(() => sendCheckinCode(ctx, a))
  if (a.createdEventId === ctx.eventId && inGroup) ctx.defer(() => sendCreatedCard(ctx, a))
  if (a.createdEventId === ctx.eventId && chatId) ctx.defer(() => publishToOrigin(ctx, a, chatId))
  return { toast: { type: 'info', content: `该活动已发布（${a.number}）` }, card: buildActivityCreatedCard(viewOf(a), ctx.config.timezone, { forGroup: inGroup }) }
}

/** The officer's own 活动已发布 card, privately, when the form was in a group (#14): the instructions are theirs. */
async function sendCreatedCard(ctx: BaseContext, a: Activity): Promise<void> {
  const content = { card: buildActivityCreatedCard(viewOf(a), ctx.config.timezone) }
  await sendIgnoringGone(ctx, () => ctx.sendToUser(ctx.actorOpenId, content, { key: 'created-card' }))
}

/** The check-in code goes to the officer privately, never to the chat where the form was (it may be a group). */
async function sendCheckinCode(ctx: BaseContext, a: Activity): Promise<void> {
  if (!a.checkinCode) return
  const content = { card: buildActivityCheckinCodeCard(viewOf(a), a.checkinCode, CHECKIN_MAX_ATTEMPTS, ctx.config.timezone) }
  await sendIgnoringGone(ctx, () => ctx.sendToUser(ctx.actorOpenId, content, { key: 'checkin-code' }))
}

async function publishToOrigin(ctx: BaseContext, a: Activity, chatId: string): Promise<void> {
  const posted = await deliver(ctx, 'activity:signup-card', () => postSignupCard(ctx, a, { chatId }), { chatId })
  if (!posted.sent) {
    // Removed from the group meanwhile, or the group forbids bots: tell the officer instead of failing silently.
    await sendIgnoringGone(ctx, () =>
      ctx.sendToUser(ctx.actorOpenId, { text: `${a.number} 已创建，但报名卡片没能发到群里（机器人可能不在群内）。请把我拉进群后发送「发布活动 ${a.number} 群ID」。` }, { key: 'post-failed' }),
    )
    return
  }
  await refreshActivityCards(ctx, a.id)
}

async function cancelActivity(ctx: CardActionContext, { id, reason: encoded }: PayloadOf<typeof CANCEL>): Promise<CardActionResult> {
  const reason = truncate(decodeReason(encoded ?? ''), 200)
  const tz = ctx.config.timezone
  const now = ctx.now()
  let r: TransitionResult<Activity>
  try {
    r = await transition(ctx, ACTIVITY_MACHINE, {
      step: 'cancel',
      lock: (trx) => lockActivity(trx, id),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到该活动'),
      // The activity records the event that cancelled it.
      replayed: async (_trx, a) => a.cancelledEventId === ctx.eventId,
      from: ['open'],
      // Past its end it is over, even before the sweep has marked it ended.
      current: (a) => now < a.endsAt,
      already: (a) => a.status === 'cancelled',
      refusal: () => '活动已结束，不能取消',
      apply: async (trx, a, at) => {
        await markActivityCancelled(trx, a.id, { openId: ctx.actorOpenId, at, reason, eventId: ctx.eventId })
        return (await lockActivity(trx, a.id))!
      },
      audit: { action: 'activity.cancel', detail: (a) => ({ confirmed: a.confirmedCount, waitlisted: a.waitlistCount }) },
    })
  } catch (err) {
    if (err instanceof TransitionRefusedError) return { toast: { type: 'warning', content: err.userMessage } }
    throw err
  }
  const a = r.after
  const doneCard = buildActivityCancelConfirmCard(viewOf(a), a.cancelReason ?? '', tz, { at: a.cancelledAt ?? now })
  if (r.outcome !== 'done') {
    // A retried event redoes its notices (their send keys make Feishu drop the ones already delivered).
    if (r.outcome === 'replay') ctx.defer(() => notifyCancellation(ctx, a))
    return { toast: { type: 'info', content: '该活动已取消' }, card: doneCard }
  }
  ctx.log.info({ eventId: ctx.eventId, activity: a.number }, 'activity cancelled')
  ctx.defer(() => notifyCancellation(ctx, a))
  return { toast: { type: 'success', content: `已取消活动 ${a.number}` }, card: doneCard }
}

/** Tells everyone holding a place or waiting, privately, and shows 已取消 on every card. */
async function notifyCancellation(ctx: BaseContext, a: Activity): Promise<void> {
  await refreshActivityCards(ctx, a.id, 'all')
  const notice = buildActivityNoticeCard('cancelled', viewOf(a), ctx.config.timezone)
  for (const s of await activeSignups(ctx.db, a.id)) {
    await sendIgnoringGone(ctx, () => ctx.sendToUser(s.openId, { card: notice }, { key: `cancelled:${a.id}:${s.openId}` }))
  }
}

/** The reason as the confirmation card carried it (base64url, see buildActivityCancelConfirmCard). */
function decodeReason(encoded: string): string {
  return Buffer.from(encoded, 'base64url').toString('utf8')
}
