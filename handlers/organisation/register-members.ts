// Registration of the organisation's member-side parts (members, the members-only guard, leavers); handlers/index.ts
// calls it beside the organisation's own registration.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerLeavers } from './leavers.js'
import { registerMemberImport } from './member-import.js'
import { registerMembersGuard } from './members-guard.js'
import { registerMembers } from './members.js'

export function registerOrganisationMembers(router: BotRouter): void {
  registerMembersGuard(router)
  registerMembers(router)
  registerMemberImport(router)
  registerLeavers(router)
}
