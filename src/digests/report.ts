// 月报 / 季报 for the Party organisation and the workers' congress, without I/O: the report's figures and their
// CSV export (UTF-8 with BOM so spreadsheet programs read the Chinese labels; no cell can start a formula).
import { toCsv } from '../kit/csv.js'
import { GRIEVANCE_CATEGORIES } from '../grievances/model.js'
import type { GrievanceFigures } from '../grievances/model.js'
import { STATUSES, STATUS_LABEL as PROPOSAL_STATUS_LABEL, type ProposalFigures, type WindowStatusCounts } from '../proposals/model.js'
import type { ActivityFigures } from '../activities/model.js'
import type { DemocracyFigures } from '../polls/model.js'
import type { MediationFigures } from '../mediation/model.js'
import type { SupervisionFigures } from '../supervision/model.js'
import { CARE_KIND_LABEL, fenDecimal, type CareFigures } from '../care/model.js'
import { formatHours, type LearningFigures } from '../learning/model.js'
import type { HardshipFigures } from '../hardship/figures.js'
import type { NoticeFigures } from '../notices/figures.js'
import { formatDuration, satisfactionPercent, type CategoryBreakdown } from './model.js'
import { KIND_LABEL, type Period } from './periods.js'

export interface ReportView {
  kind: 'monthly' | 'quarterly'
  period: Period
  generatedAt: Date
  timeZone: string
  grievances: GrievanceFigures
  categories: CategoryBreakdown
  /** Absent until the proposal feature has a collection window. */
  proposals?: { figures: ProposalFigures; window: WindowStatusCounts }
  /** Absent where activities are not recorded (yet). */
  activities?: ActivityFigures
  /** Polls and the congress's votes; absent when nothing was voted on in the period. */
  democracy?: DemocracyFigures
  /** Labour-dispute mediation and labour-law supervision (issue #16); absent in reports built without them. */
  mediation?: MediationFigures
  supervision?: SupervisionFigures
  /** Present when care was recorded in the period (src/care/figures.ts): counts and exact totals, no names. */
  care?: CareFigures
  /** Learning hours, loans and reading check-ins (学习型组织, issue #17); absent where not recorded. */
  learning?: LearningFigures
  /** 困难帮扶 (issue #17): open now, paid in the period (exact fen); counts only, never names. */
  hardship?: HardshipFigures
  /** 厂务公开 notices (issue #15): published, reading confirmed, opinions, replies on time; counts only. */
  notices?: NoticeFigures
}

/** "2026年9月" / "2026年第3季度" (with "截至 …" when the period is still running). */
export function reportPeriodName(p: Period): string {
  const year = p.firstDay.slice(0, 4)
  const name = p.kind === 'quarterly' ? `${year}年第${p.key.slice(-1)}季度` : `${year}年${Number(p.firstDay.slice(5, 7))}月`
  return p.partial ? `${name}（截至 ${p.lastDay}）` : name
}

export function reportTitle(r: ReportView): string {
  return `工会${KIND_LABEL[r.kind]} · ${reportPeriodName(r.period)}`
}

export function reportFileName(r: ReportView): string {
  return `工会${KIND_LABEL[r.kind]}-${r.period.key}${r.period.partial ? '-截至' + r.period.lastDay : ''}.csv`
}

export function percentText(n: number | null): string {
  return n === null ? '—' : `${n}%`
}

/** Attendance as a whole percentage of places taken; null without sign-ups. */
export function attendancePercent(a: ActivityFigures): number | null {
  return a.signedUp === 0 ? null : Math.round((a.attended / a.signedUp) * 100)
}

/** Share of the members asked to confirm reading who did, as a whole percentage; null when nobody was asked. */
export function noticeReadPercent(n: NoticeFigures): number | null {
  return n.readAsked === 0 ? null : Math.round((n.readConfirmed / n.readAsked) * 100)
}

/** Share of the period's replies to opinions given within their deadline; null without replies. */
export function noticeRepliesOnTimePercent(n: NoticeFigures): number | null {
  return n.replies === 0 ? null : Math.round((n.repliesOnTime / n.replies) * 100)
}

