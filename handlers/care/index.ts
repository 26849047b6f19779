// 会员关怀 (issue #17): officers record care events (慰问 登记), read the year's ledger (慰问 台账) and import the
// roster of birthdays and retirement dates (慰问 名单 导入) that the day-before reminders come from.
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { wordsWithoutMentions } from '../organisation/shared.js'
import { careLedger } from './ledger.js'
import { RECORD_USAGE, careRecord, registerCareRecord } from './record.js'
import { registerCareRoster, startRosterImport } from './roster.js'

export const CARE_SECTION = '会员关怀'

async function care(ctx: MessageContext): Promise<void> {
  const [sub = '', ...rest] = wordsWithoutMentions(ctx)
  if (sub === '登记' || sub === 'record') return careRecord(ctx, rest)
  if (sub === '台账' || sub === 'ledger') return careLedger(ctx, rest)
  if ((sub === '名单' || sub === 'roster') && ['导入', 'import'].includes(rest[0] ?? '')) return startRosterImport(ctx)
  throw new UserFacingError('INVALID_INPUT', `用法：慰问 登记、慰问 台账 [年份]、慰问 名单 导入。\n${RECORD_USAGE}`)
}

export function registerCare(router: BotRouter): void {
  router.command({
    words: ['慰问', 'care'],
    roles: ['officer'],
    deniedMessage: '抱歉，只有工会干部可以登记和查看慰问。',
    help: { section: CARE_SECTION, usage: '慰问 登记 @某人 住院 500 / 慰问 台账 [年份] / 慰问 名单 导入', description: '登记会员关怀慰问（有上限），年度台账和明细 CSV，生日和退休提醒名单' },
    handle: care,
  })
  registerCareRecord(router)
  registerCareRoster(router)
}
