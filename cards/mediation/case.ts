// Mediation case cards (issue #16): the committee members' card (everything, with the steps), the parties' card
// (what the parties may see: no internal summaries or reasons, the agreement to confirm), and the committee group's
// card, which shows the number and the status only (confidentiality). Every card but the group's shows the
// 15-day clock of 劳动争议调解仲裁法第十四条. Previews name only the number; none can be forwarded.
import { ACCEPT, BACK, CONFIRM, DECLINE, FAIL, FORM, OBJECT, OPEN_STEP, SESSION, SUCCEED, WITHDRAW, type CaseStepName } from '../../src/mediation/actions.js'
import {
  CLAIM_KINDS,
  CLAIM_KIND_LABEL,
  CLOCK_STATUSES,
  MEDIATION_STATUS_LABEL,
  OFFICER_TEXT_MAX_CHARS,
  SIGNATORIES,
  SIGNATORY_LABEL,
  type ClaimKind,
  type MediationClock,
  type MediationStatus,
  type Signatory,
} from '../../src/mediation/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { button, buttonRow, card, datePicker, fitCard, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement, type HeaderTemplate } from '../kit.js'

export interface SessionView {
  heldOn: string
  heldAt: string
  place: string
  attendees: string
  /** Internal: only on the committee members' card. */
  summary: string
}

export interface ConfirmationView {
  party: Signatory
  name: string
  at: Date
}

export interface MediationView {
  id: number
  number: string
  status: MediationStatus
  revision: number
  applicantName: string
  otherParty: string
  employerName: string | undefined
  mediatorName: string | undefined
  facts: string
  request: string
  reasons: string
  knewOn: string
  arbitrationDeadline: string
  /** The limit's clause as of today (limitationClause): never a past date shown as ahead (QA F22). */
  limitation: string
  appliedAt: Date
  clock: MediationClock
  periodDays: number
  grievanceNumber: string | undefined
  sessions: SessionView[]
  terms: string | null
  performOn: string | null
  claimKind: ClaimKind | null
  agreementText: string | null
  confirmations: ConfirmationView[]
  declineReason: string | null
  outcomeNote: string | null
  timeZone: string
}

const TEMPLATE: Record<MediationStatus, HeaderTemplate> = {
  applied: 'orange',
  accepted: 'blue',
  agreement: 'turquoise',
  agreed: 'green',
  failed: 'grey',
  declined: 'grey',
  withdrawn: 'grey',
}

/** The clock line every card but the group's shows. */
export function clockText(v: Pick<MediationView, 'status' | 'clock' | 'periodDays'>): string {
  const c = v.clock
  const law = `（自然日，《劳动争议调解仲裁法》第十四条）`
  if (v.status === 'agreed') return `**调解期限：**已达成调解协议`
  if (!CLOCK_STATUSES.includes(v.status)) return `**调解期限：**调解已结束`
  if (c.expired) return `**调解期限：**${c.lastDay} 已届满，${v.periodDays} 日内未达成协议，当事人可以申请仲裁${law}`
  return `**调解期限：**第 ${c.day} 天 / 共 ${v.periodDays} 天，${c.lastDay} 届满（还剩 ${c.daysLeft} 天）${law}`
}

function sessionLines(sessions: SessionView[], withSummary: boolean, scale = 1): CardElement[] {
  if (sessions.length === 0) return [md('**调解会：**尚未安排')]
  const out: CardElement[] = [md('**调解会：**')]
  for (const s of sessions) {
    out.push(md(`- ${s.heldOn}${s.heldAt ? ` ${escapeMarkdown(s.heldAt)}` : ''}，地点：${escapeMarkdown(truncate(s.place, 100))}${s.attendees ? `，参加：${escapeMarkdown(truncate(s.attendees, 200))}` : ''}`))
    if (withSummary && s.summary) out.push(userText(s.summary, { label: '会议纪要（内部）', max: Math.ceil(500 * scale) }))
  }
  return out
}

function confirmationLines(v: MediationView): string {
  return SIGNATORIES.map((p) => {
    const c = v.confirmations.find((x) => x.party === p)
    return `- ${SIGNATORY_LABEL[p]}：${c ? `已确认（${escapeMarkdown(c.name)}，${formatDateTime(c.at, v.timeZone)}）` : '待确认'}`
  }).join('\n')
}

