// Cards of the union's roster: officers with their roles, the welcome an added officer gets, the special
// committees and the result of a change. Pure builders; names come from Feishu and are escaped.
import { OFFICER_ROLE_LABEL, type CommitteeView, type OfficerListView, type OfficerRole, type RosterChange } from '../../src/organisation/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown } from '../escape.js'
import { SAY_PREPARED } from '../../src/kit/say.js'
import { button, buttonRow, card, field, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

const MAX_LINES = 300
const unnamed = (name: string): string => escapeMarkdown(name || '（未知姓名）')

function lines(items: string[], empty: string, max: number): CardElement {
  if (items.length === 0) return md(empty)
  const shown = items.slice(0, max)
  const more = items.length - shown.length
  return md(`${shown.join('\n')}${more > 0 ? `${shown.length ? '\n' : ''}- …另有 ${more} 项` : ''}`)
}

export function buildOfficersCard(view: OfficerListView): Card {
  const items = view.officers.map(
    (o, i) =>
      `${i + 1}. **${OFFICER_ROLE_LABEL[o.role]}**　${unnamed(o.name)}${o.configured ? `　<font color='grey'>（配置文件 UNION_OFFICER_OPEN_IDS）</font>` : o.addedAt ? `　<font color='grey'>${formatDateTime(o.addedAt, view.timeZone).slice(0, 10)} 起</font>` : ''}`,
  )
  const status = [
    view.chairSet ? '' : '尚未在飞书中设定工会主席：配置文件中的干部暂时拥有主席的设置权限（管理干部和委员会）。',
    view.committeeChatSet ? '' : '尚未设定委员会群：请在委员会群里 @我 发送「设为委员会群」。',
  ].filter(Boolean)
  return fitCard(halving(MAX_LINES), (max) =>
    card({
      title: '工会干部名单',
      subtitle: `共 ${view.officers.length} 人`,
      template: 'blue',
      summary: '工会干部名单',
      elements: [
        lines(items, '尚未登记工会干部。', max),
        ...status.map((s) => note(s)),
        note('主席、副主席可发送「干部 添加 @某人 [主席|副主席|委员]」「干部 移除 @某人」维护名单。'),
      ],
    }),
  )
}

const CAN_DO: Record<OfficerRole, string[]> = {
  chair: ['管理工会干部（「干部 添加 / 移除 / 列表」）和专门委员会（「委员会 …」）', '在委员会群里 @我 发送「设为委员会群」'],
  vice_chair: ['管理工会干部（「干部 添加 / 移除 / 列表」）和专门委员会（「委员会 …」）'],
  member: [],
}

/** Sent privately to an officer just added (or whose role changed): what the role lets them do. */
export function buildOfficerWelcomeCard(view: { role: OfficerRole }): Card {
  const all = [
    ...CAN_DO[view.role],
    '在委员会群里受理、指派、答复和办结职工诉求（审查卡片上的按钮）',
    '处理职代会提案（「提案处理 编号」）、维护职工代表和承办部门（「代表」「部门」）',
    '发起和管理工会活动（「发起活动」「名单 编号」「签到码 编号」）',
    '调取周报、日报、月报、季报，为群订阅推送（「订阅周报」）',
  ]
  return card({
    title: `您已成为工会${OFFICER_ROLE_LABEL[view.role]}`,
    template: 'green',
    summary: '工会干部身份已登记',
    elements: [md('您现在可以：'), md(all.map((s) => `- ${s}`).join('\n')), note('发送「帮助」查看全部功能。职工的诉求内容只在委员会群的审查卡片上显示，请勿转发。')],
  })
}

export function buildCommitteesCard(view: { committees: CommitteeView[]; known: readonly string[] }): Card {
  const byName = new Map(view.committees.map((c) => [c.name, c]))
  const all = [...view.known.map((name) => byName.get(name) ?? { name, members: [] }), ...view.committees.filter((c) => !view.known.includes(c.name))]
  return fitCard(halving(MAX_LINES), (max) => {
    let left = max
    const items = all.map((c) => {
      const shown = c.members.slice(0, Math.max(0, left))
      left -= shown.length
      const more = c.members.length - shown.length
      const names = shown.map((m) => unnamed(m.name)).join('、')
      return `- **${escapeMarkdown(c.name)}**（${c.members.length} 人）：${c.members.length === 0 ? '暂无成员' : `${names}${more > 0 ? ` 等` : ''}`}`
    })
    return card({
      title: '工会专门委员会',
      template: 'blue',
      summary: '工会专门委员会',
      elements: [lines(items, '尚未登记专门委员会。', max), note('主席、副主席可发送「委员会 名称 添加 @某人」「委员会 名称 移除 @某人」维护成员；名称以“委员会”结尾。')],
    })
  })
}

/** The answer to a change of the roster: who was added, changed, removed, or left as they were. */
export function buildRosterChangedCard(change: RosterChange): Card {
  return fitCard(halving(MAX_LINES), (max) =>
    card({
      title: change.title,
      template: 'green',
      summary: change.title,
      elements: [
        ...change.lines.filter(([, names]) => names.length).map(([label, names]) => field(label, names.slice(0, max).join('、') + (names.length > max ? ` 等 ${names.length} 人` : ''))),
        ...(change.note ? [note(change.note)] : []),
      ],
    }),
  )
}

export interface TypedMentionView {
  /** The command as the officer typed it (user text: shown escaped). */
  command: string
  /** Each typed name with what the organisation knows them as (会员 · 第一车间, 工会委员 …). */
  people: Array<{ name: string; known: string[] }>
  /** The prepared command's id (src/kit/prepared-say.ts). */
  id: string
}

/** 「您是指…吗？」: a typed @name in private chat matched exactly one known person; 是 runs the command with them. */
export function buildTypedMentionCard(v: TypedMentionView): Card {
  return fitCard(halving(20), (max) => {
    const shown = v.people.slice(0, max)
    const lines = shown.map((p) => `- ${escapeMarkdown(p.name)}（${escapeMarkdown(p.known.slice(0, 3).join('；') || '已知人员')}）`)
    if (v.people.length > shown.length) lines.push(`- …另有 ${v.people.length - shown.length} 人`)
    const elements: CardElement[] = [
      field('指令', v.command),
      md(`私聊中无法 @ 成员。您是指：\n${lines.join('\n')}`),
      buttonRow([button({ text: '是，继续', action: SAY_PREPARED.name, value: SAY_PREPARED.value({ id: v.id }), type: 'primary' })]),
      note('不是的话不用点，请在对方所在的群里 @工会助手 发送，@ 后从列表里选择成员。10 分钟内有效。'),
    ]
    return card({ title: '您是指…吗？', template: 'blue', summary: '请确认人员', elements })
  })
}

/** 「您是指女职工委员会吗？」: a committee name close to a known one (QA F16); each button runs the command prepared for it. */
export function buildCommitteeNameCard(v: { typed: string; near: string; id: string }): Card {
  return card({
    title: `您是指「${v.near}」吗？`,
    template: 'blue',
    summary: '请确认委员会名称',
    elements: [
      md(`您写的是「${escapeMarkdown(v.typed)}」，与已有的「${escapeMarkdown(v.near)}」很接近。`),
      buttonRow([
        button({ text: `是，${v.near}`, action: SAY_PREPARED.name, value: SAY_PREPARED.value({ id: v.id, n: 0 }), type: 'primary' }),
        button({ text: `不是，新建「${v.typed}」`, action: SAY_PREPARED.name, value: SAY_PREPARED.value({ id: v.id, n: 1 }) }),
      ]),
      note('10 分钟内有效。'),
    ],
  })
}
