// 会员 导入: an officer sends a CSV file privately; every row is checked and the file is taken whole or not at all.
import type { MessageContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'

export async function startMemberImport(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '会员导入请私聊我发送「会员 导入」，再发送 CSV 文件。')
  throw new UserFacingError('INVALID_STATE', '会员导入暂未开放。')
}
