// Officers' actions on a grievance's review card in the committee group: 受理 / 不予受理 / 指派 / 回复职工 /
// 内部备注 / 办结. Officers only (checked by the dispatcher); each action is one locked state transition, audited,
// keyed by the card's revision so a double click or a stale card acts once; notifications go after the answer.
import { buildAssignedCard } from '../../cards/grievances/notices.js'
import { FORM_FIELDS } from '../../cards/grievances/review.js'
import { buildDeclinedNoticeCard, buildEscalatedNoticeCard, buildReplyNoticeCard, buildResolvedNoticeCard } from '../../cards/grievances/worker.js'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { GrievanceEventKind, GrievanceStatus, GrievancesTable } from '../../src/grievances/tables.js'
import { ACCEPT, ASSIGN, DECLINE, ESCALATE, NOTE, REPLY, RESOLVE } from '../../src/grievances/actions.js'
import type { ActionDef, ButtonValue } from '../../src/kit/actions.js'
import type { z } from 'zod'
import type { ReviewStep } from '../../cards/grievances/review.js'
import { ESCALATION_LABEL, ESCALATION_SUMMARY_MAX_CHARS, escalationFileText, type EscalationTarget, type TimeClass } from '../../src/grievances/model.js'
import { reporterOf } from '../../src/grievances/reporters.js'
import { isOpening, openStepForm } from './forms.js'
import { TransitionRefusedError, transition, type TransitionResult } from '../../src/kit/transition.js'
import { UserFacingError, errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { localDate } from '../../src/time.js'
import { GRIEVANCE_TRANSITIONS, OFFICER_TEXT_MAX_CHARS, STATUS_LABEL, charCount } from '../../src/grievances/model.js'
import { GRIEVANCE_MACHINE, eventsCausedBy, getGrievance, listGrievanceEvents, lockGrievance, recordGrievanceEvent, updateGrievance, type Grievance } from '../../src/grievances/store.js'
import type { Updateable } from 'kysely'
import { hasRecused } from '../../src/grievances/recusals.js'
import { notifyReporter, refreshReviewCard, renderCardFor } from './shared.js'

interface OfficerAction<I> {
  /** The card action (its payload: the case and the card's revision). */
  def: ActionDef<z.ZodType<OnCase, ButtonValue>>
  /** The step's form (opened as a follow-up card when the button is clicked without input); none for 受理. */
  form?: ReviewStep
  /** Audit action name. */
  action: string
  /** The history entry it records (also how a re-run of the same event is recognised). */
  kind: GrievanceEventKind
  /** Reads the card's form (and the button's payload); throws UserFacingError for missing or bad input. */
  read(ctx: CardActionContext, onCase: OnCase): Promise<I>
  /** Statuses the step applies in (src/grievances/model.ts GRIEVANCE_TRANSITIONS bounds where it may lead). */
  from: readonly GrievanceStatus[]
  /** Why the step cannot apply to the case as it is now (shown when its status is not in `from`). */
  refuse(g: Grievance): string
  change?(g: Grievance, input: I, now: Date, ctx: CardActionContext): Updateable<GrievancesTable>
  body?(input: I): string
  detail?(input: I): Record<string, unknown>
  /** Notifications after the answer (deferred: Feishu waits only 3 s for the card callback). */
  after?(ctx: CardActionContext, g: Grievance, input: I): Promise<void>
  success(input: I, ctx: CardActionContext): Promise<string> | string
}

/** Replies and internal notes are taken in any status (they do not change it). */
const ANY_STATUS = Object.keys(GRIEVANCE_TRANSITIONS) as GrievanceStatus[]

const DENIED = '抱歉，只有工会干部可以处理诉求。'

function requiredText(ctx: CardActionContext, field: string, what: string): string {
  const text = (ctx.formString(field) ?? '').trim()
  if (!text) throw new UserFacingError('INVALID_INPUT', `请先填写${what}。`)
  if (charCount(text) > OFFICER_TEXT_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `${what}最多 ${OFFICER_TEXT_MAX_CHARS} 个字。`)
  return text
}

/**
 * 受理 as 一般 or 复杂 (issue #13): a 复杂 case gets the longer 办结 limit (GRIEVANCE_COMPLEX_RESOLVE_WORKDAYS, counted
 * from filing like the 一般 one); an older card without the class accepts as 一般.
 */
const accept: OfficerAction<TimeClass> = {
  def: ACCEPT,
  action: ACCEPT.name,
  kind: 'accepted',
  read: async (_ctx, p) => (p.cls === 'complex' ? 'complex' : 'general'),
  from: ['pending'],
  refuse: (g) => `该诉求当前为「${STATUS_LABEL[g.status]}」，不能受理。`,
  change: (g, cls, now, ctx) => ({
    status: 'accepted',
    accepted_at: now,
    time_class: cls,
    ...(cls === 'complex' ? { resolve_due_at: ctx.services.calendar.deadlineAfter(g.filedAt, ctx.config.grievance.complexResolveWorkdays), resolve_overdue_at: null } : {}),
  }),
  detail: (cls) => ({ timeClass: cls }),
  after: async (ctx, g, cls) => {
    const due = cls === 'complex' ? `按复杂诉求办理，办结期限延至 ${localDate(g.resolveDueAt, ctx.config.timezone)}。` : ''
    await notifyReporter(ctx, g, { text: `您的诉求 ${g.number} 已受理，当前状态：${STATUS_LABEL.accepted}。${due}` }, 'accepted')
  },
  success: (cls) => (cls === 'complex' ? '已按复杂诉求受理，已通知职工' : '已受理，已通知职工'),
}

const decline: OfficerAction<string> = {
  def: DECLINE,
  form: 'decline',
  action: DECLINE.name,
  kind: 'declined',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.reason, '不予受理的理由'),
  from: ['pending'],
  refuse: (g) => `该诉求当前为「${STATUS_LABEL[g.status]}」，只有待受理的诉求可以不予受理。`,
  change: (_g, reason, now) => ({ status: 'declined', decline_reason: reason, closed_at: now }),
  body: (reason) => reason,
  after: async (ctx, g, reason) => void (await notifyReporter(ctx, g, { card: buildDeclinedNoticeCard({ number: g.number, reason }) }, 'declined')),
  success: () => '已不予受理，理由已告知职工',
}

