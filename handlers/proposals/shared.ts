// Shared by the proposal handlers: finding a proposal by number, the proposal's side of the kit's guarded
// transition (row lock, timeline, audit), card views with names resolved, and notifying the people concerned.
import { evidenceSummary } from '../../src/kit/evidence.js'
import type { Transaction } from 'kysely'
import type { Card } from '../../cards/kit.js'
import { buildCommitteeCard } from '../../cards/proposals/work.js'
import { buildProposalCard, buildProposalReplacedCard, type ProposalView } from '../../cards/proposals/proposal.js'
import type { Database } from '../../src/db/schema.js'
import type { BaseContext, MessageContext } from '../../src/dispatch/context.js'
import type { LiveCardSpec } from '../../src/kit/live-cards.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import type { OutgoingContent } from '../../src/feishu/outbound.js'
import { COSIGNABLE, STATUS_LABEL, TRANSITIONS, findNumber, isOverdue, type ProposalStatus } from '../../src/proposals/model.js'
import { transition as kitTransition, type Machine, type TransitionResult as KitTransitionResult } from '../../src/kit/transition.js'
import { findProposal, getProposal, lockProposal, updateProposal, type Db, type Proposal, type ProposalChanges } from '../../src/proposals/store.js'
import { listCosigners } from '../../src/proposals/cosigners.js'
import { getDepartment, listDepartments } from '../../src/organisation/departments.js'
import { listFollowers } from '../../src/proposals/followers.js'
import { knownNames } from '../../src/organisation/representatives.js'
import { addTimeline, listTimeline, timelineStepOfEvent } from '../../src/proposals/timeline.js'
import { getWindow } from '../../src/proposals/windows.js'
import { localDate } from '../../src/time.js'

/** Today's date where the union is (TIMEZONE): due dates and overdue checks are local dates. */
export function today(ctx: BaseContext, at: Date = ctx.now()): string {
  return localDate(at, ctx.config.timezone)
}

export const NUMBER_HINT = '请写上提案编号，例如：提案 P-2026-003'

/** The proposal number in `text` (lenient), or a polite error. */
export function numberFrom(text: string, hint = NUMBER_HINT): string {
  const found = findNumber(text)
  if (!found) throw new UserFacingError('INVALID_INPUT', hint)
  return found.number
}

export function notFound(number: string): UserFacingError {
  return new UserFacingError('NOT_FOUND', `没有找到编号为 ${number} 的提案，请核对编号。发送「提案列表」可查看本届提案。`)
}

export async function requireProposal(db: Db, number: string): Promise<Proposal> {
  const p = await findProposal(db, number)
  if (!p) throw notFound(number)
  return p
}

export interface TransitionSpec {
  number: string
  /** Timeline kind written by this step (also the replay key with the event id). */
  kind: string
  from: readonly ProposalStatus[]
  /**
   * Who may take this step on this proposal, beyond the action's role (throws FORBIDDEN_ROLE). Runs inside the
   * transaction: read through `trx` only (PGlite is one session; docs/conventions.md).
   */
  guard?: (p: Proposal, trx: Transaction<Database>) => void | Promise<void>
  /** Whether the current state means this very step was already taken (a double click): answered kindly. */
  alreadyDone: (p: Proposal) => boolean
  /** Why the step cannot be taken in the current state. */
  refusal: (p: Proposal) => string
  changes: (p: Proposal) => ProposalChanges
  note?: string | null
  detail?: (before: Proposal, after: Proposal) => Record<string, unknown>
  /** Audit action name: every status change is audited (who, what, from → to; never the text). */
  audit?: string
}

export type TransitionResult = KitTransitionResult<Proposal>

/** Proposals under the kit's transition(): the table of src/proposals/model.ts, audited by number. */
export const PROPOSAL_MACHINE: Machine<Proposal, ProposalStatus> = {
  subject: 'proposal',
  table: TRANSITIONS,
  status: (p) => p.status,
  subjectId: (p) => p.number,
}

/**
 * The one way a proposal changes status: the kit's guarded transition (src/kit/transition.ts) with the proposal's
 * row lock, timeline (the replay key with the event id) and audit. Double clicks find the step taken; re-runs their own.
 */
export async function transition(ctx: BaseContext, spec: TransitionSpec): Promise<TransitionResult> {
  return kitTransition(ctx, PROPOSAL_MACHINE, {
    step: spec.kind,
    lock: (trx) => lockProposal(trx, spec.number),
    missing: () => notFound(spec.number),
    replayed: async (trx, p) => (await timelineStepOfEvent(trx, p.id, spec.kind, ctx.eventId)) !== undefined,
    from: spec.from,
    already: spec.alreadyDone,
    refusal: spec.refusal,
    ...(spec.guard ? { guard: spec.guard } : {}),
    apply: (trx, p, now) => updateProposal(trx, p.id, { ...spec.changes(p) }, now),
    history: async (trx, p, after, now) => {
      await addTimeline(trx, {
        proposalId: p.id,
        at: now,
        kind: spec.kind,
        actorOpenId: ctx.actorOpenId || null,
        note: spec.note ?? null,
        detail: { from: p.status, to: after.status, ...(spec.detail?.(p, after) ?? {}) },
        eventId: ctx.eventId,
      })
    },
    ...(spec.audit ? { audit: { action: spec.audit } } : {}),
  })
}

