// Labour-law supervision (issue #16), registered as one feature: matters with the 意见书 and the reply, and the
// daily chase of overdue replies, and workers' hazard reports (隐患).
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerSupervisionChase } from './chase.js'
import { registerDismissalNotices } from './dismissal.js'
import { registerHazardReports } from './hazard.js'
import { registerSupervisionMatters } from './matters.js'
import { SUPERVISION_LIVE_CARD } from './shared.js'

export function registerSupervision(router: BotRouter): void {
  router.liveCard('supervision', SUPERVISION_LIVE_CARD)
  registerSupervisionMatters(router)
  registerSupervisionChase(router)
  registerHazardReports(router)
  registerDismissalNotices(router)
}
