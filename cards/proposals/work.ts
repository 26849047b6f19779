// Working cards of the proposal workflow: the committee's review/assignment card, the department contact's
// answer card, the proposer's rating card and the overdue reminder. Pure builders; user text escaped.
import { evidenceButton } from '../evidence.js'
import { ANSWER_CLASS_LABEL, STATUS_COLOR, STATUS_LABEL, type AnswerClass, type Satisfaction } from '../../src/proposals/model.js'
import { escapeMarkdown, truncate } from '../escape.js'
import {
  assertCardWithinLimits,
  button,
  buttonRow,
  card,
  datePicker,
  field,
  form,
  hr,
  input,
  md,
  note,
  selectStatic,
  userText,
  type Card,
  type CardElement,
} from '../kit.js'
import { ANSWER, ASSIGN, RATE, REFRESH, REGISTER, REJECT, URGE } from '../../src/proposals/actions.js'
import { answerClassText, satisfactionText, statusTag, timelineLine, type ProposalView } from './proposal.js'

export const WORK_ACTIONS = {
  register: REGISTER.name,
  reject: REJECT.name,
  assign: ASSIGN.name,
  refresh: REFRESH.name,
  answer: ANSWER.name,
  rate: RATE.name,
} as const

/** Form field names (unique inside each form, Feishu error 200530 otherwise). */
export const FIELDS = { reason: 'reason', department: 'department', dueDate: 'due_date', answer: 'answer', answerClass: 'answer_class' } as const

/** Up to 20 names (a long list would crowd out the form on a phone and the card's 30 KB). */
function cosigners(names: string[]): string {
  if (names.length === 0) return '暂无'
  const shown = names.slice(0, 20).map((n) => escapeMarkdown(truncate(n, 20)))
  return `${shown.join('、')}${names.length > shown.length ? ` 等 ${names.length} 人` : ''}`
}

function summary(v: ProposalView, contentMax: number): CardElement[] {
  return [
    field('标题', v.title),
    md(`**类别：**${escapeMarkdown(v.category)}　**状态：**${STATUS_LABEL[v.status]}${v.overdue ? " <font color='red'>已超期</font>" : ''}`),
    field('提案人', v.proposerName),
    md(`**附议人（${v.cosignerNames.length} 人）：**${cosigners(v.cosignerNames)}`),
    userText(v.content, { label: '案由及建议', max: contentMax }),
  ]
}

function recentSteps(v: ProposalView, n: number): CardElement {
  return md(`**办理进程**\n${v.timeline.slice(-n).map((i) => timelineLine(i, v.timeZone)).join('\n')}`)
}

export interface CommitteeCardOptions {
  departments: Array<{ id: number; name: string }>
  /** Departments left out of the choice because their contact proposed or co-signed this proposal (F12). */
  excludedDepartments?: number
  /** Suggested due date for assignment ('YYYY-MM-DD'). */
  suggestedDueDate: string
}

/**
 * The committee group's card: review (立案 / 不立案 with a reason) while 待审查, assignment (department and due
 * date) once 立案, and a read-only status summary afterwards. Officers only (checked on each action).
 */
