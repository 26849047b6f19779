// What the mediation handlers share: a case's view for each audience (committee members, parties), who a person
// is to a case, and sending: full cards privately to the committee's members and the parties, the number-and-status
// card to the committee group (nothing of the case goes there, issue #16), all through deliver().
import { buildCaseStepCard, buildCommitteeCaseCard, buildGroupStatusCard, buildPartyCaseCard, clockText, stepsFor, type MediationView } from '../../cards/mediation/case.js'
import type { CaseStepName } from '../../src/mediation/actions.js'
import type { Card } from '../../cards/kit.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { errorCode } from '../../src/errors.js'
import type { OutgoingContent } from '../../src/feishu/outbound.js'
import { deliver } from '../../src/kit/deliver.js'
import { MEDIATION_COMMITTEE, arbitrationDeadline, limitationClause, mediationClock, type Signatory } from '../../src/mediation/model.js'
import { getCase, listConfirmations, listSessions, setGroupMessage, type MediationCase } from '../../src/mediation/store.js'
import { getGrievance } from '../../src/grievances/store.js'
import { committeeMembers, isCommitteeMember } from '../../src/organisation/store.js'
import { localDate } from '../../src/time.js'

/** Whether the person is a member of the mediation committee (the role committee:劳动争议调解委员会). */
export function isMediationMember(ctx: BaseContext, openId: string = ctx.actorOpenId): Promise<boolean> {
  return isCommitteeMember(ctx.db, MEDIATION_COMMITTEE, openId)
}

/** The person's part in the case: a party (applicant, employer's representative), its mediator, or nothing. */
export function partOf(c: MediationCase, openId: string): Signatory | undefined {
  if (openId === c.applicant_open_id) return 'applicant'
  if (openId === c.employer_open_id) return 'employer'
  if (openId === c.mediator_open_id) return 'mediator'
  return undefined
}

export function today(ctx: BaseContext): string {
  return localDate(ctx.now(), ctx.config.timezone)
}

export function clockOf(ctx: BaseContext, c: MediationCase) {
  return mediationClock(c.applied_on, today(ctx), ctx.config.mediation)
}

export function clockLine(ctx: BaseContext, c: MediationCase): string {
  return clockText({ status: c.status, clock: clockOf(ctx, c), periodDays: ctx.config.mediation.periodDays })
}

async function nameOr(ctx: BaseContext, openId: string | null, fallback: string): Promise<string | undefined> {
  if (!openId) return undefined
  return (await ctx.nameOf(openId).catch(() => undefined)) ?? fallback
}

/** The case as the cards show it (every audience; each card leaves out what its audience may not see). */
export async function viewOf(ctx: BaseContext, c: MediationCase): Promise<MediationView> {
  const [sessions, confirmations, employerName, mediatorName, grievance] = await Promise.all([
    listSessions(ctx.db, c.id),
    listConfirmations(ctx.db, c.id),
    nameOr(ctx, c.employer_open_id, '企业方代表'),
    nameOr(ctx, c.mediator_open_id, '调解员'),
    c.grievance_id ? getGrievance(ctx.db, c.grievance_id) : Promise.resolve(undefined),
  ])
  const names = await Promise.all(confirmations.map((x) => nameOr(ctx, x.openId, '已确认')))
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    revision: c.revision,
    applicantName: c.applicant_name || '申请人',
    otherParty: c.other_party,
    employerName,
    mediatorName,
    facts: c.facts,
    request: c.request,
    reasons: c.reasons,
    knewOn: c.knew_on,
    arbitrationDeadline: arbitrationDeadline(c.knew_on),
    limitation: limitationClause(c.knew_on, today(ctx)),
    appliedAt: c.applied_at,
    clock: clockOf(ctx, c),
    periodDays: ctx.config.mediation.periodDays,
    grievanceNumber: grievance?.number,
    sessions: sessions.map((s) => ({ heldOn: s.held_on, heldAt: s.held_at, place: s.place, attendees: s.attendees, summary: s.summary })),
    terms: c.terms,
    performOn: c.perform_on,
    claimKind: c.claim_kind,
    agreementText: c.agreement_text,
    confirmations: confirmations.map((x, i) => ({ party: x.party, name: names[i] ?? '', at: x.at })),
    declineReason: c.decline_reason,
    outcomeNote: c.outcome_note,
    timeZone: ctx.config.timezone,
  }
}

