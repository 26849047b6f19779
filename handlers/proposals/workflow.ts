// The committee's and the departments' steps, all by card: review (立案 / 不立案 with a reason), assignment to a
// department with a due date, the department's answer with its class, and the proposer's rating of it.
import { answerClassText } from '../../cards/proposals/proposal.js'
import { buildDepartmentCard, buildRatingCard, FIELDS } from '../../cards/proposals/work.js'
import { ANSWER, ASSIGN, RATE, REFRESH, REGISTER, REJECT } from '../../src/proposals/actions.js'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import {
  ANSWER_MAX,
  ANSWER_MIN,
  OWN_PROPOSAL_ANSWER,
  OWN_PROPOSAL_ASSIGN,
  REASON_MAX,
  SATISFACTION_LABEL,
  charCount,
  isAnswerClass,
  parsePickedDate,
} from '../../src/proposals/model.js'
import { updateProposal, type Proposal } from '../../src/proposals/store.js'
import { isProposerOrCosigner } from '../../src/proposals/cosigners.js'
import { getDepartment } from '../../src/organisation/departments.js'
import {
  buildView,
  committeeCardFor,
  inState,
  notifyStakeholders,
  numberFrom,
  patchSafely,
  refreshCommitteeCard,
  requireProposal,
  sendSafely,
  statusNotice,
  today,
  transition,
} from './shared.js'

/** After 不满意 the department gets at least this many working days to handle the proposal again. */
export const REHANDLE_WORKDAYS = 10

const formText = (ctx: CardActionContext, name: string) => (ctx.formString(name) ?? '').trim()

/** The answer for a step someone already took: a kind toast and the card as it is now. */
async function alreadyAnswer(p: Proposal, message: string, cardFor: (p: Proposal) => Promise<CardActionResult['card']>): Promise<CardActionResult> {
  const card = await cardFor(p)
  return { toast: { type: 'info', content: message }, ...(card ? { card } : {}) }
}

const committeeCard = (ctx: CardActionContext) => (p: Proposal) => committeeCardFor(ctx, p)

/** Sends the department contact the proposal with the answer form (again after 不满意), once per round. */
async function sendToDepartment(ctx: CardActionContext, number: string): Promise<void> {
  const p = await requireProposal(ctx.db, number)
  const dept = p.departmentId ? await getDepartment(ctx.db, p.departmentId) : undefined
  if (!dept) return
  const card = buildDepartmentCard(await buildView(ctx, p))
  const messageId = await sendSafely(ctx, 'department-card', () => ctx.sendToUser(dept.contactOpenId, { card }, { key: `dept:${p.number}:${p.reopenCount}` }))
  if (messageId) await updateProposal(ctx.db, p.id, { departmentMessageId: messageId }, ctx.now())
}

/** The name of the proposal's department, for its timeline (read before the step; it does not change during it). */
async function departmentNameOf(ctx: CardActionContext, number: string): Promise<string> {
  const p = await requireProposal(ctx.db, number)
  return (p.departmentId ? (await getDepartment(ctx.db, p.departmentId))?.name : undefined) ?? ''
}

