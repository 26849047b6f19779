// A command the bot offers to run for a person with people it resolved itself (a typed `@张伟` matched to one known
// person, QA F14): the command text and the people are kept in the state store under an id for a few minutes; the
// confirmation button (SAY_PREPARED, src/kit/say.ts) carries only the id, and the dispatcher runs the command as if
// the person had typed it with real @-mentions, through every role check and guard.
import { randomUUID } from 'node:crypto'
import type { BaseContext } from '../dispatch/context.js'
import type { StateStore } from '../state/store.js'

/** How long the confirmation button works. */
export const PREPARED_SAY_SECONDS = 10 * 60

export interface PreparedSay {
  /** The command with a placeholder (`@_user_1`) where each person goes; or the choices, one per button (`n`). */
  text: string | string[]
  people: Array<{ key: string; openId: string; name: string }>
}

const keyOf = (personKey: string, id: string) => `say-prepared:${personKey}:${id}`

/** Keeps the command for the person who will confirm it; the id goes on the button. */
export async function prepareSay(ctx: BaseContext, say: PreparedSay): Promise<string> {
  const id = randomUUID()
  await ctx.services.state.set(keyOf(ctx.services.conversations.personKey(ctx.actorOpenId), id), JSON.stringify(say), PREPARED_SAY_SECONDS)
  return id
}

/** The command kept for this person under this id, once (a second click finds nothing). */
export async function takePreparedSay(state: StateStore, personKey: string, id: string, n = 0): Promise<{ text: string; people: PreparedSay['people'] } | undefined> {
  const key = keyOf(personKey, id)
  const raw = await state.get(key)
  if (!raw) return undefined
  await state.delete(key)
  try {
    const v = JSON.parse(raw) as PreparedSay
    const texts = Array.isArray(v.text) ? v.text : [v.text]
    if (!texts.every((x) => typeof x === 'string') || !Array.isArray(v.people)) return undefined
    const text = texts[n]
    if (text === undefined) return undefined
    return { text, people: v.people.filter((p) => typeof p?.key === 'string' && typeof p.openId === 'string' && typeof p.name === 'string') }
  } catch {
    return undefined
  }
}