async function memberView(ctx: BaseContext, c: MediationCase) {
  const ids = await committeeMembers(ctx.db, MEDIATION_COMMITTEE)
  const members = await Promise.all(ids.map(async (openId) => ({ openId, name: (await nameOr(ctx, openId, '委员')) ?? '委员' })))
  return { ...(await viewOf(ctx, c)), members }
}

export async function committeeCard(ctx: BaseContext, c: MediationCase): Promise<Card> {
  return buildCommitteeCaseCard(await memberView(ctx, c))
}

/** A step's form card for a member (QA F9), or undefined when the step does not apply to the case now. */
export async function stepFormCard(ctx: BaseContext, c: MediationCase, step: CaseStepName): Promise<Card | undefined> {
  const v = await memberView(ctx, c)
  return stepsFor(v).includes(step) ? buildCaseStepCard(v, step) : undefined
}

export async function partyCard(ctx: BaseContext, c: MediationCase, viewer: 'applicant' | 'employer'): Promise<Card> {
  const confirmations = await listConfirmations(ctx.db, c.id)
  return buildPartyCaseCard({ ...(await viewOf(ctx, c)), viewer, confirmedByViewer: confirmations.some((x) => x.party === viewer) })
}

/** The card a person should see for the case (members the full card; parties theirs), or undefined for others. */
export async function cardFor(ctx: BaseContext, c: MediationCase, openId: string): Promise<Card | undefined> {
  const part = partOf(c, openId)
  if (part === 'applicant' || part === 'employer') return partyCard(ctx, c, part)
  if (part === 'mediator' || (await isMediationMember(ctx, openId))) return committeeCard(ctx, c)
  return undefined
}

/** The full card to every member of the committee, privately (keyed so a re-run sends each once). */
export async function sendToMembers(ctx: BaseContext, c: MediationCase, key: string): Promise<number> {
  const card = await committeeCard(ctx, c)
  let sent = 0
  for (const openId of await committeeMembers(ctx.db, MEDIATION_COMMITTEE)) {
    if ((await deliver(ctx, 'mediation:member', () => ctx.sendToUser(openId, { card }, { key: `${key}:${c.id}:${openId}` }), { mediation: c.number })).sent) sent++
  }
  return sent
}

/** A message to one person about the case; someone Feishu cannot reach is logged by case number only. */
export async function tell(ctx: BaseContext, c: MediationCase, openId: string | null, content: OutgoingContent, key: string): Promise<boolean> {
  if (!openId) return false
  return (await deliver(ctx, 'mediation:person', () => ctx.sendToUser(openId, content, { key: `${key}:${c.id}:${openId}` }), { mediation: c.number })).sent
}

/** Each party gets their own card (the employer's representative once named). */
export async function sendPartyCards(ctx: BaseContext, c: MediationCase, key: string): Promise<void> {
  await tell(ctx, c, c.applicant_open_id, { card: await partyCard(ctx, c, 'applicant') }, key)
  if (c.employer_open_id) await tell(ctx, c, c.employer_open_id, { card: await partyCard(ctx, c, 'employer') }, key)
}

/** Posts the number-and-status card to the committee group; failures are logged (the case stands). */
export async function postGroupCard(ctx: BaseContext, c: MediationCase): Promise<void> {
  try {
    const sent = await ctx.sendToCommittee({ card: buildGroupStatusCard(c) }, { key: `mediation-group:${c.id}` })
    if (sent) await setGroupMessage(ctx.db, c.id, sent.messageId)
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, mediation: c.number, code: errorCode(err) }, 'mediation group card not posted')
  }
}

/** Patches the group's card to the case's status now. */
export async function refreshGroupCard(ctx: BaseContext, caseId: number): Promise<void> {
  const c = await getCase(ctx.db, caseId)
  if (!c?.group_message_id) return
  try {
    await ctx.patchCard(c.group_message_id, buildGroupStatusCard(c))
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, mediation: c.number, code: errorCode(err) }, 'mediation group card not updated')
  }
}
