// The grievance desk (issue #3), registered as one feature: filing, the worker's side, officers' card actions
// the deadline sweep and the delayed relay of anonymous reporters' 补充 and ratings.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerGrievanceDeadlines } from './grievance-deadlines.js'
import { registerGrievanceFiling } from './grievance-filing.js'
import { registerGrievanceOfficers } from './grievance-officers.js'
import { registerGrievanceRelays } from './grievance-relays.js'
import { registerGrievanceWorker } from './grievance-worker.js'

export function registerGrievances(router: BotRouter): void {
  registerGrievanceFiling(router)
  registerGrievanceWorker(router)
  registerGrievanceOfficers(router)
  registerGrievanceDeadlines(router)
  registerGrievanceRelays(router)
}
