// Every feature's registration, in the order their commands appear on the help card.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerActivities } from './activities/index.js'
import { registerCongress } from './congress/index.js'
import { registerCare } from './care/index.js'
import { registerHardship } from './hardship/index.js'
import { registerDesk } from './desk/index.js'
import { registerDigests } from './digests/index.js'
import { registerGrievances } from './grievances/index.js'
import { registerHelp } from './help.js'
import { registerMediation } from './mediation/index.js'
import { registerSupervision } from './supervision/index.js'
import { registerOrganisation } from './organisation/index.js'
import { registerHolidays } from './organisation/holidays.js'
import { registerNotices } from './notices/index.js'
import { registerOrganisationMembers } from './organisation/register-members.js'
import { registerPolls } from './polls/index.js'
import { registerProposals } from './proposals/index.js'
import { registerRecognition } from './recognition/index.js'
import { registerLearning } from './learning/index.js'
import { registerTalk } from './talk.js'
import { registerEvidence } from './evidence/index.js'
import { registerImports } from './imports.js'

export function registerHandlers(router: BotRouter): void {
  registerHelp(router)
  registerGrievances(router)
  registerProposals(router)
  registerActivities(router)
  registerNotices(router)
  registerDigests(router)
  registerOrganisation(router)
  registerHolidays(router)
  registerDesk(router)
  registerOrganisationMembers(router)
  registerPolls(router)
  registerCongress(router)
  registerMediation(router)
  registerSupervision(router)
  registerCare(router)
  registerHardship(router)
  registerRecognition(router)
  registerLearning(router)
  registerTalk(router)
  registerEvidence(router)
  registerImports(router)
}
