// Cards of union membership: what membership means (入会), the committee's application card, 我的会籍, the officers'
// counts by department and the import report. Pure builders; names, departments and reasons are user text, escaped.
import { MEMBER_APPLY, MEMBER_APPROVE, MEMBER_REFUSE, REFUSAL_REASON_FIELD } from '../../src/organisation/member-actions.js'
import { MEMBER_STATUS_LABEL, REFUSAL_REASON_MAX, type Member, type MemberStatus } from '../../src/organisation/members-model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { button, buttonRow, card, field, fitCard, form, halving, input, md, note, userText, type Card, type CardElement } from '../kit.js'

/** 入会: what membership means, and the button to apply (absent when already a member or applying). */
export function buildMembershipTermsCard(v: { terms: string; status: MemberStatus | undefined }): Card {
  const elements: CardElement[] = [userText(v.terms)]
  if (v.status === 'member') elements.push(note('您已是工会会员。发送「我的会籍」查看会籍信息。'))
  else if (v.status === 'applied') elements.push(note('您的入会申请已提交，工会正在审核，结果会通知您。'))
  else elements.push(buttonRow([button({ text: '申请入会', action: MEMBER_APPLY.name, value: MEMBER_APPLY.value({}), type: 'primary_filled' })]), note('点击「申请入会」后，申请将提交给工会委员会审核。'))
  return card({ title: '加入工会', template: 'blue', summary: '加入工会', elements })
}

export interface ApplicationView {
  openId: string
  name: string
  department: string | undefined
  appliedAt: Date
  status: MemberStatus
  refusalReason: string | undefined
  timeZone: string
}

/** The committee's card for one application: 批准, or 不批准 with a reason; after the decision, the outcome. */
export function buildMemberApplicationCard(v: ApplicationView): Card {
  const elements: CardElement[] = [
    field('申请人', v.name || '（未知姓名）'),
    field('部门', v.department ?? '（通讯录未授权或未填写）'),
    field('申请时间', formatDateTime(v.appliedAt, v.timeZone)),
  ]
  if (v.status === 'applied') {
    elements.push(buttonRow([button({ text: '批准', action: MEMBER_APPROVE.name, value: MEMBER_APPROVE.value({ openId: v.openId }), type: 'primary_filled' })]))
    elements.push(
      form('member_refuse', [
        input({ name: REFUSAL_REASON_FIELD, placeholder: '不批准的理由（会告知申请人）', maxLength: REFUSAL_REASON_MAX, required: true }),
        button({ text: '不批准', action: MEMBER_REFUSE.name, value: MEMBER_REFUSE.value({ openId: v.openId }), type: 'danger', formAction: 'submit', name: 'member_refuse_submit' }),
      ]),
    )
  } else {
    elements.push(field('结果', MEMBER_STATUS_LABEL[v.status] === '会员' ? '已批准入会' : v.status === 'refused' ? '不批准' : MEMBER_STATUS_LABEL[v.status]))
    if (v.status === 'refused' && v.refusalReason) elements.push(userText(v.refusalReason, { label: '理由' }))
  }
  return card({
    title: '入会申请',
    subtitle: v.status === 'applied' ? '待审核' : '已处理',
    template: v.status === 'applied' ? 'orange' : v.status === 'member' ? 'green' : 'grey',
    summary: '入会申请',
    elements,
  })
}

/** 我的会籍: status and since when (or how it ended). */
export function buildMyMembershipCard(m: Member | undefined): Card {
  const elements: CardElement[] = []
  if (!m || (m.status === 'refused' && !m.joinedOn && !m.appliedAt)) {
    elements.push(md('您还不是工会会员。发送「入会」了解会员权利和义务并提交申请。'))
  } else {
    elements.push(field('状态', MEMBER_STATUS_LABEL[m.status]))
    if (m.status === 'member' && m.joinedOn) elements.push(field('入会日期', m.joinedOn))
    if (m.department) elements.push(field('部门', m.department))
    if ((m.status === 'left' || m.status === 'transferred') && m.endedOn) {
      if (m.joinedOn) elements.push(field('入会日期', m.joinedOn))
      elements.push(field(m.status === 'left' ? '离职日期' : '转出日期', m.endedOn))
    }
    if (m.status === 'refused') {
      if (m.refusalReason) elements.push(userText(m.refusalReason, { label: '未批准的理由' }))
      elements.push(note('如有疑问可联系工会；您可以再次发送「入会」提出申请。'))
    }
    if (m.status === 'applied') elements.push(note('您的入会申请正在审核，结果会通知您。'))
  }
  return card({ title: '我的会籍', template: m?.status === 'member' ? 'green' : 'blue', summary: '我的会籍', elements })
}

/** 会员 列表: counts by department (the full list comes as a CSV file). */
export function buildMemberCountsCard(v: { total: number; byDepartment: Array<{ department: string | undefined; count: number }> }): Card {
  return fitCard(halving(300), (max) => {
    const shown = v.byDepartment.slice(0, max)
    const more = v.byDepartment.length - shown.length
    const lines = shown.map((d) => `- ${escapeMarkdown(d.department ?? '（未填部门）')}：${d.count} 人`)
    if (more > 0) lines.push(`- …另有 ${more} 个部门`)
    return card({
      title: '工会会员',
      subtitle: `共 ${v.total} 人`,
      template: 'blue',
      summary: '工会会员',
      elements: [md(lines.length ? lines.join('\n') : '尚无会员。'), note('完整名单已作为 CSV 文件私聊发给您。')],
    })
  })
}

/** The outcome of 会员 导入: all rows taken, or nothing taken and every refused row with its reason. */
export function buildImportReportCard(v: { taken: number; refused: Array<{ line: number; reason: string }>; total: number }): Card {
  return fitCard(halving(200), (max) => {
    const elements: CardElement[] = []
    if (v.refused.length === 0) {
      elements.push(md(`全部 ${v.total} 行已导入：${v.taken} 人登记为会员。`))
    } else {
      elements.push(md(`文件共 ${v.total} 行，其中 ${v.refused.length} 行有问题，**本次没有导入任何一行**。请改正后重新发送「会员 导入」。`))
      const shown = v.refused.slice(0, max)
      const lines = shown.map((r) => `- 第 ${r.line} 行：${escapeMarkdown(r.reason)}`)
      if (v.refused.length > shown.length) lines.push(`- …另有 ${v.refused.length - shown.length} 行`)
      elements.push(md(lines.join('\n')))
    }
    return card({ title: '会员导入结果', template: v.refused.length ? 'red' : 'green', summary: '会员导入结果', elements })
  })
}