/** Text limits shrink by `scale` until the card fits Feishu's 30 KB (the full text stays in the records and the file). */
function facts(v: MediationView, scale = 1): CardElement[] {
  return [
    md(
      [
        `**状态：**${MEDIATION_STATUS_LABEL[v.status]}`,
        clockText(v),
        `**申请时间：**${formatDateTime(v.appliedAt, v.timeZone)}`,
        `**申请人：**${escapeMarkdown(v.applicantName)}`,
        `**被申请人：**${escapeMarkdown(v.otherParty)}${v.employerName ? `（代表：${escapeMarkdown(v.employerName)}）` : '（企业方代表未指定）'}`,
        `**调解员：**${v.mediatorName ? escapeMarkdown(v.mediatorName) : '未指派'}`,
        `**知道权利受侵害之日：**${v.knewOn}（${v.limitation}）`,
        ...(v.grievanceNumber ? [`**来自诉求：**${v.grievanceNumber}`] : []),
      ].join('\n'),
    ),
    userText(v.facts, { label: '基本事实', max: Math.ceil(1500 * scale) }),
    userText(v.request, { label: '请求', max: Math.ceil(800 * scale) }),
    userText(v.reasons, { label: '理由', max: Math.ceil(800 * scale) }),
  ]
}

function agreementBlock(v: MediationView, scale = 1): CardElement[] {
  if (!v.agreementText) return []
  return [hr(), userText(v.agreementText, { label: v.status === 'agreed' ? '调解协议书（已生效）' : '调解协议书（草稿，待确认）', max: Math.ceil(4000 * scale) }), md(`**确认情况：**\n${confirmationLines(v)}`)]
}

/** Shrinking steps: text limits and the sessions shown. */
const LEVELS = [
  { scale: 1, sessions: 10 },
  { scale: 0.5, sessions: 5 },
  { scale: 0.25, sessions: 2 },
  { scale: 0.1, sessions: 0 },
] as const

const onCase = (v: MediationView) => ({ cid: v.id, rev: v.revision })

/** What each step's button says on the case card. */
export const STEP_LABEL: Record<CaseStepName, string> = {
  accept: '受理并指派调解员',
  decline: '不予受理',
  session: '记录调解会',
  succeed: '调解成功，起草协议书',
  fail: '调解不成，结案',
}

/** The steps that apply to the case as it is: 调解成功 only once the employer's representative is named. */
export function stepsFor(v: Pick<MediationView, 'status' | 'employerName'>): CaseStepName[] {
  if (v.status === 'applied') return ['accept', 'decline']
  if (v.status === 'accepted') return ['session', ...(v.employerName ? (['succeed'] as const) : []), 'fail']
  if (v.status === 'agreement') return ['fail']
  return []
}

/** A step's form on its own card (QA F9): every field labelled, the case's number, status and clock above it. */
export function buildCaseStepCard(v: MediationView & { members: Array<{ openId: string; name: string }> }, step: CaseStepName): Card {
  const head = md([`**状态：**${MEDIATION_STATUS_LABEL[v.status]}`, clockText(v), `**申请人：**${escapeMarkdown(v.applicantName)}　**被申请人：**${escapeMarkdown(v.otherParty)}`].join('\n'))
  const submit = (text: string, action: string, value: Record<string, string | number>, type: 'primary' | 'danger' | 'default' = 'primary') => button({ text, action, value, type, formAction: 'submit', name: `${step}_submit` })
  const fields: Record<CaseStepName, CardElement[]> = {
    accept: [
      md('**调解员**（调解委员会成员）'),
      selectStatic({ name: FORM.mediator, placeholder: '选择调解员', options: v.members.map((m) => ({ text: m.name, value: m.openId })) }),
      submit('受理并指派', ACCEPT.name, ACCEPT.value(onCase(v))),
    ],
    decline: [
      input({ name: FORM.reason, label: '不予受理的理由（会告知职工）', placeholder: '例如 已向仲裁委申请仲裁', maxLength: OFFICER_TEXT_MAX_CHARS, multiline: true }),
      submit('不予受理', DECLINE.name, DECLINE.value(onCase(v)), 'danger'),
    ],
    session: [
      md('**日期**'),
      datePicker({ name: FORM.heldOn, placeholder: '调解会日期' }),
      input({ name: FORM.heldAt, label: '时间', placeholder: '例如 14:00', maxLength: 20 }),
      input({ name: FORM.place, label: '地点', placeholder: '例如 工会活动室', maxLength: 100 }),
      input({ name: FORM.attendees, label: '参加人员', placeholder: '可不填', maxLength: 200 }),
      input({ name: FORM.summary, label: '会议纪要（内部，当事人看不到）', placeholder: '可不填', maxLength: OFFICER_TEXT_MAX_CHARS, multiline: true }),
      submit('记录调解会并通知双方', SESSION.name, SESSION.value(onCase(v))),
    ],
    succeed: [
      input({ name: FORM.terms, label: '协议内容', placeholder: '双方同意的协议内容', maxLength: OFFICER_TEXT_MAX_CHARS, multiline: true }),
      md('**履行期限**（可不选）'),
      datePicker({ name: FORM.performOn, placeholder: '履行期限' }),
      md('**争议类别**'),
      selectStatic({ name: FORM.claimKind, placeholder: '争议类别', options: CLAIM_KINDS.map((k) => ({ text: CLAIM_KIND_LABEL[k], value: k })) }),
      submit('起草协议书', SUCCEED.name, SUCCEED.value(onCase(v))),
    ],
    fail: [
      input({ name: FORM.failReason, label: '调解不成的情况（内部）', placeholder: '例如 双方分歧较大', maxLength: OFFICER_TEXT_MAX_CHARS, multiline: true }),
      submit('调解不成，结案', FAIL.name, FAIL.value(onCase(v)), 'danger'),
    ],
  }
  return card({
    title: `${STEP_LABEL[step]} · ${v.number}`,
    template: TEMPLATE[v.status],
    summary: `调解案件 ${v.number}`,
    elements: [head, hr(), form(step, fields[step]), buttonRow([button({ text: '返回案件', action: BACK.name, value: BACK.value({ cid: v.id }) })])],
    forwardable: false,
  })
}

