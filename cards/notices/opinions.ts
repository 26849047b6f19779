// Cards of workers' opinions on a notice: the steps of the private 提意见 conversation, the committee's card (with
// the forward form: the department responsible and the summary to publish), and the department contact's card
// with the reply form. Opinions are confidential: these cards are not forwardable, and an anonymous opinion's
// cards name nobody. Everything the worker, the officer or the contact typed is escaped.
import { escapeMarkdown, truncate } from '../escape.js'
import { answerButton, button, buttonRow, card, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'
import { OPINION_FORWARD, OPINION_REPLY } from '../../src/notices/actions.js'
import { NOTICE_LIMITS, OPINION_STATUS_LABEL, type OpinionView } from '../../src/notices/model.js'
import { formatDateTime, localDate } from '../../src/time.js'

export const OPINION_FLOW = 'notices.opinion'
export type OpinionStep = 'text' | 'anonymity' | 'confirm'
export const OPINION_FIELDS = { department: 'department', summary: 'summary', reply: 'reply' } as const

interface StepNoteView {
  hint?: string
}

function hintBlock(n: StepNoteView): CardElement[] {
  return n.hint ? [md(`<font color='orange'>${n.hint}</font>`)] : []
}

export function buildOpinionTextStepCard(v: { number: string; title: string } & StepNoteView): Card {
  return card({
    title: `提意见 · ${v.number}`,
    template: 'blue',
    summary: `提意见 ${v.number}`,
    forwardable: false,
    elements: [
      ...hintBlock(v),
      md(`关于「${escapeMarkdown(truncate(v.title, 60))}」，请直接回复您的意见或建议（${NOTICE_LIMITS.opinionMin}–${NOTICE_LIMITS.opinion} 字）。`),
      note('意见只交给工会委员会，由工会转交负责的部门答复；下一步可以选择匿名。发送「取消」放弃。'),
    ],
  })
}

export function buildOpinionAnonymityStepCard(v: { number: string } & StepNoteView): Card {
  return card({
    title: `提意见 · ${v.number}`,
    template: 'blue',
    summary: `提意见 ${v.number}`,
    forwardable: false,
    elements: [
      ...hintBlock(v),
      md('**是否匿名？**\n匿名：工会和部门都看不到您是谁，系统也不保存您和这条意见的关联；答复会公布在这项公开的卡片上。\n实名：工会可以看到您的姓名，答复也会私信告诉您。'),
      buttonRow([answerButton({ flow: OPINION_FLOW, step: 'anonymity', answer: '匿名', type: 'primary' }), answerButton({ flow: OPINION_FLOW, step: 'anonymity', answer: '实名' })]),
      note('请注意：意见的内容本身（如提到只有您知道的细节）也可能让人猜到您是谁。'),
    ],
  })
}

export function buildOpinionConfirmStepCard(v: { number: string; text: string; anonymous: boolean } & StepNoteView): Card {
  return card({
    title: `确认提交 · ${v.number}`,
    template: 'blue',
    summary: `提意见 ${v.number}`,
    forwardable: false,
    elements: [
      ...hintBlock(v),
      userText(v.text, { label: '您的意见', max: NOTICE_LIMITS.opinion }),
      md(`**身份：**${v.anonymous ? '匿名' : '实名'}`),
      buttonRow([
        answerButton({ flow: OPINION_FLOW, step: 'confirm', answer: '确认', text: '确认提交', type: 'primary_filled' }),
        answerButton({ flow: OPINION_FLOW, step: 'confirm', answer: '修改意见' }),
        answerButton({ flow: OPINION_FLOW, step: 'confirm', answer: '修改身份' }),
      ]),
      note('发送「取消」放弃，内容不会保存。'),
    ],
  })
}

function who(o: OpinionView): string {
  return o.anonymous ? '匿名职工' : escapeMarkdown(truncate(o.authorName ?? '（未登记姓名）', 20))
}

/**
 * `forDepartment`: the department's contact never sees who gave it — a named author was told only the union sees
 * their name (QA F3).
 */
function opinionFacts(o: OpinionView, timeZone: string, forDepartment = false): CardElement[] {
  const lines = [`**公开：**${o.noticeNumber}「${escapeMarkdown(truncate(o.noticeTitle, 40))}」`, `**提出：**${forDepartment ? '职工意见' : who(o)}，${o.submittedOn}`, `**状态：**${OPINION_STATUS_LABEL[o.status]}`]
  if (o.department) lines.push(`**负责部门：**${escapeMarkdown(truncate(o.department, 30))}`)
  if (o.replyDueAt && o.status !== 'answered') lines.push(`**答复期限：**${formatDateTime(o.replyDueAt, timeZone)} 前`)
  return [md(lines.join('\n')), userText(o.body, { label: '意见内容', max: NOTICE_LIMITS.opinion })]
}

/** The committee's card of one opinion; while received, with the forward form. */
export function buildOpinionReviewCard(o: OpinionView, departments: Array<{ id: number; name: string }>, replyDays: number, timeZone: string): Card {
  const elements: CardElement[] = [...opinionFacts(o, timeZone)]
  if (o.summary) elements.push(userText(o.summary, { label: '公开的意见摘要', max: NOTICE_LIMITS.summary }))
  if (o.status === 'received') {
    if (departments.length === 0) {
      elements.push(md(`还没有登记负责答复的部门：请先发送「部门 添加 部门名称 @联系人」登记，再发送「公开 意见 ${o.noticeNumber}」重新获取此卡片。`))
    } else {
      elements.push(
        form(`opinion_forward_${o.id}`, [
          selectStatic({ name: OPINION_FIELDS.department, placeholder: '选择负责答复的部门', options: departments.map((d) => ({ text: d.name, value: String(d.id) })), required: true }),
          input({ name: OPINION_FIELDS.summary, label: '公开的意见摘要（选填：与答复一起公布；不填则只公布答复）', placeholder: '用工会的话概括，不要写出能认出提意见人的细节', maxLength: NOTICE_LIMITS.summary, multiline: true }),
          button({ text: '转交部门答复', action: OPINION_FORWARD.name, value: OPINION_FORWARD.value({ id: o.id }), type: 'primary_filled', formAction: 'submit', name: 'forward' }),
        ]),
      )
      elements.push(note(`转交后，部门须在 ${replyDays} 日内答复（浙江省企业民主管理条例第十九至二十三条）；答复会公布在公开卡片上，意见原文不公开。`))
    }
  }
  if (o.reply) elements.push(userText(o.reply, { label: `答复（${o.repliedAt ? localDate(o.repliedAt, timeZone) : ''}）`, max: NOTICE_LIMITS.reply }))
  return card({ title: `职工意见 · ${o.noticeNumber} · ${o.seq}`, template: o.status === 'answered' ? 'green' : 'blue', summary: `职工意见 ${o.noticeNumber}`, forwardable: false, elements })
}

/** The department contact's card: the opinion (never who gave it when anonymous) and the reply form. */
export function buildOpinionForwardedCard(o: OpinionView, timeZone: string): Card {
  const elements: CardElement[] = [md('工会转来一条职工对厂务公开的意见，请在期限内答复。答复会公布在公开卡片上。'), ...opinionFacts(o, timeZone, true)]
  if (o.status === 'forwarded') {
    elements.push(
      form(`opinion_reply_${o.id}`, [
        input({ name: OPINION_FIELDS.reply, label: '答复', placeholder: '答复内容（会公开）', maxLength: NOTICE_LIMITS.reply, multiline: true, required: true }),
        button({ text: '提交答复', action: OPINION_REPLY.name, value: OPINION_REPLY.value({ id: o.id }), type: 'primary_filled', formAction: 'submit', name: 'reply' }),
      ]),
    )
  } else if (o.reply) {
    elements.push(hr())
    elements.push(userText(o.reply, { label: '已答复', max: NOTICE_LIMITS.reply }))
  }
  return card({ title: `待答复意见 · ${o.noticeNumber} · ${o.seq}`, template: o.status === 'answered' ? 'green' : 'orange', summary: `待答复意见 ${o.noticeNumber}`, forwardable: false, elements })
}

/** To a named opinion's author: the reply to their opinion (anonymous authors read it on the notice card). */
export function buildOpinionAnsweredCard(o: OpinionView, timeZone: string): Card {
  return card({
    title: `意见已答复 · ${o.noticeNumber}`,
    template: 'green',
    summary: `意见已答复 ${o.noticeNumber}`,
    forwardable: false,
    elements: [
      md(`您对「${escapeMarkdown(truncate(o.noticeTitle, 40))}」提的意见，${escapeMarkdown(truncate(o.department ?? '', 30))}已答复（${o.repliedAt ? formatDateTime(o.repliedAt, timeZone) : ''}）：`),
      userText(o.reply ?? '', { max: NOTICE_LIMITS.reply }),
      note(`答复也公布在公开卡片上：发送「公开栏 ${o.noticeNumber}」查看。`),
    ],
  })
}

/** To the committee, once per opinion: the department has not answered within the days set (NOTICE_REPLY_DAYS). */
export function buildOpinionOverdueCard(o: OpinionView, replyDays: number, timeZone: string): Card {
  return card({
    title: `答复已超期 · ${o.noticeNumber} · ${o.seq}`,
    template: 'red',
    summary: `答复已超期 ${o.noticeNumber}`,
    forwardable: false,
    elements: [
      md(`${escapeMarkdown(truncate(o.department ?? '', 30))}没有在 ${replyDays} 日内（${o.replyDueAt ? formatDateTime(o.replyDueAt, timeZone) : ''} 前）答复这条职工意见（浙江省企业民主管理条例第十九至二十三条）。请督促部门答复，或转交其他部门。`),
      ...opinionFacts(o, timeZone),
    ],
  })
}