/** "提案 P-2026-003 当前状态为「办理中」，…" — the wrong-state sentence. */
export function inState(p: Proposal, tail: string): string {
  return `提案 ${p.number} 当前状态为「${STATUS_LABEL[p.status]}」，${tail}`
}

/** Display names for cards: the contact API (cached), else the name Feishu gave when the person was @-mentioned. */
export async function resolveNames(ctx: BaseContext, openIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(openIds.filter(Boolean))]
  const known = await knownNames(ctx.db, unique)
  const names = new Map<string, string>()
  for (const id of unique) names.set(id, (await ctx.nameOf(id)) ?? known.get(id) ?? '（未知姓名）')
  return names
}

/** Everything a card shows about a proposal, read fresh. */
export async function buildView(ctx: BaseContext, p: Proposal): Promise<ProposalView> {
  const [cosigners, timeline, window, department, followers] = await Promise.all([
    listCosigners(ctx.db, p.id),
    listTimeline(ctx.db, p.id),
    getWindow(ctx.db, p.windowId),
    p.departmentId ? getDepartment(ctx.db, p.departmentId) : Promise.resolve(undefined),
    listFollowers(ctx.db, p.id),
  ])
  const names = await resolveNames(ctx, [p.proposerOpenId, ...cosigners.map((c) => c.openId)])
  const answerFiles = await evidenceSummary(ctx.db, { type: 'proposal_answer', id: p.id })
  return {
    number: p.number,
    title: p.title,
    content: p.content,
    category: p.category,
    status: p.status,
    windowName: window?.name ?? '',
    proposerName: names.get(p.proposerOpenId) ?? '',
    cosignerNames: cosigners.map((c) => names.get(c.openId) ?? ''),
    minCosigners: ctx.config.proposal.minCosigners,
    followerCount: followers.length,
    ...(department ? { departmentName: department.name } : {}),
    ...(p.dueDate ? { dueDate: p.dueDate } : {}),
    overdue: isOverdue(p.status, p.dueDate, today(ctx)),
    ...(p.reviewReason ? { reviewReason: p.reviewReason } : {}),
    ...(p.withdrawReason ? { withdrawReason: p.withdrawReason } : {}),
    ...(p.answerText ? { answerText: p.answerText } : {}),
    ...(p.answerClass ? { answerClass: p.answerClass } : {}),
    ...(p.answeredAt ? { answeredAt: p.answeredAt } : {}),
    ...(answerFiles.total > 0 ? { answerFiles: { id: p.id, count: answerFiles.total } } : {}),
    ...(p.satisfaction ? { satisfaction: p.satisfaction } : {}),
    reopenCount: p.reopenCount,
    submittedAt: p.submittedAt,
    timeline: timeline.map((e) => ({
      at: e.at,
      kind: e.kind,
      ...(e.kind === 'cosigned' && e.actorOpenId ? { who: names.get(e.actorOpenId) ?? '' } : {}),
      ...(e.note ? { note: e.note } : {}),
      detail: e.detail,
    })),
    cosignOpen: COSIGNABLE.includes(p.status) && !window?.closedAt,
    timeZone: ctx.config.timezone,
  }
}

/** Suggested due date on the assignment form: one month after today, as committees usually allow. */
export const SUGGESTED_DUE_DAYS = 30

export async function committeeCardFor(ctx: BaseContext, p: Proposal) {
  const [all, cosigners] = await Promise.all([listDepartments(ctx.db), listCosigners(ctx.db, p.id)])
  // A department whose contact proposed or co-signed the proposal is not offered (the assignment refuses it too).
  const own = new Set([p.proposerOpenId, ...cosigners.map((c) => c.openId)])
  const departments = all.filter((d) => !own.has(d.contactOpenId))
  const suggested = localDate(new Date(ctx.now().getTime() + SUGGESTED_DUE_DAYS * 86_400_000), ctx.config.timezone)
  return buildCommitteeCard(await buildView(ctx, p), {
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    excludedDepartments: all.length - departments.length,
    suggestedDueDate: suggested,
  })
}

/**
 * Sends, but a person Feishu will never reach (outside the app's availability, bot removed from the chat) must
 * not hold up everyone else's notice: refusals are logged by deliver() (ids and codes only) and skipped.
 */
export async function sendSafely(ctx: BaseContext, what: string, send: () => Promise<{ messageId: string }>): Promise<string | undefined> {
  const d = await deliver(ctx, `proposal:${what}`, send)
  return d.sent ? d.value.messageId : undefined
}

