// The `申请调解` conversation's cards: one question per step (《劳动争议调解仲裁法》第十二条: the basic facts, the
// request and the reasons; the date the worker knew of the infringement, for 第二十七条; the other party), and the
// summary to confirm. A re-asked step shows the hint above the question.
import { escapeMarkdown } from '../escape.js'
import { answerButton, buttonRow, card, md, note, userText, type Card, type CardElement } from '../kit.js'

export const APPLY_FLOW = 'mediation.apply'
export const APPLY_TITLE = '申请调解'

export type ApplyStep = 'facts' | 'request' | 'reasons' | 'knew' | 'party' | 'confirm'

const QUESTIONS: Record<Exclude<ApplyStep, 'confirm'>, { n: number; text: string }> = {
  facts: { n: 1, text: '请说明争议的**基本事实**：发生了什么、什么时间、涉及哪些人和金额。' },
  request: { n: 2, text: '请说明您的**请求**：希望对方怎么做（例如补发工资、支付加班费、撤销处分）。' },
  reasons: { n: 3, text: '请说明您的**理由**：为什么认为对方应当这样做（例如合同约定、规章制度、法律规定）。' },
  knew: { n: 4, text: '您是哪一天**知道自己的权利受到侵害**的？例如「2026-03-05」「3月5日」「今天」。这一天决定仲裁时效（一年）从何时起算。' },
  party: { n: 5, text: '请写明**对方当事人**：用人单位的哪个部门（例如「生产部」「人力资源部」）。企业方代表由调解委员会确定。' },
}

export interface StepNoteView {
  hint?: string
  notice?: string
}

/** The confirm card's 修改 buttons (QA F23): the answer each sends, and the step it reopens. */
export const EDIT_ANSWERS: Record<string, Exclude<ApplyStep, 'confirm'>> = {
  修改事实: 'facts',
  修改请求: 'request',
  修改理由: 'reasons',
  修改日期: 'knew',
  修改对方: 'party',
}

/** The question of one step (1–5), with the intro on the first and the hint when re-asked. */
export function buildApplyStepCard(step: Exclude<ApplyStep, 'confirm'>, opts: { intro?: boolean; grievanceNumber?: string; editing?: boolean } & StepNoteView = {}): Card {
  const q = QUESTIONS[step]
  const elements: CardElement[] = []
  if (opts.intro) {
    elements.push(
      md(
        `劳动争议调解由企业劳动争议调解委员会主持，自愿、保密。您的申请只有调解委员会成员和对方当事人可见。${opts.grievanceNumber ? `\n本申请与您的诉求 ${opts.grievanceNumber} 关联，基本事实已按诉求内容填好，可在确认时查看。` : ''}`,
      ),
    )
  }
  if (opts.hint) elements.push(md(`<font color='red'>${opts.hint}</font>`))
  if (opts.notice) elements.push(md(opts.notice))
  elements.push(md(`**${opts.editing ? `修改第 ${q.n} 步` : `第 ${q.n} 步 / 共 5 步`}**\n${q.text}`), note(opts.editing ? '回复新的内容，其他各步保持不变。随时发送「取消」放弃申请。' : '随时发送「取消」放弃申请。'))
  return card({ title: APPLY_TITLE, template: 'blue', summary: APPLY_TITLE, elements, forwardable: false })
}

export interface ApplySummary {
  facts: string
  request: string
  reasons: string
  knewOn: string
  arbitrationDeadline: string
  /** limitationClause as of today; `warning` when the one-year limit may have run out (QA F22). */
  limitation: string
  warning?: string
  otherParty: string
  grievanceNumber?: string
  periodDays: number
}

/** The summary before the application is made, with 确认 / 取消. */
export function buildApplyConfirmCard(s: ApplySummary, opts: StepNoteView = {}): Card {
  const elements: CardElement[] = []
  if (opts.hint) elements.push(md(`<font color='red'>${opts.hint}</font>`))
  elements.push(
    userText(s.facts, { label: '基本事实', max: 1500 }),
    userText(s.request, { label: '请求', max: 800 }),
    userText(s.reasons, { label: '理由', max: 800 }),
    md(
      [
        `**知道权利受侵害之日：**${s.knewOn}（${s.limitation}）`,
        `**对方当事人：**${escapeMarkdown(s.otherParty)}`,
        ...(s.grievanceNumber ? [`**关联诉求：**${s.grievanceNumber}`] : []),
      ].join('\n'),
    ),
    ...(s.warning ? [md(s.warning)] : []),
    md(`提交后，调解委员会会决定是否受理并指派调解员。自申请之日起 ${s.periodDays} 日内未达成调解协议的，您可以申请仲裁（《劳动争议调解仲裁法》第十四条）。`),
    buttonRow([answerButton({ flow: APPLY_FLOW, step: 'confirm', answer: '确认', text: '确认提交', type: 'primary' }), answerButton({ flow: APPLY_FLOW, step: 'confirm', answer: '取消' })]),
    buttonRow(Object.keys(EDIT_ANSWERS).slice(0, 3).map((answer) => answerButton({ flow: APPLY_FLOW, step: 'confirm', answer }))),
    buttonRow(Object.keys(EDIT_ANSWERS).slice(3).map((answer) => answerButton({ flow: APPLY_FLOW, step: 'confirm', answer }))),
  )
  return card({ title: `${APPLY_TITLE}：请确认`, template: 'blue', summary: APPLY_TITLE, elements, forwardable: false })
}
