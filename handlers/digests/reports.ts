// On demand (officers): 周报 / 日报 post the digest of the period so far where they are asked (a group gets the
// version it would be sent; privately the committee version), and 月报 / 季报 post the report for the Party
// organisation and the workers' congress in the committee group (or privately), with its CSV sent privately.
import { nothingToReportText } from '../../cards/digests/digest.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { audienceOf } from '../../src/digests/model.js'
import { KIND_LABEL, currentPeriod, lastCompletedWeek, parseReportPeriod, type DigestKind, type ReportKind } from '../../src/digests/periods.js'
import { UserFacingError } from '../../src/errors.js'
import { buildDigest, buildReport } from './shared.js'
import { SECTION } from './subscriptions.js'

const DENIED = '抱歉，只有工会干部可以调取周报、日报、月报和季报。'

async function digestNow(ctx: MessageContext, kind: DigestKind): Promise<void> {
  const tz = ctx.config.digest.timezone
  // Privately an officer sees what the committee sees; a group sees the version it is subscribed to.
  const audience = ctx.isGroup ? audienceOf(ctx.chatId, await ctx.committeeChatId()) : 'committee'
  // A public group never gets "this week so far": its 周报 is the last completed week, as that Monday's digest
  // showed it (a running week's figures could be differenced against the next ones; src/digests/model.ts).
  const period = audience === 'public' && kind === 'weekly' ? lastCompletedWeek(ctx.now(), tz) : currentPeriod(kind, ctx.now(), tz, (d) => ctx.services.calendar.isWorkday(d))
  const digest = await buildDigest(ctx, kind, period, audience)
  if (audience === 'public' && !digest.hasNews) return void (await ctx.reply({ text: nothingToReportText(kind, period, tz) }))
  await ctx.reply({ card: digest.card })
  ctx.log.info({ eventId: ctx.eventId, kind, audience }, 'digest posted on demand')
}

async function reportNow(ctx: MessageContext, kind: ReportKind): Promise<void> {
  if (ctx.isGroup && ctx.chatId !== (await ctx.committeeChatId())) {
    throw new UserFacingError('FORBIDDEN_ROLE', `${KIND_LABEL[kind]}只在工会委员会群或与我的私聊中提供。`)
  }
  const period = parseReportPeriod(kind, ctx.argsText, ctx.now(), ctx.config.digest.timezone)
  if (!period) {
    const hint = kind === 'monthly' ? '「月报」（上个月）、「月报 本月」或「月报 2026-09」' : '「季报」（上一季度）、「季报 本季」或「季报 2026Q3」'
    throw new UserFacingError('INVALID_INPUT', `没有看懂要哪一期，请发送${hint}。`)
  }
  const report = await buildReport(ctx, period, { csvSentTo: 'private' })
  await ctx.reply({ card: report.card }, { key: 'report-card' })
  await ctx.sendFileToUser(ctx.actorOpenId, report.fileName, report.csv, { key: 'report-csv' })
  ctx.log.info({ eventId: ctx.eventId, kind, period: period.key }, 'report sent')
}

export function registerDigestReports(router: BotRouter): void {
  router.command({
    words: ['周报', 'weekly report', 'weekly'],
    help: { section: SECTION, usage: '周报', description: '本周截至现在的周报（私聊和委员会群）；其他群为上一个完整周的公开版' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => digestNow(ctx, 'weekly'),
  })
  router.command({
    words: ['日报', 'daily report', 'daily'],
    help: { section: SECTION, usage: '日报', description: '自本工作日开始截至现在的日报' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => digestNow(ctx, 'daily'),
  })
  router.command({
    words: ['月报', 'monthly report'],
    help: { section: SECTION, usage: '月报 [本月|2026-09]', description: '向党组织和职代会汇报用的月报，CSV 私信发给您（委员会群或私聊）' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => reportNow(ctx, 'monthly'),
  })
  router.command({
    words: ['季报', 'quarterly report'],
    help: { section: SECTION, usage: '季报 [本季|2026Q3]', description: '季度报告，CSV 私信发给您（委员会群或私聊）' },
    roles: ['officer'],
    deniedMessage: DENIED,
    handle: (ctx) => reportNow(ctx, 'quarterly'),
  })
}