/** The proposer, co-signers and followers of a proposal, each once. */
export async function stakeholders(db: Db, p: Proposal): Promise<string[]> {
  const [cosigners, followers] = await Promise.all([listCosigners(db, p.id), listFollowers(db, p.id)])
  return [...new Set([p.proposerOpenId, ...cosigners.map((c) => c.openId), ...followers])]
}

/**
 * Tells the proposer, co-signers and followers (except `except`) about a step, with a stable key per person, and
 * brings every posted copy of the proposal's card up to date (every step that tells people changes the card).
 */
export async function notifyStakeholders(ctx: BaseContext, p: Proposal, tag: string, content: OutgoingContent, except: string[] = []): Promise<void> {
  await refreshProposalCards(ctx, p.id)
  for (const openId of await stakeholders(ctx.db, p)) {
    if (except.includes(openId)) continue
    await sendSafely(ctx, `notify:${tag}`, () => ctx.sendToUser(openId, content, { key: `${tag}:${p.number}:${openId}` }))
  }
}

/** A status notice: bot words, the number and the status only (text messages never carry user text). */
export function statusNotice(p: Proposal, sentence: string): OutgoingContent {
  return { text: `【职代会提案】提案 ${p.number} ${sentence}发送「提案 ${p.number}」查看详情和办理进程。` }
}

/** Patches a card sent earlier; one Feishu refuses for good (recalled, older than 14 days) is logged and left. */
export async function patchSafely(ctx: BaseContext, what: string, messageId: string, card: Card): Promise<void> {
  await deliver(ctx, `proposal:${what}`, () => ctx.patchCard(messageId, card))
}

/** Brings the committee's card up to date after a step taken elsewhere (it is the officers' working view). */
export async function refreshCommitteeCard(ctx: BaseContext, number: string): Promise<void> {
  const p = await findProposal(ctx.db, number)
  if (p?.committeeMessageId) await patchSafely(ctx, 'committee-card', p.committeeMessageId, await committeeCardFor(ctx, p))
}

/** Sends the review card to the committee group once per proposal and remembers it for later patches. */
export async function sendReviewCard(ctx: BaseContext, number: string): Promise<void> {
  const p = await findProposal(ctx.db, number)
  if (!p || p.committeeMessageId) return
  const messageId = await sendSafely(ctx, 'committee-review', async () => {
    const sent = await ctx.sendToCommittee({ card: await committeeCardFor(ctx, p) }, { key: `review:${p.number}` })
    return sent ?? { messageId: '' }
  })
  if (messageId) await updateProposal(ctx.db, p.id, { committeeMessageId: messageId }, ctx.now())
}

// ---- The public proposal card as a live card (issue #13: shared copies went on showing 「0/2 附议」 after the end) ----

/** Live cards of subject type 'proposal': the public card, drawn from the proposal as it is now. */
export const PROPOSAL_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'proposals', id: 'id', version: 'card_version' },
  async render(ctx, proposalId) {
    const p = await getProposal(ctx.db, Number(proposalId))
    return p ? { version: p.cardVersion, card: buildProposalCard(await buildView(ctx, p)) } : undefined
  },
}

/**
 * Posts the public card of a proposal where the person asked (a group: the group's shared copy; a private chat:
 * the person's own copy) and keeps it current: every later change patches it (src/kit/live-cards.ts), and the copy
 * it replaces in the same place is patched once to point at the new one.
 */
export async function postProposalCard(ctx: MessageContext, p: Proposal): Promise<void> {
  const card = buildProposalCard(await buildView(ctx, p))
  const sent = await ctx.reply({ card })
  const shared = ctx.isGroup
  await ctx.liveCards.track(
    'proposal',
    String(p.id),
    { messageId: sent.messageId, ...(ctx.chatId ? { chatId: ctx.chatId } : {}), ...(shared ? {} : { privateFor: ctx.actorOpenId }), version: p.cardVersion },
    buildProposalReplacedCard(p.number),
  )
  // A change between drawing and registering would otherwise stay unshown.
  await refreshProposalCards(ctx, p.id)
}

/** The proposer's own copy, sent privately after submitting (the card they forward to other representatives). */
export async function sendProposalCardTo(ctx: BaseContext, p: Proposal, openId: string): Promise<void> {
  const sent = await ctx.sendToUser(openId, { card: buildProposalCard(await buildView(ctx, p)) }, { key: `proposal-card:${p.id}:${openId}` })
  await ctx.liveCards.track('proposal', String(p.id), { messageId: sent.messageId, privateFor: openId, version: p.cardVersion }, buildProposalReplacedCard(p.number))
  await refreshProposalCards(ctx, p.id)
}

/**
 * Brings every posted copy of the proposal's public card up to date: group copies and people's own copies alike
 * (a proposal changes a few times over weeks, unlike an activity's sign-up rush), coalesced by the kit.
 */
export async function refreshProposalCards(ctx: BaseContext, proposalId: number): Promise<void> {
  await ctx.liveCards.refresh('proposal', String(proposalId), 'all')
}
