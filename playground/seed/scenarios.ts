// Seed scenarios: short stories acted out against the real bot on first start (and by `npm run seed`), so the
// playground opens with chats that look lived in. Each scenario uses only what people can do in Feishu (type,
// add the bot, click, submit), through SeedDriver. To add one for a feature: write it below, list the command words
// it types in `requires`, and append it to SCENARIOS; it then runs against whatever the bot's handlers do.
import { CHAIR, DEPARTMENT_CONTACT, WORKER } from '../cast.js'
import type { SeedDriver } from './driver.js'

export interface SeedScenario {
  name: string
  /** What the scenario leaves behind (logged when it runs). */
  description: string
  /** Command words the scenario types; a missing one fails the seed (a feature it relies on is not registered). */
  requires: string[]
  run(d: SeedDriver): Promise<void>
}

/** The committee adds the bot to its group and a workshop's contact adds it to the workers' group: both greet. */
export const joinGroups: SeedScenario = {
  name: 'join-groups',
  description: 'the bot joins the committee group and the workers group, and greets both with the help card',
  requires: ['帮助'],
  async run(d) {
    const greeted = await d.addBotToGroup(d.cast.committeeChatId, CHAIR)
    if (!greeted.some((m) => m.chatId === d.cast.committeeChatId)) throw new Error('seed: the bot did not greet the committee group')
    await d.addBotToGroup(d.cast.workersChatId, DEPARTMENT_CONTACT)
  },
}

/** A worker opens a private chat with the bot and asks what it can do. */
export const firstContact: SeedScenario = {
  name: 'first-contact',
  description: 'a worker asks the bot for help in private chat',
  requires: ['帮助'],
  async run(d) {
    const chatId = d.cast.chats.find((c) => c.kind === 'p2p' && c.members[0] === WORKER.openId)!.chatId
    const answer = await d.say(WORKER, chatId, '帮助')
    if (!answer.some((m) => m.kind === 'card')) throw new Error('seed: the bot did not answer 帮助 with a card')
  },
}

/**
 * In order. Scenarios for the features go after these once they are merged (see README, "Playground"):
 * grievances (a worker files two, the chair accepts one from the committee card), proposals (a representative
 * submits one, two colleagues co-sign it) and activities (an officer publishes one, two people sign up from the
 * group card) — so the weekly digest has something to count.
 */
export const SCENARIOS: SeedScenario[] = [joinGroups, firstContact]
