// Everyone: sign up and cancel from the shared card (报名 / 取消报名, answered by toast within Feishu's 3 s) or by
// text (`报名 A-012`, `取消报名 A-012`), see what is open (`活动`) and one's own activities (`我的活动`).
import { buildActivityChoiceCard, buildActivityListCard, buildMyActivitiesCard } from '../../cards/activities/lists.js'
import { buildSignupConfirmationCard, buildSignupLeftCard } from '../../cards/activities/activity.js'
import { activitiesNamed } from '../../src/activities/model.js'
import { findActivity } from '../../src/activities/store.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { LEAVE, SIGN_UP } from '../../src/activities/actions.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { SignUpQueue, attendedBetween, cancelSignup, mySignups } from '../../src/activities/signups.js'
import { listUpcomingActivities } from '../../src/activities/store.js'
import { localParts, zonedInstant } from '../../src/time.js'
import {
  activityFromArgs,
  cancelAnswer,
  changedPlaces,
  notifyPromoted,
  parseActivityNumber,
  phaseOf,
  postSignupCard,
  refreshActivityCards,
  sendIgnoringGone,
  STALE_BUTTON,
  signUpAnswer,
  viewOf,
} from './shared.js'

const SECTION = '活动报名'
const LIST_LIMIT = 20

export function registerActivitySignup(router: BotRouter): void {
  // One queue per bot instance (registration runs once per instance): sign-ups group-commit per activity.
  const queue = new SignUpQueue()

  router.command({
    words: ['活动', 'activities', 'activity'],
    synonyms: ['近期活动', '活动列表', '有什么活动', 'events'],
    hints: ['比赛', '团建', '聚餐', '培训', '讲座', '体检', '观影', '运动会'],
    caseNumbers: ['A'],
    help: { section: SECTION, usage: '活动 [A-012]', description: '查看近期活动和剩余名额；带编号则发来该活动的报名卡片' },
    async handle(ctx) {
      if (ctx.args) {
        const { activity } = await activityFromArgs(ctx, ctx.args, '活动 A-012')
        // A copy asked for in private chat is that person's own (one each, the newest): caught up by the periodic
        // reconcile, not on every click. In a group it replaces the group's card.
        const to = ctx.isGroup ? { chatId: ctx.chatId } : ctx.chatId ? { chatId: ctx.chatId, privateFor: ctx.actorOpenId } : { openId: ctx.actorOpenId }
        await postSignupCard(ctx, activity, to)
        await refreshActivityCards(ctx, activity.id)
        return
      }
      const now = ctx.now()
      const upcoming = await listUpcomingActivities(ctx.db, now, LIST_LIMIT + 1)
      const items = upcoming.slice(0, LIST_LIMIT).map((a) => ({ view: viewOf(a), phase: phaseOf(a, now) }))
      await ctx.reply({ card: buildActivityListCard(items, ctx.config.timezone, upcoming.length > LIST_LIMIT) })
    },
  })

  router.command({
    words: ['报名', 'sign up', 'signup'],
    synonyms: ['参加', '参与', '报个名', 'join'],
    // `我想参加健步走`: the words after 参加 name the activity (F34).
    takesText: true,
    help: { section: SECTION, usage: '报名 A-012', description: '报名参加活动（名额满了自动进入候补）；也可以写活动名称，如「报名 读书会」' },
    async handle(ctx) {
      if (await answeredByTitle(ctx)) return
      const { activity } = await activityFromArgs(ctx, ctx.args, '报名 A-012')
      const result = await queue.signUp(ctx.db, activity.id, ctx.actorOpenId, ctx.now())
      const answer = signUpAnswer(result, activity.number)
      let text = `${answer.text}（${activity.number}）。`
      if (result.outcome === 'confirmed') text += '活动开始前 24 小时我会私信提醒您。'
      if (result.outcome === 'waitlisted') text += '有人取消时按先后顺序递补，递补成功会私信通知您。'
      await ctx.reply({ text })
      if (changedPlaces(result.outcome)) await refreshActivityCards(ctx, activity.id)
    },
  })

  router.command({
    words: ['取消报名', 'cancel signup'],
    synonyms: ['退出报名', '不参加了', '退报', '退出候补'],
    help: { section: SECTION, usage: '取消报名 A-012', description: '取消自己的报名或候补' },
    async handle(ctx) {
      const { activity } = await activityFromArgs(ctx, ctx.args, '取消报名 A-012')
      await leave(ctx, activity.id, activity.number)
    },
  })

  router.command({
    words: ['我的活动', 'my activities'],
    synonyms: ['我报名的活动', '我参加的活动', '我的报名', '报名记录', '报名了哪些', '我报的活动', '报了哪些活动', '我报了什么'],
    help: { section: SECTION, usage: '我的活动', description: '我报名的活动、候补位置和今年参加过的活动' },
    async handle(ctx) {
      const now = ctx.now()
      const tz = ctx.config.timezone
      const year = localParts(now, tz).year
      const [current, attended] = await Promise.all([
        mySignups(ctx.db, ctx.actorOpenId, now, 30),
        attendedBetween(ctx.db, ctx.actorOpenId, zonedInstant(`${year}-01-01`, '00:00', tz), zonedInstant(`${year + 1}-01-01`, '00:00', tz)),
      ])
      const card = buildMyActivitiesCard(
        current.map((c) => ({ view: viewOf(c.activity), phase: phaseOf(c.activity, now), status: c.status as 'confirmed' | 'waitlisted', position: c.position, checkedInAt: c.checkedInAt })),
        attended.map((a) => ({ view: viewOf(a.activity), checkedInAt: a.checkedInAt })),
        year,
        tz,
      )
      // Someone's own sign-ups are theirs: in a group the card goes to them privately.
      if (ctx.isGroup) {
        await ctx.replyPrivately({ card })
        await ctx.reply({ text: '已私信发给您。' })
      } else {
        await ctx.reply({ card })
      }
    },
  })

  router.action(SIGN_UP, {
    outdatedMessage: STALE_BUTTON,
    async handle(ctx, { id }) {
      const result = await queue.signUp(ctx.db, id, ctx.actorOpenId, ctx.now())
      if (changedPlaces(result.outcome)) ctx.defer(() => refreshActivityCards(ctx, id))
      const answer = signUpAnswer(result, '')
      // A toast (gone in 3.5 s), and privately the time, the place and 取消报名 (#14); the shared card itself is
      // patched (coalesced) for everyone, never per click.
      if (result.outcome === 'confirmed' || result.outcome === 'waitlisted') {
        const outcome = result.outcome === 'confirmed' ? ({ status: 'confirmed' } as const) : ({ status: 'waitlisted', position: result.position } as const)
        ctx.defer(async () => {
          const a = await findActivity(ctx.db, id)
          if (!a) return
          const content = { card: buildSignupConfirmationCard(viewOf(a), outcome, ctx.config.timezone) }
          await sendIgnoringGone(ctx, () => ctx.sendToUser(ctx.actorOpenId, content, { key: `signup-confirm:${id}` }))
        })
      }
      return { toast: { type: answer.type, content: answer.text } }
    },
  })

  router.action(LEAVE, {
    outdatedMessage: STALE_BUTTON,
    async handle(ctx, { id, own }) {
      const result = await cancelSignup(ctx.db, id, ctx.actorOpenId, ctx.now())
      if (changedPlaces(result.outcome)) {
        ctx.defer(async () => {
          try {
            await notifyPromoted(ctx, id, result.promoted)
          } finally {
            await refreshActivityCards(ctx, id)
          }
        })
      }
      const answer = cancelAnswer(result, '')
      // On the person's own confirmation card: that card says it is cancelled (a shared card is never replaced per click).
      if (own && (result.outcome === 'cancelled_confirmed' || result.outcome === 'cancelled_waitlisted' || result.outcome === 'not_signed_up')) {
        const a = await findActivity(ctx.db, id)
        if (a) return { toast: { type: answer.type, content: answer.text }, card: buildSignupLeftCard(viewOf(a), ctx.config.timezone) }
      }
      return { toast: { type: answer.type, content: answer.text } }
    },
  })
}

