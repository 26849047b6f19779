// Cards of 会员关怀: an entry as recorded, the chair's approval card for an entry above a cap, the yearly ledger
// (台账) by kind and department, the roster import's report and the committee's reminder the day before.
// Pure builders; names, departments and gifts are user text, escaped.
import { CARE_APPROVE, CARE_REFUSE } from '../../src/care/actions.js'
import { CARE_KIND_LABEL, CARE_STATUS_LABEL, formatYuan, type CareEvent, type LedgerView, type ReminderKind } from '../../src/care/model.js'
import { escapeMarkdown } from '../escape.js'
import { answerButton, button, buttonRow, card, field, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

/** The conversation of 慰问 登记 (handlers/care/record.ts), named here for its answer buttons. */
export const CARE_RECORD_FLOW = 'care.record'

const facts = (e: CareEvent): CardElement[] => [
  field('对象', e.name || '（未知姓名）'),
  field('部门', e.department ?? '（未填部门）'),
  field('类别', CARE_KIND_LABEL[e.kind]),
  field('金额', `${formatYuan(e.amountFen)} 元`),
  ...(e.gift ? [field('慰问品', e.gift)] : []),
  field('日期', e.occurredOn),
]

/** What the officer sees after 慰问 登记: recorded, or waiting for the chair with the cap it breaks. */
export function buildCareRecordedCard(e: CareEvent): Card {
  const elements = facts(e)
  if (e.status === 'pending') elements.push(note(`超过上限（${escapeMarkdown(e.overCap ?? '')}），已提交工会主席审批，审批后计入台账。`))
  else if (e.status === 'recorded') elements.push(note('已计入慰问台账。发送「慰问 台账」查看本年度合计。'))
  return card({ title: '慰问登记', subtitle: CARE_STATUS_LABEL[e.status], template: e.status === 'recorded' ? 'green' : e.status === 'pending' ? 'orange' : 'grey', summary: '慰问登记', elements })
}

/** The chair's card for an entry above a cap: 批准 / 不批准; after the decision, the outcome. */
export function buildCareApprovalCard(e: CareEvent): Card {
  const elements = [...facts(e), field('超出的上限', e.overCap ?? '')]
  if (e.status === 'pending') {
    elements.push(
      buttonRow([
        button({ text: '批准', action: CARE_APPROVE.name, value: CARE_APPROVE.value({ id: e.id }), type: 'primary_filled' }),
        button({ text: '不批准', action: CARE_REFUSE.name, value: CARE_REFUSE.value({ id: e.id }), type: 'danger' }),
      ]),
      note('仅工会主席可以审批超上限的慰问。'),
    )
  } else elements.push(field('结果', CARE_STATUS_LABEL[e.status]))
  return card({ title: '慰问超上限审批', subtitle: CARE_STATUS_LABEL[e.status], template: e.status === 'pending' ? 'orange' : e.status === 'recorded' ? 'green' : 'grey', summary: '慰问超上限审批', elements })
}

/** 慰问 台账: the year's totals by kind and by department (the entries come as a CSV file). */
export function buildCareLedgerCard(v: LedgerView): Card {
  return fitCard(halving(200), (max) => {
    const kinds = v.byKind.map((k) => `- ${CARE_KIND_LABEL[k.kind]}：${k.count} 次，${formatYuan(k.fen)} 元`)
    const shown = v.byDepartment.slice(0, max)
    const departments = shown.map((d) => `- ${escapeMarkdown(d.department ?? '（未填部门）')}：${d.count} 次，${formatYuan(d.fen)} 元`)
    if (v.byDepartment.length > shown.length) departments.push(`- …另有 ${v.byDepartment.length - shown.length} 个部门`)
    const elements: CardElement[] = [md(`**合计：**${v.count} 次，${formatYuan(v.totalFen)} 元`)]
    if (v.count > 0) elements.push(md(`**按类别**\n${kinds.join('\n')}`), md(`**按部门**\n${departments.join('\n')}`))
    if (v.pending > 0) elements.push(note(`另有 ${v.pending} 笔超上限的慰问待主席审批，未计入合计。`))
    elements.push(note('明细已作为 CSV 文件私聊发给您，供经费审查委员会审查（工会法第四十五条）。'))
    return card({ title: `慰问台账 ${v.year}年`, template: 'blue', summary: '慰问台账', elements })
  })
}

/** The outcome of 慰问 名单 导入: all rows taken, or nothing and every refused row with its reason. */
export function buildRosterReportCard(v: { taken: number; refused: Array<{ line: number; reason: string }>; total: number }): Card {
  return fitCard(halving(200), (max) => {
    const elements: CardElement[] = []
    if (v.refused.length === 0) elements.push(md(`全部 ${v.total} 行已导入：${v.taken} 人的生日或退休日期已登记，前一天会提醒工会委员会。`))
    else {
      elements.push(md(`文件共 ${v.total} 行，其中 ${v.refused.length} 行有问题，**本次没有导入任何一行**。请改正后重新发送「慰问 名单 导入」。`))
      const shown = v.refused.slice(0, max)
      const lines = shown.map((r) => `- 第 ${r.line} 行：${escapeMarkdown(r.reason)}`)
      if (v.refused.length > shown.length) lines.push(`- …另有 ${v.refused.length - shown.length} 行`)
      elements.push(md(lines.join('\n')))
    }
    return card({ title: '关怀名单导入结果', template: v.refused.length ? 'red' : 'green', summary: '关怀名单导入结果', elements })
  })
}

/** The committee's reminder, the day before: who has a birthday or retires tomorrow. */
export function buildCareReminderCard(v: { kind: ReminderKind; name: string; department: string | undefined; date: string }): Card {
  const what = v.kind === 'birthday' ? '生日' : '退休'
  return card({
    title: `明天${what}：关怀提醒`,
    template: 'turquoise',
    summary: '关怀提醒',
    elements: [
      field('对象', v.name || '（未知姓名）'),
      field('部门', v.department ?? '（未填部门）'),
      field('日期', v.date),
      note(`慰问后可发送「慰问 登记」记入台账。`),
    ],
  })
}

/** 慰问 登记 with a name several people share: one button per person, with the department the union has. */
export function buildCarePickCard(v: { flow: string; step: string; people: Array<{ name: string; department?: string }>; hint?: string }): Card {
  const elements: CardElement[] = []
  if (v.hint) elements.push(md(escapeMarkdown(v.hint)))
  elements.push(md('请问慰问哪一位？点下面的按钮，或发送序号；也可以发送别的姓名。'))
  v.people.forEach((p, i) => elements.push(answerButton({ flow: v.flow, step: v.step, answer: String(i + 1), text: `${i + 1}. ${p.name}（${p.department ?? '未填部门'}）` })))
  elements.push(note('发送「取消」可退出。'))
  return card({ title: '慰问登记：选择对象', template: 'blue', summary: '慰问登记：选择对象', elements })
}
