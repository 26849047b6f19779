// Officers' actions on a grievance's review card in the committee group: 受理 / 不予受理 / 指派 / 回复职工 /
// 内部备注 / 办结. Officers only (checked by the dispatcher); each action is one locked state transition, audited,
// keyed by the card's revision so a double click or a stale card acts once; notifications go after the answer.
import { buildAssignedCard } from '../../cards/grievances/notices.js'
import { FORM_FIELDS, GRIEVANCE_ACTIONS } from '../../cards/grievances/review.js'
import { buildDeclinedNoticeCard, buildReplyNoticeCard, buildResolvedNoticeCard } from '../../cards/grievances/worker.js'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { GrievanceEventKind, GrievancesTable } from '../../src/grievances/tables.js'
import { UserFacingError, errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { OFFICER_TEXT_MAX_CHARS, STATUS_LABEL, charCount } from '../../src/grievances/model.js'
import { eventsCausedBy, listGrievanceEvents, lockGrievance, recordGrievanceEvent, updateGrievance, type Grievance } from '../../src/grievances/store.js'
import type { Updateable } from 'kysely'
import { notifyReporter, refreshReviewCard, renderReviewCard } from './shared.js'

interface OfficerAction<I> {
  action: string
  /** The history entry it records (also how a re-run of the same event is recognised). */
  kind: GrievanceEventKind
  /** Reads the card's form; throws UserFacingError for missing or bad input. */
  read(ctx: CardActionContext): Promise<I>
  /** Why the action cannot apply to the case as it is now (undefined: it can). */
  refuse?(g: Grievance): string | undefined
  change?(g: Grievance, input: I, now: Date): Updateable<GrievancesTable>
  body?(input: I): string
  detail?(input: I): Record<string, unknown>
  /** Notifications after the answer (deferred: Feishu waits only 3 s for the card callback). */
  after?(ctx: CardActionContext, g: Grievance, input: I): Promise<void>
  success(input: I, ctx: CardActionContext): Promise<string> | string
}

const DENIED = '抱歉，只有工会干部可以处理诉求。'

function requiredText(ctx: CardActionContext, field: string, what: string): string {
  const text = (ctx.formString(field) ?? '').trim()
  if (!text) throw new UserFacingError('INVALID_INPUT', `请先填写${what}。`)
  if (charCount(text) > OFFICER_TEXT_MAX_CHARS) throw new UserFacingError('INVALID_INPUT', `${what}最多 ${OFFICER_TEXT_MAX_CHARS} 个字。`)
  return text
}

const noInput = async () => undefined

const accept: OfficerAction<undefined> = {
  action: GRIEVANCE_ACTIONS.accept,
  kind: 'accepted',
  read: noInput,
  refuse: (g) => (g.status === 'pending' ? undefined : `该诉求当前为「${STATUS_LABEL[g.status]}」，不能受理。`),
  change: (_g, _i, now) => ({ status: 'accepted', accepted_at: now }),
  after: async (ctx, g) => void (await notifyReporter(ctx, g, { text: `您的诉求 ${g.number} 已受理，当前状态：${STATUS_LABEL.accepted}。` }, 'accepted')),
  success: () => '已受理，已通知职工',
}

const decline: OfficerAction<string> = {
  action: GRIEVANCE_ACTIONS.decline,
  kind: 'declined',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.reason, '不予受理的理由'),
  refuse: (g) => (g.status === 'pending' ? undefined : `该诉求当前为「${STATUS_LABEL[g.status]}」，只有待受理的诉求可以不予受理。`),
  change: (_g, reason, now) => ({ status: 'declined', decline_reason: reason, closed_at: now }),
  body: (reason) => reason,
  after: async (ctx, g, reason) => void (await notifyReporter(ctx, g, { card: buildDeclinedNoticeCard({ number: g.number, reason }) }, 'declined')),
  success: () => '已不予受理，理由已告知职工',
}

const assign: OfficerAction<string> = {
  action: GRIEVANCE_ACTIONS.assign,
  kind: 'assigned',
  read: async (ctx) => {
    const assignee = (ctx.formString(FORM_FIELDS.assignee) ?? ctx.action.option ?? '').trim()
    if (!assignee) throw new UserFacingError('INVALID_INPUT', '请先选择承办的工会干部。')
    if (!(await ctx.isOfficer(assignee))) throw new UserFacingError('INVALID_INPUT', '只能指派给工会干部。')
    return assignee
  },
  refuse: (g) => (g.status === 'pending' || g.status === 'accepted' ? undefined : `该诉求已${STATUS_LABEL[g.status]}，不能再指派。`),
  change: (_g, assignee) => ({ assignee_open_id: assignee }),
  detail: (assignee) => ({ assignee }),
  after: async (ctx, g, assignee) => {
    const card = buildAssignedCard({
      number: g.number,
      category: g.category,
      status: g.status,
      acceptDueAt: g.accept_due_at,
      resolveDueAt: g.resolve_due_at,
      assignerName: (await ctx.nameOf(ctx.actorOpenId)) ?? '工会干部',
      timeZone: ctx.config.timezone,
    })
    await deliver(ctx, 'grievance:assignee', () => ctx.sendToUser(assignee, { card }, { key: `assigned:${g.id}` }), { grievance: g.number })
  },
  success: async (assignee, ctx) => `已指派给 ${(await ctx.nameOf(assignee)) ?? '工会干部'}，已私信通知`,
}

