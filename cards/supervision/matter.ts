// Labour-law supervision cards (issue #16): the officer's 劳动监督 form, the matter's card in the committee group
// (facts, 意见书, the reply and its deadline, the union's steps), and the 意见书 the department's contact replies on.
import { ACCEPT_REPLY, CLOSE, FORM, OPEN, REJECT_REPLY, REPLY } from '../../src/supervision/actions.js'
import {
  SUPERVISION_STATUS_LABEL,
  SUPERVISION_TEXT_MAX_CHARS,
  SUPERVISION_TYPES,
  SUPERVISION_TYPE_LABEL,
  SUPERVISION_TYPE_LAW,
  type SupervisionStatus,
  type SupervisionType,
} from '../../src/supervision/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { button, buttonRow, card, fitCard, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'

/** The officer's form: `劳动监督` (optionally `劳动监督 G-2026-0001 …` to link grievances). */
export function buildOpenFormCard(v: { departments: Array<{ id: number; name: string }>; grievances: string[]; replyWorkdays: number }): Card {
  const elements: CardElement[] = []
  if (v.departments.length === 0) {
    elements.push(md('还没有登记责任部门。请先发送「部门 添加 部门名称 @联系人」，意见书会发给该部门的联系人。'))
  } else {
    elements.push(
      md(`用人单位应当研究工会的意见并作出答复（《工会法》第二十二条）。答复期限：${v.replyWorkdays} 个工作日。`),
      form('open', [
        selectStatic({ name: FORM.type, placeholder: '监督事项类型', options: SUPERVISION_TYPES.map((t) => ({ text: SUPERVISION_TYPE_LABEL[t], value: t })) }),
        selectStatic({ name: FORM.department, placeholder: '责任部门', options: v.departments.map((d) => ({ text: d.name, value: String(d.id) })) }),
        input({ name: FORM.facts, placeholder: '事实情况', maxLength: SUPERVISION_TEXT_MAX_CHARS, multiline: true }),
        input({ name: FORM.opinion, placeholder: '工会意见书：意见和要求', maxLength: SUPERVISION_TEXT_MAX_CHARS, multiline: true }),
        input({ name: FORM.grievances, placeholder: '关联诉求编号（可不填）', defaultValue: v.grievances.join(' '), maxLength: 200 }),
        button({ text: '发出意见书', action: OPEN.name, value: OPEN.value({}), type: 'primary', formAction: 'submit', name: 'open_submit' }),
      ]),
    )
  }
  return card({ title: '劳动法律监督', template: 'indigo', summary: '劳动法律监督', elements })
}

export interface MatterView {
  id: number
  number: string
  type: SupervisionType
  status: SupervisionStatus
  revision: number
  departmentName: string
  contactName: string
  facts: string
  opinion: string
  grievanceNumbers: string[]
  openedAt: Date
  openedByName: string
  replyDueAt: Date
  dueEstimated: boolean
  /** Working days past the deadline while no reply has come. */
  overdueDays: number | undefined
  reply: string | null
  repliedAt: Date | null
  replyOnTime: boolean | null
  replyAccepted: boolean | null
  outcome: string | null
  closedAt: Date | null
  timeZone: string
}

function lines(v: MatterView): string {
  const tz = v.timeZone
  return [
    `**类型：**${SUPERVISION_TYPE_LABEL[v.type]}（${SUPERVISION_TYPE_LAW[v.type]}）`,
    `**状态：**${SUPERVISION_STATUS_LABEL[v.status]}${v.overdueDays !== undefined ? `，<font color='red'>答复已超期 ${v.overdueDays} 个工作日</font>` : ''}`,
    `**责任部门：**${escapeMarkdown(v.departmentName)}（联系人：${escapeMarkdown(v.contactName)}）`,
    `**发出：**${formatDateTime(v.openedAt, tz)}（${escapeMarkdown(v.openedByName)}）`,
    `**答复期限：**${formatDateTime(v.replyDueAt, tz)} 前${v.dueEstimated ? '（按估算的节假日安排）' : ''}`,
    ...(v.repliedAt ? [`**答复时间：**${formatDateTime(v.repliedAt, tz)}（${v.replyOnTime ? '按期' : '逾期'}）`] : []),
    ...(v.replyAccepted !== null ? [`**工会意见：**${v.replyAccepted ? '接受答复' : '不接受答复'}`] : []),
    ...(v.grievanceNumbers.length ? [`**关联诉求：**${v.grievanceNumbers.join('、')}`] : []),
  ].join('\n')
}

