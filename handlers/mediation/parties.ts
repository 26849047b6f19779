// The parties' side of a mediation and the look-ups: confirming the drafted 调解协议书 (each confirmation recorded
// with person and time; final once both parties and the mediator have confirmed, Art. 14, then sent to all three as a
// card and a text file), objecting to the draft, withdrawing; `我的调解`, `调解 M-…` (each sees their own card, others
// nothing), and `调解 M-… 企业代表 @某人` by a committee member (the employer's representative is a party).
import { buildAgreementCard, buildArbitrationCard, buildOwnMediationsCard } from '../../cards/mediation/case.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { TransitionRefusedError, transition } from '../../src/kit/transition.js'
import { CONFIRM, OBJECT, WITHDRAW } from '../../src/mediation/actions.js'
import {
  CLOCK_STATUSES,
  MEDIATION_COMMITTEE,
  MEDIATION_NUMBER,
  MEDIATION_STATUS_LABEL,
  PAYMENT_ORDER_HINT,
  PAYMENT_ORDER_KINDS,
  SIGNATORIES,
  arbitrationHint,
  type Signatory,
} from '../../src/mediation/model.js'
import { MEDIATION_MACHINE, addConfirmation, casesOfParty, clearConfirmations, eventsCausedBy, getCaseByNumber, listConfirmations, lockCase, recordEvent, updateCase, type MediationCase } from '../../src/mediation/store.js'
import { committeeMembers } from '../../src/organisation/store.js'
import { cardFor, committeeCard, isMediationMember, partOf, partyCard, refreshGroupCard, tell, today } from './shared.js'
import { runCaseStep, type CaseStep } from './steps.js'

const SECTION = '劳动争议调解'
const NOT_FOUND = (n: string) => `没有找到您可以查看的调解案件 ${n}。`

const confirm: CaseStep<undefined> = {
  action: CONFIRM.name,
  kind: 'confirmed',
  read: () => undefined,
  from: ['agreement'],
  bump: false,
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，没有待确认的协议书。`,
  guard(ctx, c) {
    if (!partOf(c, ctx.actorOpenId)) throw new UserFacingError('FORBIDDEN_ROLE', '只有双方当事人和调解员可以确认协议书。')
  },
  async change(c, _i, now, ctx, trx) {
    const part = partOf(c, ctx.actorOpenId) as Signatory
    if (!(await addConfirmation(trx, { caseId: c.id, party: part, openId: ctx.actorOpenId, at: now, eventId: ctx.eventId }))) {
      throw new UserFacingError('INVALID_STATE', '您已确认过这份协议书，无需重复。')
    }
    const done = new Set((await listConfirmations(trx, c.id)).map((x) => x.party))
    // Final once all three have confirmed (Art. 14: both parties and the mediator).
    return SIGNATORIES.every((p) => done.has(p)) ? { status: 'agreed', agreed_at: now, closed_at: now } : {}
  },
  async after(ctx, c) {
    if (c.status !== 'agreed' || !c.agreement_text) return
    const hint = c.claim_kind && PAYMENT_ORDER_KINDS.includes(c.claim_kind) ? PAYMENT_ORDER_HINT : undefined
    const fileName = `调解协议书-${c.number}.txt`
    // A plain UTF-8 text file (with BOM and CRLF, so Windows' Notepad opens it too): no document library needed.
    const file = Buffer.from(`\ufeff${c.agreement_text.replace(/\n/g, '\r\n')}\r\n`, 'utf8')
    for (const openId of [c.applicant_open_id, c.employer_open_id, c.mediator_open_id]) {
      if (!openId) continue
      await tell(ctx, c, openId, { card: buildAgreementCard({ number: c.number, text: c.agreement_text, paymentOrderHint: openId === c.applicant_open_id ? hint : undefined, fileName }) }, 'agreed')
      await deliver(ctx, 'mediation:agreement-file', () => ctx.sendFileToUser(openId, fileName, file, { key: `agreed-file:${c.id}:${openId}` }), { mediation: c.number })
    }
  },
  success: (_i, c) => (c.status === 'agreed' ? '协议书已生效，已发送给双方当事人和调解员' : '已确认；其他各方确认后协议书生效'),
}

const object: CaseStep<undefined> = {
  action: OBJECT.name,
  kind: 'reopened',
  read: () => undefined,
  from: ['agreement'],
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，没有待确认的协议书。`,
  guard(ctx, c) {
    const part = partOf(c, ctx.actorOpenId)
    if (part !== 'applicant' && part !== 'employer') throw new UserFacingError('FORBIDDEN_ROLE', '只有双方当事人可以对协议书提出异议。')
  },
  async change(c, _i, _now, _ctx, trx) {
    await clearConfirmations(trx, c.id)
    return { status: 'accepted', agreement_text: null }
  },
  async after(ctx, c) {
    await tell(ctx, c, c.mediator_open_id, { text: `当事人对调解协议书 ${c.number} 有异议，案件已退回调解，请与双方沟通后重新起草。` }, 'objected')
    await tell(ctx, c, c.mediator_open_id, { card: await committeeCard(ctx, c) }, 'objected-card')
  },
  success: () => '已退回调解员修改，协议书需重新确认',
}

