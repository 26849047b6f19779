// The union's organisation (issue #20), registered as one feature: first start (初始化, 设为委员会群), officers with
// roles, the special committees, and the roles they give.
import type { BotRouter } from '../../src/dispatch/router.js'
import { ROLE_UNION_ADMIN, ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { isDepartmentContact } from '../../src/organisation/departments.js'
import { isRepresentative } from '../../src/organisation/representatives.js'
import { registerCommittees } from './committees.js'
import { registerOfficers } from './officers.js'
import { registerSetup } from './setup.js'
import { isUnionAdmin, isUnionChair } from './shared.js'

export function registerOrganisation(router: BotRouter): void {
  router.role(ROLE_UNION_ADMIN, isUnionAdmin)
  router.role(ROLE_UNION_CHAIR, isUnionChair)
  // 职工代表 and the departments' contacts are the organisation's records (src/organisation/representatives.ts,
  // departments.ts); proposals, supervision and notices use these roles.
  router.role('representative', (openId, services) => isRepresentative(services.db, openId))
  router.role('department_contact', (openId, services) => isDepartmentContact(services.db, openId))
  registerSetup(router)
  registerOfficers(router)
  registerCommittees(router)
}
