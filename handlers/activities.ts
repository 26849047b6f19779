// Activity sign-ups (issue #5): publishing, signing up, and what happens around the event, in three files.
import type { BotRouter } from '../src/dispatch/router.js'
import { registerActivityAround } from './activity-around.js'
import { registerActivityPublish } from './activity-publish.js'
import { registerActivitySignup } from './activity-signup.js'

export function registerActivities(router: BotRouter): void {
  registerActivitySignup(router)
  registerActivityAround(router)
  registerActivityPublish(router)
}
