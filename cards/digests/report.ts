// The 月报 / 季报 card for the Party organisation and the workers' congress: cases handled, proposals
// (征集/立案/答复/满意度) and activities held with attendance, the same figures as the CSV (src/digests/report.ts).
import { formatDuration, satisfactionPercent } from '../../src/digests/model.js'
import { CARE_KIND_LABEL, formatYuan } from '../../src/care/model.js'
import { attendancePercent, noticeReadPercent, noticeRepliesOnTimePercent, percentText, reportTitle, type ReportView } from '../../src/digests/report.js'
import { STATUSES, STATUS_LABEL as PROPOSAL_STATUS_LABEL } from '../../src/proposals/model.js'
import { formatHours } from '../../src/learning/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { assertCardWithinLimits, card, columns, hr, md, note, type Card, type CardElement } from '../kit.js'

function figure(label: string, value: number | string, unit = '件'): CardElement[] {
  return [md(`<font color='grey'>${label}</font>\n**${value}** ${unit}`)]
}

export function buildReportCard(r: ReportView, opts: { csvSentTo?: 'private' } = {}): Card {
  const g = r.grievances
  const elements: CardElement[] = [md(`**统计区间：**${r.period.firstDay} 至 ${r.period.lastDay}${r.period.partial ? '（本期尚未结束）' : ''}`)]

  elements.push(md('**一、维权诉求办理**'))
  elements.push(columns([figure('新提交', g.filed), figure('受理', g.accepted), figure('办结', g.resolved), figure('不予受理', g.declined), figure('已转办', g.transferred)]))
  const categories = r.categories.shown.map((c) => `${c.category} ${c.count}`)
  const gShare = satisfactionPercent(g.rated.satisfied, g.rated.basicallySatisfied, g.rated.dissatisfied)
  elements.push(
    md(
      [
        `**按类别（新提交）：**${categories.length ? categories.join('，') : '无'}`,
        `**受理用时（中位数）：**${formatDuration(g.medianAcceptSeconds)}　**办结用时（中位数）：**${formatDuration(g.medianResolveSeconds)}`,
        `**满意度：**${percentText(gShare)}（满意 ${g.rated.satisfied}，基本满意 ${g.rated.basicallySatisfied}，不满意 ${g.rated.dissatisfied}）`,
        `**生成时在办：**待受理 ${g.open.pending} 件，处理中 ${g.open.accepted} 件`,
      ].join('\n'),
    ),
  )

  if (r.proposals) {
    const f = r.proposals.figures
    const w = r.proposals.window
    const pShare = satisfactionPercent(f.rated.satisfied, f.rated.basic, f.rated.unsatisfied)
    const counts = STATUSES.filter((s) => (w.byStatus[s] ?? 0) > 0).map((s) => `${PROPOSAL_STATUS_LABEL[s]} ${w.byStatus[s]}`)
    elements.push(hr(), md('**二、职代会提案**'))
    elements.push(columns([figure('征集', f.submitted), figure('立案', f.registered), figure('答复', f.answered), figure('满意率', percentText(pShare), '')]))
    elements.push(
      md(
        [
          `**不立案（转意见建议）：**${f.rejected} 件`,
          `**答复评价：**满意 ${f.rated.satisfied}，基本满意 ${f.rated.basic}，不满意 ${f.rated.unsatisfied}`,
          `**${escapeMarkdown(truncate(w.windowName, 40))}**（${w.open ? '征集中' : '征集已结束'}）共 ${w.total} 件${counts.length ? `：${counts.join('，')}` : ''}`,
        ].join('\n'),
      ),
    )
  }

  if (r.activities) {
    const a = r.activities
    elements.push(hr(), md(`**${r.proposals ? '三' : '二'}、工会活动**`))
    elements.push(columns([figure('举办', a.held, '场'), figure('报名', a.signedUp, '人次'), figure('签到', a.attended, '人次'), figure('出勤率', percentText(attendancePercent(a)), '')]))
    if (a.cancelled > 0) elements.push(md(`另有 ${a.cancelled} 场活动取消。`))
  }

  if (r.democracy) {
    const d = r.democracy
    elements.push(hr(), md('**民主管理**'))
    elements.push(columns([figure('投票', d.polls, '次'), figure('投票', d.ballots, '人次'), figure('职代会', d.meetings, '次'), figure('表决通过', `${d.passed}/${d.items}`, '项')]))
  }

  if (r.mediation || r.supervision) {
    const m = r.mediation
    const sv = r.supervision
    const within = m && m.agreements > 0 ? Math.round((m.withinPeriod / m.agreements) * 100) : null
    elements.push(hr(), md('**劳动争议调解与劳动法律监督**'))
    if (m) {
      elements.push(columns([figure('调解申请', m.applications, '件'), figure('受理', m.accepted, '件'), figure('达成协议', m.agreements, '件'), figure('调解不成', m.failed, '件')]))
      elements.push(md(`达成协议用时中位数：${m.medianDays === null ? '—' : `${m.medianDays} 天`}；15 日内达成：${percentText(within)}（《劳动争议调解仲裁法》第十四条）`))
    }
    if (sv) elements.push(md(`**劳动法律监督：**发出意见书 ${sv.opened} 件，收到答复 ${sv.replied} 次（按期 ${sv.repliedOnTime}），结案 ${sv.closed} 件；生成时答复超期 ${sv.overdueNow} 件`))
    if (sv) elements.push(md(`**解除劳动合同通知：**收到 ${sv.dismissals.submitted} 件，工会提出意见 ${sv.dismissals.opinions} 件（有异议 ${sv.dismissals.objections}），书面报告结果 ${sv.dismissals.results} 件`))
  }

  if (r.notices) {
    const n = r.notices
    elements.push(hr(), md('**厂务公开**'))
    elements.push(columns([figure('发布公开', n.published, '期'), figure('阅读确认率', percentText(noticeReadPercent(n)), ''), figure('收到意见', n.opinions, '条'), figure('按期答复', percentText(noticeRepliesOnTimePercent(n)), '')]))
    elements.push(md(`已确认阅读 ${n.readConfirmed}/${n.readAsked} 人次；答复意见 ${n.replies} 条，其中 ${n.repliesOnTime} 条在期限内（浙江省企业民主管理条例第二十三条）`))
  }

  if (r.care) {
    const c = r.care
    elements.push(hr(), md(`**会员关怀**：慰问 ${c.count} 人次，共 ${formatYuan(c.totalFen)} 元`))
    elements.push(md(c.byKind.map((k) => `${CARE_KIND_LABEL[k.kind]} ${k.count} 次 ${formatYuan(k.fen)} 元`).join('；')))
  }
  if (r.hardship) {
    const h = r.hardship
    elements.push(hr(), md(`**困难帮扶**：本期发放 ${h.paid} 件，共 ${formatYuan(h.paidFen)} 元；生成时在办 ${h.open} 件`))
  }
  if (r.learning) {
    const l = r.learning
    elements.push(hr(), md('**学习型组织**'))
    elements.push(columns([figure('学时', formatHours(l.totalMinutes), ''), figure('参加学习', l.participants, '人'), figure('借阅', l.loans, '册次'), figure('读书打卡', l.readingCheckins, '次')]))
  }

  elements.push(hr())
  elements.push(
    note(
      `供向党组织汇报和职代会报告使用。${opts.csvSentTo === 'private' ? 'CSV 明细已私信发送给您。' : ''}生成于 ${formatDateTime(r.generatedAt, r.timeZone)}。`,
    ),
  )
  const title = reportTitle(r)
  return assertCardWithinLimits(card({ title, template: 'red', summary: title, elements }))
}
