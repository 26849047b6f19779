// Conversation state per user (all multi-step dialogs run in private chat), with a TTL and an expiry note.
import type { StateStore } from './store.js'

export interface ConversationState<D = Record<string, unknown>> {
  /** Version of the flow's data shape; a flow discards state with a version it does not know. */
  v: number
  flow: string
  step: string
  data: D
  startedAt: string
  /** Tells one conversation from the next (a re-run of an old turn must leave a newer conversation alone). */
  id?: string
}

export type LoadedConversation =
  | { status: 'active'; state: ConversationState }
  /** The conversation timed out since the user last wrote; reported once, then forgotten. */
  | { status: 'expired'; flow: string }
  | { status: 'none' }

/** How long we remember that a conversation existed, to tell the user it expired. */
const EXPIRY_NOTE_SECONDS = 24 * 3600

/**
 * The event that last moved a user's conversation on (or ended it), with the state before it. The inbox may run
 * an event again (a crash, a lost done-mark); that run must replay the turn from where it started, not read its
 * own input as the answer to the next step — or, after the last step, as an unknown command.
 */
export interface ConversationTurn {
  eventId: string
  before: ConversationState
}

/** Re-runs come within minutes (lease expiry, retries with backoff); an hour is ample. */
const TURN_SECONDS = 3600

export class Conversations {
  constructor(
    private readonly store: StateStore,
    private readonly ttlSeconds: number,
  ) {}

  async load(openId: string): Promise<LoadedConversation> {
    const raw = await this.store.get(`conv:${openId}`)
    if (raw) {
      const state = parse(raw)
      if (state) return { status: 'active', state }
    }
    const trace = await this.store.get(`conv-trace:${openId}`)
    if (trace) {
      await this.store.delete(`conv-trace:${openId}`)
      return { status: 'expired', flow: trace }
    }
    return { status: 'none' }
  }

  async save(openId: string, state: ConversationState): Promise<void> {
    await this.store.set(`conv:${openId}`, JSON.stringify(state), this.ttlSeconds)
    await this.store.set(`conv-trace:${openId}`, state.flow, EXPIRY_NOTE_SECONDS)
  }

  async end(openId: string): Promise<void> {
    await this.store.delete(`conv:${openId}`)
    await this.store.delete(`conv-trace:${openId}`)
  }

  /** Remembers which event is moving the conversation on, and from which state (before it changes anything). */
  async recordTurn(openId: string, turn: ConversationTurn): Promise<void> {
    await this.store.set(`conv-turn:${openId}`, JSON.stringify(turn), TURN_SECONDS)
  }

  /**
   * When `eventId` is the event that last moved the user's conversation on: the state to replay its turn from, and
   * whether that conversation is still the current one (ended by that turn, or still going). It is not when the user
   * has started another conversation since; the turn was taken and there is nothing to replay.
   */
  async replayOf(openId: string, eventId: string): Promise<{ before: ConversationState; current: boolean } | undefined> {
    const raw = await this.store.get(`conv-turn:${openId}`)
    if (!raw) return undefined
    let before: ConversationState | undefined
    try {
      const turn = JSON.parse(raw) as Partial<ConversationTurn>
      if (turn.eventId !== eventId || !turn.before) return undefined
      before = parse(JSON.stringify(turn.before))
    } catch {
      return undefined
    }
    if (!before) return undefined
    const now = await this.store.get(`conv:${openId}`)
    const going = now ? parse(now) : undefined
    return { before, current: !going || (going.id ?? going.startedAt) === (before.id ?? before.startedAt) }
  }
}

function parse(raw: string): ConversationState | undefined {
  try {
    const value = JSON.parse(raw) as Partial<ConversationState>
    if (typeof value.flow === 'string' && typeof value.step === 'string' && typeof value.v === 'number') {
      return {
        v: value.v,
        flow: value.flow,
        step: value.step,
        data: (value.data ?? {}) as Record<string, unknown>,
        startedAt: String(value.startedAt ?? ''),
        ...(typeof value.id === 'string' ? { id: value.id } : {}),
      }
    }
  } catch {
    // unreadable state is treated as none
  }
  return undefined
}
