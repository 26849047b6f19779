// Recognition of model workers (issue #17, 评先评优): rounds, nominations with co-signers, the committee's
// selection, 公示 with objections answered by the chair, publicity cards and the 先进 archive.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerObjectionAnswers } from './answers.js'
import { registerNominations } from './nominate.js'
import { registerObjections } from './objections.js'
import { registerRounds } from './rounds.js'

export function registerRecognition(router: BotRouter): void {
  registerRounds(router)
  registerNominations(router)
  registerObjections(router)
  registerObjectionAnswers(router)
}
