// Conversation state per user (all multi-step dialogs run in private chat), with a TTL and an expiry note.
// Keys carry personKey(open_id), never the open_id; once a turn is over nothing of its data stays (review F2).
import { KEPT_SLOT, LIVE_SLOT, pausedSlot, type ConversationDrafts } from './drafts.js'
import { personKey } from './person-key.js'
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
  /** Counts the saved changes of this conversation: buttons carry it, so one drawn for an older draft is stale. */
  rev?: number
}

export type LoadedConversation =
  | { status: 'active'; state: ConversationState }
  /**
   * The conversation timed out since the user last wrote; reported once, then forgotten. `state` is the draft as
   * it was (kept in Postgres), for 继续 at the exact step when what the person types next is kept.
   */
  | { status: 'expired'; flow: string; state?: ConversationState }
  | { status: 'none' }

/**
 * How long we remember that a conversation existed, to tell the user 「您之前的…已超时」 when they next write
 * (someone may come back the next day). The note holds the flow's name only, nothing the user typed.
 */
const EXPIRY_NOTE_SECONDS = 24 * 3600

/** The least time text kept after an expired conversation stays for 继续, whatever CONVERSATION_TTL_SECONDS says. */
export const KEPT_TEXT_MIN_SECONDS = 60

/** Text typed just after a conversation expired, with the flow and (when kept in Postgres) the draft it belongs to. */
export interface KeptText {
  flow: string
  text: string
  state?: ConversationState
}

/**
 * The event that last moved a user's conversation on (or ended it). The inbox may run an event again (a crash, a
 * lost done-mark); that run must not read its own input as the answer to the next step — or, after the last
 * step, as an unknown command.
 *
 * Two phases. While the turn runs (from its first change until its handler and deferred work are over) the record
 * also holds `before`, the state the turn started from: a run cut short by a crash is replayed from there, and the
 * handlers' idempotency (filing keys, send uuids) makes the replay finish the turn instead of repeating it. When the
 * turn is over, `close()` replaces the record by the bare {event, conversation, step}: a later run of the same event
 * only needs to learn that its turn already took effect, so it does nothing. Replaying it from data kept for an hour
 * would tie the person to what they filed (security review F2), and would re-derive nothing that is not done already.
 */
export interface ConversationTurn {
  /** eventKey() of the event: a keyed hash, so the record cannot be joined to the inbox or a case's history. */
  eventId: string
  /** Id of the conversation the turn belonged to (`id`, or `startedAt` for states saved before ids existed). */
  conversation: string
  /** The step the turn answered. */
  step: string
  /** The state the turn started from; present only while the turn is in flight. */
  before?: ConversationState
}

/** What a re-run of an event finds about the turn that event took. */
export type TurnReplay =
  /** The turn was cut short: replay it from `before`; `current` when no newer conversation has started since. */
  | { status: 'in-flight'; before: ConversationState; current: boolean }
  /** The turn ran to its end: nothing is left to do. */
  | { status: 'done' }

/** Re-runs come within minutes (lease expiry, retries with backoff); an hour is ample. */
const TURN_SECONDS = 3600

export class Conversations {
  constructor(
    private readonly store: StateStore,
    private readonly ttlSeconds: number,
    /** Key of personKey(): the same on every instance (STATE_KEY_SECRET, or server_secrets in Postgres). */
    private readonly secret: string,
    /**
     * Drafts in Postgres (src/state/drafts.ts): the live draft mirrored, paused and kept drafts. Without it (unit
     * tests of the store) drafts live in the state store only and cannot be paused.
     */
    private readonly drafts?: ConversationDrafts,
  ) {}

  /** Whether drafts can be put aside by another command (they need Postgres). */
  get canPause(): boolean {
    return this.drafts !== undefined
  }

  /** The state-store key part that stands for this person (see src/state/person-key.ts). */
  personKey(openId: string): string {
    return personKey(this.secret, openId)
  }

  /**
   * The event id as kept in a turn record: keyed like personKey(), so that a Redis reader cannot match it to the
   * inbox's rows or a case's history (which would tie the person's key to what they filed).
   */
  private eventKey(eventId: string): string {
    return personKey(this.secret, `event:${eventId}`)
  }

