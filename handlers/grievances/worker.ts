// The worker's side of a grievance: `我的诉求`, `诉求 G-2026-0007`, `补充 G-2026-0007 <text>` (relayed to the
// committee without revealing an anonymous reporter) and the 满意 / 基本满意 / 不满意 rating (不满意 reopens).
// A case that is not the asker's own answers exactly like a number that does not exist. Typed in a group, these
// commands get no answer there (it would tie the sender to a case, F17): the bot answers privately. An anonymous
// reporter's 补充 and rating reach the committee only after a random delay (grievance-relays.ts, F7).
import { buildFollowUpCard } from '../../cards/grievances/notices.js'
import { WORKER_VISIBLE_KINDS, buildOwnCaseCard, buildOwnListCard, buildRatedCard } from '../../cards/grievances/worker.js'
import type { CardActionContext, MessageContext } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { Satisfaction, StoredAttachment } from '../../src/grievances/tables.js'
import { recordEvidence, refusedType, refusedTypeMessage, settleEvidence } from '../../src/kit/evidence.js'
import { GRIEVANCE_EVIDENCE } from './evidence.js'
import { deliver } from '../../src/kit/deliver.js'
import { RATE } from '../../src/grievances/actions.js'
import { UserFacingError } from '../../src/errors.js'
import type { PayloadOf } from '../../src/kit/actions.js'
import { transition } from '../../src/kit/transition.js'
import type { OutgoingContent } from '../../src/feishu/outbound.js'
import { FOLLOW_UP_MAX_CHARS, MAX_ATTACHMENTS, SATISFACTION_LABEL, STATUS_LABEL, anonRelayDeliverAfter, charCount, dailyCapMessage, ratingChange, splitLeadingNumber } from '../../src/grievances/model.js'
import { resolveWorkdaysOf } from '../../src/grievances/model.js'
import {
  claimReporterEvent,
  countReporterEventsOnDay,
  findOwnGrievance,
  isReporterOf,
  listOwnGrievances,
  reporterEventDone,
  sealAttachmentSources,
} from '../../src/grievances/reporters.js'
import { enqueueRelay, pendingRelays } from '../../src/grievances/relays.js'
import { localDate } from '../../src/time.js'
import {
  listGrievanceEvents,
  lockGrievance,
  recordGrievanceEvent,
  updateGrievance,
  type Grievance,
  GRIEVANCE_MACHINE,
} from '../../src/grievances/store.js'
import { caseFacts, reporterLabel, refreshReviewCard, sendToCaseOfficers } from './shared.js'

const LIST_LIMIT = 20

export const notFound = (number: string) => `未找到诉求 ${number}。请检查编号，或发送「我的诉求」查看您提交的诉求。`
const FOLLOW_UP_USAGE = '请按「补充 编号 内容」发送，例如：补充 G-2026-0007 事情发生在 3 月 5 日的夜班。'
const FOLLOW_UP_IN_GROUP = '为保护您的隐私，补充内容请只在与「工会助手」的私聊中发送「补充 编号 内容」；在群里发送的内容没有转交工会。'
/** What an anonymous reporter is told after a 补充 (F7). */
export const ANON_RELAY_ACK = '已收到，为保护您的匿名，将在稍后转交工会'

export function registerGrievanceWorker(router: BotRouter): void {
  router.command({
    words: ['我的诉求', 'my grievances'],
    synonyms: ['我的投诉', '投诉进度', '诉求进度', '我的反映', 'my cases'],
    help: { section: '维权诉求', usage: '我的诉求', description: '查看自己提交的诉求和进度；「诉求 编号」查看其中一件' },
    async handle(ctx) {
      const { rows, total } = await listOwnGrievances(ctx.db, ctx.actorOpenId, LIST_LIMIT)
      const card = buildOwnListCard({
        rows: rows.map((g) => ({ number: g.number, category: g.category, status: g.status, filedAt: g.filedAt })),
        total,
        timeZone: ctx.config.timezone,
      })
      await answerPrivately(ctx, { card })
    },
  })

  router.command({
    words: ['补充', 'follow up'],
    synonyms: ['追加'],
    takesText: true,
    help: { section: '维权诉求', usage: '补充 编号 内容', description: '为自己的诉求补充情况，转交工会（匿名诉求同样匿名转达）' },
    handle: followUp,
  })

  router.action(RATE, { handle: rate })
}

/** In a group, the answer goes privately and the group gets nothing (F17); someone unreachable is only logged. */
async function answerPrivately(ctx: MessageContext, content: OutgoingContent): Promise<void> {
  if (!ctx.isGroup) return void (await ctx.reply(content))
  await deliver(ctx, 'grievance:private-answer', () => ctx.replyPrivately(content))
}

