// The help card: what the bot can do, grouped by feature, built from the command table.
import { card, hr, md, note, type Card } from './kit.js'

export interface HelpEntry {
  section: string
  usage: string
  description: string
  roles?: string[]
}

/** On the help card: raising a grievance in a group is seen by the group. */
export const GROUP_GRIEVANCE_WARNING = '在群里@机器人说出诉求，群成员会看到是您发起的；请私聊机器人'

const ROLE_NAMES: Record<string, string> = { officer: '工会干部', representative: '职工代表', department_contact: '部门联系人' }

export function buildHelpCard(entries: HelpEntry[]): Card {
  const sections = new Map<string, HelpEntry[]>()
  for (const e of entries) sections.set(e.section, [...(sections.get(e.section) ?? []), e])
  const elements = [md('您好！我是**工会助手**，职工的贴心人。私聊我或在群里 @我，发送下面的指令即可办理：')]
  for (const [section, items] of sections) {
    elements.push(hr())
    const lines = items.map((e) => {
      const who = e.roles?.length ? `（${e.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}）` : ''
      return `- **${e.usage}**：${e.description}${who}`
    })
    elements.push(md(`**${section}**\n${lines.join('\n')}`))
  }
  elements.push(hr())
  // Security review F17: an @-mention in a group shows everyone who raised the matter, whatever the bot does next.
  elements.push(md(`<font color='red'>${GROUP_GRIEVANCE_WARNING}。</font>`))
  elements.push(note('多步骤办理中随时发送「取消」可退出。反映的问题严格保密，可选择匿名。英文指令同样有效，如 help。'))
  return card({ title: '工会助手 · 使用帮助', template: 'red', summary: '工会助手使用帮助', elements })
}
