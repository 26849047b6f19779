// Cards of learning hours: 我的学时 (the year's total and where it came from), the officers' 学时 统计 by department,
// and the report of an import. Activity titles, training names, departments and reasons are user text, escaped.
import { formatHours, type HoursStatsView, type MyHoursView } from '../../src/learning/model.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { card, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

export function buildMyHoursCard(v: MyHoursView): Card {
  return fitCard(halving(Math.max(1, v.lines.length)), (max) => {
    const elements: CardElement[] = [md(`**累计：${formatHours(v.totalMinutes)}**`)]
    if (v.lines.length === 0) elements.push(md('今年还没有学时记录。参加工会的培训、讲座、读书会并签到，即可获得学时。'))
    const shown = v.lines.slice(-max)
    const lines = shown.map((l) => `- ${l.date} ${l.kind}「${escapeMarkdown(truncate(l.what, 40))}」 ${formatHours(l.minutes)}`)
    if (v.lines.length > shown.length) lines.unshift(`- ……更早的 ${v.lines.length - shown.length} 条未显示`)
    if (lines.length) elements.push(md(lines.join('\n')))
    elements.push(note('学时来自签到的培训、讲座、读书会，以及工会登记的外部培训。'))
    return card({ title: '我的学时', subtitle: `${v.year} 年`, template: 'green', summary: '我的学时', elements })
  })
}

export function buildHoursStatsCard(v: HoursStatsView): Card {
  return fitCard(halving(Math.max(1, v.byDepartment.length)), (max) => {
    const shown = v.byDepartment.slice(0, max)
    const lines = shown.map((d) => `- ${escapeMarkdown(d.department ?? '（未填部门）')}：${formatHours(d.minutes)}，${d.people} 人`)
    if (v.byDepartment.length > shown.length) lines.push(`- ……另有 ${v.byDepartment.length - shown.length} 个部门`)
    const elements: CardElement[] = [md(`**合计：${formatHours(v.totalMinutes)}，${v.people} 人参加学习**`), md(lines.join('\n') || '今年还没有学时记录。'), note('按人员的明细已作为 CSV 文件私聊发给您。')]
    return card({ title: '学时统计', subtitle: `${v.year} 年`, template: 'green', summary: '学时统计', elements })
  })
}

/** The report of 学时 导入 / 书屋 导入: all rows taken, or none with the refused lines. */
export function buildLearningImportCard(v: { what: '学时' | '书目'; taken: number; total: number; refused: Array<{ line: number; reason: string }> }): Card {
  return fitCard(halving(200), (max) => {
    const elements: CardElement[] = []
    if (v.refused.length === 0) elements.push(md(`全部 ${v.total} 行已导入。`))
    else {
      elements.push(md(`文件共 ${v.total} 行，其中 ${v.refused.length} 行有问题，**本次没有导入任何一行**。请改正后重新发送。`))
      const shown = v.refused.slice(0, max)
      const lines = shown.map((r) => `- 第 ${r.line} 行：${escapeMarkdown(r.reason)}`)
      if (v.refused.length > shown.length) lines.push(`- …另有 ${v.refused.length - shown.length} 行`)
      elements.push(md(lines.join('\n')))
    }
    return card({ title: `${v.what}导入结果`, template: v.refused.length ? 'red' : 'green', summary: `${v.what}导入结果`, elements })
  })
}
