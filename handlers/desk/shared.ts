// What the desk's commands share across features: the refusal for non-officers and where answers go.
import type { Card } from '../../cards/kit.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import { deliver } from '../../src/kit/deliver.js'

export const OFFICERS_ONLY = '抱歉，只有工会干部可以使用工作台（待办、诉求列表、诉求查询和搜索）。'

/**
 * Desk answers go to the officer's private chat: the lines and the cards they open are the officer's working
 * view. Typed in a group (the committee group), the group is told briefly where the answer went.
 */
export async function answerOfficer(ctx: MessageContext, card: Card): Promise<void> {
  if (!ctx.isGroup) return void (await ctx.reply({ card }))
  const d = await deliver(ctx, 'desk:private-answer', () => ctx.replyPrivately({ card }))
  await ctx.reply({ text: d.sent ? '已私信发送给您。' : '无法私信您：请先与「工会助手」开始私聊，再发送该命令。' })
}
