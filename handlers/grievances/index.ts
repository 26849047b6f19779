// The grievance desk (issue #3), registered as one feature: filing, the worker's side, officers' card actions
// the deadline sweep and the delayed relay of anonymous reporters' 补充 and ratings.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerGrievanceDeadlines } from './deadlines.js'
import { registerGrievanceFiling } from './filing.js'
import { registerGrievanceLookup } from './lookup.js'
import { registerGrievanceOfficers } from './officers.js'
import { registerGrievanceRecusal } from './recusal.js'
import { registerGrievanceExtensions } from './extensions.js'
import { registerGrievanceReview } from './review-request.js'
import { registerGrievanceRelays } from './relays.js'
import { registerGrievanceWorker } from './worker.js'
import { registerGrievanceForms } from './forms.js'
import { registerGrievanceIdentity } from './identity.js'
import { registerGrievanceRetention } from './retention.js'

export function registerGrievances(router: BotRouter): void {
  registerGrievanceFiling(router)
  registerGrievanceWorker(router)
  registerGrievanceOfficers(router)
  registerGrievanceRecusal(router)
  registerGrievanceExtensions(router)
  registerGrievanceReview(router)
  registerGrievanceLookup(router)
  registerGrievanceDeadlines(router)
  registerGrievanceRelays(router)
  registerGrievanceForms(router)
  registerGrievanceIdentity(router)
  registerGrievanceRetention(router)
}
