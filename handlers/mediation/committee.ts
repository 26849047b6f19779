// The mediation committee's steps on its members' case cards: 受理并指派调解员 (a member of the committee), 不予受理
// (reason, told to the worker with the arbitration hint), 记录调解会 (both parties invited privately; the summary
// stays internal), 调解成功 (the bot drafts the 调解协议书 for the three confirmations), 调解不成 (closed, the worker
// gets the arbitration hint). Committee members only (role committee:劳动争议调解委员会).
import { buildArbitrationCard, buildSessionInviteCard } from '../../cards/mediation/case.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ACCEPT, BACK, DECLINE, FAIL, FORM, OPEN_STEP, SESSION, SUCCEED } from '../../src/mediation/actions.js'
import { parsePickedDate } from '../../src/kit/dates.js'
import {
  CLAIM_KINDS,
  MEDIATION_COMMITTEE,
  MEDIATION_STATUS_LABEL,
  arbitrationHint,
  draftAgreement,
  type ClaimKind,
} from '../../src/mediation/model.js'
import { clearConfirmations, getCase, insertSession } from '../../src/mediation/store.js'
import { committeeRole } from '../../src/organisation/model.js'
import { isCommitteeMember } from '../../src/organisation/store.js'
import { cardFor, clockLine, committeeCard, partyCard, sendPartyCards, stepFormCard, tell, today } from './shared.js'
import { optionalText, requiredText, runCaseStep, type CaseStep } from './steps.js'

const DENIED = '抱歉，只有劳动争议调解委员会的成员可以处理调解案件。'

const accept: CaseStep<string> = {
  action: ACCEPT.name,
  kind: 'accepted',
  async read(ctx) {
    const mediator = (ctx.formString(FORM.mediator) ?? ctx.action.option ?? '').trim()
    if (!mediator) throw new UserFacingError('INVALID_INPUT', '请先选择调解员。')
    if (!(await isCommitteeMember(ctx.db, MEDIATION_COMMITTEE, mediator))) throw new UserFacingError('INVALID_INPUT', '调解员须是劳动争议调解委员会的成员。')
    return mediator
  },
  from: ['applied'],
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，不能受理。`,
  change: (_c, mediator, now) => ({ status: 'accepted', accepted_at: now, mediator_open_id: mediator }),
  async after(ctx, c) {
    await tell(ctx, c, c.applicant_open_id, { text: `您的调解申请 ${c.number} 已受理，调解委员会已指派调解员。调解员会与您联系安排调解会。` }, 'accepted')
    await tell(ctx, c, c.mediator_open_id, { card: await committeeCard(ctx, c) }, 'mediator')
  },
  success: () => '已受理并指派调解员，已通知申请人',
}

const decline: CaseStep<string> = {
  action: DECLINE.name,
  kind: 'declined',
  read: (ctx) => requiredText(ctx, FORM.reason, '不予受理的理由'),
  from: ['applied'],
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，只有待受理的申请可以不予受理。`,
  change: (_c, reason, now) => ({ status: 'declined', decline_reason: reason, closed_at: now }),
  body: (reason) => reason,
  async after(ctx, c, reason) {
    await tell(ctx, c, c.applicant_open_id, { card: buildArbitrationCard({ number: c.number, headline: `调解委员会决定不受理您的调解申请 ${c.number}。`, reason, hint: arbitrationHint(c.knew_on, today(ctx)) }) }, 'declined')
  },
  success: () => '已不予受理，理由和仲裁提示已告知申请人',
}

interface SessionInput {
  heldOn: string
  heldAt: string
  place: string
  attendees: string
  summary: string
}