/** The committee members' card: the whole case and, by status, the steps they take. */
export function buildCommitteeCaseCard(v: MediationView & { members: Array<{ openId: string; name: string }> }): Card {
  return fitCard(LEVELS, ({ scale, sessions: shownSessions }) => {
    const elements: CardElement[] = [...facts(v, scale)]
    if (v.declineReason) elements.push(userText(v.declineReason, { label: '不予受理的理由', max: Math.ceil(1000 * scale) }))
    if (v.outcomeNote) elements.push(userText(v.outcomeNote, { label: '调解不成的情况（内部）', max: Math.ceil(1000 * scale) }))
    elements.push(hr(), ...sessionLines(shownSessions === 0 ? [] : v.sessions.slice(-shownSessions), true, scale))
    if (shownSessions < v.sessions.length && shownSessions > 0) elements.push(note(`共 ${v.sessions.length} 次调解会，显示最近 ${shownSessions} 次。`))
    elements.push(...agreementBlock(v, scale))
    // Only the steps that apply now, as buttons; each opens its own form card (QA F9: the card fits a phone screen).
    const steps = stepsFor(v)
    if (steps.length > 0) {
      elements.push(hr(), buttonRow(steps.map((step) => button({ text: STEP_LABEL[step], action: OPEN_STEP.name, value: OPEN_STEP.value({ ...onCase(v), step }), type: step === 'decline' || step === 'fail' ? 'danger' : step === 'accept' || step === 'succeed' ? 'primary' : 'default' }))))
    }
    if (v.status === 'agreement') elements.push(buttonRow([button({ text: '调解员确认协议', action: CONFIRM.name, value: CONFIRM.value(onCase(v)), type: 'primary' })]))
    if (v.status === 'accepted' && !v.employerName) elements.push(note(`指定企业方代表：发送「调解 ${v.number} 企业代表 @某人」。`))
    elements.push(note('保密：本卡片只发给调解委员会成员；委员会群只显示编号和状态。'))
    return card({ title: `调解案件 ${v.number}`, template: TEMPLATE[v.status], summary: `调解案件 ${v.number}`, elements, forwardable: false })
  })
}

/** A party's card (the worker, the employer's representative): no internal notes; confirm or object to the draft. */
export function buildPartyCaseCard(v: MediationView & { viewer: 'applicant' | 'employer'; confirmedByViewer: boolean }): Card {
  return fitCard(LEVELS, ({ scale, sessions }) => {
  const elements: CardElement[] = [...facts(v, scale), hr(), ...sessionLines(sessions === 0 ? [] : v.sessions.slice(-sessions), false), ...agreementBlock(v, scale)]
  if (v.declineReason) elements.push(userText(v.declineReason, { label: '不予受理的理由', max: Math.ceil(1000 * scale) }))
  if (v.status === 'agreement' && !v.confirmedByViewer) {
    elements.push(
      buttonRow([
        button({ text: '确认协议', action: CONFIRM.name, value: CONFIRM.value(onCase(v)), type: 'primary', confirm: { title: '确认调解协议', text: '确认后即视为您同意协议内容（相当于签名）。' } }),
        button({ text: '有异议，退回修改', action: OBJECT.name, value: OBJECT.value(onCase(v)) }),
      ]),
    )
  }
  if (v.viewer === 'applicant' && CLOCK_STATUSES.includes(v.status)) {
    elements.push(buttonRow([button({ text: '撤回申请', action: WITHDRAW.name, value: WITHDRAW.value({ cid: v.id }), type: 'danger', confirm: { title: '撤回调解申请', text: '撤回后调解结束，您仍可以申请仲裁。' } })]))
  }
  elements.push(note('调解内容只有调解委员会成员和双方当事人可见。'))
  return card({ title: `我的调解 ${v.number}`, template: TEMPLATE[v.status], summary: `调解 ${v.number}`, elements, forwardable: false })
  })
}

