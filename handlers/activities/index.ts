// Activity sign-ups (issue #5): publishing, signing up, and what happens around the event, in three files.
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerActivityAround } from './around.js'
import { registerActivityPublish } from './publish.js'
import { registerActivitySignup } from './signup.js'

export function registerActivities(router: BotRouter): void {
  registerActivitySignup(router)
  registerActivityAround(router)
  registerActivityPublish(router)
}