const session: CaseStep<SessionInput> = {
  action: SESSION.name,
  kind: 'session',
  read(ctx) {
    const heldOn = parsePickedDate(ctx.formString(FORM.heldOn))
    if (!heldOn) throw new UserFacingError('INVALID_INPUT', '请先选择调解会的日期。')
    return {
      heldOn,
      heldAt: optionalText(ctx, FORM.heldAt, 20, '时间'),
      place: requiredText(ctx, FORM.place, '调解会地点'),
      attendees: optionalText(ctx, FORM.attendees, 200, '参加人员'),
      summary: optionalText(ctx, FORM.summary, 1000, '会议纪要'),
    }
  },
  from: ['accepted'],
  // Sessions keep the status; only the mediator's revision moves.
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，不能再安排调解会。`,
  async change(c, s, now, ctx, trx) {
    await insertSession(trx, { case_id: c.id, held_on: s.heldOn, held_at: s.heldAt, place: s.place, attendees: s.attendees, summary: s.summary, created_by: ctx.actorOpenId, created_at: now, event_id: ctx.eventId })
    return {}
  },
  async after(ctx, c, s) {
    const invite = { card: buildSessionInviteCard({ number: c.number, heldOn: s.heldOn, heldAt: s.heldAt, place: s.place, clock: clockLine(ctx, c) }) }
    await tell(ctx, c, c.applicant_open_id, invite, `session:${ctx.eventId}`)
    await tell(ctx, c, c.employer_open_id, invite, `session:${ctx.eventId}`)
  },
  success: (_s, c) => (c.employer_open_id ? '已记录调解会，已私信通知双方当事人' : '已记录调解会，已通知申请人（企业方代表尚未指定）'),
}

interface Outcome {
  terms: string
  performOn: string | null
  claimKind: ClaimKind
}

const succeed: CaseStep<Outcome> = {
  action: SUCCEED.name,
  kind: 'drafted',
  read(ctx) {
    const kind = ctx.formString(FORM.claimKind) as ClaimKind | undefined
    if (!kind || !CLAIM_KINDS.includes(kind)) throw new UserFacingError('INVALID_INPUT', '请先选择争议类别。')
    const picked = ctx.formString(FORM.performOn)
    const performOn = picked ? parsePickedDate(picked) : null
    if (performOn === undefined) throw new UserFacingError('INVALID_INPUT', '履行期限的日期无法识别，请重新选择。')
    return { terms: requiredText(ctx, FORM.terms, '协议内容'), performOn, claimKind: kind }
  },
  from: ['accepted'],
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，不能起草协议书。`,
  guard(_ctx, c) {
    if (!c.employer_open_id) throw new UserFacingError('INVALID_INPUT', `请先指定企业方代表：发送「调解 ${c.number} 企业代表 @某人」。协议书需要双方当事人确认。`)
    if (!c.mediator_open_id) throw new UserFacingError('INVALID_INPUT', '请先指派调解员。')
  },
  async change(c, o, _now, ctx, trx) {
    // Names read inside the transaction (trx), never through ctx: on the embedded database (one connection) a query
    // outside the open transaction waits for it forever (QA finding: 调解成功 hung the playground).
    const ids = [c.employer_open_id, c.mediator_open_id].filter((id): id is string => !!id)
    const known = ids.length ? await trx.selectFrom('users').select(['open_id', 'name']).where('open_id', 'in', ids).execute() : []
    const nameOf = (id: string | null) => (id ? (known.find((u) => u.open_id === id)?.name ?? '') : '')
    const names = [nameOf(c.employer_open_id), nameOf(c.mediator_open_id)]
    await clearConfirmations(trx, c.id)
    const text = draftAgreement({
      number: c.number,
      applicantName: c.applicant_name || '申请人',
      employerName: names[0] || '企业方代表',
      otherParty: c.other_party,
      mediatorName: names[1] || '调解员',
      facts: c.facts,
      request: c.request,
      terms: o.terms,
      performOn: o.performOn,
      claimKind: o.claimKind,
      draftedOn: today(ctx),
    })
    return { status: 'agreement', terms: o.terms, perform_on: o.performOn, claim_kind: o.claimKind, agreement_text: text }
  },
  async after(ctx, c) {
    // Each party confirms on their own card (Art. 14: signed by both parties and the mediator).
    await sendPartyCards(ctx, c, `draft:${c.revision}`)
    if (c.mediator_open_id && c.mediator_open_id !== ctx.actorOpenId) {
      await tell(ctx, c, c.mediator_open_id, { text: `调解协议书 ${c.number} 已起草，请在案件卡片上确认。` }, `draft:${c.revision}`)
    }
  },
  success: () => '协议书已起草，已请双方当事人和调解员确认',
}

const fail: CaseStep<string> = {
  action: FAIL.name,
  kind: 'failed',
  read: (ctx) => requiredText(ctx, FORM.failReason, '调解不成的情况'),
  from: ['accepted', 'agreement'],
  refuse: (c) => `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，不能结案。`,
  change: (_c, note, now) => ({ status: 'failed', outcome_note: note, closed_at: now }),
  body: (note) => note,
  async after(ctx, c) {
    const card = buildArbitrationCard({ number: c.number, headline: `您的调解 ${c.number} 未能达成协议，调解已结束。`, hint: arbitrationHint(c.knew_on, today(ctx)) })
    await tell(ctx, c, c.applicant_open_id, { card }, 'failed')
    if (c.employer_open_id) await tell(ctx, c, c.employer_open_id, { card: await partyCard(ctx, c, 'employer') }, 'failed')
  },
  success: () => '已结案（调解不成），已告知申请人可以申请仲裁',
}

export function registerMediationCommittee(router: BotRouter): void {
  const roles = [committeeRole(MEDIATION_COMMITTEE)]
  // A step's button opens its form in place of the case card; a card drawn before a change shows the case as it is.
  router.action(OPEN_STEP, {
    roles,
    deniedMessage: DENIED,
    async handle(ctx, p) {
      const c = await getCase(ctx.db, p.cid)
      if (!c) return { toast: { type: 'error', content: '没有找到这个调解案件' } }
      const form = c.revision === p.rev ? await stepFormCard(ctx, c, p.step) : undefined
      if (form) return { card: form }
      return { toast: { type: 'warning', content: `该案件当前为「${MEDIATION_STATUS_LABEL[c.status]}」，卡片已刷新，请确认后再操作。` }, card: await committeeCard(ctx, c) }
    },
  })
  router.action(BACK, {
    async handle(ctx, p) {
      const c = await getCase(ctx.db, p.cid)
      const card = c ? await cardFor(ctx, c, ctx.actorOpenId) : undefined
      return card ? { card } : { toast: { type: 'error', content: '没有找到这个调解案件' } }
    },
  })
  router.action(ACCEPT, { roles, deniedMessage: DENIED, handle: (ctx, p) => runCaseStep(ctx, accept, p.cid, p.rev) })
  router.action(DECLINE, { roles, deniedMessage: DENIED, handle: (ctx, p) => runCaseStep(ctx, decline, p.cid, p.rev) })
  router.action(SESSION, { roles, deniedMessage: DENIED, handle: (ctx, p) => runCaseStep(ctx, session, p.cid, p.rev) })
  router.action(SUCCEED, { roles, deniedMessage: DENIED, handle: (ctx, p) => runCaseStep(ctx, succeed, p.cid, p.rev) })
  router.action(FAIL, { roles, deniedMessage: DENIED, handle: (ctx, p) => runCaseStep(ctx, fail, p.cid, p.rev) })
}