export function buildCommitteeCard(v: ProposalView, opts: CommitteeCardOptions): Card {
  const elements: CardElement[] = summary(v, 1200)
  const onProposal = { number: v.number }
  if (v.status === 'pending_review') {
    elements.push(hr())
    elements.push(
      form('review', [
        input({ name: FIELDS.reason, placeholder: '不立案时必填，如：转为意见建议，由工会转有关部门参考', label: '审查意见', maxLength: 500, multiline: true }),
        buttonRow([
          button({ text: '立案', action: REGISTER.name, value: REGISTER.value(onProposal), type: 'primary_filled', formAction: 'submit', name: 'register_btn' }),
          button({ text: '不立案', action: REJECT.name, value: REJECT.value(onProposal), type: 'danger', formAction: 'submit', name: 'reject_btn', confirm: { title: '确认不立案', text: '提案将作为意见建议处理，提案人和附议人会收到通知。' } }),
        ]),
      ]),
    )
    elements.push(note('审查提案是否属于职代会职权范围、是否有明确的案由和建议。不立案的提案作为意见建议保留，仍可查询。'))
  } else if (v.status === 'registered') {
    elements.push(hr())
    if (opts.departments.length === 0) {
      elements.push(
        md(
          opts.excludedDepartments
            ? '已登记承办部门的联系人都是本提案的提案人或附议人，不能办理本提案。请登记其他部门或更换联系人，再点「刷新」。'
            : '尚未登记承办部门。请先发送「部门 添加 部门名称 @联系人」，再点「刷新」。',
        ),
      )
      elements.push(buttonRow([button({ text: '刷新', action: REFRESH.name, value: REFRESH.value(onProposal) })]))
    } else {
      elements.push(
        form('assign', [
          selectStatic({ name: FIELDS.department, placeholder: '选择承办部门', options: opts.departments.map((d) => ({ text: d.name, value: String(d.id) })), required: true }),
          datePicker({ name: FIELDS.dueDate, placeholder: '办理期限', initialDate: opts.suggestedDueDate, required: true }),
          buttonRow([button({ text: '交办', action: ASSIGN.name, value: ASSIGN.value(onProposal), type: 'primary_filled', formAction: 'submit', name: 'assign_btn' })]),
        ]),
      )
      elements.push(note('交办后，承办部门联系人会收到提案和答复表单；超过期限未答复的，每个工作日提醒一次。'))
      if (opts.excludedDepartments) elements.push(note(`已略去 ${opts.excludedDepartments} 个联系人是本提案提案人或附议人的部门（不能办理本提案）。`))
    }
  } else {
    elements.push(hr())
    if (v.departmentName) elements.push(md(`**承办部门：**${escapeMarkdown(v.departmentName)}　**办理期限：**${v.dueDate ?? '—'}`))
    if (v.reviewReason && v.status === 'rejected') elements.push(userText(v.reviewReason, { label: '不立案理由', max: 500 }))
    if (v.answerText) elements.push(md(`**答复：**${answerClassText(v.answerClass)}`), userText(v.answerText, { max: 800 }))
    if (v.answerFiles) elements.push(...evidenceButton({ type: 'proposal_answer', id: v.answerFiles.id }, v.answerFiles.count, '答复附件'))
    if (v.satisfaction) elements.push(md(`**提案人评价：**${satisfactionText(v.satisfaction)}`))
    elements.push(recentSteps(v, 8))
    // 催办 (issue #13): an overdue proposal's department can be reminded from here, at most once a day.
    if (v.status === 'in_progress' && v.overdue) {
      elements.push(buttonRow([button({ text: '催办', action: URGE.name, value: URGE.value(onProposal), type: 'primary', confirm: { title: '催办', text: '将向承办部门联系人发送催办提醒，并记入办理进程。确定？' } })]))
    }
  }
  return assertCardWithinLimits(
    card({
      title: `提案审查 ${v.number}`,
      subtitle: truncate(v.title, 60),
      template: v.overdue ? 'red' : STATUS_COLOR[v.status],
      summary: `提案 ${v.number}：${STATUS_LABEL[v.status]}`,
      tags: statusTag(v),
      elements,
    }),
  )
}

/**
 * The department contact's card: the proposal and a form for the answer and its class while 办理中; after the
 * answer, what was answered. `reminder` adds the overdue banner of the daily reminder.
 */