const assign: OfficerAction<string> = {
  def: ASSIGN,
  form: 'assign',
  action: ASSIGN.name,
  kind: 'assigned',
  read: async (ctx) => {
    const assignee = (ctx.formString(FORM_FIELDS.assignee) ?? ctx.action.option ?? '').trim()
    if (!assignee) throw new UserFacingError('INVALID_INPUT', '请先选择承办的工会干部。')
    if (!(await ctx.isOfficer(assignee))) throw new UserFacingError('INVALID_INPUT', '只能指派给工会干部。')
    return assignee
  },
  from: ['pending', 'accepted'],
  refuse: (g) => `该诉求已${STATUS_LABEL[g.status]}，不能再指派。`,
  change: (_g, assignee) => ({ assignee_open_id: assignee }),
  detail: (assignee) => ({ assignee }),
  after: async (ctx, g, assignee) => {
    const card = buildAssignedCard({
      number: g.number,
      category: g.category,
      status: g.status,
      acceptDueAt: g.acceptDueAt,
      resolveDueAt: g.resolveDueAt,
      acceptEstimated: ctx.services.calendar.isEstimated(localDate(g.acceptDueAt, ctx.config.timezone)),
      resolveEstimated: ctx.services.calendar.isEstimated(localDate(g.resolveDueAt, ctx.config.timezone)),
      assignerName: (await ctx.nameOf(ctx.actorOpenId)) ?? '工会干部',
      timeZone: ctx.config.timezone,
    })
    await deliver(ctx, 'grievance:assignee', () => ctx.sendToUser(assignee, { card }, { key: `assigned:${g.id}` }), { grievance: g.number })
  },
  success: async (assignee, ctx) => `已指派给 ${(await ctx.nameOf(assignee)) ?? '工会干部'}，已私信通知`,
}

