// What the organisation's handlers share: sub-commands, the mentioned people, the roles' checks.
import type { BotServices, MessageContext } from '../../src/dispatch/context.js'
import { softNormalize } from '../../src/dispatch/text.js'
import type { Person } from '../../src/organisation/model.js'
import { chairExists, officerRole } from '../../src/organisation/store.js'

export const SECTION = '工会组织（主席、副主席）'

/** The text with the rendered mentions (`@name`) taken out, split into words. */
export function wordsWithoutMentions(ctx: MessageContext): string[] {
  let out = ctx.argsText
  // argsText is NFKC-folded with spaces collapsed (src/dispatch/text.ts): fold the names the same way.
  for (const m of ctx.mentions) out = out.split(softNormalize(`@${m.name || '用户'}`)).join(' ')
  return out.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)
}

/** The people @-mentioned (the bot's own mention is already gone), each once, names recorded for later cards. */
export async function mentionedPeople(ctx: MessageContext): Promise<Person[]> {
  const seen = new Map<string, Person>()
  for (const m of ctx.mentions) {
    if (!m.openId || seen.has(m.openId)) continue
    seen.set(m.openId, { openId: m.openId, name: m.name })
    if (m.name) await ctx.services.users.seen(m.openId, m.name)
  }
  return [...seen.values()]
}

export const isAdd = (w: string | undefined): boolean => ['添加', '增加', 'add'].includes((w ?? '').toLowerCase())
export const isRemove = (w: string | undefined): boolean => ['移除', '删除', 'remove'].includes((w ?? '').toLowerCase())
export const isList = (w: string | undefined): boolean => w === undefined || ['列表', 'list'].includes(w.toLowerCase())

/**
 * 主席 and 副主席 manage officers and committees; until a chair is set in chat, the officers of
 * UNION_OFFICER_OPEN_IDS hold those set-up rights (existing deployments keep working).
 */
export async function isUnionAdmin(openId: string, services: BotServices): Promise<boolean> {
  const role = await officerRole(services.db, openId)
  if (role === 'chair' || role === 'vice_chair') return true
  return services.config.union.officerOpenIds.includes(openId) && !(await chairExists(services.db))
}

/** The chair alone (设为委员会群), with the same bootstrap. */
export async function isUnionChair(openId: string, services: BotServices): Promise<boolean> {
  if ((await officerRole(services.db, openId)) === 'chair') return true
  return services.config.union.officerOpenIds.includes(openId) && !(await chairExists(services.db))
}
