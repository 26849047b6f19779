// 慰问 台账 [年份]: the year's care by kind and department on a card, and every entry as a CSV file privately (for the
// 经费审查委员会, 工会法 Art. 45). Amounts in the file are exact decimals written from integer fen.
import { buildCareLedgerCard } from '../../cards/care/care.js'
import { CARE_KIND_LABEL, fenDecimal } from '../../src/care/model.js'
import { ledger, ledgerRows } from '../../src/care/store.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import { UserFacingError } from '../../src/errors.js'
import { toCsv } from '../../src/kit/csv.js'
import { localDate } from '../../src/time.js'

export async function careLedger(ctx: MessageContext, words: string[]): Promise<void> {
  if (ctx.isGroup && ctx.chatId !== (await ctx.committeeChatId())) throw new UserFacingError('FORBIDDEN_ROLE', '慰问台账只在工会委员会群或与我的私聊中提供。')
  const thisYear = Number(localDate(ctx.now(), ctx.config.timezone).slice(0, 4))
  const word = words[0]?.replace(/年$/, '')
  if (word !== undefined && !/^\d{4}$/.test(word)) throw new UserFacingError('INVALID_INPUT', '用法：慰问 台账 [年份]，例如：慰问 台账 2026')
  const year = word ? Number(word) : thisYear
  if (year < 2000 || year > thisYear) throw new UserFacingError('INVALID_INPUT', `年份应在 2000 到 ${thisYear} 之间。`)
  await ctx.reply({ card: buildCareLedgerCard(await ledger(ctx.db, year)) }, { key: 'care-ledger' })
  const rows = await ledgerRows(ctx.db, year)
  const csv = toCsv([
    ['序号', '日期', '姓名', '部门', '类别', '金额（元）', '慰问品'],
    ...rows.map((e, i) => [String(i + 1), e.occurredOn, e.name, e.department ?? '', CARE_KIND_LABEL[e.kind], fenDecimal(e.amountFen), e.gift ?? '']),
  ])
  await ctx.sendFileToUser(ctx.actorOpenId, `慰问台账-${year}.csv`, csv, { key: 'care-ledger-csv' })
  ctx.log.info({ eventId: ctx.eventId, year, rows: rows.length }, 'care ledger sent')
}
