// Scheduled digests (周报 / 日报, issue #6) and the 月报 / 季报, registered as one feature.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerDigestReports } from './digest-reports.js'
import { registerDigestSchedule } from './digest-schedule.js'
import { registerDigestSubscriptions } from './digest-subscriptions.js'

export function registerDigests(router: BotRouter): void {
  registerDigestSubscriptions(router)
  registerDigestReports(router)
  registerDigestSchedule(router)
}