/** The committee group's card: number and status, nothing of the case (issue #16's confidentiality). */
export function buildGroupStatusCard(v: { number: string; status: MediationStatus }): Card {
  return card({
    title: `调解案件 ${v.number}`,
    template: TEMPLATE[v.status],
    summary: `调解案件 ${v.number}`,
    elements: [md(`**状态：**${MEDIATION_STATUS_LABEL[v.status]}`), note('案情保密，仅调解委员会成员和当事人可见。')],
    forwardable: false,
  })
}

/** The final agreement, to both parties (and the mediator); the file with the same text goes with it. */
export function buildAgreementCard(v: { number: string; text: string; paymentOrderHint: string | undefined; fileName: string }): Card {
  const elements: CardElement[] = [md(`调解协议书已经双方当事人和调解员确认，**已生效**，对双方具有约束力（《劳动争议调解仲裁法》第十四条）。`), userText(v.text, { max: 4000 })]
  if (v.paymentOrderHint) elements.push(md(`**提示：**${v.paymentOrderHint}`))
  elements.push(note(`协议书文本另以文件发送（${v.fileName}），请妥善保存。`))
  return card({ title: `调解协议书 ${v.number}`, template: 'green', summary: `调解协议书 ${v.number}`, elements, forwardable: false })
}

/** A session invitation to a party (the place is typed by the mediator, so it is escaped here). */
export function buildSessionInviteCard(v: { number: string; heldOn: string; heldAt: string; place: string; clock: string }): Card {
  return card({
    title: `调解会通知 ${v.number}`,
    template: 'blue',
    summary: `调解会通知 ${v.number}`,
    elements: [md([`**日期：**${v.heldOn}${v.heldAt ? ` ${escapeMarkdown(v.heldAt)}` : ''}`, `**地点：**${escapeMarkdown(v.place)}`, v.clock].join('\n')), note('如不能参加，请及时告知调解员。')],
    forwardable: false,
  })
}

/** To the worker when the case ends without agreement (declined, failed, withdrawn, or the 15 days are over). */
export function buildArbitrationCard(v: { number: string; headline: string; hint: string; reason?: string }): Card {
  const elements: CardElement[] = [md(v.headline)]
  if (v.reason) elements.push(userText(v.reason, { label: '理由' }))
  elements.push(md(v.hint))
  return card({ title: `调解 ${v.number}`, template: 'orange', summary: `调解 ${v.number}`, elements, forwardable: false })
}

/** The day-12 reminder to the mediator and the committee's members (privately). */
export function buildDayReminderCard(v: { number: string; clock: string }): Card {
  return card({
    title: `调解期限提醒 ${v.number}`,
    template: 'orange',
    summary: `调解期限提醒 ${v.number}`,
    elements: [md(v.clock), md('15 日内未达成调解协议的，当事人可以申请仲裁。请尽快组织调解或结案。')],
    forwardable: false,
  })
}

export interface OwnMediationRow {
  number: string
  status: MediationStatus
  role: 'applicant' | 'employer'
  appliedAt: Date
}

/** A person's own mediation cases (as applicant or as the employer's representative). */
export function buildOwnMediationsCard(v: { rows: OwnMediationRow[]; timeZone: string }): Card {
  const elements: CardElement[] = []
  if (v.rows.length === 0) elements.push(md('您还没有调解案件。发送「申请调解」即可向劳动争议调解委员会申请调解。'))
  else {
    elements.push(md(v.rows.map((r) => `- **${r.number}** ${MEDIATION_STATUS_LABEL[r.status]} · ${r.role === 'applicant' ? '申请人' : '企业方代表'} · ${formatDateTime(r.appliedAt, v.timeZone)} 申请`).join('\n')))
    elements.push(note('发送「调解 编号」查看详情。'))
  }
  return card({ title: '我的调解', template: 'blue', summary: '我的调解', elements, forwardable: false })
}
