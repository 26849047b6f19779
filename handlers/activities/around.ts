// Around the event: check-in (`签到 A-012` or the card's 签到 button), the officer's roster (`名单 A-012`, a card
// and a CSV file sent privately), and the periodic work: card phases, the live-card reconcile, 24-hour reminders and
// promotion notices left over by a crash. Each periodic task records what it did in Postgres, so it happens once
// across instances and restarts.
import { CHECKIN_CODE_FIELD, buildActivityNoticeCard } from '../../cards/activities/activity.js'
import { UNKNOWN_NAME, buildRosterCard, type RosterEntry } from '../../cards/activities/lists.js'
import { toCsv } from '../../src/kit/csv.js'
import { CHECK_IN } from '../../src/activities/actions.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { ActivityPhase } from '../../src/activities/tables.js'
import { activeSignups, checkIn, checkInWithCode, lockDueReminders, markReminded, unnotifiedPromotions } from '../../src/activities/signups.js'
import { activitiesInPlay, findActivity, setPhase, type Activity } from '../../src/activities/store.js'
import { formatDateTime } from '../../src/time.js'
import {
  ACTIVITY_LIVE_CARD,
  CHECKIN_MAX_ATTEMPTS,
  REMINDER_BEFORE_MS,
  activityFromArgs,
  checkInNotOpen,
  normalizeCheckinCode,
  notifyPromoted,
  phaseOf,
  refreshActivityCards,
  STALE_BUTTON,
  sendIgnoringGone,
  viewOf,
  type Answer,
} from './shared.js'

const SECTION = '活动报名'
const PHASE_ORDER: Record<ActivityPhase, number> = { signup: 0, closed: 1, checkin: 2, ended: 3 }
const REMINDER_BATCH = 20
/** A promotion whose notice has not been recorded after this long was cut short (crash): send it again. */
const PROMOTION_GRACE_MS = 2 * 60_000

export function registerActivityAround(router: BotRouter): void {
  router.command({
    words: ['签到', 'check in', 'checkin'],
    synonyms: ['打卡'],
    help: { section: SECTION, usage: '签到 A-012 [签到码]', description: '活动开始前 30 分钟至结束期间到场签到（需要时带上现场公布的签到码）' },
    async handle(ctx) {
      const { activity, rest } = await activityFromArgs(ctx, ctx.args, '签到 A-012')
      const answer = await checkInOnce(ctx, activity, rest)
      await ctx.reply({ text: `${answer.text}（${activity.number}）。` })
    },
  })

  router.action(CHECK_IN, {
    outdatedMessage: STALE_BUTTON,
    async handle(ctx, { id }) {
      const activity = await findActivity(ctx.db, id)
      if (!activity) return { toast: { type: 'error', content: STALE_BUTTON } }
      const answer = await checkInOnce(ctx, activity, ctx.formString(CHECKIN_CODE_FIELD) ?? '')
      return { toast: { type: answer.type, content: answer.text } }
    },
  })

  router.command({
    words: ['名单', 'roster'],
    roles: ['officer'],
    help: { section: SECTION, usage: '名单 A-012', description: '报名名单（姓名、报名时间、状态、签到），并私信发送 CSV 文件' },
    async handle(ctx) {
      const { activity } = await activityFromArgs(ctx, ctx.args, '名单 A-012')
      const entries = await rosterOf(ctx, activity)
      const tz = ctx.config.timezone
      // Names of participants are not for the whole group: the roster always goes to the officer privately.
      await ctx.replyPrivately({ card: buildRosterCard(viewOf(activity), entries, tz) }, { key: 'roster-card' })
      await ctx.sendFileToUser(ctx.actorOpenId, `活动名单-${activity.number}.csv`, rosterCsv(entries, tz), { key: 'roster-csv' })
      if (ctx.isGroup) await ctx.reply({ text: `${activity.number} 的名单已私信发给您。` })
    },
  })

  router.periodic({
    name: 'activity.phases',
    // Deadline passed, check-in opened, activity over: the cards change although nobody clicked.
    async run(ctx) {
      const moved: string[] = []
      for (const a of await activitiesInPlay(ctx.db)) {
        const phase = phaseOf(a, ctx.runAt)
        if (phase === 'cancelled' || PHASE_ORDER[phase] <= PHASE_ORDER[a.cardPhase]) continue
        if (await setPhase(ctx.db, a.id, a.cardPhase, phase)) moved.push(a.id)
      }
      await Promise.all(moved.map((id) => refreshActivityCards(ctx, id, 'all')))
    },
  })

  // Sign-up cards are live cards: the kit patches them on refresh and, here in the periodic order (after the phase
  // changes above), reconciles the ones left behind and the private copies.
  router.liveCard('activity', ACTIVITY_LIVE_CARD)

  router.periodic({
    name: 'activity.reminders',
    run: (ctx) => sendDueReminders(ctx, ctx.runAt),
  })

  router.periodic({
    name: 'activity.promotions',
    async run(ctx) {
      const due = await unnotifiedPromotions(ctx.db, new Date(ctx.runAt.getTime() - PROMOTION_GRACE_MS), 100)
      const byActivity = new Map<string, string[]>()
      for (const p of due) byActivity.set(p.activity_id, [...(byActivity.get(p.activity_id) ?? []), p.open_id])
      for (const [activityId, openIds] of byActivity) await notifyPromoted(ctx, activityId, openIds)
    },
  })
}

