// Polls and consultations (issue #15): starting a poll, voting on its live card, closing and the results.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerPollClose } from './close.js'
import { registerPollCreate } from './create.js'
import { POLL_LIVE_CARD } from './shared.js'
import { registerPollVote } from './vote.js'

export function registerPolls(router: BotRouter): void {
  router.liveCard('poll', POLL_LIVE_CARD)
  registerPollCreate(router)
  registerPollVote(router)
  registerPollClose(router)
}