const onMatter = (v: MatterView) => ({ sid: v.id, rev: v.revision })

/** The matter in the committee group, with the union's steps. */
export function buildMatterCard(v: MatterView): Card {
  return fitCard([1000, 400, 100], (max) => {
    const elements: CardElement[] = [md(lines(v)), userText(v.facts, { label: '事实情况', max }), userText(v.opinion, { label: '工会意见书', max })]
    if (v.reply) elements.push(userText(v.reply, { label: '部门答复', max }))
    if (v.outcome) elements.push(userText(v.outcome, { label: '结果', max }))
    if (v.status === 'replied' && v.replyAccepted === null) {
      elements.push(
        hr(),
        buttonRow([button({ text: '接受答复', action: ACCEPT_REPLY.name, value: ACCEPT_REPLY.value(onMatter(v)), type: 'primary' })]),
        form('reject', [
          input({ name: FORM.reason, placeholder: '不接受的理由（会转给部门，并重新计算答复期限）', maxLength: SUPERVISION_TEXT_MAX_CHARS, multiline: true }),
          button({ text: '不接受答复', action: REJECT_REPLY.name, value: REJECT_REPLY.value(onMatter(v)), formAction: 'submit', name: 'reject_submit' }),
        ]),
      )
    }
    if (v.status !== 'closed') {
      elements.push(
        form('close', [
          input({ name: FORM.outcome, placeholder: '监督结果（结案）', maxLength: SUPERVISION_TEXT_MAX_CHARS, multiline: true }),
          button({ text: '结案', action: CLOSE.name, value: CLOSE.value(onMatter(v)), type: 'danger', formAction: 'submit', name: 'close_submit' }),
        ]),
      )
    }
    return card({ title: `劳动法律监督 ${v.number}`, template: v.status === 'closed' ? 'grey' : v.overdueDays !== undefined ? 'red' : 'indigo', summary: `劳动法律监督 ${v.number}`, elements })
  })
}

/** The 意见书 to the department's contact, with the reply form while a reply is due. */
export function buildOpinionCard(v: MatterView & { reason?: string }): Card {
  return fitCard([1000, 400, 100], (max) => {
    const elements: CardElement[] = [
      md(`工会就以下事项提出意见，请贵部门研究并在期限内答复（${SUPERVISION_TYPE_LAW[v.type]}）。`),
      md(lines(v)),
      userText(v.facts, { label: '事实情况', max }),
      userText(v.opinion, { label: '工会意见', max }),
    ]
    if (v.reason) elements.push(userText(v.reason, { label: '工会不接受上次答复的理由', max }))
    if (v.status === 'awaiting_reply') {
      elements.push(
        form('reply', [
          input({ name: FORM.reply, placeholder: '部门答复（研究意见、整改措施和时间）', maxLength: SUPERVISION_TEXT_MAX_CHARS, multiline: true }),
          button({ text: '提交答复', action: REPLY.name, value: REPLY.value(onMatter(v)), type: 'primary', formAction: 'submit', name: 'reply_submit' }),
        ]),
      )
    } else if (v.reply) elements.push(userText(v.reply, { label: '贵部门的答复', max }))
    elements.push(note('本意见书由工会通过工会助手发出。'))
    return card({ title: `工会意见书 ${v.number}`, template: 'indigo', summary: `工会意见书 ${v.number}`, elements })
  })
}

/** A copy of a matter's card that a newer copy in the same chat replaced (live cards, QA F8). */
export function buildMatterReplacedCard(number: string): Card {
  return card({ title: `劳动法律监督 ${number}`, template: 'grey', summary: `劳动法律监督 ${number}`, elements: [note('这张卡片已由下方最新的卡片代替，请在最新的卡片上操作。')], forwardable: false })
}
