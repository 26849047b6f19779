// The workers' congress (职代会, issue #15): meetings with their roll and quorum, and the secret-ballot votes.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerCongressElections } from './elections.js'
import { registerCongressItems } from './items.js'
import { registerCongressMeetings } from './meeting.js'

export function registerCongress(router: BotRouter): void {
  registerCongressMeetings(router)
  registerCongressItems(router)
  registerCongressElections(router)
}