const reply: OfficerAction<string> = {
  def: REPLY,
  form: 'reply',
  action: REPLY.name,
  kind: 'replied',
  from: ANY_STATUS,
  refuse: () => '',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.reply, '回复内容'),
  body: (text) => text,
  after: async (ctx, g, text) => void (await notifyReporter(ctx, g, { card: buildReplyNoticeCard({ number: g.number, status: g.status, text, anonymous: g.anonymous }) }, 'reply')),
  success: () => '已转达给职工',
}

const note: OfficerAction<string> = {
  def: NOTE,
  form: 'note',
  action: NOTE.name,
  kind: 'noted',
  from: ANY_STATUS,
  refuse: () => '',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.note, '备注内容'),
  body: (text) => text,
  success: () => '已添加内部备注（职工看不到）',
}

const resolve: OfficerAction<string> = {
  def: RESOLVE,
  form: 'resolve',
  action: RESOLVE.name,
  kind: 'resolved',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.result, '办结结果'),
  from: ['accepted'],
  refuse: (g) => (g.status === 'pending' ? '请先受理，再办结。' : `该诉求当前为「${STATUS_LABEL[g.status]}」，不能办结。`),
  change: (_g, result, now) => ({ status: 'resolved', resolved_at: now, resolution: result }),
  body: (result) => result,
  after: async (ctx, g, result) =>
    void (await notifyReporter(ctx, g, { card: buildResolvedNoticeCard({ gid: g.id, number: g.number, result, round: g.reopenedCount }) }, `resolved:${g.reopenedCount}`)),
  success: () => '已办结，已请职工评价',
}

/**
 * 转办 (issue #13): the case goes to the upper union / 12351 / labour inspection and closes here as 已转办. The worker
 * gets the summary as a card and as a text file to take along (through the reporter link; anonymous cases too).
 */
const escalate: OfficerAction<{ to: EscalationTarget; summary: string }> = {
  def: ESCALATE,
  form: 'escalate',
  action: ESCALATE.name,
  kind: 'transferred',
  read: async (ctx) => {
    const to = ctx.formString(FORM_FIELDS.escalateTo) ?? ''
    if (!(to in ESCALATION_LABEL)) throw new UserFacingError('INVALID_INPUT', '请选择转办到哪里（上级工会、12351 或劳动保障监察）。')
    const summary = (ctx.formString(FORM_FIELDS.escalateSummary) ?? '').trim()
    if (!summary) throw new UserFacingError('INVALID_INPUT', '请先填写转办摘要。')
    if (charCount(summary) > ESCALATION_SUMMARY_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `转办摘要最多 ${ESCALATION_SUMMARY_MAX_CHARS} 个字。`)
    return { to: to as EscalationTarget, summary }
  },
  from: ['pending', 'accepted'],
  refuse: (g) => `该诉求当前为「${STATUS_LABEL[g.status]}」，只有待受理或处理中的诉求可以转办。`,
  change: (_g, x, now) => ({ status: 'transferred', escalated_to: x.to, escalation_summary: x.summary, closed_at: now }),
  body: (x) => x.summary,
  detail: (x) => ({ target: x.to }),
  after: async (ctx, g, x) => {
    const openId = await reporterOf(ctx.db, g.id)
    if (!openId) return
    const tz = ctx.config.timezone
    const text = escalationFileText({ number: g.number, category: g.category, filedOn: localDate(g.filedAt, tz), transferredOn: localDate(ctx.now(), tz), target: x.to, summary: x.summary, description: g.description })
    const file = await deliver(ctx, 'grievance:escalation-file', () => ctx.sendFileToUser(openId, `转办摘要-${g.number}.txt`, Buffer.from(text, 'utf8'), { key: `escalated-file:${g.id}` }), { grievance: g.number })
    await notifyReporter(ctx, g, { card: buildEscalatedNoticeCard({ number: g.number, target: x.to, summary: x.summary, fileSent: file.sent }) }, 'escalated')
  },
  success: (x) => `已转办至${ESCALATION_LABEL[x.to]}并结案，摘要已发给职工`,
}

