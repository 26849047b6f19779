// Scheduled digests (周报 / 日报, issue #6) and the 月报 / 季报, registered as one feature.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerDigestReports } from './reports.js'
import { registerDigestSchedule } from './schedule.js'
import { registerDigestSubscriptions } from './subscriptions.js'

export function registerDigests(router: BotRouter): void {
  registerDigestSubscriptions(router)
  registerDigestReports(router)
  registerDigestSchedule(router)
}
