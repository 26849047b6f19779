// The responsible officers' steps on a hardship case (主席、副主席 only, on their private cards): 记录走访, 委员会批准 /
// 不批准 (with a reason), 公示 (number, kind and amount; the name only with consent), 记录发放 (amount, date). The
// applicant is told each step; the other officers' cards are patched; the annual review is reminded once.
import { buildApplicantCard, buildNoticeCard } from '../../cards/hardship/hardship.js'
import { parseYuan } from '../../src/care/model.js'
import type { CardActionContext, CardActionResult, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { FIELDS, HARDSHIP_APPROVE, HARDSHIP_PAY, HARDSHIP_PUBLISH, HARDSHIP_REJECT, HARDSHIP_VISIT } from '../../src/hardship/actions.js'
import { HARDSHIP_STATUS_LABEL, NOTE_MAX, addMonths, noticeOf, type HardshipCase } from '../../src/hardship/model.js'
import { hardshipStep, type HardshipStep } from '../../src/hardship/steps.js'
import { cardsOfCase, claimReview, markReviewSent, responsibleOfficers, reviewsDue } from '../../src/hardship/store.js'
import type { CaseChange } from '../../src/hardship/store.js'
import { readTypedDate } from '../../src/kit/dates.js'
import { deliver } from '../../src/kit/deliver.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { charCount } from '../../src/kit/text.js'
import { ROLE_UNION_ADMIN } from '../../src/organisation/model.js'
import { localDate } from '../../src/time.js'
import { caseCard } from './selfcheck.js'

export const HARDSHIP_DENIED = '抱歉，困难帮扶申请只有工会主席、副主席可以处理。'

function requiredNote(ctx: CardActionContext, what: string): string {
  const text = (ctx.formString(FIELDS.note) ?? '').trim()
  if (!text) throw new UserFacingError('INVALID_INPUT', `请填写${what}。`)
  if (charCount(text) > NOTE_MAX) throw new UserFacingError('INVALID_INPUT', `${what}不能超过 ${NOTE_MAX} 个字。`)
  return text
}

function payment(ctx: CardActionContext): CaseChange {
  const fen = parseYuan(ctx.formString(FIELDS.amount) ?? '')
  if (fen === undefined) throw new UserFacingError('INVALID_INPUT', '请检查发放金额：填写元，最多两位小数，例如 2000。')
  const today = localDate(ctx.now(), ctx.config.timezone)
  const date = readTypedDate(ctx.formString(FIELDS.paidOn) ?? '')
  if (!date || date > today) throw new UserFacingError('INVALID_INPUT', `请检查发放日期：应为不晚于今天的日期，例如 ${today}。`)
  return { paidFen: fen, paidOn: date, reviewDueOn: addMonths(date, ctx.config.hardship.reviewMonths) }
}

const DONE: Record<HardshipStep, string> = { visit: '已记录走访', approve: '已批准', reject: '已记录不批准，并告知申请人', publish: '已发布公示', pay: '已记录发放' }

async function step(ctx: CardActionContext, id: number, s: HardshipStep, change: () => CaseChange): Promise<CardActionResult> {
  const result = await hardshipStep(ctx, id, s, change())
  const c = result.after
  if (result.outcome === 'already') return { toast: { type: 'info', content: `这份申请已是「${HARDSHIP_STATUS_LABEL[c.status]}」。` }, card: caseCard(ctx, c) }
  ctx.log.info({ eventId: ctx.eventId, number: c.number, step: s }, 'hardship step taken')
  ctx.defer(() => afterStep(ctx, c, s))
  return { toast: { type: 'success', content: DONE[s] }, card: caseCard(ctx, c) }
}

async function afterStep(ctx: CardActionContext, c: HardshipCase, s: HardshipStep): Promise<void> {
  for (const card of await cardsOfCase(ctx.db, c.id)) {
    if (card.messageId !== ctx.action.messageId) await deliver(ctx, 'hardship:patch', () => ctx.patchCard(card.messageId, caseCard(ctx, c)))
  }
  if (s === 'publish') {
    const chat = ctx.config.hardship.noticeChatId ?? (await ctx.committeeChatId())
    if (chat) await deliver(ctx, 'hardship:notice', () => ctx.sendToChat(chat, { card: buildNoticeCard(noticeOf(c)) }, { key: `hardship-notice:${c.id}` }))
  }
  // The applicant: the status in bot words and the number; an officer's typed reason only inside a card.
  const content = s === 'reject' || s === 'pay' ? { card: buildApplicantCard(c) } : { text: `【工会】您的困难帮扶申请 ${c.number} 有新进展：${HARDSHIP_STATUS_LABEL[c.status]}。` }
  await deliver(ctx, 'hardship:applicant', () => ctx.sendToUser(c.openId, content, { key: `hardship-applicant:${c.id}:${s}` }))
}

/** From 09:00 on working days: paid cases whose annual review is due, once each, to the responsible officers. */
async function reviews(ctx: PeriodicContext): Promise<void> {
  const today = workdayFrom(ctx.now(), ctx.services.calendar, ctx.config.timezone)
  if (!today) return
  for (const c of await reviewsDue(ctx.db, today)) {
    const key = { id: c.id, dueOn: c.reviewDueOn! }
    if (!(await claimReview(ctx.db, key, ctx.now(), 10 * 60_000))) continue
    for (const openId of await responsibleOfficers(ctx.db, ctx.config.union.officerOpenIds)) {
      await deliver(ctx, 'hardship:review', () =>
        ctx.sendToUser(openId, { text: `【工会】困难帮扶 ${c.number} 已到年度复核时间（${c.paidOn ?? ''} 发放），请复核家庭情况，确定是否继续帮扶。` }, { key: `hardship-review:${c.id}:${key.dueOn}:${openId}` }),
      )
    }
    await markReviewSent(ctx.db, key, ctx.now())
  }
}

export function registerHardshipSteps(router: BotRouter): void {
  const spec = (s: HardshipStep, change: (ctx: CardActionContext) => CaseChange = () => ({})) => ({
    roles: [ROLE_UNION_ADMIN],
    deniedMessage: HARDSHIP_DENIED,
    handle: (ctx: CardActionContext, p: { id: number }) => step(ctx, p.id, s, () => change(ctx)),
  })
  router.action(HARDSHIP_VISIT, spec('visit', (ctx) => ({ visitNote: requiredNote(ctx, '入户走访记录'), visitedOn: localDate(ctx.now(), ctx.config.timezone) })))
  router.action(HARDSHIP_APPROVE, spec('approve'))
  router.action(HARDSHIP_REJECT, spec('reject', (ctx) => ({ decisionNote: requiredNote(ctx, '不批准的理由') })))
  router.action(HARDSHIP_PUBLISH, spec('publish'))
  router.action(HARDSHIP_PAY, spec('pay', payment))
  router.periodic({ name: 'hardship-reviews', run: reviews })
}
