// The help card: what the bot can do, grouped by feature, built from the command table. Role-aware (issue #14): the
// asker sees the commands their roles allow, the card says for whom it is, and `帮助 诉求` shows one section only.
import { SAY } from '../src/kit/say.js'
import { escapeMarkdown } from './escape.js'
import { button, buttonRow, card, hr, md, note, type Card } from './kit.js'

export interface HelpEntry {
  section: string
  usage: string
  description: string
  roles?: string[]
}

/** Who the card is for and what it shows; without it, every entry (the card of old, e.g. for tests of the table). */
export interface HelpView {
  /** The asker's roles among those the entries name (officer, representative, …): says for whom the card is. */
  held: readonly string[]
  /** In a group other than the committee's: only the commands everyone may use, and a pointer to private help. */
  publicGroup?: boolean
  /** `帮助 <词>`: the topic asked for; the entries are already narrowed to it (none: nothing matched). */
  topic?: string
  /** Command words shown as buttons at the top (a phone user taps rather than types). */
  buttons?: readonly string[]
}

/** On the help card: raising a grievance in a group is seen by the group. */
export const GROUP_GRIEVANCE_WARNING = '在群里@机器人说出诉求，群成员会看到是您发起的；请私聊机器人'

export const ROLE_NAMES: Record<string, string> = {
  officer: '工会干部',
  representative: '职工代表',
  department_contact: '部门联系人',
  union_admin: '工会主席、副主席',
  union_chair: '工会主席',
  member: '工会会员',
}

/** How a role is called on cards: the table above, a committee by its name (`committee:女职工委员会`). */
export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? (role.startsWith('committee:') ? role.slice('committee:'.length) : role)
}

/** The line that says whose commands the card lists. */
export function audienceLine(view: HelpView): string {
  if (view.publicGroup) return '下面是大家都可以使用的指令。工会干部、职工代表、部门联系人的功能，请私聊我发送「帮助」查看。'
  const held = [...new Set(view.held.filter((r) => r !== 'member').map((r) => escapeMarkdown(roleName(r))))]
  if (held.length === 0) return '下面是**职工**可以使用的指令（工会干部、职工代表、部门联系人另有各自的功能）。'
  return `您的身份：**${held.join('、')}**。下面是职工的指令和您这些身份可以使用的指令。`
}

function sayButton(word: string, primary: boolean) {
  return button({ text: word, action: SAY.name, value: SAY.value({ text: word }), type: primary ? 'primary' : 'default' })
}

export function buildHelpCard(entries: HelpEntry[], view?: HelpView): Card {
  const sections = new Map<string, HelpEntry[]>()
  for (const e of entries) sections.set(e.section, [...(sections.get(e.section) ?? []), e])
  const elements = [md('您好！我是**工会助手**，职工的贴心人。私聊我或在群里 @我，发送下面的指令即可办理：')]
  if (view) elements.push(md(audienceLine(view)))
  if (view?.buttons?.length && !view.topic) elements.push(buttonRow(view.buttons.map((w, i) => sayButton(w, i === 0))))
  if (view?.topic !== undefined && entries.length === 0) {
    elements.push(md(`没有找到与「${escapeMarkdown(view.topic)}」有关的指令。发送「帮助」查看全部功能。`))
  }
  for (const [section, items] of sections) {
    elements.push(hr())
    const lines = items.map((e) => {
      // The full list (no view) names the roles; a role-aware card lists only what the asker may use anyway.
      const who = !view && e.roles?.length ? `（${e.roles.map(roleName).join('、')}）` : ''
      return `- **${e.usage}**：${e.description}${who}`
    })
    elements.push(md(`**${section}**\n${lines.join('\n')}`))
  }
  elements.push(hr())
  // Security review F17: an @-mention in a group shows everyone who raised the matter, whatever the bot does next.
  elements.push(md(`<font color='red'>${GROUP_GRIEVANCE_WARNING}。</font>`))
  elements.push(note('多步骤办理中随时发送「取消」可退出。反映的问题严格保密，可选择匿名。发送「帮助 诉求」等只看一类。英文指令同样有效，如 help。'))
  return card({ title: '工会助手 · 使用帮助', template: 'red', summary: '工会助手使用帮助', elements })
}
