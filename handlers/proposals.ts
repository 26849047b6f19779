// Congress proposals (职代会提案, issue #4): every part's registration, in the order they appear on the help card.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerProposalAdmin } from './proposal-admin.js'
import { registerProposalOverdue } from './proposal-overdue.js'
import { registerProposalQuery } from './proposal-query.js'
import { registerProposalSubmit } from './proposal-submit.js'
import { registerProposalSupport } from './proposal-support.js'
import { registerProposalWorkflow } from './proposal-workflow.js'

export function registerProposals(router: BotRouter): void {
  registerProposalQuery(router)
  registerProposalSubmit(router)
  registerProposalSupport(router)
  registerProposalAdmin(router)
  registerProposalWorkflow(router)
  registerProposalOverdue(router)
}