export function buildDepartmentCard(v: ProposalView, opts: { reminder?: { daysOverdue: number } } = {}): Card {
  const elements: CardElement[] = []
  if (opts.reminder) {
    elements.push(md(`<font color='red'>**该提案已超过办理期限 ${opts.reminder.daysOverdue} 天**</font>，请尽快办理并答复。`))
  }
  elements.push(...summary(v, 1500))
  elements.push(md(`**办理期限：**${v.dueDate ?? '—'}${v.overdue ? " <font color='red'>（已超期）</font>" : ''}`))
  if (v.status === 'in_progress') {
    if (v.reopenCount > 0 && v.answerText) {
      elements.push(hr(), md("<font color='orange'>**提案人对上次答复不满意，请重新办理后再次答复。**</font>"), userText(v.answerText, { label: '上次答复', max: 800 }))
    }
    elements.push(hr())
    elements.push(
      form('answer', [
        input({ name: FIELDS.answer, placeholder: '办理情况和答复意见（不少于 10 字）', label: '答复内容', maxLength: 2000, multiline: true, required: true }),
        selectStatic({
          name: FIELDS.answerClass,
          placeholder: '落实类别',
          options: (Object.keys(ANSWER_CLASS_LABEL) as AnswerClass[]).map((c) => ({ text: `${c} 类：${ANSWER_CLASS_LABEL[c]}`, value: c })),
          required: true,
        }),
        buttonRow([button({ text: '提交答复', action: ANSWER.name, value: ANSWER.value({ number: v.number }), type: 'primary_filled', formAction: 'submit', name: 'answer_btn' })]),
      ]),
    )
    elements.push(note(v.answerFiles ? `已附文件 ${v.answerFiles.count} 个，将随答复给提案人和工会。` : `如需附上文件（方案、通知等），请先私聊发送「答复附件 ${v.number}」再发文件，然后提交答复。`))
    elements.push(note('答复提交后，提案人和附议人会收到通知，提案人将对答复进行满意度评价。'))
  } else {
    elements.push(hr(), md(`**当前状态：**${STATUS_LABEL[v.status]}`))
    if (v.answerText) elements.push(md(`**答复：**${answerClassText(v.answerClass)}`), userText(v.answerText, { max: 1500 }))
    if (v.answerFiles) elements.push(...evidenceButton({ type: 'proposal_answer', id: v.answerFiles.id }, v.answerFiles.count, '答复附件'))
    if (v.satisfaction) elements.push(md(`**提案人评价：**${satisfactionText(v.satisfaction)}`))
  }
  return assertCardWithinLimits(
    card({
      title: opts.reminder ? `提案超期提醒 ${v.number}` : `提案交办 ${v.number}`,
      subtitle: truncate(v.title, 60),
      template: v.overdue ? 'red' : STATUS_COLOR[v.status],
      summary: `提案 ${v.number} 请答复`,
      tags: statusTag(v),
      elements,
    }),
  )
}

/** The proposer's card to rate the answer; `round` ties the buttons to this answer (a reopened proposal gets a new card). */
export function buildRatingCard(v: ProposalView, round: number): Card {
  const elements: CardElement[] = [
    field('标题', v.title),
    md(`**承办部门：**${escapeMarkdown(v.departmentName ?? '—')}　**答复：**${answerClassText(v.answerClass)}`),
    userText(v.answerText ?? '', { max: 2000 }),
    ...(v.answerFiles ? evidenceButton({ type: 'proposal_answer', id: v.answerFiles.id }, v.answerFiles.count, '答复附件') : []),
    hr(),
  ]
  if (v.status === 'answered') {
    const value = (satisfaction: Satisfaction) => RATE.value({ number: v.number, round, satisfaction })
    elements.push(md('请对答复进行评价：'))
    elements.push(
      buttonRow([
        button({ text: '满意', action: RATE.name, value: value('satisfied'), type: 'primary_filled' }),
        button({ text: '基本满意', action: RATE.name, value: value('basically_satisfied'), type: 'primary' }),
        button({
          text: '不满意',
          action: RATE.name,
          value: value('dissatisfied'),
          type: 'danger',
          confirm: { title: '确认不满意', text: '提案将退回承办部门重新办理，工会提案工作委员会和承办部门会收到通知。' },
        }),
      ]),
    )
    elements.push(note('满意或基本满意即办结；不满意将退回重新办理。'))
  } else {
    elements.push(md(`**您的评价：**${satisfactionText(v.satisfaction) || '—'}　**当前状态：**${STATUS_LABEL[v.status]}`))
  }
  return assertCardWithinLimits(
    card({ title: `提案答复 ${v.number}`, subtitle: truncate(v.title, 60), template: STATUS_COLOR[v.status], summary: `提案 ${v.number} 已答复`, tags: statusTag(v), elements }),
  )
}
