// 困难职工帮扶 (issue #17): 困难帮扶 (a private self-check that stores nothing), the application to the chair and vice
// chairs, their steps on private cards, 困难帮扶 材料 / 进度 for the applicant, and the annual review reminder.
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { myCases, registerHardshipDocuments, startDocuments } from './documents.js'
import { registerSelfCheck, startSelfCheck } from './selfcheck.js'
import { registerHardshipSteps } from './steps.js'

export const HARDSHIP_SECTION = '困难帮扶'

async function hardship(ctx: MessageContext): Promise<void> {
  const [sub = '', ...rest] = ctx.argsText.split(' ')
  if (sub === '材料' || sub === 'documents') return startDocuments(ctx, rest.join(' '))
  if (sub === '进度' || sub === 'status') return myCases(ctx)
  return startSelfCheck(ctx)
}

export function registerHardship(router: BotRouter): void {
  router.command({
    words: ['困难帮扶', 'hardship'],
    synonyms: ['困难职工帮扶', '困难自测'],
    hints: ['生活困难', '家里困难', '困难补助'],
    help: { section: HARDSHIP_SECTION, usage: '困难帮扶 / 困难帮扶 材料 编号 / 困难帮扶 进度', description: '私下自测是否属于困难职工（不保存），申请帮扶、补充材料、查看进度' },
    handle: hardship,
  })
  registerSelfCheck(router)
  registerHardshipSteps(router)
  registerHardshipDocuments(router)
}
