// Congress proposals (职代会提案, issue #4): every part's registration, in the order they appear on the help card.
import { registerAnswerFiles } from './answer-files.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerProposalAdmin } from './admin.js'
import { registerProposalOverdue, registerProposalUrge } from './overdue.js'
import { registerProposalQuery } from './query.js'
import { registerProposalSubmit } from './submit.js'
import { registerProposalSupport } from './support.js'
import { registerProposalWorkflow } from './workflow.js'
import { PROPOSAL_LIVE_CARD } from './shared.js'

export function registerProposals(router: BotRouter): void {
  registerProposalQuery(router)
  registerProposalSubmit(router)
  registerProposalSupport(router)
  registerProposalAdmin(router)
  registerProposalWorkflow(router)
  registerProposalOverdue(router)
  registerProposalUrge(router)
  registerAnswerFiles(router)
  // Every posted public card is kept current (src/kit/live-cards.ts).
  router.liveCard('proposal', PROPOSAL_LIVE_CARD)
}