  async load(openId: string): Promise<LoadedConversation> {
    const who = this.personKey(openId)
    const raw = await this.store.get(`conv:${who}`)
    if (raw) {
      const state = parse(raw)
      if (state) return { status: 'active', state }
    }
    // Not in the state store: a restart of the memory store or a Redis flush finds the draft in Postgres; a draft
    // past its time there is the expired one (its note reported once, like the trace).
    const row = await this.drafts?.get(who, LIVE_SLOT)
    const saved = row ? parse(JSON.stringify(row.payload.state)) : undefined
    if (row && saved) {
      const left = row.liveUntil.getTime() - Date.now()
      if (left > 0) {
        await this.store.set(`conv:${who}`, JSON.stringify(saved), Math.max(1, Math.ceil(left / 1000)))
        await this.store.set(`conv-trace:${who}`, saved.flow, EXPIRY_NOTE_SECONDS)
        return { status: 'active', state: saved }
      }
      await this.drafts!.delete(who, LIVE_SLOT)
      await this.store.delete(`conv-trace:${who}`)
      return { status: 'expired', flow: saved.flow, state: saved }
    }
    const trace = await this.store.get(`conv-trace:${who}`)
    if (trace) {
      await this.store.delete(`conv-trace:${who}`)
      return { status: 'expired', flow: trace }
    }
    return { status: 'none' }
  }

  async save(openId: string, state: ConversationState): Promise<void> {
    const who = this.personKey(openId)
    await this.store.set(`conv:${who}`, JSON.stringify(state), this.ttlSeconds)
    await this.store.set(`conv-trace:${who}`, state.flow, EXPIRY_NOTE_SECONDS)
    // Kept past its time for the 24 h of the expiry note, so 继续 can pick up at the very step (then purged).
    await this.drafts?.save(who, LIVE_SLOT, state.flow, { state: { ...state } }, this.ttlSeconds, this.ttlSeconds + EXPIRY_NOTE_SECONDS)
  }

  async end(openId: string): Promise<void> {
    const who = this.personKey(openId)
    await this.store.delete(`conv:${who}`)
    await this.store.delete(`conv-trace:${who}`)
    await this.drafts?.delete(who, LIVE_SLOT)
  }

  /**
   * Puts the active draft aside (another command interrupted it): kept in Postgres as long as a live draft
   * (CONVERSATION_TTL_SECONDS from now), one per flow, and the conversation ends. False when drafts cannot be paused.
   */
  async pause(openId: string, state: ConversationState): Promise<boolean> {
    if (!this.drafts) return false
    await this.drafts.save(this.personKey(openId), pausedSlot(state.flow), state.flow, { state: { ...state } }, this.ttlSeconds, this.ttlSeconds)
    await this.end(openId)
    return true
  }

  /** The paused draft of `flow` (still kept until dropPaused: taken up first, then dropped); undefined when none. */
  async paused(openId: string, flow: string): Promise<ConversationState | undefined> {
    const row = await this.drafts?.get(this.personKey(openId), pausedSlot(flow))
    if (!row || row.liveUntil.getTime() <= Date.now()) return undefined
    return parse(JSON.stringify(row.payload.state))
  }

  /** Flows with a paused draft, newest first. */
  async pausedFlows(openId: string): Promise<string[]> {
    return this.drafts ? this.drafts.pausedFlows(this.personKey(openId)) : []
  }

  /** Deletes drafts past their time in Postgres (a periodic task): nothing typed outlives its window. */
  async purgeDrafts(): Promise<number> {
    return this.drafts ? this.drafts.purge() : 0
  }

  /** Erases a paused draft (放弃). */
  async dropPaused(openId: string, flow: string): Promise<void> {
    await this.drafts?.delete(this.personKey(openId), pausedSlot(flow))
  }

  /**
   * Keeps text typed just after a conversation expired, with its draft, for 继续 / 放弃: as long as a live draft may
   * sit in the store, and at least a minute to click (docs/security.md: it may be an anonymous reporter's words).
   */
  async keep(openId: string, kept: KeptText): Promise<void> {
    const who = this.personKey(openId)
    const seconds = Math.max(this.ttlSeconds, KEPT_TEXT_MIN_SECONDS)
    if (this.drafts) {
      await this.drafts.save(who, KEPT_SLOT, kept.flow, { state: kept.state ? { ...kept.state } : {}, text: kept.text }, seconds, seconds)
      return
    }
    await this.store.set(`kept:${who}`, JSON.stringify({ flow: kept.flow, text: kept.text }), seconds)
  }

