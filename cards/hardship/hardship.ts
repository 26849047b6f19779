// Cards of 困难帮扶: the private self-check form, its result (with the application form when it qualifies), the
// responsible officers' private case card with the step for its status, the applicant's status card and the
// 公示 (number, kind and amount; a name only with the worker's consent). Pure builders; typed text is escaped.
import { evidenceButton } from '../evidence.js'
import { FIELDS, HARDSHIP_APPLY, HARDSHIP_APPROVE, HARDSHIP_CHECK, HARDSHIP_RECHECK, HARDSHIP_PAY, HARDSHIP_PUBLISH, HARDSHIP_REJECT, HARDSHIP_VISIT } from '../../src/hardship/actions.js'
import { fenDecimal, formatYuan } from '../../src/care/model.js'
import {
  HARDSHIP_STATUS_LABEL,
  NOTE_MAX,
  REASON_MAX,
  mayApply,
  resultLabel,
  type HardshipCase,
  type NoticeView,
  type SelfCheckInput,
  type SelfCheckResult,
} from '../../src/hardship/model.js'
import { escapeMarkdown } from '../escape.js'
import { button, buttonRow, card, field, fitCard, form, halving, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'

const NOTHING_KEPT = '测算在本卡片上完成，工会助手不保存您填写的任何数字；只有您点「提交申请」后，申请才会交给工会。'

/** Where the 低保 comes from, for a worker whose union has not set it (the self-check explains rather than stops). */
const DIBAO_UNSET =
  '工会还没有设置本地的最低生活保障标准（低保，由当地民政部门公布），所以暂时只能算出家庭月人均收入，不能判断是否属于困难职工：' +
  '月人均低于当地低保为深度困难，低于两倍为相对困难。您可以对照本市民政局公布的城市低保标准，或直接联系工会主席。'

/** A form value for an amount in fen: plain yuan, as typed (36000 or 299.50), never a float. */
const typedYuan = (fen: number): string => (fen % 100 === 0 ? String(Math.trunc(fen / 100)) : fenDecimal(fen))

/** 困难帮扶: the self-check form (annual household figures, people in the household); `initial` after 再算一次. */
export function buildSelfCheckCard(v: { dibaoSet: boolean; error?: string; initial?: SelfCheckInput }): Card {
  const i = v.initial
  const value = (fen: number | undefined) => (fen === undefined ? {} : { defaultValue: typedYuan(fen) })
  const elements: CardElement[] = [
    md('请填写家庭**全年**情况，金额以元为单位（可有两位小数）。'),
    ...(v.error ? [md(`<font color='red'>${escapeMarkdown(v.error)}</font>`)] : []),
    form('hardship_check', [
      input({ name: FIELDS.income, label: '家庭年可支配收入（元）', placeholder: '例如 36000', maxLength: 12, required: true, ...value(i?.incomeFen) }),
      input({ name: FIELDS.rigid, label: '刚性支出（元/年，如医疗、教育）', placeholder: '没有填 0', maxLength: 12, required: true, ...value(i?.rigidFen) }),
      input({ name: FIELDS.size, label: '家庭人口（人）', placeholder: '例如 3', maxLength: 2, required: true, ...(i ? { defaultValue: String(i.householdSize) } : {}) }),
      input({ name: FIELDS.sudden, label: '突发困难支出（元，如重大疾病、意外）', placeholder: '没有填 0', maxLength: 12, ...value(i?.suddenFen) }),
      button({ text: '测算', action: HARDSHIP_CHECK.name, value: HARDSHIP_CHECK.value({}), type: 'primary_filled', formAction: 'submit', name: 'hardship_check_submit' }),
    ]),
    note(NOTHING_KEPT),
  ]
  if (!v.dibaoSet) elements.push(note(DIBAO_UNSET))
  return card({ title: '困难帮扶自测', template: 'wathet', summary: '困难帮扶自测', forwardable: false, elements })
}

/** The result: the per-person monthly figure against the 低保, and the application form when it qualifies. */
export function buildSelfCheckResultCard(v: { input: SelfCheckInput; result: SelfCheckResult }): Card {
  const r = v.result
  const known = r.dibaoMonthlyFen !== undefined
  const elements: CardElement[] = [
    field('家庭月人均可支配收入', `${formatYuan(r.perCapitaMonthlyFen)} 元（（年收入 − 刚性支出）÷ 12 ÷ ${v.input.householdSize} 人）`),
    field('当地低保标准', known ? `${formatYuan(r.dibaoMonthlyFen!)} 元/人/月` : '工会尚未设置'),
    field('测算结果', known || r.sudden ? resultLabel(r) : '暂时无法判断（见下方说明）'),
  ]
  if (!known) elements.push(note(DIBAO_UNSET))
  if (mayApply(r)) {
    elements.push(
      hr(),
      md('您可以向工会申请帮扶。工会将入户走访、委员会审批后发放帮扶金；申请只交给工会主席、副主席。'),
      form('hardship_apply', [
        input({ name: FIELDS.reason, label: '困难情况说明', placeholder: '简要说明家庭困难情况', maxLength: REASON_MAX, multiline: true, required: true }),
        selectStatic({
          name: FIELDS.namePublic,
          placeholder: '公示时是否显示您的姓名',
          options: [
            { text: '公示时不显示我的姓名（只显示编号和类别）', value: 'no' },
            { text: '同意公示时显示我的姓名', value: 'yes' },
          ],
          initial: 'no',
        }),
        button({
          text: '提交申请',
          action: HARDSHIP_APPLY.name,
          value: HARDSHIP_APPLY.value({ income: v.input.incomeFen, rigid: v.input.rigidFen, size: v.input.householdSize, sudden: v.input.suddenFen }),
          type: 'primary_filled',
          formAction: 'submit',
          name: 'hardship_apply_submit',
        }),
      ]),
      note('提交后可发送「困难帮扶 材料 编号」补充收入证明、医疗票据等材料。'),
    )
  } else if (known) elements.push(note('按本地标准暂未达到困难职工条件。如有其他困难，欢迎随时联系工会。'))
  // Other figures without sending 困难帮扶 again (QA F19): the form comes back with these figures in it.
  elements.push(
    buttonRow([
      button({ text: '再算一次', action: HARDSHIP_RECHECK.name, value: HARDSHIP_RECHECK.value({ income: v.input.incomeFen, rigid: v.input.rigidFen, size: v.input.householdSize, sudden: v.input.suddenFen }) }),
    ]),
    note(NOTHING_KEPT),
  )
  return card({ title: '困难帮扶自测结果', template: mayApply(r) ? 'orange' : 'green', summary: '困难帮扶自测结果', forwardable: false, elements })
}

/** The responsible officers' private card: the facts, the documents, and the step its status allows. */
export function buildCaseCard(c: HardshipCase, v: { timeZone: string; reviewMonths: number }): Card {
  return fitCard(halving(40), (maxFiles) => {
    const elements: CardElement[] = [
      field('申请人', c.name || '（未知姓名）'),
      field('部门', c.department ?? '（未填部门）'),
      field('测算结果', resultLabel(c)),
      field('家庭年收入', `${formatYuan(c.incomeFen)} 元；刚性支出 ${formatYuan(c.rigidFen)} 元；${c.householdSize} 人；突发支出 ${formatYuan(c.suddenFen)} 元`),
      userText(c.reason, { label: '困难情况说明', max: REASON_MAX }),
      field('公示时显示姓名', c.namePublic ? '同意' : '不同意（只公示编号和类别）'),
    ]
    const files = c.attachments.slice(0, maxFiles)
    if (c.attachments.length) {
      const lines = files.map((a, i) => `${i + 1}. ${a.kind === 'image' ? '图片' : '文件'} ${escapeMarkdown(a.name ?? '')}`)
      if (c.attachments.length > files.length) lines.push(`…另有 ${c.attachments.length - files.length} 份`)
      elements.push(md(`**材料（${c.attachments.length} 份）**\n${lines.join('\n')}`))
      elements.push(...evidenceButton({ type: 'hardship', id: c.id }, c.attachments.length, '查看材料'))
    } else elements.push(field('材料', '暂无'))
    if (c.visitNote) elements.push(userText(c.visitNote, { label: `入户走访（${c.visitedOn ?? ''}）`, max: NOTE_MAX }))
    if (c.decisionNote) elements.push(userText(c.decisionNote, { label: '审批意见', max: NOTE_MAX }))
    if (c.paidFen !== undefined) elements.push(field('已发放', `${formatYuan(c.paidFen)} 元（${c.paidOn ?? ''}），${c.reviewDueOn ?? ''} 年度复核`))
    elements.push(hr())
    const reject = form('hardship_reject', [
      input({ name: FIELDS.note, placeholder: '不批准的理由（会告知申请人）', maxLength: NOTE_MAX, required: true }),
      button({ text: '不批准', action: HARDSHIP_REJECT.name, value: HARDSHIP_REJECT.value({ id: c.id }), type: 'danger', formAction: 'submit', name: 'hardship_reject_submit' }),
    ])
    const pay = form('hardship_pay', [
      input({ name: FIELDS.amount, label: '发放金额（元）', placeholder: '例如 2000', maxLength: 12, required: true }),
      input({ name: FIELDS.paidOn, label: '发放日期', placeholder: '例如 2026-03-02', maxLength: 10, required: true }),
      button({ text: '记录发放', action: HARDSHIP_PAY.name, value: HARDSHIP_PAY.value({ id: c.id }), type: 'primary_filled', formAction: 'submit', name: 'hardship_pay_submit' }),
    ])
    if (c.status === 'applied') {
      elements.push(
        form('hardship_visit', [
          input({ name: FIELDS.note, label: '入户走访记录', placeholder: '走访时间、见到的情况', maxLength: NOTE_MAX, multiline: true, required: true }),
          button({ text: '记录走访', action: HARDSHIP_VISIT.name, value: HARDSHIP_VISIT.value({ id: c.id }), type: 'primary_filled', formAction: 'submit', name: 'hardship_visit_submit' }),
        ]),
        reject,
      )
    } else if (c.status === 'visited') {
      elements.push(buttonRow([button({ text: '委员会批准', action: HARDSHIP_APPROVE.name, value: HARDSHIP_APPROVE.value({ id: c.id }), type: 'primary_filled' })]), reject)
    } else if (c.status === 'approved') {
      elements.push(
        buttonRow([button({ text: '公示', action: HARDSHIP_PUBLISH.name, value: HARDSHIP_PUBLISH.value({ id: c.id }), confirm: { title: '发布公示', text: c.namePublic ? '公示显示编号、类别，以及申请人同意公开的姓名。' : '公示只显示编号和类别，不显示姓名。' } })]),
        pay,
      )
    } else if (c.status === 'published') elements.push(pay)
    elements.push(note(`仅工会主席、副主席可见和处理。发放后 ${v.reviewMonths} 个月提醒年度复核。`))
    return card({ title: `困难帮扶申请 ${c.number}`, subtitle: HARDSHIP_STATUS_LABEL[c.status], template: c.status === 'rejected' ? 'grey' : c.status === 'paid' ? 'green' : 'orange', summary: '困难帮扶申请', forwardable: false, elements })
  })
}

/** What the applicant sees: their case's status (the officers' typed reason when not approved). */
export function buildApplicantCard(c: Pick<HardshipCase, 'number' | 'status' | 'decisionNote' | 'paidFen' | 'paidOn'>): Card {
  const elements: CardElement[] = [field('进度', HARDSHIP_STATUS_LABEL[c.status])]
  if (c.status === 'rejected' && c.decisionNote) elements.push(userText(c.decisionNote, { label: '理由', max: NOTE_MAX }))
  if (c.status === 'paid' && c.paidFen !== undefined) elements.push(field('帮扶金', `${formatYuan(c.paidFen)} 元（${c.paidOn ?? ''}）`))
  elements.push(note('您的申请只有工会主席、副主席可以查看。如有疑问请联系工会。'))
  return card({ title: `困难帮扶 ${c.number}`, template: c.status === 'rejected' ? 'grey' : 'blue', summary: '困难帮扶进度', forwardable: false, elements })
}

/** 公示: the number, the kind and the amount; the name only when the worker agreed. */
export function buildNoticeCard(v: NoticeView): Card {
  // The number and the kind are the bot's own words (K-2026-0001, 深度困难): no user text.
  const elements: CardElement[] = [md(`**编号：**${v.number}`), md(`**类别：**${v.kind}`)]
  if (v.name) elements.push(field('姓名', v.name))
  if (v.amountFen !== undefined) elements.push(field('帮扶金额', `${formatYuan(v.amountFen)} 元`))
  elements.push(note('公示期内如有异议，请联系工会。'))
  return card({ title: '困难职工帮扶公示', template: 'blue', summary: '困难职工帮扶公示', elements })
}
