// Dismissal notices' cards (issue #16; 《劳动合同法》第四十三条, 《工会法》第二十二条第二款): HR's form, the union's card
// (officers, privately: the worker, the reasons, the ground; 同意 / 有异议 with the opinion), HR's card (the union's
// opinion; the result reported in writing), and the committee group's card with the number and the status only.
import { DISMISSAL_AGREE, DISMISSAL_FORM, DISMISSAL_OBJECT, DISMISSAL_REPORT, DISMISSAL_SUBMIT } from '../../src/supervision/actions.js'
import {
  DISMISSAL_GROUNDS,
  DISMISSAL_GROUND_LABEL,
  DISMISSAL_LAW,
  DISMISSAL_OPINION_LABEL,
  DISMISSAL_RESULTS,
  DISMISSAL_RESULT_LABEL,
  DISMISSAL_STATUS_LABEL,
  DISMISSAL_TEXT_MAX_CHARS,
  WORKER_NAME_MAX_CHARS,
  type DismissalGround,
  type DismissalOpinion,
  type DismissalResult,
  type DismissalStatus,
} from '../../src/supervision/dismissal.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { button, card, datePicker, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement, type HeaderTemplate } from '../kit.js'

export interface DismissalView {
  id: number
  number: string
  status: DismissalStatus
  revision: number
  workerName: string
  workerDepartment: string
  reasons: string
  ground: DismissalGround
  plannedOn: string | null
  hrName: string
  departmentName: string
  submittedAt: Date
  opinionDueAt: Date
  opinion: DismissalOpinion | null
  opinionText: string | null
  opinionByName: string | undefined
  opinionAt: Date | null
  resultDueAt: Date | null
  result: DismissalResult | null
  resultOn: string | null
  resultNote: string | null
  resultAt: Date | null
  timeZone: string
}

const TEMPLATE: Record<DismissalStatus, HeaderTemplate> = { awaiting_opinion: 'orange', opinion_given: 'blue', closed: 'grey' }
const CONFIDENTIAL = '保密：只有工会干部和人力资源部的联系人看到内容；委员会群只显示编号和状态。'

/** HR's form (the contact of the HR department). */
export function buildDismissalFormCard(v: { opinionWorkdays: number }): Card {
  return card({
    title: '解除劳动合同通知工会',
    template: 'orange',
    summary: '解除劳动合同通知工会',
    elements: [
      md(`用人单位单方解除劳动合同，应当**事先将理由通知工会**；工会认为违反法律、法规或者劳动合同的，有权要求纠正，用人单位应当研究工会的意见，并将处理结果**书面通知工会**（${DISMISSAL_LAW}）。`),
      form('dismissal', [
        input({ name: DISMISSAL_FORM.worker, label: '职工姓名', placeholder: '拟解除劳动合同的职工', maxLength: WORKER_NAME_MAX_CHARS }),
        input({ name: DISMISSAL_FORM.workerDepartment, label: '所在部门（可不填）', placeholder: '例如 一车间', maxLength: 50 }),
        selectStatic({ name: DISMISSAL_FORM.ground, placeholder: '法定依据（《劳动合同法》）', options: DISMISSAL_GROUNDS.map((g) => ({ text: DISMISSAL_GROUND_LABEL[g], value: g })) }),
        input({ name: DISMISSAL_FORM.reasons, label: '解除理由', placeholder: '事实和依据（规章制度条款、考核结果等）', maxLength: DISMISSAL_TEXT_MAX_CHARS, multiline: true }),
        md('**拟解除日期（可不选）**'),
        datePicker({ name: DISMISSAL_FORM.plannedOn, placeholder: '拟解除日期' }),
        button({ text: '提交工会', action: DISMISSAL_SUBMIT.name, value: DISMISSAL_SUBMIT.value({}), type: 'primary', formAction: 'submit', name: 'dismissal_submit', confirm: { title: '提交工会', text: '提交后工会会收到通知并提出意见。' } }),
      ]),
      note(`工会一般在 ${v.opinionWorkdays} 个工作日内提出意见。${CONFIDENTIAL}`),
    ],
    forwardable: false,
  })
}

function factsBlock(v: DismissalView): CardElement[] {
  return [
    md(
      [
        `**状态：**${DISMISSAL_STATUS_LABEL[v.status]}`,
        `**职工：**${escapeMarkdown(v.workerName)}${v.workerDepartment ? `（${escapeMarkdown(v.workerDepartment)}）` : ''}`,
        `**法定依据：**《劳动合同法》${DISMISSAL_GROUND_LABEL[v.ground]}`,
        ...(v.plannedOn ? [`**拟解除日期：**${v.plannedOn}`] : []),
        `**通知：**${escapeMarkdown(v.departmentName)} ${escapeMarkdown(v.hrName)}，${formatDateTime(v.submittedAt, v.timeZone)}`,
      ].join('\n'),
    ),
    userText(v.reasons, { label: '解除理由', max: DISMISSAL_TEXT_MAX_CHARS }),
  ]
}

