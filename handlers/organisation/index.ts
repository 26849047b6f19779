// The union's organisation (issue #20), registered as one feature: first start (初始化, 设为委员会群), officers with
// roles, the special committees, and the roles they give.
import type { BotRouter } from '../../src/dispatch/router.js'
import { ROLE_UNION_ADMIN, ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { registerCommittees } from './committees.js'
import { registerOfficers } from './officers.js'
import { registerSetup } from './setup.js'
import { isUnionAdmin, isUnionChair } from './shared.js'

export function registerOrganisation(router: BotRouter): void {
  router.role(ROLE_UNION_ADMIN, isUnionAdmin)
  router.role(ROLE_UNION_CHAIR, isUnionChair)
  registerSetup(router)
  registerOfficers(router)
  registerCommittees(router)
}
