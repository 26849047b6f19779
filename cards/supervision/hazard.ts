// The `隐患` hazard report's cards: the conversation's steps (description, 一般/重大, 匿名/实名, confirm) and the urgent
// card in the committee group. An anonymous report names nobody: 匿名职工 on the card, nothing kept (工会法第二十三条).
import { HAZARD_ANONYMITY } from '../../src/supervision/model.js'
import { formatDateTime, localDate } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { answerButton, buttonRow, card, md, note, userText, type Card, type CardElement } from '../kit.js'

export const HAZARD_FLOW = 'hazard.report'
export const HAZARD_TITLE = '报告安全隐患'

export type HazardStep = 'description' | 'severity' | 'anonymity' | 'confirm'

const QUESTION: Record<Exclude<HazardStep, 'confirm'>, string> = {
  description: '请描述**隐患的情况**：在哪里、是什么问题、可能造成什么后果（例如违章指挥、强令冒险作业、设备防护缺失）。',
  severity: '这是**重大事故隐患**吗？重大隐患会以「加急」通知工会干部。',
  anonymity: `请选择**匿名**或**实名**。\n${HAZARD_ANONYMITY}`,
}

/** What to do when someone is in danger: the safety phone when the union set one (SAFETY_HOTLINE, QA F20). */
export function safetyLine(hotline: string | undefined, as: 'card' | 'text' = 'card'): string {
  return hotline ? `如有人员正处于危险中，请立即撤离并拨打安全电话 ${as === 'card' ? escapeMarkdown(hotline) : hotline}。` : '如有人员正处于危险中，请立即撤离，并马上联系安全部门。'
}

export function buildHazardStepCard(step: Exclude<HazardStep, 'confirm'>, opts: { hint?: string; hotline?: string } = {}): Card {
  const elements: CardElement[] = []
  if (opts.hint) elements.push(md(`<font color='red'>${opts.hint}</font>`))
  elements.push(md(QUESTION[step]))
  if (step === 'severity') elements.push(buttonRow([answerButton({ flow: HAZARD_FLOW, step, answer: '重大', text: '重大事故隐患', type: 'danger' }), answerButton({ flow: HAZARD_FLOW, step, answer: '一般', text: '一般隐患' })]))
  if (step === 'anonymity') elements.push(buttonRow([answerButton({ flow: HAZARD_FLOW, step, answer: '匿名' }), answerButton({ flow: HAZARD_FLOW, step, answer: '实名' })]))
  elements.push(note(`${safetyLine(opts.hotline)}随时发送「取消」放弃。`))
  return card({ title: HAZARD_TITLE, template: 'red', summary: HAZARD_TITLE, elements, forwardable: false })
}

export function buildHazardConfirmCard(v: { description: string; major: boolean; anonymous: boolean }): Card {
  return card({
    title: `${HAZARD_TITLE}：请确认`,
    template: 'red',
    summary: HAZARD_TITLE,
    elements: [
      userText(v.description, { label: '隐患情况', max: 2000 }),
      md(`**程度：**${v.major ? '重大事故隐患（加急通知）' : '一般隐患'}\n**报告方式：**${v.anonymous ? '匿名' : '实名'}`),
      buttonRow([answerButton({ flow: HAZARD_FLOW, step: 'confirm', answer: '确认', text: '确认报告', type: 'danger' }), answerButton({ flow: HAZARD_FLOW, step: 'confirm', answer: '取消' })]),
    ],
    forwardable: false,
  })
}

/**
 * The report in the committee group (the employer must study and act on it, 工会法第二十三条). An anonymous report
 * shows its date only, never the minute (QA F6: the time would point at whoever was seen typing then).
 */
export function buildHazardCard(v: { number: string; description: string; major: boolean; anonymous: boolean; reporterLabel: string; reportedAt: Date; timeZone: string }): Card {
  return card({
    title: `${v.major ? '重大事故隐患' : '安全隐患'} ${v.number}`,
    template: v.major ? 'red' : 'orange',
    summary: `${v.major ? '【加急】重大事故隐患' : '安全隐患'} ${v.number}`,
    elements: [
      md(`**报告人：**${escapeMarkdown(v.reporterLabel)}\n${v.anonymous ? `**报告日期：**${localDate(v.reportedAt, v.timeZone)}` : `**报告时间：**${formatDateTime(v.reportedAt, v.timeZone)}`}`),
      userText(v.description, { label: '隐患情况', max: 2000 }),
      md('工会发现违章指挥、强令冒险作业或者明显重大事故隐患和职业危害，有权提出解决的建议，用人单位应当及时研究答复（《工会法》第二十三条）。可发送「劳动监督」向责任部门发出意见书。'),
    ],
    forwardable: false,
  })
}
