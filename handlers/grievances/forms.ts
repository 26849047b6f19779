// A step's form on a follow-up card (QA F9, issue #13): the review card carries only buttons; a step that needs
// input opens its form privately for the officer who clicked on the committee group's card, or in place of their
// private copy (返回 redraws the case's card). Submitting the form runs the step's own action.
import { buildStepFormCard, stepsFor, type ReviewStep } from '../../cards/grievances/review.js'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { FORM_BACK } from '../../src/grievances/actions.js'
import { openExtension } from '../../src/grievances/extensions.js'
import { openIdentityRequest } from '../../src/grievances/identity.js'
import { STATUS_LABEL } from '../../src/grievances/model.js'
import { hasRecused } from '../../src/grievances/recusals.js'
import { getGrievance } from '../../src/grievances/store.js'
import { deliver } from '../../src/kit/deliver.js'
import { caseOfficers, renderCardFor } from './shared.js'

const STEP_NAME: Record<ReviewStep, string> = { assign: '指派', reply: '回复职工', decline: '不予受理', resolve: '办结', extend: '申请延期', escalate: '转办', identity: '请求公开身份', note: '内部备注' }

/** A click on a step's button (no form values, no option): open the form rather than act. */
export function isOpening(ctx: CardActionContext): boolean {
  return Object.keys(ctx.action.formValue).length === 0 && ctx.action.option === undefined
}

export async function openStepForm(ctx: CardActionContext, gid: number, rev: number, step: ReviewStep): Promise<CardActionResult> {
  const g = await getGrievance(ctx.db, gid)
  if (!g || (await hasRecused(ctx.db, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
  if (g.revision !== rev) {
    return { toast: { type: 'warning', content: `该诉求刚有新的处理（当前：${STATUS_LABEL[g.status]}），卡片已刷新，请确认后再操作。` }, card: await renderCardFor(ctx, g, ctx.action.messageId) }
  }
  const { allowed } = await caseOfficers(ctx, gid)
  const extension = await openExtension(ctx.db, gid)
  const identity = await openIdentityRequest(ctx.db, gid)
  const officers = await Promise.all(allowed.map(async (id) => ({ openId: id, name: (await ctx.nameOf(id).catch(() => undefined)) ?? '工会干部' })))
  const steps = stepsFor({ status: g.status, officers, anonymous: g.anonymous, ...(extension ? { extensionPending: extension.workdays } : {}), ...(identity ? { identity: { pending: true } } : {}) })
  if (!steps.includes(step)) {
    return { toast: { type: 'warning', content: `该诉求当前为「${STATUS_LABEL[g.status]}」，不能${STEP_NAME[step]}。` }, card: await renderCardFor(ctx, g, ctx.action.messageId) }
  }
  const view = { id: g.id, number: g.number, category: g.category, status: g.status, revision: g.revision, anonymous: g.anonymous, officers, ...(g.assigneeOpenId ? { assigneeOpenId: g.assigneeOpenId } : {}) }
  const inGroup = ctx.action.messageId !== undefined && (ctx.action.messageId === g.reviewMessageId || (ctx.action.chatId !== undefined && ctx.action.chatId === (await ctx.committeeChatId())))
  if (!inGroup) return { card: buildStepFormCard(view, step, { back: true }) }
  // The group sees the card; the form (and what the officer types) goes to the officer alone.
  const card = buildStepFormCard(view, step, { back: false })
  ctx.defer(async () => void (await deliver(ctx, 'grievance:step-form', () => ctx.sendToUser(ctx.actorOpenId, { card }, { key: `step-form:${g.id}:${g.revision}:${step}` }), { grievance: g.number })))
  return { toast: { type: 'success', content: `已私信您「${STEP_NAME[step]}」表单，请在与工会助手的私聊中填写。` } }
}

export function registerGrievanceForms(router: BotRouter): void {
  router.action(FORM_BACK, {
    roles: ['officer'],
    deniedMessage: '抱歉，只有工会干部可以处理诉求。',
    async handle(ctx, { gid }) {
      const g = await getGrievance(ctx.db, gid)
      if (!g || (await hasRecused(ctx.db, gid, ctx.actorOpenId))) throw new UserFacingError('NOT_FOUND', MESSAGES.actionUnknown)
      return { card: await renderCardFor(ctx, g, ctx.action.messageId) }
    },
  })
}