/** `诉求 G-2026-0007`: one of the asker's own cases (anyone else's is "not found"). */
export async function showOwnCase(ctx: MessageContext, number: string): Promise<void> {
  const g = await findOwnGrievance(ctx.db, ctx.actorOpenId, number)
  if (!g) return answerPrivately(ctx, { text: notFound(number) })
  const events = (await listGrievanceEvents(ctx.db, g.id)).filter((e) => WORKER_VISIBLE_KINDS.includes(e.kind))
  const card = buildOwnCaseCard({
    ...caseFacts(g, ctx.config.timezone, ctx.services.calendar),
    history: events.map((e) => ({
      at: e.at,
      actor: '',
      kind: e.kind,
      ...(e.body ? { text: e.body } : {}),
      ...(e.kind === 'rated' && typeof e.detail?.rating === 'string' ? { target: SATISFACTION_LABEL[e.detail.rating as Satisfaction] ?? '' } : {}),
    })),
  })
  await answerPrivately(ctx, { card })
}

async function followUp(ctx: MessageContext): Promise<void> {
  // The words are already in the group; the bot does not take them in, repeat them or answer there.
  if (ctx.isGroup) return answerPrivately(ctx, { text: FOLLOW_UP_IN_GROUP })
  const parsed = splitLeadingNumber(ctx.argsTyped)
  if (!parsed) return void (await ctx.reply({ text: FOLLOW_UP_USAGE }))
  const own = await findOwnGrievance(ctx.db, ctx.actorOpenId, parsed.number)
  if (!own) return void (await ctx.reply({ text: notFound(parsed.number) }))
  const text = parsed.rest
  // Programs and scripts are refused here (src/kit/evidence.ts): said to the worker, the rest of the 补充 goes on.
  const refusedExts = ctx.attachments.flatMap((a) => refusedType(a, ctx.config.evidence.refusedExtensions) ?? [])
  const incoming = ctx.attachments.filter((a) => !refusedType(a, ctx.config.evidence.refusedExtensions))
  if (refusedExts.length > 0) await ctx.reply({ text: refusedTypeMessage(refusedExts) }, { key: 'follow-up:refused-type' })
  if (text === '' && incoming.length === 0) {
    if (refusedExts.length > 0) return
    return void (await ctx.reply({ text: `请在编号后写上要补充的内容，例如：补充 ${own.number} 具体情况……` }))
  }
  if (charCount(text) > FOLLOW_UP_MAX_CHARS) return void (await ctx.reply({ text: `补充内容最多 ${FOLLOW_UP_MAX_CHARS} 个字（现在 ${charCount(text)} 个字），请分几次发送。` }))
  const now = ctx.now()
  const day = localDate(now, ctx.config.timezone)
  const cap = ctx.config.grievance.dailyFollowUpCap
  // Anonymous cases keep no file names from a 补充 (the worker is not asked here) and no case keeps message ids.
  const attachments: StoredAttachment[] = incoming.map((a) => ({ kind: a.kind, key: a.key, ...(!own.anonymous && a.name ? { name: a.name } : {}) }))
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<{ g: Grievance; capped?: true }> => {
    const locked = (await lockGrievance(trx, own.id))!
    if (locked.status === 'declined' || locked.status === 'closed') return { g: locked }
    // A re-run of this event finds its claim: nothing is recorded twice, and the sends below carry the same uuids.
    if (await reporterEventDone(trx, own.id, ctx.eventId, 'follow_up')) return { g: locked }
    if (cap > 0 && (await countReporterEventsOnDay(trx, ctx.actorOpenId, 'follow_up', day)) >= cap) return { g: locked, capped: true }
    await claimReporterEvent(trx, own.id, ctx.eventId, 'follow_up', day)
    await sealAttachmentSources(trx, own.id, incoming.map((a) => ({ key: a.key, messageId: ctx.message.messageId })))
    const detail = attachments.length ? { attachments: attachments.length } : undefined
    if (locked.anonymous) {
      // Recorded on the case when it is delivered, so neither the card nor the history dates the sending.
      await enqueueRelay(trx, { grievanceId: own.id, kind: 'follow_up', body: text || null, detail: { ...(detail ?? {}), added: attachments }, deliverAfter: anonRelayDeliverAfter(now, ctx.config.grievance) })
      return { g: locked }
    }
    await recordGrievanceEvent(trx, { grievanceId: own.id, at: now, kind: 'follow_up', actorOpenId: null, body: text || null, ...(detail ? { detail } : {}), eventId: null })
    if (attachments.length === 0) return { g: locked }
    await recordEvidence(trx, { type: GRIEVANCE_EVIDENCE.type, id: own.id }, incoming.map((a) => ({ kind: a.kind, key: a.key, messageId: ctx.message.messageId, ...(a.name ? { name: a.name } : {}) })), { now, keepNames: true, sourceSealed: true })
    const merged = [...locked.attachments, ...attachments].slice(0, MAX_ATTACHMENTS * 2)
    return { g: await updateGrievance(trx, own.id, { attachments: JSON.stringify(merged) }) }
  })
  const g = outcome.g
  if (outcome.capped) return void (await ctx.reply({ text: dailyCapMessage('follow_up', cap) }))
  if (g.status === 'declined' || g.status === 'closed') {
    return void (await ctx.reply({ text: `诉求 ${g.number} 已结束（${STATUS_LABEL[g.status]}），不能再补充。如有新的问题，请发送「投诉」重新反映。` }))
  }
  if (g.anonymous) {
    ctx.log.info({ grievance: g.number }, 'grievance follow-up queued')
    return void (await ctx.reply({ text: `${ANON_RELAY_ACK}（诉求 ${g.number}）。` }))
  }
  const card = buildFollowUpCard({ number: g.number, category: g.category, reporterLabel: reporterLabel(g), text: text || `（补充了 ${attachments.length} 个附件）`, at: now, timeZone: ctx.config.timezone })
  // Recorded on the case either way (its card history shows it); transient failures retry the whole event.
  await deliver(ctx, 'grievance:follow-up', () => sendToCaseOfficers(ctx, g, { card }, `follow-up:${g.id}`), { grievance: g.number })
  await refreshReviewCard(ctx, g.id)
  ctx.log.info({ grievance: g.number }, 'grievance follow-up relayed')
  await ctx.reply({ text: `已收到您对诉求 ${g.number} 的补充，已转交工会（状态：${STATUS_LABEL[g.status]}）。` })
  await settleEvidence(ctx, GRIEVANCE_EVIDENCE, g.id)
}

