// Set-up cards (issue #20): the new 工会主席's next steps after `初始化`, and the confirmation before a group with
// non-officers in it becomes the committee group (QA F1).
import { COMMITTEE_GROUP_CANCEL, COMMITTEE_GROUP_CONFIRM } from '../../src/organisation/setup-actions.js'
import { button, buttonRow, card, md, note, type Card } from '../kit.js'

export interface SetupDoneView {
  /** Whether a committee group is already known (UNION_ADMIN_CHAT_ID or set in chat before). */
  committeeChatSet: boolean
}

export function buildSetupDoneCard(view: SetupDoneView): Card {
  const steps = [
    '1. 把我（工会助手）拉进工会委员会的工作群：群设置 → 群机器人 → 添加机器人。',
    `2. 在该群里 @工会助手 发送「设为委员会群」。诉求审查卡片、超期提醒和委员会版周报都发到这个群，所以群里应只有工会干部；如有其他人，我会先请您确认。${view.committeeChatSet ? '（现已有委员会群，在新群里发送即可更换。）' : ''}`,
    '3. 添加工会干部：「干部 添加 @张三 @李四 副主席」（不写角色即为委员）；「干部 列表」查看名单。',
    '4. 登记专门委员会：「委员会 女职工委员会 添加 @某人」；「委员会 列表」查看。',
    '5. 导入会员名单：「会员 导入」，再私聊发送 CSV 文件。',
  ]
  return card({
    title: '您已成为工会主席',
    subtitle: '工会助手已初始化',
    template: 'green',
    summary: '工会助手已初始化',
    elements: [md('设置码已用过，不能再次使用。接下来请按顺序完成：'), md(steps.join('\n')), note('发送「帮助」查看全部功能。主席和副主席可以管理干部和委员会；最后一位主席不能被移除，交接时先「干部 添加 @新主席 主席」。')],
  })
}

export interface CommitteeGroupConfirmView {
  chatId: string
  /** The group's name from Feishu (plain text in the subtitle), when it could be read. */
  chatName?: string
  /** How many members are not union officers; undefined when the member list could not be read. */
  nonOfficers: number | undefined
}

/**
 * Asked in the group before it becomes the committee group when not everyone in it is an officer (QA F1): review
 * cards carry workers' grievances. Only a count, never names: the card is read by the whole group.
 */
export function buildCommitteeGroupConfirmCard(view: CommitteeGroupConfirmView): Card {
  const why =
    view.nonOfficers === undefined
      ? '我无法读取本群的成员名单（可能未开通「获取群组信息」权限 im:chat:readonly，或飞书暂时不可用），不能确认本群里只有工会干部。'
      : `本群有 **${view.nonOfficers}** 位成员不是工会干部。`
  return card({
    title: '确认设为委员会群？',
    // The subtitle is plain_text: a group name with markup in it shows as typed (cards/kit.ts).
    subtitle: view.chatName ? `群：${view.chatName}` : '本群',
    template: 'orange',
    summary: '确认设为委员会群？',
    elements: [
      md(`${why}\n设为委员会群后，职工诉求的审查卡片（含诉求内容）、超期提醒和委员会版周报都会发到本群，群里每个人都能看到。`),
      md('建议先把非工会干部移出本群，或另建只有工会干部的群。确认无误后，由工会主席点击「确认设为委员会群」。'),
      buttonRow([
        button({ text: '确认设为委员会群', action: COMMITTEE_GROUP_CONFIRM.name, value: COMMITTEE_GROUP_CONFIRM.value({ chatId: view.chatId }), type: 'danger' }),
        button({ text: '取消', action: COMMITTEE_GROUP_CANCEL.name, value: COMMITTEE_GROUP_CANCEL.value({ chatId: view.chatId }) }),
      ]),
      note('只有工会主席可以确认。'),
    ],
  })
}

/** The confirmation card once answered: what was decided (no buttons left to press). */
export function buildCommitteeGroupAnsweredCard(view: { confirmed: boolean }): Card {
  return card({
    title: view.confirmed ? '本群已设为委员会群' : '未更改委员会群',
    template: view.confirmed ? 'green' : 'grey',
    summary: view.confirmed ? '本群已设为委员会群' : '未更改委员会群',
    elements: [md(view.confirmed ? COMMITTEE_GROUP_SET_TEXT : '已取消，委员会群保持不变。')],
  })
}

export const COMMITTEE_GROUP_SET_TEXT = '本群已设为工会委员会群：职工诉求的审查卡片、超期提醒、委员会版周报和日报都将发到这里。请只让工会干部留在本群。'
export const COMMITTEE_GROUP_LEFT_TEXT = '本群已不再是工会委员会群：今后职工诉求的审查卡片、提醒和委员会版周报将发到新的委员会群，不再发到本群。'
