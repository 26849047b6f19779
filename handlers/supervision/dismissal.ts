// Dismissal notices (issue #16; 《劳动合同法》第四十三条, 《工会法》第二十二条第二款): `解除通知` gives HR (the contact of
// the department DISMISSAL_HR_DEPARTMENT, role `hr`) the form; 提交工会 makes the notice `D-YYYY-NNN`, sends the
// union's card privately to every officer and the number-and-status card to the committee group; an officer answers
// 同意 or 有异议 with the opinion (one guarded transition each, src/kit/card-step.ts); HR gets the opinion and reports
// the result in writing (已解除 / 撤销 / 变更, date). Reminders once each, from 09:00 on working days: the officers when
// no opinion came within DISMISSAL_OPINION_WORKDAYS, HR when no result came within DISMISSAL_RESULT_WORKDAYS of the
// opinion. Confidential: the worker's name and the reasons go to officers and HR only; logs and audit carry numbers.
import type { Updateable } from 'kysely'
import { buildDismissalFormCard, buildDismissalGroupCard, buildDismissalHrCard, buildDismissalUnionCard, type DismissalView } from '../../cards/supervision/dismissal.js'
import type { Card } from '../../cards/kit.js'
import { nextInSequence } from '../../src/core/sequences.js'
import type { BaseContext, CardActionContext, CardActionResult, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import type { Db } from '../../src/db/schema.js'
import { UserFacingError, errorCode } from '../../src/errors.js'
import { runCardStep, type CardStep, type CardStepSubject } from '../../src/kit/card-step.js'
import { parsePickedDate } from '../../src/kit/dates.js'
import { deliver } from '../../src/kit/deliver.js'
import { formText } from '../../src/kit/form-text.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { findDepartmentByName, getDepartment } from '../../src/organisation/departments.js'
import { DISMISSAL_AGREE, DISMISSAL_FORM, DISMISSAL_OBJECT, DISMISSAL_REPORT, DISMISSAL_SUBMIT } from '../../src/supervision/actions.js'
import {
  DISMISSAL_GROUNDS,
  DISMISSAL_NUMBER,
  DISMISSAL_REASONS_MIN_CHARS,
  DISMISSAL_RESULTS,
  DISMISSAL_STATUS_LABEL,
  DISMISSAL_TEXT_MAX_CHARS,
  WORKER_NAME_MAX_CHARS,
  type DismissalEventKind,
  type DismissalGround,
  type DismissalResult,
  type DismissalStatus,
} from '../../src/supervision/dismissal.js'
import {
  DISMISSAL_MACHINE,
  claimDismissalReminder,
  dismissalEventsCausedBy,
  getNotice,
  getNoticeByNumber,
  insertNotice,
  lockNotice,
  markDismissalReminded,
  noticeSubmittedBy,
  noticesToRemind,
  recordDismissalEvent,
  setNoticeGroupMessage,
  updateNotice,
  type DismissalNotice,
} from '../../src/supervision/dismissal-store.js'
import type { DismissalNoticesTable } from '../../src/supervision/tables.js'
import { localParts } from '../../src/time.js'

const SECTION = '劳动法律监督'
const HR_DENIED = '抱歉，只有人力资源部的联系人可以提交解除劳动合同通知（工会干部可用「部门 添加」登记）。'
const OFFICER_DENIED = '抱歉，只有工会干部可以对解除劳动合同通知提出意见。'
const CLAIM_MS = 5 * 60_000

/** Whether the person is the contact of the HR department (the setting DISMISSAL_HR_DEPARTMENT). */
export async function isHrContact(db: Db, hrDepartment: string, openId: string): Promise<boolean> {
  return (await findDepartmentByName(db, hrDepartment))?.contactOpenId === openId
}

// ---- views and sending ----

async function viewOf(ctx: BaseContext, n: DismissalNotice): Promise<DismissalView> {
  const [department, hrName, opinionByName] = await Promise.all([
    getDepartment(ctx.db, n.department_id),
    ctx.nameOf(n.hr_open_id).catch(() => undefined),
    n.opinion_by ? ctx.nameOf(n.opinion_by).catch(() => undefined) : Promise.resolve(undefined),
  ])
  return {
    id: n.id,
    number: n.number,
    status: n.status,
    revision: n.revision,
    workerName: n.worker_name,
    workerDepartment: n.worker_department,
    reasons: n.reasons,
    ground: n.ground,
    plannedOn: n.planned_on,
    hrName: hrName ?? department?.contactName ?? '联系人',
    departmentName: department?.name ?? ctx.config.supervision.dismissal.hrDepartment,
    submittedAt: n.submitted_at,
    opinionDueAt: n.opinion_due_at,
    opinion: n.opinion,
    opinionText: n.opinion_text,
    opinionByName: opinionByName ?? (n.opinion_by ? '工会干部' : undefined),
    opinionAt: n.opinion_at,
    resultDueAt: n.result_due_at,
    result: n.result,
    resultOn: n.result_on,
    resultNote: n.result_note,
    resultAt: n.result_at,
    timeZone: ctx.config.timezone,
  }
}

const unionCard = async (ctx: BaseContext, n: DismissalNotice) => buildDismissalUnionCard(await viewOf(ctx, n))
const hrCard = async (ctx: BaseContext, n: DismissalNotice) => buildDismissalHrCard(await viewOf(ctx, n))

/** The card a person sees: officers the union's card, HR theirs, anyone else nothing. */
async function cardFor(ctx: BaseContext, n: DismissalNotice, openId: string): Promise<Card | undefined> {
  if (await ctx.services.roles.hasAny(openId, ['officer'])) return unionCard(ctx, n)
  if (openId === n.hr_open_id || (await isHrContact(ctx.db, ctx.config.supervision.dismissal.hrDepartment, openId))) return hrCard(ctx, n)
  return undefined
}

/** The union's card to every officer privately (keyed: a re-run sends each once). */
async function sendToOfficers(ctx: BaseContext, n: DismissalNotice, key: string): Promise<void> {
  const card = await unionCard(ctx, n)
  for (const openId of await ctx.services.roles.officerOpenIds()) {
    await deliver(ctx, 'dismissal:officer', () => ctx.sendToUser(openId, { card }, { key: `${key}:${n.id}:${openId}` }), { dismissal: n.number })
  }
}

async function tellHr(ctx: BaseContext, n: DismissalNotice, key: string): Promise<void> {
  const card = await hrCard(ctx, n)
  await deliver(ctx, 'dismissal:hr', () => ctx.sendToUser(n.hr_open_id, { card }, { key: `${key}:${n.id}` }), { dismissal: n.number })
}

async function refreshGroupCard(ctx: BaseContext, id: number): Promise<void> {
  const n = await getNotice(ctx.db, id)
  if (!n?.group_message_id) return
  try {
    await ctx.patchCard(n.group_message_id, buildDismissalGroupCard(n))
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, dismissal: n.number, code: errorCode(err) }, 'dismissal group card not updated')
  }
}