const withdraw: CaseStep<undefined> = {
  action: WITHDRAW.name,
  kind: 'withdrawn',
  read: () => undefined,
  from: CLOCK_STATUSES,
  checkRevision: false,
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，不能撤回。`,
  guard(ctx, c) {
    if (ctx.actorOpenId !== c.applicant_open_id) throw new UserFacingError('FORBIDDEN_ROLE', '只有申请人本人可以撤回调解申请。')
  },
  change: (_c, _i, now) => ({ status: 'withdrawn', closed_at: now }),
  async after(ctx, c) {
    await tell(ctx, c, c.applicant_open_id, { card: buildArbitrationCard({ number: c.number, headline: `您已撤回调解申请 ${c.number}，调解结束。`, hint: arbitrationHint(c.knew_on, today(ctx)) }) }, 'withdrawn')
    for (const openId of new Set([...(c.mediator_open_id ? [c.mediator_open_id] : []), ...(await committeeMembers(ctx.db, MEDIATION_COMMITTEE))])) {
      await tell(ctx, c, openId, { text: `申请人已撤回调解申请 ${c.number}，案件已结束。` }, 'withdrawn-note')
    }
    if (c.employer_open_id) await tell(ctx, c, c.employer_open_id, { text: `调解案件 ${c.number} 的申请人已撤回申请，调解结束。` }, 'withdrawn-note')
  },
  success: () => '已撤回调解申请',
}

/** `调解 M-… 企业代表 @某人`: a committee member names the employer's representative, who then gets the party card. */
async function nameEmployer(ctx: MessageContext, c: MediationCase): Promise<void> {
  if (!(await isMediationMember(ctx))) return void (await ctx.reply({ text: '抱歉，只有劳动争议调解委员会的成员可以指定企业方代表。' }))
  const person = ctx.mentions.find((m) => m.openId)
  if (!person?.openId) return void (await ctx.reply({ text: `请 @ 企业方代表，例如「调解 ${c.number} 企业代表 @某人」。` }))
  if (person.openId === c.applicant_open_id) return void (await ctx.reply({ text: '申请人不能同时是企业方代表。' }))
  try {
    const r = await transition(ctx, MEDIATION_MACHINE, {
      step: 'employer_named',
      lock: (trx) => lockCase(trx, c.id),
      missing: () => new UserFacingError('NOT_FOUND', NOT_FOUND(c.number)),
      replayed: async (trx) => (await eventsCausedBy(trx, c.id, ctx.eventId)).some((e) => e.kind === 'employer_named'),
      from: ['applied', 'accepted'],
      refusal: (row) => `该案件当前为「${MEDIATION_STATUS_LABEL[row.status]}」，不能再更换企业方代表。`,
      apply: (trx, row) => updateCase(trx, row.id, { employer_open_id: person.openId!, revision: row.revision + 1 }),
      history: async (trx, _b, _a, now) => void (await recordEvent(trx, { caseId: c.id, at: now, kind: 'employer_named', actorOpenId: ctx.actorOpenId, detail: { employer: person.openId! }, eventId: ctx.eventId })),
      audit: { action: 'mediation.employer', detail: () => ({ employer: person.openId! }) },
    })
    await tell(ctx, r.after, person.openId, { card: await partyCard(ctx, r.after, 'employer') }, 'employer')
    await ctx.replyPrivately({ card: await committeeCard(ctx, r.after) }, { key: 'employer-card' })
    await refreshGroupCard(ctx, c.id)
  } catch (err) {
    if (err instanceof TransitionRefusedError) return void (await ctx.reply({ text: err.userMessage }))
    throw err
  }
}

async function lookup(ctx: MessageContext): Promise<void> {
  const found = MEDIATION_NUMBER.splitLeading(ctx.argsTyped)
  if (!found) return listOwn(ctx)
  const c = await getCaseByNumber(ctx.db, found.number)
  if (c && /^企业代表/.test(found.rest)) return nameEmployer(ctx, c)
  // The same answer for a case that does not exist and one the person may not see: existence is not revealed.
  const card = c ? await cardFor(ctx, c, ctx.actorOpenId) : undefined
  if (!card) return void (await deliver(ctx, 'mediation:private-answer', () => ctx.replyPrivately({ text: NOT_FOUND(found.number) })))
  await deliver(ctx, 'mediation:private-answer', () => ctx.replyPrivately({ card }))
}

async function listOwn(ctx: MessageContext): Promise<void> {
  const rows = (await casesOfParty(ctx.db, ctx.actorOpenId)).map((c) => ({ number: c.number, status: c.status, role: c.applicant_open_id === ctx.actorOpenId ? ('applicant' as const) : ('employer' as const), appliedAt: c.applied_at }))
  await deliver(ctx, 'mediation:private-answer', () => ctx.replyPrivately({ card: buildOwnMediationsCard({ rows, timeZone: ctx.config.timezone }) }))
}

export function registerMediationParties(router: BotRouter): void {
  router.action(CONFIRM, { handle: (ctx, p) => runCaseStep(ctx, confirm, p.cid, p.rev) })
  router.action(OBJECT, { handle: (ctx, p) => runCaseStep(ctx, object, p.cid, p.rev) })
  router.action(WITHDRAW, { handle: (ctx, p) => runCaseStep(ctx, withdraw, p.cid, undefined) })
  router.command({
    words: ['调解', '我的调解'],
    caseNumbers: ['M'],
    help: { section: SECTION, usage: '我的调解 / 调解 M-2026-001', description: '查看您的调解案件（当事人和调解委员会成员）' },
    handle: (ctx) => (/^我的调解/.test(ctx.text.trim()) ? listOwn(ctx) : lookup(ctx)),
  })
}
