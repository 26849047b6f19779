// Someone left the company (contact.user.deleted_v3): their roles end and the committee group is told what open
// work needs a new owner. Idempotent: a re-run of the event changes nothing and posts the same card (same uuid).
import { buildLeaverReportCard } from '../../cards/organisation/leavers.js'
import type { UserLeftContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { deliver } from '../../src/kit/deliver.js'
import { endRolesOfLeaver, openWorkOf, rolesEndedBy } from '../../src/organisation/leavers.js'

async function onLeft(ctx: UserLeftContext): Promise<void> {
  const openId = ctx.leaverOpenId
  await endRolesOfLeaver(ctx, openId)
  const [ended, work] = await Promise.all([rolesEndedBy(ctx.db, ctx.eventId), openWorkOf(ctx.db, openId)])
  const configuredOfficer = ctx.config.union.officerOpenIds.includes(openId)
  const hasWork = work.grievances.length + work.departments.length + work.proposals.length > 0
  ctx.log.info({ eventId: ctx.eventId, ended: ended.length, work: hasWork }, 'person left the company')
  // Most people who leave held no role and no work: the committee is told only when there is something to do.
  if (ended.length === 0 && !hasWork && !configuredOfficer) return
  const name = (await ctx.nameOf(openId).catch(() => undefined)) ?? ''
  await deliver(ctx, 'organisation:leaver', () => ctx.sendToCommittee({ card: buildLeaverReportCard({ name, ended, work, configuredOfficer }) }, { key: `leaver:${openId}` }))
}

export function registerLeavers(router: BotRouter): void {
  router.onUserLeft({ name: 'organisation', handle: onLeft })
}
