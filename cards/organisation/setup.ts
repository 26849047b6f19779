// The card a new 工会主席 gets after `初始化`: what to do next, in order (issue #20, first start).
import { card, md, note, type Card } from '../kit.js'

export interface SetupDoneView {
  /** Whether a committee group is already known (UNION_ADMIN_CHAT_ID or set in chat before). */
  committeeChatSet: boolean
}

export function buildSetupDoneCard(view: SetupDoneView): Card {
  const steps = [
    '1. 把我（工会助手）拉进工会委员会的工作群：群设置 → 群机器人 → 添加机器人。',
    `2. 在该群里 @工会助手 发送「设为委员会群」。诉求审查卡片、超期提醒和委员会版周报都发到这个群。${view.committeeChatSet ? '（现已有委员会群，在新群里发送即可更换。）' : ''}`,
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
