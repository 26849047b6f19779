// Labour-dispute mediation (issue #16), registered as one feature: the application, the committee's steps, the
// parties' steps and look-ups, and the clocks.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerMediationApply } from './apply.js'
import { registerMediationCommittee } from './committee.js'
import { registerMediationParties } from './parties.js'
import { registerMediationReminders } from './reminders.js'

export function registerMediation(router: BotRouter): void {
  registerMediationApply(router)
  registerMediationCommittee(router)
  registerMediationParties(router)
  registerMediationReminders(router)
}