// ---- HR submits ----

async function showForm(ctx: MessageContext): Promise<void> {
  const asked = DISMISSAL_NUMBER.splitLeading(ctx.argsTyped)
  if (asked) {
    const n = await getNoticeByNumber(ctx.db, asked.number)
    const card = n ? await cardFor(ctx, n, ctx.actorOpenId) : undefined
    return void (await ctx.replyPrivately(card ? { card } : { text: `没有找到解除劳动合同通知 ${asked.number}。` }))
  }
  if (!(await isHrContact(ctx.db, ctx.config.supervision.dismissal.hrDepartment, ctx.actorOpenId))) return void (await ctx.replyPrivately({ text: HR_DENIED }))
  await ctx.replyPrivately({ card: buildDismissalFormCard({ opinionWorkdays: ctx.config.supervision.dismissal.opinionWorkdays }) })
}

const text = (ctx: CardActionContext, field: string, what: string, opts: { min?: number; max?: number; required?: boolean } = {}) =>
  formText(ctx, field, what, { max: opts.max ?? DISMISSAL_TEXT_MAX_CHARS, ...(opts.min !== undefined ? { min: opts.min } : {}), ...(opts.required === false ? { required: false } : {}) })

async function submit(ctx: CardActionContext): Promise<CardActionResult> {
  const department = await findDepartmentByName(ctx.db, ctx.config.supervision.dismissal.hrDepartment)
  if (!department || department.contactOpenId !== ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', HR_DENIED)
  const worker = text(ctx, DISMISSAL_FORM.worker, '职工姓名', { max: WORKER_NAME_MAX_CHARS })
  const workerDepartment = text(ctx, DISMISSAL_FORM.workerDepartment, '所在部门', { max: 50, required: false })
  const ground = ctx.formString(DISMISSAL_FORM.ground) as DismissalGround | undefined
  if (!ground || !DISMISSAL_GROUNDS.includes(ground)) throw new UserFacingError('INVALID_INPUT', '请先选择法定依据。')
  const reasons = text(ctx, DISMISSAL_FORM.reasons, '解除理由', { min: DISMISSAL_REASONS_MIN_CHARS })
  const picked = ctx.formString(DISMISSAL_FORM.plannedOn)
  const plannedOn = picked ? parsePickedDate(picked) : null
  if (plannedOn === undefined) throw new UserFacingError('INVALID_INPUT', '拟解除日期无法识别，请重新选择。')
  const now = ctx.now()
  const n = await ctx.db.transaction().execute(async (trx) => {
    const again = await noticeSubmittedBy(trx, ctx.eventId)
    if (again) return again
    const year = localParts(now, ctx.config.timezone).year
    const made = await insertNotice(trx, {
      number: DISMISSAL_NUMBER.format(year, await nextInSequence(trx, `dismissal:${year}`)),
      department_id: department.id,
      hr_open_id: ctx.actorOpenId,
      worker_name: worker,
      worker_department: workerDepartment,
      reasons,
      ground,
      planned_on: plannedOn,
      submitted_at: now,
      opinion_due_at: ctx.services.calendar.deadlineAfter(now, ctx.config.supervision.dismissal.opinionWorkdays),
      submit_event_id: ctx.eventId,
    })
    await recordDismissalEvent(trx, { noticeId: made.id, at: now, kind: 'submitted', actorOpenId: ctx.actorOpenId, eventId: ctx.eventId })
    // Audited by number and ground only: never the worker's name or the reasons.
    await ctx.audit({ action: DISMISSAL_SUBMIT.name, subjectType: 'dismissal', subjectId: made.number, detail: { ground } }, trx)
    return made
  })
  ctx.log.info({ eventId: ctx.eventId, dismissal: n.number }, 'dismissal notice submitted')
  ctx.defer(async () => {
    await sendToOfficers(ctx, n, 'submitted')
    try {
      const sent = await ctx.sendToCommittee({ card: buildDismissalGroupCard(n) }, { key: `dismissal-group:${n.id}` })
      if (sent) await setNoticeGroupMessage(ctx.db, n.id, sent.messageId)
    } catch (err) {
      ctx.log.warn({ eventId: ctx.eventId, dismissal: n.number, code: errorCode(err) }, 'dismissal group card not posted')
    }
  })
  return { toast: { type: 'success', content: `已通知工会（${n.number}），工会提出意见后会告知您` }, card: await hrCard(ctx, n) }
}

// ---- the steps ----

type Step<I> = CardStep<DismissalNotice, DismissalStatus, I, Updateable<DismissalNoticesTable>> & { kind: DismissalEventKind }

const NOTICE: CardStepSubject<DismissalNotice, DismissalStatus, Updateable<DismissalNoticesTable>> = {
  machine: DISMISSAL_MACHINE,
  logKey: 'dismissal',
  noun: '通知',
  statusLabel: DISMISSAL_STATUS_LABEL,
  lock: lockNotice,
  get: getNotice,
  replayed: async (trx, id, eventId, kind) => (await dismissalEventsCausedBy(trx, id, eventId)).some((e) => e.kind === kind),
  update: updateNotice,
  record: (trx, e) => recordDismissalEvent(trx, { noticeId: e.id, at: e.at, kind: e.kind as DismissalEventKind, actorOpenId: e.actorOpenId, body: e.body, eventId: e.eventId }),
  cardFor: (ctx, n) => cardFor(ctx, n, ctx.actorOpenId),
  refresh: (ctx, n) => refreshGroupCard(ctx, n.id),
}

const refuseOpinion = (n: DismissalNotice) => `该通知当前为「${DISMISSAL_STATUS_LABEL[n.status]}」，已不能再提出意见。`

function opinionStep(kind: 'agreed' | 'objected'): Step<string> {
  const object = kind === 'objected'
  return {
    action: object ? DISMISSAL_OBJECT.name : DISMISSAL_AGREE.name,
    kind,
    // An objection says what is wrong and what to correct (第四十三条: 工会认为违反…有权要求纠正).
    read: (ctx) => (object ? text(ctx, DISMISSAL_FORM.opinion, '异议和纠正要求', { min: 5 }) : text(ctx, DISMISSAL_FORM.opinion, '说明', { required: false })),
    from: ['awaiting_opinion'],
    refuse: refuseOpinion,
    change: (_n, t, now, ctx) => ({
      status: 'opinion_given',
      opinion: object ? 'object' : 'agree',
      opinion_text: t || null,
      opinion_by: ctx.actorOpenId,
      opinion_at: now,
      result_due_at: ctx.services.calendar.deadlineAfter(now, ctx.config.supervision.dismissal.resultWorkdays),
    }),
    body: (t) => t || null,
    async after(ctx, n) {
      await tellHr(ctx, n, 'opinion')
    },
    success: () => (object ? '已提出异议，已书面告知人力资源部' : '已同意，已告知人力资源部'),
  }
}

interface ResultInput {
  result: DismissalResult
  resultOn: string
  note: string
}

const report: Step<ResultInput> = {
  action: DISMISSAL_REPORT.name,
  kind: 'reported',
  read(ctx) {
    const result = ctx.formString(DISMISSAL_FORM.result) as DismissalResult | undefined
    if (!result || !DISMISSAL_RESULTS.includes(result)) throw new UserFacingError('INVALID_INPUT', '请先选择处理结果。')
    const resultOn = parsePickedDate(ctx.formString(DISMISSAL_FORM.resultOn))
    if (!resultOn) throw new UserFacingError('INVALID_INPUT', '请先选择结果日期。')
    return { result, resultOn, note: text(ctx, DISMISSAL_FORM.resultNote, '结果说明', { required: false }) }
  },
  from: ['awaiting_opinion', 'opinion_given'],
  refuse: (n) => `该通知当前为「${DISMISSAL_STATUS_LABEL[n.status]}」，结果已报告。`,
  guard(ctx, n) {
    if (ctx.actorOpenId !== n.hr_open_id) throw new UserFacingError('FORBIDDEN_ROLE', '只有提交这份通知的人力资源部联系人可以报告结果。')
  },
  change: (_n, r, now, ctx) => ({ status: 'closed', result: r.result, result_on: r.resultOn, result_note: r.note || null, result_by: ctx.actorOpenId, result_at: now }),
  body: (r) => `${r.result} ${r.resultOn}${r.note ? ` ${r.note}` : ''}`,
  async after(ctx, n) {
    await sendToOfficers(ctx, n, 'reported')
  },
  success: () => '已书面报告工会，谢谢',
}

const agree = opinionStep('agreed')
const object = opinionStep('objected')

// ---- reminders ----

async function remind(ctx: PeriodicContext): Promise<void> {
  if (!workdayFrom(ctx.runAt, ctx.services.calendar, ctx.config.timezone)) return
  const due = await noticesToRemind(ctx.db, ctx.runAt)
  const { opinionWorkdays, resultWorkdays } = ctx.config.supervision.dismissal
  for (const n of due.opinion) {
    if (!(await claimDismissalReminder(ctx.db, n.id, 'opinion', ctx.runAt, CLAIM_MS))) continue
    for (const openId of await ctx.services.roles.officerOpenIds()) {
      await deliver(ctx, 'dismissal:remind-opinion', () => ctx.sendToUser(openId, { text: `解除劳动合同通知 ${n.number} 已超过 ${opinionWorkdays} 个工作日，工会尚未提出意见。请在通知卡片上选择「同意」或「有异议」（《劳动合同法》第四十三条）。` }, { key: `dismissal-remind:${n.id}:${openId}` }), { dismissal: n.number })
    }
    await recordDismissalEvent(ctx.db, { noticeId: n.id, at: ctx.runAt, kind: 'reminded', actorOpenId: null, body: 'opinion', eventId: `remind-opinion:${n.id}` })
    await markDismissalReminded(ctx.db, n.id, 'opinion', ctx.runAt)
  }
  for (const n of due.result) {
    if (!(await claimDismissalReminder(ctx.db, n.id, 'result', ctx.runAt, CLAIM_MS))) continue
    await deliver(ctx, 'dismissal:remind-result', () => ctx.sendToUser(n.hr_open_id, { text: `解除劳动合同通知 ${n.number}：工会提出意见已超过 ${resultWorkdays} 个工作日，请在通知卡片上书面报告处理结果（《劳动合同法》第四十三条：用人单位应当将处理结果书面通知工会）。` }, { key: `dismissal-remind-result:${n.id}` }), { dismissal: n.number })
    await recordDismissalEvent(ctx.db, { noticeId: n.id, at: ctx.runAt, kind: 'reminded', actorOpenId: null, body: 'result', eventId: `remind-result:${n.id}` })
    await markDismissalReminded(ctx.db, n.id, 'result', ctx.runAt)
  }
}

export function registerDismissalNotices(router: BotRouter): void {
  router.role('hr', (openId, services) => isHrContact(services.db, services.config.supervision.dismissal.hrDepartment, openId))
  router.command({
    words: ['解除通知', '解除劳动合同通知', 'dismissal'],
    synonyms: ['辞退通知', '解除劳动合同'],
    roles: ['hr', 'officer'],
    deniedMessage: HR_DENIED,
    caseNumbers: ['D'],
    help: { section: SECTION, usage: '解除通知', description: '单方解除劳动合同前通知工会，工会提出意见，书面报告结果（人力资源部）' },
    handle: showForm,
  })
  router.action(DISMISSAL_SUBMIT, { roles: ['hr'], deniedMessage: HR_DENIED, handle: (ctx) => submit(ctx) })
  router.action(DISMISSAL_AGREE, { roles: ['officer'], deniedMessage: OFFICER_DENIED, handle: (ctx, p) => runCardStep(ctx, NOTICE, agree, p.did, p.rev) })
  router.action(DISMISSAL_OBJECT, { roles: ['officer'], deniedMessage: OFFICER_DENIED, handle: (ctx, p) => runCardStep(ctx, NOTICE, object, p.did, p.rev) })
  router.action(DISMISSAL_REPORT, { roles: ['hr'], deniedMessage: '抱歉，只有人力资源部的联系人可以报告处理结果。', handle: (ctx, p) => runCardStep(ctx, NOTICE, report, p.did, p.rev) })
  router.periodic({ name: 'supervision.dismissal-reminders', run: remind })
}
