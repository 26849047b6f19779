// An `@张伟` typed as plain text (not picked from Feishu's mention list) in 干部 添加, 会员 转出, 代表 添加,
// 委员会 … 添加 and 部门 添加 (QA F14): in a group the sender is told to pick the person from the list; in private
// chat, where nobody can be @-mentioned, the name is tried against the people the organisation knows, and when each
// typed name is exactly one person the command is offered back with them (「您是指…吗？」, src/kit/prepared-say.ts).
import { buildTypedMentionCard } from '../../cards/organisation/roster.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import { softNormalize } from '../../src/dispatch/text.js'
import { UserFacingError } from '../../src/errors.js'
import { prepareSay } from '../../src/kit/prepared-say.js'
import { knownPeopleNamed, type KnownPerson } from '../../src/organisation/people.js'

export const PICK_FROM_LIST = '请输入 @ 后从列表里选择成员（对方需在本群）'

/** The names typed after an @ that are not real mentions (folded like the command's arguments). */
export function typedAtNames(ctx: MessageContext): string[] {
  let text = ctx.text.normalize('NFKC')
  for (const m of ctx.mentions) text = text.split(`@${(m.name || '用户').normalize('NFKC')}`).join(' ')
  const names = [...text.matchAll(/@([^\s@,，、]{1,30})/g)].map((m) => m[1]!).filter((n) => n !== '所有人')
  return [...new Set(names)]
}

/**
 * Answers a command whose @ were typed rather than picked; false when there were none (the command goes on).
 * Throws the group's answer; in private chat sends the confirmation card or says who could not be found.
 */
export async function answeredTypedMentions(ctx: MessageContext): Promise<boolean> {
  const names = typedAtNames(ctx)
  if (names.length === 0) return false
  const shown = names.map((n) => `「@${n}」`).join('')
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', `${shown}是打出来的文字，不是从列表里选的成员：${PICK_FROM_LIST}。`)
  const found: Array<{ name: string; people: KnownPerson[] }> = []
  for (const name of names) found.push({ name, people: await knownPeopleNamed(ctx.db, name) })
  const problems = found.filter((f) => f.people.length !== 1)
  if (problems.length) {
    const why = problems.map((f) => (f.people.length === 0 ? `没有找到名叫「${f.name}」的人` : `「${f.name}」有 ${f.people.length} 位同名`)).join('；')
    throw new UserFacingError('INVALID_INPUT', `${why}。私聊中无法 @ 成员：请在对方所在的群里 @工会助手 发送这条指令，${PICK_FROM_LIST}。`)
  }
  const id = await prepareCommand(ctx, found.map((f) => ({ name: f.name, openId: f.people[0]!.openId })))
  const command = softNormalize(ctx.text)
  await ctx.reply({ card: buildTypedMentionCard({ command, people: found.map((f) => ({ name: f.name, known: f.people[0]!.known })), id }) })
  return true
}

/**
 * Keeps the command as typed for SAY_PREPARED (src/kit/prepared-say.ts), every real mention (and each of `extra`,
 * typed names resolved to a person) in a placeholder the dispatcher fills back in; `edit` may change the words.
 */
export async function prepareCommand(ctx: MessageContext, extra: ReadonlyArray<{ name: string; openId: string }> = [], edits: ReadonlyArray<(text: string) => string> = [(x) => x]): Promise<string> {
  let text = ctx.text.normalize('NFKC')
  const people: Array<{ key: string; openId: string; name: string }> = []
  const put = (name: string, openId: string) => {
    const key = `@_user_${people.length + 1}`
    text = text.split(`@${name}`).join(key)
    people.push({ key, openId, name })
  }
  for (const m of ctx.mentions) if (m.openId) put((m.name || '用户').normalize('NFKC'), m.openId)
  for (const p of extra) put(p.name, p.openId)
  return prepareSay(ctx, { text: edits.length === 1 ? edits[0]!(text) : edits.map((e) => e(text)), people })
}
