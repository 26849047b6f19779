// Cards of proposal administration: representatives and departments lists, and the collection window's
// opening, status and closing summary. Pure builders; names and titles typed by people are escaped.
import { STATUS_LABEL, type ProposalStatus } from '../../src/proposals/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { assertCardWithinLimits, card, field, fitCard, halving, hr, md, note, type Card, type CardElement } from '../kit.js'

/** Lines per list card at most (one markdown element for all of them). */
const MAX_LINES = 300

function lines(items: string[], empty: string, max: number): CardElement {
  if (items.length === 0) return md(empty)
  const shown = items.slice(0, max)
  const more = items.length - shown.length
  return md(`${shown.join('\n')}${more > 0 ? `${shown.length ? '\n' : ''}- …另有 ${more} 项` : ''}`)
}

/**
 * A list card with as many lines as fit Feishu's 30 KB (docs/feishu-platform.md#card-limits): long or escaped names make lines
 * long, so 300 of them may not fit; the lines are halved until the card does, and the rest are counted.
 */
function fitted(build: (maxLines: number) => Card): Card {
  return fitCard(halving(MAX_LINES), build)
}

export function buildRepresentativesCard(reps: Array<{ name: string; addedAt: Date; constituency?: string; term?: string }>, timeZone: string): Card {
  const seat = (r: { constituency?: string; term?: string }) =>
    [r.constituency ? `选区：${escapeMarkdown(r.constituency)}` : '', r.term ? `届次：${escapeMarkdown(r.term)}` : ''].filter(Boolean).join('　')
  const items = reps.map((r, i) => `${i + 1}. ${escapeMarkdown(r.name || '（未知姓名）')}${seat(r) ? `　${seat(r)}` : ''}　<font color='grey'>${formatDateTime(r.addedAt, timeZone).slice(0, 10)} 登记</font>`)
  return fitted((max) =>
    card({
      title: '职工代表名单',
      subtitle: `共 ${reps.length} 人`,
      template: 'blue',
      summary: '职工代表名单',
      elements: [lines(items, '尚未登记职工代表。', max), note('工会干部可发送「代表 添加 @某人」「代表 移除 @某人」维护名单。职工代表可提交和附议提案。')],
    }),
  )
}

export function buildDepartmentsCard(depts: Array<{ name: string; contactName: string }>): Card {
  const items = depts.map((d) => `- **${escapeMarkdown(d.name)}**　联系人：${escapeMarkdown(d.contactName || '（未知姓名）')}`)
  return fitted((max) =>
    card({
      title: '承办部门',
      subtitle: `共 ${depts.length} 个`,
      template: 'blue',
      summary: '承办部门名单',
      elements: [lines(items, '尚未登记承办部门。', max), note('工会干部可发送「部门 添加 部门名称 @联系人」登记或更换联系人，「部门 移除 部门名称」移除。')],
    }),
  )
}

/** A department added or its contact changed (answer to the officer). */
export function buildDepartmentSavedCard(d: { name: string; contactName: string; created: boolean }): Card {
  return card({
    title: d.created ? '已登记承办部门' : '已更新承办部门联系人',
    template: 'green',
    summary: '承办部门已保存',
    elements: [field('部门', d.name), field('联系人', d.contactName || '（未知姓名）'), note('交办给该部门的提案将发给这位联系人答复。')],
  })
}

/** Sent to the department's new contact. */
export function buildContactNoticeCard(d: { name: string }): Card {
  return card({
    title: '您已被登记为提案承办部门联系人',
    template: 'blue',
    summary: '承办部门联系人',
    elements: [
      field('部门', d.name),
      md('工会交办给本部门的职代会提案会发送给您，请在办理期限内通过卡片答复。超过期限未答复的，每个工作日会提醒一次。'),
    ],
  })
}

export function buildWindowOpenedCard(w: { name: string; openedAt: Date }, timeZone: string, forRepresentatives: boolean): Card {
  return card({
    title: '职代会提案征集开始',
    subtitle: w.name,
    template: 'red',
    summary: '提案征集开始',
    elements: [
      field('届次', w.name),
      md(`**开始时间：**${formatDateTime(w.openedAt, timeZone)}`),
      md(
        forRepresentatives
          ? '各位职工代表：请围绕企业生产经营、劳动保护、生活福利等方面提出提案。私聊我发送「提交提案」即可按步骤填写，提交后请邀请其他代表附议。'
          : '提案征集已开始，已通知全体职工代表。结束征集请发送「提案征集 结束」。',
      ),
    ],
  })
}

export interface WindowSummary {
  name: string
  openedAt: Date
  closedAt: Date | null
  counts: Partial<Record<ProposalStatus, number>>
  total: number
}

export function buildWindowSummaryCard(w: WindowSummary, timeZone: string): Card {
  const counts = (Object.keys(STATUS_LABEL) as ProposalStatus[]).filter((s) => w.counts[s]).map((s) => `- ${STATUS_LABEL[s]}：${w.counts[s]} 件`)
  const elements: CardElement[] = [
    field('届次', w.name),
    md(`**征集时间：**${formatDateTime(w.openedAt, timeZone)} 至 ${w.closedAt ? formatDateTime(w.closedAt, timeZone) : '（进行中）'}`),
    hr(),
    md(`**收到提案 ${w.total} 件**${counts.length ? `\n${counts.join('\n')}` : ''}`),
  ]
  if (w.closedAt && w.counts.collecting) {
    elements.push(note(`有 ${w.counts.collecting} 件提案附议人数不足，未进入审查；提案人可撤回，或在下次征集时重新提交。`))
  }
  return assertCardWithinLimits(
    card({
      title: w.closedAt ? '职代会提案征集已结束' : '职代会提案征集进行中',
      subtitle: w.name,
      template: w.closedAt ? 'grey' : 'red',
      summary: '提案征集情况',
      elements,
    }),
  )
}
