// Buttons that say a command for the person (the menu, "您是不是想：") and answer a kept draft (继续 / 放弃): typed
// actions the dispatcher itself handles; no I/O, so cards build their values from here.
import { z } from 'zod'
import { defineAction, payload } from './actions.js'

/** Runs the command `text` (one of the router's command words) as if the person had typed it privately. */
export const SAY = defineAction('talk.say', z.object({ text: payload.text(20) }))

/** Text kept from a conversation that had expired: 继续 starts it again with the text, 放弃 erases it. */
export const DRAFT_RESUME = defineAction('talk.draft-resume', z.object({}))
export const DRAFT_DISCARD = defineAction('talk.draft-discard', z.object({}))

/** A draft put aside by another command (继续刚才的…): 继续 takes it up at its step, 放弃 erases it. */
export const PAUSED_RESUME = defineAction('talk.paused-resume', z.object({ flow: payload.text(60) }))
export const PAUSED_DISCARD = defineAction('talk.paused-discard', z.object({ flow: payload.text(60) }))

/**
 * Runs a command the bot wrote down for the person (src/kit/prepared-say.ts): e.g. `干部 添加 @张伟` with the @ typed
 * in private chat, once the person confirmed which 张伟 (QA F14). The button carries only the id; the text and the
 * people stay in the state store, so a forged value cannot make the bot run anything it did not offer.
 */
export const SAY_PREPARED = defineAction('talk.say-prepared', z.object({ id: payload.text(40), n: payload.int().optional() }))