/** Checks the person in; `given` is the code they typed (ignored for an activity that needs none). */
async function checkInOnce(ctx: BaseContext, a: Activity, given: string): Promise<Answer> {
  const now = ctx.now()
  const closed = checkInNotOpen(a, now, ctx.config.timezone)
  if (closed) return closed
  if (a.checkinCode) return checkInWithVenueCode(ctx, a, a.checkinCode, normalizeCheckinCode(given), now)
  const result = await checkIn(ctx.db, a.id, ctx.actorOpenId, now)
  if (result === 'checked_in') return { type: 'success', text: '签到成功' }
  if (result === 'already') return { type: 'info', text: '您已签到' }
  return { type: 'warning', text: '您没有此活动的名额，无法签到' }
}

/** Security review F14: the code shown at the venue proves presence; wrong codes are limited per person. */
async function checkInWithVenueCode(ctx: BaseContext, a: Activity, expected: string, given: string, now: Date): Promise<Answer> {
  const usage = `「签到 ${a.number} 签到码」`
  if (!given) {
    // Not counted as a try: nothing was guessed. Someone without a place learns nothing either way.
    return { type: 'warning', text: `本活动签到需要现场公布的签到码：请发送${usage}，或在报名卡片上输入签到码` }
  }
  const r = await checkInWithCode(ctx.db, a.id, ctx.actorOpenId, now, { expected, given, maxAttempts: CHECKIN_MAX_ATTEMPTS })
  switch (r.result) {
    case 'checked_in':
      return { type: 'success', text: '签到成功' }
    case 'already':
      return { type: 'info', text: '您已签到' }
    case 'not_confirmed':
      return { type: 'warning', text: '您没有此活动的名额，无法签到' }
    case 'wrong_code':
      if (r.left > 0) return { type: 'error', text: `签到码不正确，请核对活动现场公布的签到码（还可以再试 ${r.left} 次）` }
      return { type: 'error', text: `签到码不正确。已输错 ${CHECKIN_MAX_ATTEMPTS} 次，本活动不能再签到，如确已到场请联系活动组织者` }
    case 'locked':
      return { type: 'error', text: `签到码已输错 ${CHECKIN_MAX_ATTEMPTS} 次，本活动不能再签到，如确已到场请联系活动组织者` }
  }
}

