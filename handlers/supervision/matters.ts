// Labour-law supervision matters: `劳动监督` (officers; `劳动监督 G-2026-0001 …` links grievances, `劳动监督 S-…`
// shows a matter) gives the form; 发出意见书 opens the matter, sends the 意见书 to the department's contact with the
// reply deadline (SUPERVISION_REPLY_WORKDAYS working days, src/calendar.ts) and posts its card to the committee
// group; the contact replies on the 意见书; officers accept the reply or not (asked again, new deadline) and close
// the matter with its outcome. Every step is a guarded transition, audited by number.
import type { Updateable } from 'kysely'
import { buildOpenFormCard, buildOpinionCard } from '../../cards/supervision/matter.js'
import { nextInSequence } from '../../src/core/sequences.js'
import type { CardActionContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { GRIEVANCE_NUMBER } from '../../src/grievances/model.js'
import { formText } from '../../src/kit/form-text.js'
import { runCardStep, type CardStep, type CardStepSubject } from '../../src/kit/card-step.js'
import { getDepartment, listDepartments } from '../../src/organisation/departments.js'
import { ACCEPT_REPLY, CLOSE, FORM, OPEN, REJECT_REPLY, REPLY } from '../../src/supervision/actions.js'
import {
  FACTS_MIN_CHARS,
  SUPERVISION_NUMBER,
  SUPERVISION_STATUS_LABEL,
  SUPERVISION_TEXT_MAX_CHARS,
  SUPERVISION_TYPES,
  grievanceNumbersIn,
  type SupervisionEventKind,
  type SupervisionStatus,
  type SupervisionType,
} from '../../src/supervision/model.js'
import { SUPERVISION_MACHINE, eventsCausedBy, getMatter, getMatterByNumber, insertMatter, lockMatter, matterOpenedBy, recordEvent, updateMatter, type SupervisionMatter } from '../../src/supervision/store.js'
import type { SupervisionMattersTable } from '../../src/supervision/tables.js'
import { localParts } from '../../src/time.js'
import { matterCard, postGroupCard, refreshMatterCards, sendOpinion, trackMatterCard, viewOf } from './shared.js'

const SECTION = '劳动法律监督'
const DENIED = '抱歉，只有工会干部可以处理劳动法律监督事项。'

/** A required form text of this matter's limits (src/kit/form-text.ts). */
const text = (ctx: CardActionContext, field: string, what: string, min?: number): string => formText(ctx, field, what, { max: SUPERVISION_TEXT_MAX_CHARS, ...(min !== undefined ? { min } : {}) })

async function showForm(ctx: MessageContext): Promise<void> {
  const asked = SUPERVISION_NUMBER.splitLeading(ctx.argsTyped)
  if (asked) {
    const m = await getMatterByNumber(ctx.db, asked.number)
    if (!m) return void (await ctx.replyPrivately({ text: `没有找到劳动法律监督事项 ${asked.number}。` }))
    // The officer's own copy is a live card: it follows every later change (QA F8).
    const sent = await ctx.replyPrivately({ card: await matterCard(ctx, m) })
    if (sent) await trackMatterCard(ctx, m, { messageId: sent.messageId, privateFor: ctx.actorOpenId })
    return
  }
  const departments = (await listDepartments(ctx.db)).map((d) => ({ id: d.id, name: d.name }))
  const grievances = grievanceNumbersIn(ctx.argsTyped, (t) => GRIEVANCE_NUMBER.find(t))
  await ctx.replyPrivately({ card: buildOpenFormCard({ departments, grievances, replyWorkdays: ctx.config.supervision.replyWorkdays }) })
}

async function open(ctx: CardActionContext): Promise<CardActionResult> {
  const type = ctx.formString(FORM.type) as SupervisionType | undefined
  if (!type || !SUPERVISION_TYPES.includes(type)) throw new UserFacingError('INVALID_INPUT', '请先选择监督事项类型。')
  const department = /^\d{1,9}$/.test(ctx.formString(FORM.department) ?? '') ? await getDepartment(ctx.db, Number(ctx.formString(FORM.department))) : undefined
  if (!department?.active) throw new UserFacingError('INVALID_INPUT', '请先选择责任部门。')
  const facts = text(ctx, FORM.facts, '事实情况', FACTS_MIN_CHARS)
  const opinion = text(ctx, FORM.opinion, '意见书', FACTS_MIN_CHARS)
  const grievances = grievanceNumbersIn(ctx.formString(FORM.grievances) ?? '', (t) => GRIEVANCE_NUMBER.find(t))
  const now = ctx.now()
  const m = await ctx.db.transaction().execute(async (trx) => {
    // A re-run of the same click finds its matter.
    const again = await matterOpenedBy(trx, ctx.eventId)
    if (again) return again
    const year = localParts(now, ctx.config.timezone).year
    const made = await insertMatter(trx, {
      number: SUPERVISION_NUMBER.format(year, await nextInSequence(trx, `supervision:${year}`)),
      type,
      department_id: department.id,
      contact_open_id: department.contactOpenId,
      facts,
      opinion,
      grievance_numbers: JSON.stringify(grievances),
      opened_by: ctx.actorOpenId,
      opened_at: now,
      reply_due_at: ctx.services.calendar.deadlineAfter(now, ctx.config.supervision.replyWorkdays),
      open_event_id: ctx.eventId,
    })
    await recordEvent(trx, { matterId: made.id, at: now, kind: 'opened', actorOpenId: ctx.actorOpenId, eventId: ctx.eventId })
    await ctx.audit({ action: OPEN.name, subjectType: 'supervision', subjectId: made.number, detail: { type, department: department.id, grievances } }, trx)
    return made
  })
  const own = ctx.action.messageId
  ctx.defer(async () => {
    await sendOpinion(ctx, m, 'opinion')
    await postGroupCard(ctx, m)
    // The form the officer submitted becomes the matter's card (the answer below): their own live copy (QA F8).
    if (own) await trackMatterCard(ctx, m, { messageId: own, chatId: ctx.action.chatId, privateFor: ctx.actorOpenId })
  })
  return { toast: { type: 'success', content: `已发出意见书 ${m.number}，已通知${department.name}的联系人` }, card: await matterCard(ctx, m) }
}

type Step<I> = CardStep<SupervisionMatter, SupervisionStatus, I, Updateable<SupervisionMattersTable>> & { kind: SupervisionEventKind }

/** Matters through the kit's card-step runner (src/kit/card-step.ts, shared with mediation and dismissal notices). */
const MATTER: CardStepSubject<SupervisionMatter, SupervisionStatus, Updateable<SupervisionMattersTable>> = {
  machine: SUPERVISION_MACHINE,
  logKey: 'supervision',
  noun: '事项',
  statusLabel: SUPERVISION_STATUS_LABEL,
  lock: lockMatter,
  get: getMatter,
  replayed: async (trx, id, eventId, kind) => (await eventsCausedBy(trx, id, eventId)).some((e) => e.kind === kind),
  update: updateMatter,
  record: (trx, e) => recordEvent(trx, { matterId: e.id, at: e.at, kind: e.kind as SupervisionEventKind, actorOpenId: e.actorOpenId, body: e.body, eventId: e.eventId }),
  cardFor: (ctx, m) => cardFor(ctx, m),
  refresh: (ctx, m) => refreshMatterCards(ctx, m.id),
}

const runStep = <I>(ctx: CardActionContext, step: Step<I>, sid: number, rev: number): Promise<CardActionResult> => runCardStep(ctx, MATTER, step, sid, rev)

/** The clicker's card: the contact's 意见书, or the committee's card. */
async function cardFor(ctx: CardActionContext, m: SupervisionMatter) {
  if (ctx.actorOpenId === m.contact_open_id && !(await ctx.isOfficer())) {
    return buildOpinionCard(await viewOf(ctx, m))
  }
  return matterCard(ctx, m)
}

const reply: Step<string> = {
  action: REPLY.name,
  kind: 'replied',
  read: (ctx) => text(ctx, FORM.reply, '答复内容', 5),
  from: ['awaiting_reply'],
  refuse: (m) => `该事项当前为「${SUPERVISION_STATUS_LABEL[m.status]}」，无需答复。`,
  guard(ctx, m) {
    if (ctx.actorOpenId !== m.contact_open_id) throw new UserFacingError('FORBIDDEN_ROLE', '只有意见书所发部门的联系人可以答复。')
  },
  change: (m, t, now) => ({ status: 'replied', reply: t, replied_at: now, reply_on_time: now.getTime() <= m.reply_due_at.getTime(), reply_accepted: null }),
  body: (t) => t,
  async after(ctx, m) {
    await ctx.sendToCommittee({ text: `劳动法律监督 ${m.number}：责任部门已答复${m.reply_on_time ? '' : '（逾期）'}，请研究是否接受。` }, { key: `replied:${m.id}` }).catch(() => undefined)
  },
  success: () => '答复已提交工会',
}

const acceptReply: Step<undefined> = {
  action: ACCEPT_REPLY.name,
  kind: 'accepted',
  read: () => undefined,
  from: ['replied'],
  refuse: (m) => `该事项当前为「${SUPERVISION_STATUS_LABEL[m.status]}」，没有待研究的答复。`,
  change: () => ({ reply_accepted: true }),
  success: () => '已记录：接受答复。请在落实后结案。',
}

const rejectReply: Step<string> = {
  action: REJECT_REPLY.name,
  kind: 'not_accepted',
  read: (ctx) => text(ctx, FORM.reason, '不接受的理由'),
  from: ['replied'],
  refuse: (m) => `该事项当前为「${SUPERVISION_STATUS_LABEL[m.status]}」，没有待研究的答复。`,
  // The department is asked again, with a fresh deadline counted from now.
  change: (_m, _r, now, ctx) => ({ status: 'awaiting_reply', reply_accepted: false, reply_due_at: ctx.services.calendar.deadlineAfter(now, ctx.config.supervision.replyWorkdays) }),
  body: (r) => r,
  after: async (ctx, m, reason) => void (await sendOpinion(ctx, m, `again:${m.revision}`, reason)),
  success: () => '已记录：不接受答复，已请部门重新答复',
}

const close: Step<string> = {
  action: CLOSE.name,
  kind: 'closed',
  read: (ctx) => text(ctx, FORM.outcome, '监督结果'),
  from: ['awaiting_reply', 'replied'],
  refuse: (m) => `该事项当前为「${SUPERVISION_STATUS_LABEL[m.status]}」，不能结案。`,
  change: (_m, outcome, now) => ({ status: 'closed', outcome, closed_at: now }),
  body: (o) => o,
  success: () => '已结案',
}

export function registerSupervisionMatters(router: BotRouter): void {
  router.command({
    words: ['劳动监督', '劳动法律监督', 'supervision'],
    roles: ['officer'],
    deniedMessage: DENIED,
    caseNumbers: ['S'],
    help: { section: SECTION, usage: '劳动监督', description: '向责任部门发出工会意见书，跟踪答复（工会干部）' },
    handle: showForm,
  })
  router.action(OPEN, { roles: ['officer'], deniedMessage: DENIED, handle: (ctx) => open(ctx) })
  router.action(REPLY, { roles: ['department_contact'], deniedMessage: '抱歉，只有责任部门的联系人可以答复意见书。', handle: (ctx, p) => runStep(ctx, reply, p.sid, p.rev) })
  router.action(ACCEPT_REPLY, { roles: ['officer'], deniedMessage: DENIED, handle: (ctx, p) => runStep(ctx, acceptReply, p.sid, p.rev) })
  router.action(REJECT_REPLY, { roles: ['officer'], deniedMessage: DENIED, handle: (ctx, p) => runStep(ctx, rejectReply, p.sid, p.rev) })
  router.action(CLOSE, { roles: ['officer'], deniedMessage: DENIED, handle: (ctx, p) => runStep(ctx, close, p.sid, p.rev) })
}
