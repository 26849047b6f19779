// The committee's card when someone has left the company: which roles ended and the open work to reassign.
// Pure builder; the name and department names are user text, escaped.
import type { LeaverWork } from '../../src/organisation/members-model.js'
import { escapeMarkdown } from '../escape.js'
import { card, field, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

const ROLE_LABEL: Record<string, string> = {
  'officer.leave': '工会干部',
  'representative.leave': '职工代表',
  'committee.leave': '专门委员会委员',
  'member.leave': '会籍（已记为离职）',
}

export interface LeaverReportView {
  name: string
  /** Audit actions of the roles that ended. */
  ended: string[]
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
    const ended = v.ended.map((a) => ROLE_LABEL[a]).filter((x): x is string => Boolean(x))
    elements.push(field('已结束的身份', ended.length ? [...new Set(ended)].join('、') : '无'))
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
