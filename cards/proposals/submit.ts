// The step cards of the 提交提案 conversation: each step's question with buttons that answer it (as typing would).
import { CATEGORIES } from '../../src/proposals/model.js'
import { answerButton, buttonRow, card, field, md, note, userText, type Card } from '../kit.js'

export const SUBMIT_FLOW = 'proposal.submit'

const cancel = (step: string) => answerButton({ flow: SUBMIT_FLOW, step, answer: '取消', text: '取消' })

export function buildTitleStepCard(windowName: string): Card {
  return card({
    title: '提交提案（1/4）：标题',
    subtitle: windowName,
    template: 'red',
    summary: '提交提案：请输入标题',
    elements: [
      md('请直接回复**提案标题**（不超过 50 个字），例如：关于改善夜班职工就餐条件的提案。'),
      buttonRow([cancel('title')]),
      note('随时发送「取消」可退出，填写的内容不会保存。'),
    ],
  })
}

export function buildContentStepCard(title: string): Card {
  return card({
    title: '提交提案（2/4）：案由及建议',
    template: 'red',
    summary: '提交提案：请填写案由及建议',
    elements: [
      field('标题', title),
      md('请回复**案由及建议**（不少于 20 个字）：说明存在的问题、原因，以及具体可行的解决建议。'),
      buttonRow([cancel('content')]),
    ],
  })
}

export function buildCategoryStepCard(): Card {
  return card({
    title: '提交提案（3/4）：类别',
    template: 'red',
    summary: '提交提案：请选择类别',
    elements: [
      md(`请选择提案类别，回复序号或名称：\n${CATEGORIES.map((c, i) => `${i + 1}. ${c}`).join('\n')}`),
      buttonRow(CATEGORIES.map((c, i) => answerButton({ flow: SUBMIT_FLOW, step: 'category', answer: String(i + 1), text: `${i + 1} ${c}` }))),
      buttonRow([cancel('category')]),
    ],
  })
}

export function buildConfirmStepCard(d: { title: string; content: string; category: string; windowName: string; minCosigners: number }): Card {
  return card({
    title: '提交提案（4/4）：请确认',
    template: 'red',
    summary: '提交提案：请确认',
    elements: [
      field('届次', d.windowName),
      field('标题', d.title),
      field('类别', d.category),
      userText(d.content, { label: '案由及建议' }),
      md(`提交后将获得提案编号，需要 ${d.minCosigners} 名其他职工代表附议才能进入审查。回复「确认」提交，「取消」放弃。`),
      buttonRow([
        answerButton({ flow: SUBMIT_FLOW, step: 'confirm', answer: '确认', text: '确认提交', type: 'primary_filled' }),
        cancel('confirm'),
      ]),
    ],
  })
}