const reply: OfficerAction<string> = {
  action: GRIEVANCE_ACTIONS.reply,
  kind: 'replied',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.reply, '回复内容'),
  body: (text) => text,
  after: async (ctx, g, text) => void (await notifyReporter(ctx, g, { card: buildReplyNoticeCard({ number: g.number, status: g.status, text, anonymous: g.anonymous }) }, 'reply')),
  success: () => '已转达给职工',
}

const note: OfficerAction<string> = {
  action: GRIEVANCE_ACTIONS.note,
  kind: 'noted',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.note, '备注内容'),
  body: (text) => text,
  success: () => '已添加内部备注（职工看不到）',
}

const resolve: OfficerAction<string> = {
  action: GRIEVANCE_ACTIONS.resolve,
  kind: 'resolved',
  read: async (ctx) => requiredText(ctx, FORM_FIELDS.result, '办结结果'),
  refuse: (g) => (g.status === 'accepted' ? undefined : g.status === 'pending' ? '请先受理，再办结。' : `该诉求当前为「${STATUS_LABEL[g.status]}」，不能办结。`),
  change: (_g, result, now) => ({ status: 'resolved', resolved_at: now, resolution: result }),
  body: (result) => result,
  after: async (ctx, g, result) =>
    void (await notifyReporter(ctx, g, { card: buildResolvedNoticeCard({ gid: g.id, number: g.number, result, round: g.reopened_count }) }, `resolved:${g.reopened_count}`)),
  success: () => '已办结，已请职工评价',
}

export function registerGrievanceOfficers(router: BotRouter): void {
  for (const def of [accept, decline, assign, reply, note, resolve] as Array<OfficerAction<unknown>>) {
    router.action(def.action, {
      roles: ['officer'],
      deniedMessage: DENIED,
      handle: (ctx) => runOfficerAction(ctx, def),
    })
  }
}

type Outcome = { kind: 'missing' } | { kind: 'applied'; g: Grievance } | { kind: 'stale' | 'duplicate'; g: Grievance } | { kind: 'refused'; g: Grievance; message: string }

async function runOfficerAction<I>(ctx: CardActionContext, def: OfficerAction<I>): Promise<CardActionResult> {
  const gid = Number(ctx.valueString('gid'))
  const rev = Number(ctx.valueString('rev'))
  if (!Number.isInteger(gid) || !Number.isInteger(rev)) return { toast: { type: 'error', content: MESSAGES.actionUnknown } }
  const input = await def.read(ctx)
  const now = ctx.now()
  const body = def.body?.(input) ?? null
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    const g = await lockGrievance(trx, gid)
    if (!g) return { kind: 'missing' }
    // The same event again (recovery after a crash): its change is in place, only the notifications remain.
    if ((await eventsCausedBy(trx, gid, ctx.eventId)).some((e) => e.kind === def.kind)) return { kind: 'applied', g }
    if (g.revision !== rev) {
      const last = (await listGrievanceEvents(trx, gid)).at(-1)
      const same = last?.kind === def.kind && last.actor_open_id === ctx.actorOpenId && last.body === body
      return { kind: same ? 'duplicate' : 'stale', g }
    }
    const refusal = def.refuse?.(g)
    if (refusal) return { kind: 'refused', g, message: refusal }
    const updated = await updateGrievance(trx, gid, { ...(def.change?.(g, input, now) ?? {}), revision: g.revision + 1 })
    const detail = def.detail?.(input)
    await recordGrievanceEvent(trx, { grievanceId: gid, at: now, kind: def.kind, actorOpenId: ctx.actorOpenId, body, ...(detail ? { detail } : {}), eventId: ctx.eventId })
    // Who, what, when, which case; never the case text and never the reporter.
    await ctx.audit({ action: def.action, subjectType: 'grievance', subjectId: g.number, detail: { from: g.status, to: updated.status, ...(detail ?? {}) } }, trx)
    return { kind: 'applied', g: updated }
  })
  if (outcome.kind === 'missing') return { toast: { type: 'error', content: MESSAGES.actionUnknown } }
  const card = await renderReviewCard(ctx, outcome.g)
  switch (outcome.kind) {
    case 'duplicate':
      return { toast: { type: 'info', content: '这项操作已经生效，无需重复。' }, card }
    case 'stale':
      return { toast: { type: 'warning', content: `该诉求刚有新的处理（当前：${STATUS_LABEL[outcome.g.status]}），卡片已刷新，请确认后再操作。` }, card }
    case 'refused':
      return { toast: { type: 'warning', content: outcome.message }, card }
  }
  const g = outcome.g
  ctx.log.info({ eventId: ctx.eventId, grievance: g.number, action: def.action }, 'grievance officer action')
  ctx.defer(async () => {
    await def.after?.(ctx, g, input)
    // The clicked card is answered with the new content; the canonical one is patched if it was another.
    await refreshReviewCard(ctx, g.id, ctx.action.messageId).catch((err) => ctx.log.warn({ eventId: ctx.eventId, code: errorCode(err) }, 'card refresh failed'))
  })
  return { toast: { type: 'success', content: await def.success(input, ctx) }, card }
}
