// `帮助` / `help`: the help card from the command table, role-aware (issue #14): a worker sees the worker's commands,
// officers, representatives and department contacts their sections too; `帮助 诉求` gives one section in detail.
import { buildHelpCard, type HelpEntry } from '../cards/help.js'
import type { MessageContext } from '../src/dispatch/context.js'
import type { BotRouter } from '../src/dispatch/router.js'
import { normalizeText } from '../src/dispatch/text.js'
import { MENU_WORDS, OFFICER_BUTTONS } from './talk.js'

/** Roles checked for the card's 「您的身份」 line even when no command names them (department contacts work on cards). */
const IDENTITY_ROLES = ['officer', 'union_chair', 'representative', 'department_contact']

/**
 * Help for roles whose work comes on cards rather than by command: without it a department contact's card would not
 * tell them what is theirs. Shown only when the role is registered.
 */
const CARD_WORK: ReadonlyArray<HelpEntry & { roles: string[] }> = [
  {
    section: '承办部门（部门联系人）',
    usage: '提案交办卡片',
    description: '交办给本部门的职代会提案会私信发给您，在卡片上填写答复；「提案 P-2026-003」查看办理进程',
    roles: ['department_contact'],
  },
]

export function registerHelp(router: BotRouter): void {
  router.command({
    words: ['帮助', 'help', '菜单', 'menu', '?'],
    synonyms: ['怎么用', '使用说明', '你能做什么', '能做什么', '功能', '指令', '命令', '你是干什么的', '你是干嘛的', '你会什么', '你会干什么', '不会用', '看不懂'],
    help: { section: '常用', usage: '帮助', description: '查看本说明；「帮助 诉求」只看一类' },
    async handle(ctx) {
      const known = new Set(router.listRoles().map((r) => r.role))
      const entries = [...router.helpEntries(), ...CARD_WORK.filter((e) => e.roles.every((r) => known.has(r)))]
      const committee = ctx.isGroup && ctx.chatId !== '' && ctx.chatId === (await ctx.committeeChatId())
      const publicGroup = ctx.isGroup && !committee
      const held = publicGroup ? [] : await rolesHeld(ctx, entries, known)
      // The committee group's card is for the officers who work there, whoever asked.
      if (committee && !held.includes('officer')) held.push('officer')
      const mine = entries.filter((e) => !e.roles?.length || e.roles.some((r) => held.includes(r)))
      const topic = ctx.argsTyped.trim()
      const registered = (w: string) => router.matchCommand(w)?.args === ''
      const buttons = [...(held.includes('officer') ? OFFICER_BUTTONS : []), ...MENU_WORDS.filter((w) => w !== '帮助')].filter(registered).slice(0, 5)
      await ctx.reply({
        card: buildHelpCard(topic ? about(mine, topic) : mine, { held, ...(publicGroup ? { publicGroup } : {}), ...(topic ? { topic } : {}), buttons }),
      })
    },
  })
}

/** The roles the entries name that the asker holds (each checked once). */
async function rolesHeld(ctx: MessageContext, entries: readonly HelpEntry[], known: ReadonlySet<string>): Promise<string[]> {
  const named = [...new Set([...IDENTITY_ROLES.filter((r) => r === 'officer' || known.has(r)), ...entries.flatMap((e) => e.roles ?? [])])]
  const held: string[] = []
  for (const role of named) if (await ctx.hasRole(role)) held.push(role)
  return held
}

/**
 * The entries about `topic`: a section whose name shares a word with it (`诉求` → 维权诉求, `活动` → 活动报名), or else
 * the entries whose usage or description mention it.
 */
function about(entries: readonly HelpEntry[], topic: string): HelpEntry[] {
  const t = normalizeText(topic)
  const bySection = entries.filter((e) => {
    const s = normalizeText(e.section)
    return s.includes(t) || t.includes(s) || [...t].filter((ch) => /\p{Script=Han}/u.test(ch) && s.includes(ch)).length >= 2
  })
  if (bySection.length) return bySection
  return entries.filter((e) => normalizeText(e.usage).includes(t) || normalizeText(e.description).includes(t))
}