async function leave(ctx: MessageContext, activityId: string, number: string): Promise<void> {
  const result = await cancelSignup(ctx.db, activityId, ctx.actorOpenId, ctx.now())
  const answer = cancelAnswer(result, number)
  await ctx.reply({ text: `${answer.text}（${number}）。` })
  if (!changedPlaces(result.outcome)) return
  try {
    await notifyPromoted(ctx, activityId, result.promoted)
  } finally {
    await refreshActivityCards(ctx, activityId)
  }
}

/** At most this many activities are offered when a typed name fits several (a choice card, one button each). */
const CHOICES_SHOWN = 5

/**
 * `报名读书会`, `我想参加健步走` (F34): no number, but words that name open activities. One fits: its sign-up card
 * (the person's own copy; in a group, privately). Several: a choice, one 报名 button each. None: false, and the
 * caller asks for the number as before.
 */
async function answeredByTitle(ctx: MessageContext): Promise<boolean> {
  const [first = ''] = ctx.args.trim().split(/\s+/)
  if (ctx.args.trim() === '' || parseActivityNumber(first) !== undefined) return false
  const now = ctx.now()
  const open = (await listUpcomingActivities(ctx.db, now, 100)).filter((a) => phaseOf(a, now) === 'signup')
  const named = activitiesNamed(ctx.argsTyped, open)
  if (named.length === 0) return false
  if (named.length === 1) {
    const activity = named[0]!
    const to = ctx.isGroup || !ctx.chatId ? { openId: ctx.actorOpenId } : { chatId: ctx.chatId, privateFor: ctx.actorOpenId }
    await postSignupCard(ctx, activity, to)
    await refreshActivityCards(ctx, activity.id)
    if (ctx.isGroup) await ctx.reply({ text: `已把 ${activity.number} 的报名卡片私信发给您。` })
    return true
  }
  const card = buildActivityChoiceCard(named.slice(0, CHOICES_SHOWN).map((a) => ({ view: viewOf(a), phase: phaseOf(a, now) })), ctx.config.timezone, named.length > CHOICES_SHOWN)
  if (ctx.isGroup) {
    await ctx.replyPrivately({ card })
    await ctx.reply({ text: '已私信发给您。' })
  } else {
    await ctx.reply({ card })
  }
  return true
}
