// Cards of nominations and objections: the nominator's confirmation, the co-signing card members share, the
// chair's objection card (answer: 成立 / 不成立 with a reason), and the answer the objector receives. An anonymous
// objection's card says 匿名 and nothing else about who raised it; stories, objections and reasons are user text.
import { COSIGN, FIELDS, OBJECTION_ANSWER } from '../../src/recognition/actions.js'
import { ANSWER_REASON_MAX, OBJECTION_ANSWER_LABEL, OBJECTION_MAX, type ObjectionView } from '../../src/recognition/model.js'
import { escapeMarkdown } from '../escape.js'
import { answerButton, button, buttonRow, card, field, form, input, md, note, selectStatic, userText, type Card } from '../kit.js'

/** The nomination conversation's last step: what will be filed, with 确认提名 / 取消. */
export function buildNominationConfirmCard(v: { flow: string; step: string; roundName: string; roundNumber: string; nomineeName: string; department: string | undefined; story: string; hasPhoto: boolean }): Card {
  return card({
    title: '确认提名',
    subtitle: v.roundNumber,
    template: 'blue',
    summary: '确认提名',
    elements: [
      field('评选', v.roundName),
      field('被提名人', v.nomineeName),
      ...(v.department ? [field('部门', v.department)] : []),
      userText(v.story, { label: '先进事迹' }),
      field('照片', v.hasPhoto ? '已附 1 张' : '未附'),
      buttonRow([answerButton({ flow: v.flow, step: v.step, answer: '确认', text: '确认提名', type: 'primary_filled' }), answerButton({ flow: v.flow, step: v.step, answer: '取消' })]),
    ],
  })
}

/** The objection's 匿名 / 实名 step, as buttons (like opinions and hazards); typing the word works too. */
export function buildObjectionAnonymityCard(v: { flow: string; step: string; hint?: string }): Card {
  return card({
    title: '提出异议：匿名还是实名',
    template: 'blue',
    summary: '提出异议',
    forwardable: false,
    elements: [
      ...(v.hint ? [md(escapeMarkdown(v.hint))] : []),
      md('**匿名：**工会主席看不到您是谁，系统也不在异议里记下您；答复仍会私聊告诉您。\n**实名：**主席能看到您的姓名，便于核实。'),
      buttonRow([answerButton({ flow: v.flow, step: v.step, answer: '匿名', type: 'primary' }), answerButton({ flow: v.flow, step: v.step, answer: '实名' })]),
      note('请注意：异议内容本身（如只有您知道的细节）也可能让人猜到您是谁。发送「取消」可退出。'),
    ],
  })
}

/** The objection's last step: the text exactly as it will reach the chair, who it is about, 匿名 / 实名, 确认提交. */
export function buildObjectionConfirmCard(v: { flow: string; step: string; roundName: string; roundNumber: string; nomineeName: string; body: string; anonymous: boolean; hint?: string }): Card {
  return card({
    title: '确认提出异议',
    subtitle: v.roundNumber,
    template: 'blue',
    summary: '确认提出异议',
    forwardable: false,
    elements: [
      ...(v.hint ? [md(escapeMarkdown(v.hint))] : []),
      field('评选', v.roundName),
      field('异议对象', v.nomineeName),
      userText(v.body, { label: '异议内容', max: OBJECTION_MAX }),
      field('身份', v.anonymous ? '匿名（主席看不到您是谁）' : '实名'),
      buttonRow([
        answerButton({ flow: v.flow, step: v.step, answer: '确认', text: '确认提交', type: 'primary_filled' }),
        answerButton({ flow: v.flow, step: v.step, answer: '修改内容' }),
        answerButton({ flow: v.flow, step: v.step, answer: '修改匿名' }),
      ]),
      note('提交后只发给工会主席。发送「取消」放弃，内容不会保存。'),
    ],
  })
}

/** A member's nomination waiting for co-signers: the nominator forwards it; members click 联名. */
export function buildCosignCard(v: { nominationId: number; roundName: string; roundNumber: string; nomineeName: string; story: string; needed: number; have: number }): Card {
  const done = v.have >= v.needed
  return card({
    title: `提名联名 · ${v.nomineeName}`,
    subtitle: `${v.roundName} ${v.roundNumber}`,
    template: done ? 'green' : 'blue',
    summary: '提名联名',
    elements: [
      userText(v.story, { label: '先进事迹', max: 800 }),
      md(`**联名：**已联名 ${v.have} 人，需 ${v.needed} 人`),
      done
        ? md('联名人数已够，提名已提交工会委员会评审。')
        : buttonRow([button({ text: '我来联名', action: COSIGN.name, value: COSIGN.value({ nid: v.nominationId }), type: 'primary' })]),
      note('仅限工会会员联名，每人一次；提名人本人和被提名人不能联名。'),
    ],
  })
}

/** To the chair only: one objection, and the form to answer it (or the answer given). */
export function buildObjectionCard(v: ObjectionView): Card {
  const elements = [
    field('评选', `${v.roundName}（${v.roundNumber}）`),
    field('针对', v.nomineeName),
    field('提出人', v.anonymous ? '匿名' : (v.objectorName ?? '（未知姓名）')),
    field('日期', v.raisedOn),
    userText(v.body, { label: '异议内容' }),
  ]
  if (v.answer) {
    elements.push(field('答复', OBJECTION_ANSWER_LABEL[v.answer]))
    if (v.answerReason) elements.push(userText(v.answerReason, { label: '理由' }))
  } else {
    elements.push(
      form('objection_answer', [
        selectStatic({ name: FIELDS.answer, placeholder: '异议是否成立', options: [{ text: '异议成立（取消其当选资格）', value: 'upheld' }, { text: '异议不成立', value: 'not_upheld' }], required: true }),
        input({ name: FIELDS.reason, placeholder: '答复理由（会告知提出人）', maxLength: ANSWER_REASON_MAX, multiline: true, required: true }),
        button({ text: '提交答复', action: OBJECTION_ANSWER.name, value: OBJECTION_ANSWER.value({ oid: v.id }), type: 'primary_filled', formAction: 'submit', name: 'objection_answer_submit' }),
      ]),
    )
    elements.push(note('每条异议都须答复，答复全部完成后才能确认评选结果。'))
  }
  return card({ title: `评选异议 · ${v.roundNumber}`, template: v.answer ? 'grey' : 'red', summary: '评选异议', elements, forwardable: false })
}

/** To the objector: the chair's answer. */
export function buildObjectionAnsweredCard(v: { roundName: string; roundNumber: string; nomineeName: string; answer: ObjectionView['answer'] & string; reason: string }): Card {
  return card({
    title: '您的异议已答复',
    subtitle: v.roundNumber,
    template: v.answer === 'upheld' ? 'green' : 'blue',
    summary: '异议答复',
    elements: [field('评选', v.roundName), field('针对', v.nomineeName), md(`**答复：**${escapeMarkdown(OBJECTION_ANSWER_LABEL[v.answer])}`), userText(v.reason, { label: '理由' })],
    forwardable: false,
  })
}