  /** The kept text (still kept until dropKept: taken up first, then dropped). */
  async kept(openId: string): Promise<KeptText | undefined> {
    const who = this.personKey(openId)
    if (this.drafts) {
      const row = await this.drafts.get(who, KEPT_SLOT)
      if (!row || row.liveUntil.getTime() <= Date.now() || typeof row.payload.text !== 'string') return undefined
      const state = parse(JSON.stringify(row.payload.state))
      return { flow: row.flow, text: row.payload.text, ...(state ? { state } : {}) }
    }
    const raw = await this.store.get(`kept:${who}`)
    try {
      const kept = raw ? (JSON.parse(raw) as { flow?: unknown; text?: unknown }) : {}
      return typeof kept.flow === 'string' && typeof kept.text === 'string' ? { flow: kept.flow, text: kept.text } : undefined
    } catch {
      return undefined
    }
  }

  /** Erases the kept text (继续 done, or 放弃). */
  async dropKept(openId: string): Promise<void> {
    const who = this.personKey(openId)
    await this.drafts?.delete(who, KEPT_SLOT)
    await this.store.delete(`kept:${who}`)
  }

  /**
   * Remembers which event is moving the conversation on, and from which state (before it changes anything).
   * Returns the stored text, which close() needs to tell this record from a newer one.
   */
  async recordTurn(openId: string, eventId: string, before: ConversationState): Promise<string> {
    const turn: ConversationTurn = { eventId: this.eventKey(eventId), conversation: conversationId(before), step: before.step, before }
    const raw = JSON.stringify(turn)
    await this.store.set(`conv-turn:${this.personKey(openId)}`, raw, TURN_SECONDS)
    return raw
  }

  /**
   * The turn recorded as `recorded` is over: its state is dropped and only {event, conversation, step} stays.
   * Compare-and-delete, then set-if-absent: a newer turn recorded meanwhile is never overwritten.
   */
  async closeTurn(openId: string, recorded: string): Promise<void> {
    const turn = JSON.parse(recorded) as ConversationTurn
    const key = `conv-turn:${this.personKey(openId)}`
    if (!(await this.store.deleteIfEquals(key, recorded))) return
    const closed: ConversationTurn = { eventId: turn.eventId, conversation: turn.conversation, step: turn.step }
    await this.store.setIfAbsent(key, JSON.stringify(closed), TURN_SECONDS * 1000)
  }

  /** `eventId` will not run again (parked as failed): if its turn was cut short, its state is dropped all the same. */
  async abandonTurn(openId: string, eventId: string): Promise<void> {
    const raw = await this.store.get(`conv-turn:${this.personKey(openId)}`)
    if (!raw) return
    let turn: Partial<ConversationTurn>
    try {
      turn = JSON.parse(raw) as Partial<ConversationTurn>
    } catch {
      return
    }
    if (turn.eventId === this.eventKey(eventId) && turn.before) await this.closeTurn(openId, raw)
  }

  /**
   * When `eventId` is the event that last moved the user's conversation on: whether that turn ran to its end, or
   * the state to replay it from and whether that conversation is still the current one (ended by that turn, or
   * still going). Undefined when another event has moved the conversation since, or none did.
   */
  async replayOf(openId: string, eventId: string): Promise<TurnReplay | undefined> {
    const who = this.personKey(openId)
    const raw = await this.store.get(`conv-turn:${who}`)
    if (!raw) return undefined
    let before: ConversationState | undefined
    try {
      const turn = JSON.parse(raw) as Partial<ConversationTurn>
      if (turn.eventId !== this.eventKey(eventId)) return undefined
      if (!turn.before) return { status: 'done' }
      before = parse(JSON.stringify(turn.before))
    } catch {
      return undefined
    }
    if (!before) return undefined
    const now = await this.store.get(`conv:${who}`)
    const going = now ? parse(now) : undefined
    return { status: 'in-flight', before, current: !going || conversationId(going) === conversationId(before) }
  }
}

function conversationId(state: ConversationState): string {
  return state.id ?? state.startedAt
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
        ...(typeof value.rev === 'number' ? { rev: value.rev } : {}),
      }
    }
  } catch {
    // unreadable state is treated as none
  }
  return undefined
}
