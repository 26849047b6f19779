// Every feature's registration, in the order their commands appear on the help card.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerActivities } from './activities.js'
import { registerDigests } from './digests.js'
import { registerGrievances } from './grievances.js'
import { registerHelp } from './help.js'
import { registerProposals } from './proposals.js'

export function registerHandlers(router: BotRouter): void {
  registerHelp(router)
  registerGrievances(router)
  registerProposals(router)
  registerActivities(router)
  registerDigests(router)
}