export function registerGrievanceOfficers(router: BotRouter): void {
  for (const step of [accept, decline, assign, reply, note, resolve, escalate] as Array<OfficerAction<unknown>>) {
    router.action(step.def, {
      roles: ['officer'],
      deniedMessage: DENIED,
      handle: (ctx, onCase) => runOfficerAction(ctx, step, onCase),
    })
  }
}

/** The payload every officer step carries: the case and the revision of the card that was clicked. */
type OnCase = { gid: number; rev: number; cls?: 'general' | 'complex' | undefined }

async function runOfficerAction<I>(ctx: CardActionContext, def: OfficerAction<I>, onCase: OnCase): Promise<CardActionResult> {
  const { gid, rev } = onCase
  // The card's button without input: the step's form, as a follow-up card (QA F9).
  if (def.form && isOpening(ctx)) return openStepForm(ctx, gid, rev, def.form)
  const input = await def.read(ctx, onCase)
  const body = def.body?.(input) ?? null
  const detail = def.detail?.(input)
  let r: TransitionResult<Grievance>
  try {
    r = await transition(ctx, GRIEVANCE_MACHINE, {
      step: def.kind,
      lock: (trx) => lockGrievance(trx, gid),
      missing: () => new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown),
      // The same event again (recovery after a crash): its change is in place, only the notifications remain.
      replayed: async (trx) => (await eventsCausedBy(trx, gid, ctx.eventId)).some((e) => e.kind === def.kind),
      // An officer who recused from the case cannot act on it through any card they still have (issue #13): the
      // answer is a stale button's, and nobody can be made the assignee of a case they stepped aside from.
      guard: async (g, trx) => {
        if (await hasRecused(trx, g.id, ctx.actorOpenId)) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
        if (def.kind === 'assigned' && typeof input === 'string' && (await hasRecused(trx, g.id, input))) {
          throw new UserFacingError('INVALID_INPUT', '该干部已回避本案，请指派其他干部。')
        }
      },
      from: def.from,
      // A card drawn before the case's last change never acts; the same step by the same officer is a double click.
      current: (g) => g.revision === rev,
      already: async (g, trx) => {
        if (g.revision === rev) return false
        const last = (await listGrievanceEvents(trx, gid)).at(-1)
        return last?.kind === def.kind && last.actorOpenId === ctx.actorOpenId && last.body === body
      },
      refusal: (g) => (g.revision !== rev ? `该诉求刚有新的处理（当前：${STATUS_LABEL[g.status]}），卡片已刷新，请确认后再操作。` : def.refuse(g)),
      apply: (trx, g, now) => updateGrievance(trx, gid, { ...(def.change?.(g, input, now, ctx) ?? {}), revision: g.revision + 1 }),
      history: async (trx, _g, _after, now) =>
        void (await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: def.kind, actorOpenId: ctx.actorOpenId, body, ...(detail ? { detail } : {}), eventId: ctx.eventId })),
      // Who, what, when, which case; never the case text and never the reporter.
      audit: { action: def.action, ...(detail ? { detail: () => detail } : {}) },
    })
  } catch (err) {
    if (!(err instanceof TransitionRefusedError)) throw err
    // A stale card or a step the case's state does not allow: the reason, with the card as the case is now.
    const g = await getGrievance(ctx.db, gid)
    return { toast: { type: 'warning', content: err.userMessage }, ...(g ? { card: await renderCardFor(ctx, g, ctx.action.messageId) } : {}) }
  }
  const card = await renderCardFor(ctx, r.after, ctx.action.messageId)
  if (r.outcome === 'already') return { toast: { type: 'info', content: '这项操作已经生效，无需重复。' }, card }
  const g = r.after
  ctx.log.info({ eventId: ctx.eventId, grievance: g.number, action: def.action }, 'grievance officer action')
  ctx.defer(async () => {
    await def.after?.(ctx, g, input)
    // The clicked card is answered with the new content; the canonical one is patched if it was another.
    await refreshReviewCard(ctx, g.id, ctx.action.messageId).catch((err) => ctx.log.warn({ eventId: ctx.eventId, code: errorCode(err) }, 'card refresh failed'))
  })
  return { toast: { type: 'success', content: await def.success(input, ctx) }, card }
}