function opinionBlock(v: DismissalView): CardElement[] {
  if (v.status === 'awaiting_opinion') return [md(`**工会意见：**待提出（${formatDateTime(v.opinionDueAt, v.timeZone)} 前）`)]
  if (!v.opinion) return [md('**工会意见：**未提出')]
  return [
    md(`**工会意见：**${DISMISSAL_OPINION_LABEL[v.opinion]}（${escapeMarkdown(v.opinionByName ?? '工会干部')}，${v.opinionAt ? formatDateTime(v.opinionAt, v.timeZone) : ''}）`),
    ...(v.opinionText ? [userText(v.opinionText, { label: v.opinion === 'object' ? '异议和纠正要求' : '说明', max: DISMISSAL_TEXT_MAX_CHARS })] : []),
  ]
}

function resultBlock(v: DismissalView): CardElement[] {
  if (v.status !== 'closed' || !v.result) return v.status === 'opinion_given' && v.resultDueAt ? [md(`**处理结果：**待人力资源部书面报告（${formatDateTime(v.resultDueAt, v.timeZone)} 前）`)] : []
  return [
    md(`**处理结果：**${DISMISSAL_RESULT_LABEL[v.result]}${v.resultOn ? `，${v.resultOn}` : ''}（${v.resultAt ? formatDateTime(v.resultAt, v.timeZone) : ''} 书面报告）`),
    ...(v.resultNote ? [userText(v.resultNote, { label: '结果说明', max: DISMISSAL_TEXT_MAX_CHARS })] : []),
  ]
}

const onNotice = (v: DismissalView) => ({ did: v.id, rev: v.revision })

/** The union's card (officers, privately): the notice and, while no opinion is given, 同意 / 有异议. */
export function buildDismissalUnionCard(v: DismissalView): Card {
  const elements: CardElement[] = [...factsBlock(v), hr(), ...opinionBlock(v), ...resultBlock(v)]
  if (v.status === 'awaiting_opinion') {
    elements.push(
      form('opinion', [
        input({ name: DISMISSAL_FORM.opinion, label: '工会意见', placeholder: '有异议时写明违反哪项法律、法规或合同，以及纠正要求；同意时可不填', maxLength: DISMISSAL_TEXT_MAX_CHARS, multiline: true }),
        button({ text: '同意', action: DISMISSAL_AGREE.name, value: DISMISSAL_AGREE.value(onNotice(v)), type: 'primary', formAction: 'submit', name: 'dismissal_agree', confirm: { title: '同意解除', text: '工会意见将书面告知人力资源部。' } }),
        button({ text: '有异议', action: DISMISSAL_OBJECT.name, value: DISMISSAL_OBJECT.value(onNotice(v)), type: 'danger', formAction: 'submit', name: 'dismissal_object', confirm: { title: '提出异议', text: '工会的异议和纠正要求将书面告知人力资源部，用人单位应当研究。' } }),
      ]),
    )
  }
  elements.push(note(CONFIDENTIAL))
  return card({ title: `解除劳动合同通知 ${v.number}`, template: TEMPLATE[v.status], summary: `解除劳动合同通知 ${v.number}`, elements, forwardable: false })
}

/** HR's card: the notice as submitted, the union's opinion, and the result to report in writing. */
export function buildDismissalHrCard(v: DismissalView): Card {
  const elements: CardElement[] = [...factsBlock(v), hr(), ...opinionBlock(v), ...resultBlock(v)]
  if (v.status !== 'closed') {
    elements.push(
      form('result', [
        selectStatic({ name: DISMISSAL_FORM.result, placeholder: '处理结果', options: DISMISSAL_RESULTS.map((r) => ({ text: DISMISSAL_RESULT_LABEL[r], value: r })) }),
        md('**结果日期**'),
        datePicker({ name: DISMISSAL_FORM.resultOn, placeholder: '解除、撤销或变更的日期' }),
        input({ name: DISMISSAL_FORM.resultNote, label: '结果说明（可不填）', placeholder: '例如 已按工会意见改为调岗', maxLength: DISMISSAL_TEXT_MAX_CHARS, multiline: true }),
        button({ text: '书面报告处理结果', action: DISMISSAL_REPORT.name, value: DISMISSAL_REPORT.value(onNotice(v)), type: 'primary', formAction: 'submit', name: 'dismissal_report', confirm: { title: '报告处理结果', text: '提交后即为书面通知工会，不能修改。' } }),
      ]),
    )
    if (v.status === 'awaiting_opinion') elements.push(note('工会尚未提出意见。用人单位应当研究工会的意见后再作处理。'))
  }
  elements.push(note(CONFIDENTIAL))
  return card({ title: `解除劳动合同通知 ${v.number}`, template: TEMPLATE[v.status], summary: `解除劳动合同通知 ${v.number}`, elements, forwardable: false })
}

/** The committee group's card: number and status, nothing of the notice. */
export function buildDismissalGroupCard(v: { number: string; status: DismissalStatus }): Card {
  return card({
    title: `解除劳动合同通知 ${v.number}`,
    template: TEMPLATE[v.status],
    summary: `解除劳动合同通知 ${v.number}`,
    elements: [md(`**状态：**${DISMISSAL_STATUS_LABEL[v.status]}`), note('内容保密，工会干部已私信收到。')],
    forwardable: false,
  })
}