export function registerProposalWorkflow(router: BotRouter): void {
  router.action(REGISTER, {
    roles: ['officer'],
    async handle(ctx, { number }) {
      const reason = formText(ctx, FIELDS.reason)
      if (charCount(reason) > REASON_MAX) throw new UserFacingError('INVALID_INPUT', `审查意见不能超过 ${REASON_MAX} 个字。`)
      const r = await transition(ctx, {
        number,
        kind: 'registered',
        from: ['pending_review'],
        alreadyDone: (p) => p.status === 'registered',
        refusal: (p) => inState(p, p.status === 'collecting' ? '附议人数未达到要求，还不能立案。' : '不能立案。'),
        changes: () => ({ status: 'registered', reviewedAt: ctx.now(), reviewedBy: ctx.actorOpenId, reviewReason: reason || null }),
        note: reason || null,
        audit: 'proposal.register',
      })
      if (r.outcome === 'already') return alreadyAnswer(r.after, '该提案已经立案。', committeeCard(ctx))
      ctx.defer(() => notifyStakeholders(ctx, r.after, 'registered', statusNotice(r.after, '经工会提案工作委员会审查，已立案，将交承办部门办理。')))
      return { toast: { type: 'success', content: '已立案，请选择承办部门和办理期限后交办。' }, card: await committeeCardFor(ctx, r.after) }
    },
  })

  router.action(REJECT, {
    roles: ['officer'],
    async handle(ctx, { number }) {
      const reason = formText(ctx, FIELDS.reason)
      const r = await transition(ctx, {
        number,
        kind: 'rejected',
        from: ['pending_review'],
        guard: () => {
          if (!reason) throw new UserFacingError('INVALID_INPUT', '不立案须填写理由，例如：转为意见建议，由工会转有关部门参考。')
          if (charCount(reason) > REASON_MAX) throw new UserFacingError('INVALID_INPUT', `理由不能超过 ${REASON_MAX} 个字。`)
        },
        alreadyDone: (p) => p.status === 'rejected',
        refusal: (p) => inState(p, p.status === 'collecting' ? '附议人数未达到要求，还不能审查。' : '不能再作不立案处理。'),
        changes: () => ({ status: 'rejected', reviewedAt: ctx.now(), reviewedBy: ctx.actorOpenId, reviewReason: reason }),
        note: reason,
        audit: 'proposal.reject',
      })
      if (r.outcome === 'already') return alreadyAnswer(r.after, '该提案已作不立案处理。', committeeCard(ctx))
      ctx.defer(() => notifyStakeholders(ctx, r.after, 'rejected', statusNotice(r.after, '经工会提案工作委员会审查不立案，作为意见建议处理。')))
      return { toast: { type: 'success', content: '已作不立案处理，转为意见建议。' }, card: await committeeCardFor(ctx, r.after) }
    },
  })

  router.action(ASSIGN, {
    roles: ['officer'],
    async handle(ctx, { number }) {
      const deptId = Number(ctx.formString(FIELDS.department) ?? ctx.action.formValue[FIELDS.department])
      const dueDate = parsePickedDate(ctx.formString(FIELDS.dueDate))
      const dept = Number.isInteger(deptId) && deptId > 0 ? await getDepartment(ctx.db, deptId) : undefined
      const r = await transition(ctx, {
        number,
        kind: 'assigned',
        from: ['registered'],
        guard: async (p, trx) => {
          if (!dept?.active) throw new UserFacingError('INVALID_INPUT', '请选择承办部门（部门须已登记）。')
          if (!dueDate) throw new UserFacingError('INVALID_INPUT', '请选择办理期限。')
          if (dueDate < today(ctx)) throw new UserFacingError('INVALID_INPUT', '办理期限不能早于今天。')
          // The contact answers the proposal and the proposer rates that answer: one person must not do both.
          if (p.status === 'registered' && (await isProposerOrCosigner(trx, p, dept.contactOpenId))) throw new UserFacingError('INVALID_INPUT', OWN_PROPOSAL_ASSIGN)
        },
        alreadyDone: (p) => p.status === 'in_progress' && p.departmentId === deptId,
        refusal: (p) => inState(p, p.status === 'pending_review' || p.status === 'collecting' ? '尚未立案，不能交办。' : '不能再交办。'),
        changes: () => ({ status: 'in_progress', departmentId: dept!.id, assignedAt: ctx.now(), assignedBy: ctx.actorOpenId, dueDate: dueDate! }),
        detail: () => ({ department: dept!.name, departmentId: dept!.id, dueDate }),
        audit: 'proposal.assign',
      })
      if (r.outcome === 'already') return alreadyAnswer(r.after, '该提案已经交办。', committeeCard(ctx))
      ctx.defer(async () => {
        await sendToDepartment(ctx, number)
        await notifyStakeholders(ctx, r.after, 'assigned', statusNotice(r.after, `已交承办部门办理，办理期限 ${r.after.dueDate}。`))
      })
      return { toast: { type: 'success', content: '已交办，承办部门联系人将收到提案。' }, card: await committeeCardFor(ctx, r.after) }
    },
  })

  router.command({
    words: ['提案处理', '处理提案'],
    roles: ['officer'],
    help: { section: '职代会提案（工会干部）', usage: '提案处理 P-2026-003', description: '调出提案的审查/交办卡片' },
    async handle(ctx) {
      const p = await requireProposal(ctx.db, numberFrom(ctx.argsText))
      await ctx.reply({ card: await committeeCardFor(ctx, p) })
    },
  })

  router.action(REFRESH, {
    roles: ['officer'],
    async handle(ctx, { number }) {
      return { card: await committeeCardFor(ctx, await requireProposal(ctx.db, number)) }
    },
  })

  router.action(ANSWER, {
    roles: ['department_contact'],
    deniedMessage: '只有承办部门的联系人可以答复提案。',
    async handle(ctx, { number }) {
      const department = await departmentNameOf(ctx, number)
      const answer = formText(ctx, FIELDS.answer)
      const cls = ctx.formString(FIELDS.answerClass)
      const r = await transition(ctx, {
        number,
        kind: 'answered',
        from: ['in_progress'],
        guard: async (p, trx) => {
          const dept = p.departmentId ? await getDepartment(trx, p.departmentId) : undefined
          if (!dept || dept.contactOpenId !== ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '只有该提案承办部门的联系人可以答复。')
          // Assignment and contact changes refuse this already; checked again here, under the row lock, so no path
          // (a contact changed by hand, a race between the two) lets a proposer answer their own proposal.
          if (await isProposerOrCosigner(trx, p, ctx.actorOpenId)) throw new UserFacingError('FORBIDDEN_ROLE', OWN_PROPOSAL_ANSWER)
          if (p.status !== 'in_progress') return
          if (charCount(answer) < ANSWER_MIN) throw new UserFacingError('INVALID_INPUT', `请填写答复内容（不少于 ${ANSWER_MIN} 个字）。`)
          if (charCount(answer) > ANSWER_MAX) throw new UserFacingError('INVALID_INPUT', `答复内容不能超过 ${ANSWER_MAX} 个字。`)
          if (!isAnswerClass(cls)) throw new UserFacingError('INVALID_INPUT', '请选择落实类别（A / B / C）。')
        },
        alreadyDone: (p) => p.status === 'answered' || p.status === 'closed',
        refusal: (p) => inState(p, p.status === 'registered' ? '尚未交办，不能答复。' : '不能答复。'),
        changes: () => ({ status: 'answered', answeredAt: ctx.now(), answeredBy: ctx.actorOpenId, answerText: answer, answerClass: cls! }),
        detail: () => ({ department, answerClass: cls }),
        audit: 'proposal.answer',
      })
      const departmentCard = async (p: Proposal) => buildDepartmentCard(await buildView(ctx, p))
      if (r.outcome === 'already') return alreadyAnswer(r.after, '该提案已经答复。', departmentCard)
      ctx.defer(async () => {
        const p = r.after
        const view = await buildView(ctx, p)
        const ratingId = await sendSafely(ctx, 'rating-card', () => ctx.sendToUser(p.proposerOpenId, { card: buildRatingCard(view, p.reopenCount) }, { key: `rate:${p.number}:${p.reopenCount}` }))
        if (ratingId) await updateProposal(ctx.db, p.id, { ratingMessageId: ratingId }, ctx.now())
        await notifyStakeholders(ctx, p, `answered-${p.reopenCount}`, statusNotice(p, `承办部门已答复，落实类别：${answerClassText(p.answerClass ?? undefined)}。`), [p.proposerOpenId])
        await refreshCommitteeCard(ctx, p.number)
      })
      return { toast: { type: 'success', content: '已提交答复，提案人将对答复进行评价。' }, card: await departmentCard(r.after) }
    },
  })

  router.action(RATE, {
    async handle(ctx, { number, satisfaction, round }) {
      const unsatisfied = satisfaction === 'dissatisfied'
      const department = await departmentNameOf(ctx, number)
      const r = await transition(ctx, {
        number,
        kind: 'rated',
        from: ['answered'],
        guard: (p) => {
          if (p.proposerOpenId !== ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '只有提案人可以评价答复。')
          if (p.status === 'answered' && round !== p.reopenCount) throw new UserFacingError('STALE_ACTION', '这是之前的答复，请在最新的答复卡片上评价。')
        },
        alreadyDone: (p) => round < p.reopenCount || p.status === 'closed',
        refusal: (p) => inState(p, '现在不能评价。'),
        changes: (p) => {
          const now = ctx.now()
          if (!unsatisfied) return { status: 'closed', ratedAt: now, satisfaction, closedAt: now }
          const floor = ctx.services.calendar.nthWorkdayAfter(now, REHANDLE_WORKDAYS)
          return { status: 'in_progress', ratedAt: now, satisfaction, reopenCount: p.reopenCount + 1, dueDate: p.dueDate && p.dueDate > floor ? p.dueDate : floor }
        },
        detail: (_, after) => ({ satisfaction, department, dueDate: after.dueDate }),
        audit: 'proposal.rate',
      })
      const ratingCard = async (p: Proposal) => buildRatingCard(await buildView(ctx, p), round)
      if (r.outcome === 'already') return alreadyAnswer(r.after, '您已经评价过这次答复。', ratingCard)
      const p = r.after
      ctx.defer(async () => {
        if (unsatisfied) {
          await sendSafely(ctx, 'committee-reopen', async () =>
            (await ctx.sendToCommittee({ text: `【职代会提案】提案 ${p.number} 的提案人对答复不满意，已退回承办部门重新办理，新的办理期限 ${p.dueDate}。` }, { key: `reopen-committee:${p.number}:${p.reopenCount}` })) ?? { messageId: '' },
          )
          await sendToDepartment(ctx, p.number)
          await notifyStakeholders(ctx, p, `reopened-${p.reopenCount}`, statusNotice(p, '的提案人对答复不满意，已退回承办部门重新办理。'), [p.proposerOpenId])
        } else {
          await notifyStakeholders(ctx, p, 'closed', statusNotice(p, `已办结（提案人评价：${SATISFACTION_LABEL[satisfaction]}）。`), [p.proposerOpenId])
          if (p.departmentMessageId) await patchSafely(ctx, 'department-card', p.departmentMessageId, buildDepartmentCard(await buildView(ctx, p)))
        }
        await refreshCommitteeCard(ctx, p.number)
      })
      return {
        toast: { type: 'success', content: unsatisfied ? '已反馈不满意，提案退回承办部门重新办理。' : '感谢您的评价，提案已办结。' },
        card: await ratingCard(p),
      }
    },
  })
}