/** An anonymous reporter's rating is already queued for the committee (a second click of the rating buttons). */
class AlreadyRated extends Error {}

/** The rating as one guarded transition of the case. */
function rateStep(ctx: CardActionContext, gid: number, round: number, rating: Satisfaction, reopened: boolean) {
  return transition(ctx, GRIEVANCE_MACHINE, {
    step: 'rated',
    lock: (trx) => lockGrievance(trx, gid),
    // Someone other than the reporter (a forwarded card) learns nothing, not even that the case exists.
    missing: () => new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown),
    // A re-run of this click (recovery) finds its claim and only finishes the notifications.
    replayed: (trx) => reporterEventDone(trx, gid, ctx.eventId, 'rated'),
    guard: async (g, trx) => {
      if (!(await isReporterOf(trx, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
      // An anonymous rating waits in the relay queue (below); a second click meanwhile finds it there.
      if (g.anonymous && (await pendingRelays(trx, gid)).some((r) => r.kind === 'rated')) throw new AlreadyRated()
    },
    from: ['resolved'],
    current: (g) => g.reopenedCount === round,
    already: () => true,
    refusal: () => '',
    apply: async (trx, g, now) => {
      await claimReporterEvent(trx, gid, ctx.eventId, 'rated', localDate(now, ctx.config.timezone))
      // Anonymous: the case changes only when the relay delivers the rating (handlers/grievances/relays.ts), so no
      // officer's view — card, 诉求 lookup, digest counts, rated_at — dates the click (F7; QA 2026-12-03).
      if (g.anonymous) return g
      return updateGrievance(trx, gid, ratingChange(g, rating, now, ctx.services.calendar, resolveWorkdaysOf(g.timeClass, ctx.config.grievance)))
    },
    history: async (trx, g, _after, now) => {
      if (g.anonymous) {
        // The committee hears of it (history, reopen notice, card) after the random delay (F7).
        await enqueueRelay(trx, { grievanceId: gid, kind: 'rated', detail: { rating, reopened, round }, deliverAfter: anonRelayDeliverAfter(now, ctx.config.grievance) })
        return
      }
      await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: 'rated', actorOpenId: null, detail: { rating }, eventId: null })
      if (reopened) await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: 'reopened', actorOpenId: null, eventId: null })
    },
    // Not audited: the audit log never names the reporter.
  })
}

/** 满意 / 基本满意 close the case; 不满意 reopens it with a fresh resolve deadline and tells the committee. */
async function rate(ctx: CardActionContext, { gid, round, rating }: PayloadOf<typeof RATE>) {
  const reopened = rating === 'dissatisfied'
  let r: Awaited<ReturnType<typeof rateStep>>
  try {
    r = await rateStep(ctx, gid, round, rating, reopened)
  } catch (err) {
    if (err instanceof AlreadyRated) return { toast: { type: 'info' as const, content: '您已评价过这次办理，谢谢！' } }
    throw err
  }
  if (r.outcome === 'already') return { toast: { type: 'info' as const, content: '您已评价过这次办理，谢谢！' } }
  const g = r.after
  if (!g.anonymous) ctx.defer(async () => {
    if (reopened) {
      await sendToCaseOfficers(ctx, g, { text: `诉求 ${g.number} 的反映人对办理结果「不满意」，诉求已重新打开（状态：${STATUS_LABEL.accepted}），请继续处理。` }, `reopened:${g.id}`)
    }
    await refreshReviewCard(ctx, g.id)
  })
  return {
    toast: { type: 'success' as const, content: reopened ? '已重新打开，工会将继续处理' : '感谢您的评价' },
    card: buildRatedCard({ number: g.number, rating, reopened }),
  }
}
