// The committee's card when someone has left the company: which roles ended and the open work to reassign.
// Pure builder; the name and department names are user text, escaped.
import type { EndedRole, LeaverWork } from '../../src/organisation/members-model.js'
import { OFFICER_ROLE_LABEL } from '../../src/organisation/model.js'
import { escapeMarkdown } from '../escape.js'
import { card, field, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

/** Each role by name (QA F32): 工会副主席, 女职工委员会委员, 职工代表（选区：二车间）; user text escaped. */
function roleLabel(r: EndedRole): string {
  switch (r.kind) {
    case 'officer':
      return `工会干部（${OFFICER_ROLE_LABEL[r.role]}）`
    case 'committee':
      return `${escapeMarkdown(r.committee)}委员`
    case 'representative': {
      const seat = [r.constituency ? `选区：${escapeMarkdown(r.constituency)}` : '', r.term ? `届次：${escapeMarkdown(r.term)}` : ''].filter(Boolean).join('，')
      return seat ? `职工代表（${seat}）` : '职工代表'
    }
    case 'member':
      return '会籍（已记为离职）'
  }
}

export interface LeaverReportView {
  name: string
  /** The roles that ended. */
  ended: EndedRole[]
  work: LeaverWork
  /** Still listed in UNION_OFFICER_OPEN_IDS: only the deployment can take them out. */
  configuredOfficer: boolean
}

export function buildLeaverReportCard(v: LeaverReportView): Card {
  return fitCard(halving(100), (max) => {
    const list = (items: string[]) => {
      const shown = items.slice(0, max)
      return shown.join('、') + (items.length > shown.length ? ` 等 ${items.length} 件` : '')
    }
    const elements: CardElement[] = [field('离职人员', v.name || '（未知姓名）')]
    const ended = [...new Set(v.ended.map(roleLabel))]
    // A department's contact is not ended (the department keeps its contact until another is named): said apart.
    const contactOf = v.work.departments.slice(0, max).map((d) => `承办部门「${escapeMarkdown(d.name)}」联系人（待更换）`)
    const shown = [...ended.slice(0, max), ...contactOf]
    elements.push(md(`**已结束的身份：**${shown.length ? shown.join('、') : '无'}${ended.length > max ? ` 等 ${ended.length} 项` : ''}`))
    if (v.configuredOfficer) elements.push(note('此人仍列在 UNION_OFFICER_OPEN_IDS 中，请运维人员从配置中移除。'))
    const todo: string[] = []
    if (v.work.grievances.length) todo.push(`- 由其经办、尚未办结的诉求：${list(v.work.grievances)}（请在诉求卡片上重新受理或指派）`)
    for (const d of v.work.departments.slice(0, max)) {
      todo.push(`- 承办部门「${escapeMarkdown(d.name)}」的联系人，请发送「部门 添加 ${escapeMarkdown(d.name)} @新联系人」更换${d.proposals.length ? `；在办提案：${list(d.proposals)}` : ''}`)
    }
    if (v.work.proposals.length) todo.push(`- 其提交、尚未办结的提案：${list(v.work.proposals)}`)
    elements.push(todo.length ? md(`**需要重新安排的工作**\n${todo.join('\n')}`) : md('没有需要重新安排的工作。'))
    elements.push(note('历史记录（诉求、提案、会籍）均已保留，没有删除。'))
    return card({ title: '人员离职', template: 'orange', summary: '人员离职：身份已结束', elements })
  })
}
