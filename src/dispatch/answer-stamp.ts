// Conversation buttons name the conversation and the revision of its draft they were drawn for, so a button on an
// older card (an earlier conversation, or the same one before 修改) can never act on the draft of today: a 确认提交
// on a card that said 匿名 must not file a later, named draft (QA finding, issue #11 follow-up).
import type { Card } from '../feishu/card.js'
import type { OutgoingContent } from '../feishu/outbound.js'

/** The card action of every button that answers a conversation step (cards/kit.ts answerButton). */
export const CONVERSATION_ANSWER_ACTION = 'conversation.answer'

/** Which conversation (its random id) and which revision of its state (one per saved change) a card belongs to. */
export interface AnswerStamp {
  readonly cid: string
  readonly rev: number
}

/** The content with every conversation-answer button stamped; other content is returned unchanged. */
export function stampAnswerButtons(content: OutgoingContent, stamp: AnswerStamp | undefined): OutgoingContent {
  if (!stamp || !('card' in content)) return content
  let found = false
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) out[key] = walk(value)
    const value = out.value as Record<string, unknown> | undefined
    if (out.type === 'callback' && value && value.action === CONVERSATION_ANSWER_ACTION) {
      found = true
      out.value = { ...value, cid: stamp.cid, rev: String(stamp.rev) }
    }
    return out
  }
  const card = walk(content.card) as Card
  return found ? { card } : content
}

/** Whether a clicked button was drawn for this conversation state (a state stored before stamps existed has none). */
export function stampMatches(value: { cid?: string | undefined; rev?: string | undefined }, state: { id?: string; rev?: number }): boolean {
  return (value.cid ?? '') === (state.id ?? '') && (value.rev ?? '0') === String(state.rev ?? 0)
}