/**
 * One private reminder per confirmed participant, 24 h before the start. Rows are locked (SKIP LOCKED) and marked
 * in the transaction that sends them: another instance takes other rows, and a crash before COMMIT leaves them
 * unmarked, to be sent again under the same idempotency key (Feishu keeps one message per uuid for an hour).
 */
async function sendDueReminders(ctx: BaseContext, now: Date): Promise<void> {
  const activities = new Map<string, Activity | undefined>()
  for (;;) {
    const handled = await ctx.db.transaction().execute(async (trx) => {
      const due = await lockDueReminders(trx, now, REMINDER_BEFORE_MS, REMINDER_BATCH)
      for (const r of due) {
        if (!activities.has(r.activity_id)) activities.set(r.activity_id, await findActivity(trx, r.activity_id))
        const a = activities.get(r.activity_id)
        if (a) {
          const notice = buildActivityNoticeCard('reminder', viewOf(a), ctx.config.timezone)
          await sendIgnoringGone(ctx, () => ctx.sendToUser(r.open_id, { card: notice }, { key: `reminder:${r.activity_id}:${r.open_id}:${r.seq}` }))
        }
        await markReminded(trx, r.activity_id, r.open_id, now)
      }
      return due.length
    })
    if (handled < REMINDER_BATCH) return
  }
}

/** Confirmed people first, then the waitlist, each in queue order, with names from the contact directory. */
async function rosterOf(ctx: BaseContext, a: Activity): Promise<RosterEntry[]> {
  const signups = await activeSignups(ctx.db, a.id)
  const ordered = [...signups.filter((s) => s.status === 'confirmed'), ...signups.filter((s) => s.status === 'waitlisted')]
  const names = new Map<string, string | undefined>()
  const profiles = new Map<string, { department?: string; employeeNo?: string } | undefined>()
  // A few lookups at a time: the contact API allows 50/s per app (docs/feishu-platform.md#rate-limits) and names are
  // cached. Department and employee number come from the same contact API when its scopes are granted (#14).
  for (let i = 0; i < ordered.length; i += 10) {
    const batch = ordered.slice(i, i + 10)
    const found = await Promise.all(batch.map(async (s) => [await ctx.nameOf(s.openId), await ctx.profileOf(s.openId)] as const))
    batch.forEach((s, j) => {
      names.set(s.openId, found[j]![0])
      profiles.set(s.openId, found[j]![1])
    })
  }
  return ordered.map((s) => ({
    name: names.get(s.openId),
    ...(profiles.get(s.openId)?.department ? { department: profiles.get(s.openId)!.department! } : {}),
    ...(profiles.get(s.openId)?.employeeNo ? { employeeNo: profiles.get(s.openId)!.employeeNo! } : {}),
    openId: s.openId,
    status: s.status as 'confirmed' | 'waitlisted',
    signedUpAt: s.signedUpAt,
    checkedInAt: s.checkedInAt,
  }))
}

/**
 * The roster file (src/kit/csv.ts: UTF-8 with a BOM for Excel, cells that could run as formulas defused). 部门 and 工号
 * from the contact API, empty when its scopes (contact:user.department:readonly, contact:user.employee_id:readonly)
 * are not granted. No open_ids
 * (security review F16: an export that maps open_ids to names turns any other open_id leak into a name); two people
 * of the same name are told apart by the neutral row number.
 */
export function rosterCsv(entries: RosterEntry[], timeZone: string): Buffer {
  let waiting = 0
  const rows = entries.map((e, i) => [
    String(i + 1),
    e.name ?? UNKNOWN_NAME,
    e.department ?? '',
    e.employeeNo ?? '',
    formatDateTime(e.signedUpAt, timeZone),
    e.status === 'confirmed' ? '已报名' : `候补第 ${++waiting} 位`,
    e.checkedInAt ? formatDateTime(e.checkedInAt, timeZone) : '',
  ])
  return toCsv([['序号', '姓名', '部门', '工号', '报名时间', '状态', '签到时间'], ...rows])
}