/** The report as rows of (section, item, value): the card and the CSV show the same figures. */
export function reportRows(r: ReportView): Array<[string, string, string]> {
  const g = r.grievances
  const rows: Array<[string, string, string]> = [
    ['报告', '期间', `${r.period.firstDay} 至 ${r.period.lastDay}`],
    ['维权诉求', '新提交', String(g.filed)],
    ['维权诉求', '受理', String(g.accepted)],
    ['维权诉求', '不予受理', String(g.declined)],
    ['维权诉求', '已转办', String(g.transferred)],
    ['维权诉求', '办结', String(g.resolved)],
    ['维权诉求', '受理用时中位数', formatDuration(g.medianAcceptSeconds)],
    ['维权诉求', '办结用时中位数', formatDuration(g.medianResolveSeconds)],
    ['维权诉求', '满意', String(g.rated.satisfied)],
    ['维权诉求', '基本满意', String(g.rated.basicallySatisfied)],
    ['维权诉求', '不满意', String(g.rated.dissatisfied)],
    ['维权诉求', '满意率（满意+基本满意）', percentText(satisfactionPercent(g.rated.satisfied, g.rated.basicallySatisfied, g.rated.dissatisfied))],
    ['维权诉求', '生成时待受理', String(g.open.pending)],
    ['维权诉求', '生成时处理中', String(g.open.accepted)],
  ]
  const byCategory = new Map(r.categories.shown.map((c) => [c.category, c.count]))
  for (const c of GRIEVANCE_CATEGORIES) rows.push(['维权诉求按类别（新提交）', c, String(byCategory.get(c) ?? 0)])
  if (r.proposals) {
    const f = r.proposals.figures
    const w = r.proposals.window
    rows.push(
      ['职代会提案', '征集（新提交）', String(f.submitted)],
      ['职代会提案', '立案', String(f.registered)],
      ['职代会提案', '不立案（转意见建议）', String(f.rejected)],
      ['职代会提案', '答复', String(f.answered)],
      ['职代会提案', '满意', String(f.rated.satisfied)],
      ['职代会提案', '基本满意', String(f.rated.basic)],
      ['职代会提案', '不满意', String(f.rated.unsatisfied)],
      ['职代会提案', '满意率（满意+基本满意）', percentText(satisfactionPercent(f.rated.satisfied, f.rated.basic, f.rated.unsatisfied))],
    )
    rows.push(['本届提案（生成时）', '届次', w.windowName])
    for (const s of STATUSES) rows.push(['本届提案（生成时）', PROPOSAL_STATUS_LABEL[s], String(w.byStatus[s] ?? 0)])
  }
  if (r.activities) {
    const a = r.activities
    rows.push(
      ['工会活动', '举办场次', String(a.held)],
      ['工会活动', '报名人次', String(a.signedUp)],
      ['工会活动', '签到人次', String(a.attended)],
      ['工会活动', '出勤率', percentText(attendancePercent(a))],
      ['工会活动', '取消场次', String(a.cancelled)],
    )
  }
  if (r.democracy) {
    const d = r.democracy
    rows.push(
      ['民主管理', '投票（结束）', String(d.polls)],
      ['民主管理', '投票人次', String(d.ballots)],
      ['民主管理', '职代会（闭会）', String(d.meetings)],
      ['民主管理', '职代会表决事项', String(d.items)],
      ['民主管理', '表决通过', String(d.passed)],
    )
  }
  if (r.mediation) {
    const m = r.mediation
    rows.push(
      ['劳动争议调解', '申请', String(m.applications)],
      ['劳动争议调解', '受理', String(m.accepted)],
      ['劳动争议调解', '达成调解协议', String(m.agreements)],
      ['劳动争议调解', '调解不成', String(m.failed)],
      ['劳动争议调解', '达成协议用时中位数（天）', m.medianDays === null ? '—' : String(m.medianDays)],
      ['劳动争议调解', '15日内达成协议占比', percentText(m.agreements === 0 ? null : Math.round((m.withinPeriod / m.agreements) * 100))],
    )
  }
  if (r.supervision) {
    const s = r.supervision
    rows.push(
      ['劳动法律监督', '发出意见书', String(s.opened)],
      ['劳动法律监督', '收到答复', String(s.replied)],
      ['劳动法律监督', '按期答复', String(s.repliedOnTime)],
      ['劳动法律监督', '结案', String(s.closed)],
      ['劳动法律监督', '生成时答复超期', String(s.overdueNow)],
      ['解除劳动合同通知', '收到通知', String(s.dismissals.submitted)],
      ['解除劳动合同通知', '工会提出意见', String(s.dismissals.opinions)],
      ['解除劳动合同通知', '其中有异议', String(s.dismissals.objections)],
      ['解除劳动合同通知', '书面报告结果', String(s.dismissals.results)],
    )
  }
  if (r.care) {
    rows.push(['会员关怀', '慰问人次', String(r.care.count)], ['会员关怀', '慰问金额（元）', fenDecimal(r.care.totalFen)])
    for (const k of r.care.byKind) rows.push(['会员关怀', `${CARE_KIND_LABEL[k.kind]}（次 / 元）`, `${k.count} / ${fenDecimal(k.fen)}`])
  }
  if (r.learning) {
    const l = r.learning
    rows.push(
      ['学习型组织', '学时合计', formatHours(l.totalMinutes)],
      ['学习型组织', '参加学习人数', String(l.participants)],
      ['学习型组织', '职工书屋借阅', String(l.loans)],
      ['学习型组织', '读书打卡', String(l.readingCheckins)],
    )
  }
  if (r.notices) {
    const n = r.notices
    rows.push(
      ['厂务公开', '发布公开', String(n.published)],
      ['厂务公开', '需确认阅读人次', String(n.readAsked)],
      ['厂务公开', '已确认阅读人次', String(n.readConfirmed)],
      ['厂务公开', '阅读确认率', percentText(noticeReadPercent(n))],
      ['厂务公开', '收到意见', String(n.opinions)],
      ['厂务公开', '答复意见', String(n.replies)],
      ['厂务公开', '按期答复', String(n.repliesOnTime)],
    )
  }
  if (r.hardship) {
    const h = r.hardship
    rows.push(['困难帮扶', '生成时在办', String(h.open)], ['困难帮扶', '发放帮扶', String(h.paid)], ['困难帮扶', '发放金额（元）', fenDecimal(h.paidFen)])
  }
  return rows
}

export function reportCsv(r: ReportView): Buffer {
  return toCsv([['部分', '项目', '数值'], ...reportRows(r)])
}
