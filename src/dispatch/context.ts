// The one typed context a handler gets per update: who acted, what they sent, and how to answer.
// Handlers never see Koa's context, raw Feishu JSON or the SDK client.
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Card } from '../feishu/card.js'
import type { WorkCalendar } from '../calendar.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/schema.js'
import { idempotencyUuid, type OutgoingContent, type SentMessage } from '../feishu/outbound.js'
import { stampAnswerButtons, type AnswerStamp } from './answer-stamp.js'
import type { OutboundPort, UserProfile } from '../feishu/outbound-port.js'
import type { Priority } from '../feishu/rate-limiter.js'
import type { Attachment, CardAction, IncomingMessage, Mention } from '../feishu/updates.js'
import type { LiveCards, LiveCardsOf } from '../kit/live-cards.js'
import type { Logger } from '../logger.js'
import { writeAudit, type AuditEntry } from '../core/audit.js'
import { deliver } from '../kit/deliver.js'
import type { Roles } from '../core/roles.js'
import { committeeChatId } from '../organisation/store.js'
import type { UserDirectory } from '../core/users.js'
import type { ConversationState, Conversations } from '../state/conversations.js'
import type { Locks } from '../state/locks.js'
import type { StateStore } from '../state/store.js'

/** Shared services, built once per bot instance (src/app.ts). */
export interface BotServices {
  readonly config: Config
  readonly db: Kysely<Database>
  readonly dbKind: 'postgres' | 'pglite'
  readonly clock: Clock
  readonly log: Logger
  readonly outbound: OutboundPort
  readonly users: UserDirectory
  readonly roles: Roles
  readonly conversations: Conversations
  readonly locks: Locks
  readonly state: StateStore
  /** Chinese working days in config.timezone (deadlines, daily digests). */
  readonly calendar: WorkCalendar
  /** Posted cards kept current with their subject; renderers come from router.liveCard. */
  readonly liveCards: LiveCards
}

export class BaseContext {
  private sendSeq = 0
  /** Set while this context speaks for a conversation (started here, or a turn of it): its buttons carry it. */
  protected answerStamp: AnswerStamp | undefined

  constructor(
    readonly services: BotServices,
    /** The Feishu event (or periodic run) this work stems from; idempotency keys derive from it. */
    readonly eventId: string,
    /** open_id of the person who acted (sender, clicker); '' for scheduled work. */
    readonly actorOpenId: string,
  ) {}

  get db(): Kysely<Database> {
    return this.services.db
  }
  get config(): Config {
    return this.services.config
  }
  get clock(): Clock {
    return this.services.clock
  }
  get log(): Logger {
    return this.services.log
  }
  now(): Date {
    return this.services.clock.now()
  }

  /**
   * A uuid for the next send. Re-running the same event's handler produces the same sequence, so a retried
   * event never posts twice (Feishu keeps a uuid for 1 hour). Pass `key` when the order of sends may vary.
   */
  protected uuid(key?: string): string {
    return idempotencyUuid(this.eventId, key ?? `#${++this.sendSeq}`)
  }

  /** `priority: 'low'` for bulk sends (src/kit/mass-send.ts): replies to people keep their reserved share. */
  sendToUser(openId: string, content: OutgoingContent, opts: { key?: string; priority?: Priority } = {}): Promise<SentMessage> {
    return this.services.outbound.sendToUser(openId, this.stamped(content), { uuid: this.uuid(opts.key), causeEventId: this.eventId, ...(opts.priority ? { priority: opts.priority } : {}) })
  }

  sendToChat(chatId: string, content: OutgoingContent, opts: { key?: string } = {}): Promise<SentMessage> {
    return this.services.outbound.sendToChat(chatId, this.stamped(content), { uuid: this.uuid(opts.key), causeEventId: this.eventId })
  }

  /** Conversation-answer buttons in the content get this context's conversation and revision (answer-stamp.ts). */
  protected stamped(content: OutgoingContent): OutgoingContent {
    return stampAnswerButtons(content, this.answerStamp)
  }

  /**
   * The union committee's group: set in chat with `设为委员会群`, else UNION_ADMIN_CHAT_ID (src/organisation/store.ts).
   * Every use (review cards, reminders, the committee digest) goes through here.
   */
  committeeChatId(): Promise<string | undefined> {
    return committeeChatId(this.db, this.config.union.adminChatId)
  }

  /**
   * Sends to the union committee's group. Until there is one (right after 初始化, before the chair sends 设为委员会群)
   * each officer gets it privately instead, so a worker's case never reaches nobody; resolves the first officer's
   * copy then (the one kept current), or undefined with a warning when there is no officer either.
   */
  async sendToCommittee(content: OutgoingContent, opts: { key?: string } = {}): Promise<SentMessage | undefined> {
    const chatId = await this.committeeChatId()
    if (chatId) return this.sendToChat(chatId, content, opts)
    const officers = await this.services.roles.officerOpenIds()
    if (officers.length === 0) {
      this.log.warn({ eventId: this.eventId }, 'no committee group (设为委员会群 / UNION_ADMIN_CHAT_ID) and no officer: committee message not sent')
      return undefined
    }
    this.log.info({ eventId: this.eventId, officers: officers.length }, 'no committee group yet: committee message sent to each officer privately')
    let first: SentMessage | undefined
    for (const openId of officers) {
      const copy = await deliver(this, 'committee message to an officer', () => this.sendToUser(openId, content, { key: `${opts.key ?? 'committee'}:to:${openId}` }))
      if (copy.sent) first ??= copy.value
    }
    return first
  }

  sendFileToUser(openId: string, fileName: string, data: Buffer, opts: { key?: string } = {}): Promise<SentMessage> {
    return this.services.outbound.sendFileToUser(openId, fileName, data, { uuid: this.uuid(opts.key), causeEventId: this.eventId })
  }

  /** An image or file the bot uploaded (evidence, src/kit/evidence.ts), to a user privately. */
  sendUploadedToUser(openId: string, item: { kind: 'image' | 'file'; key: string }, opts: { key?: string } = {}): Promise<SentMessage> {
    return this.services.outbound.sendUploadedToUser(openId, item, { uuid: this.uuid(opts.key), causeEventId: this.eventId })
  }

  /** 应用内加急 of a message the bot sent, to these people (e.g. a 重大隐患 to the officers). */
  urgentApp(messageId: string, openIds: readonly string[]): Promise<{ invalidOpenIds: string[] }> {
    return this.services.outbound.urgentApp(messageId, openIds, { causeEventId: this.eventId })
  }

  patchCard(messageId: string, card: Card): Promise<void> {
    return this.services.outbound.patchCard(messageId, card, { causeEventId: this.eventId })
  }

  /** Posted cards kept current: track a card just posted, refresh a subject's cards after a change. */
  get liveCards(): LiveCardsOf {
    return this.services.liveCards.for(this)
  }

  hasRole(role: string, openId: string = this.actorOpenId): Promise<boolean> {
    return this.services.roles.has(openId, role)
  }

  isOfficer(openId: string = this.actorOpenId): Promise<boolean> {
    return this.services.roles.isOfficer(openId)
  }

  /** The flow of the actor's active conversation, if any (e.g. to refuse starting a second one). */
  async activeConversation(): Promise<string | undefined> {
    const loaded = await this.services.conversations.load(this.actorOpenId)
    return loaded.status === 'active' ? loaded.state.flow : undefined
  }

  /** Ends the actor's conversation (e.g. one just started whose first prompt could not be delivered). */
  endConversation(): Promise<void> {
    return this.services.conversations.end(this.actorOpenId)
  }

  /**
   * Starts a multi-step conversation with the actor (always held in private chat). A card action may start one too
   * (a button on a group card): its first prompt then goes to the actor privately (sendToUser).
   */
  async startConversation(flow: string, step: string, data: Record<string, unknown>, version = 1): Promise<ConversationState> {
    const state: ConversationState = { v: version, flow, step, data, startedAt: this.now().toISOString(), id: randomUUID(), rev: 0 }
    await this.services.conversations.save(this.actorOpenId, state)
    this.answerStamp = { cid: state.id!, rev: 0 }
    return state
  }

  /** Writes an audit entry (in trx when given, so it commits with the change it records). */
  audit(entry: Omit<AuditEntry, 'actorOpenId' | 'eventId'> & { actorOpenId?: string }, trx?: Transaction<Database>): Promise<void> {
    return writeAudit(trx ?? this.db, { actorOpenId: this.actorOpenId, eventId: this.eventId, ...entry })
  }

  nameOf(openId: string): Promise<string | undefined> {
    return this.services.users.nameOf(openId)
  }

  /** Department and employee number from the contact API (undefined without the scopes, or on an outbound without it). */
  async profileOf(openId: string): Promise<UserProfile | undefined> {
    return this.services.outbound.fetchUserProfile ? this.services.outbound.fetchUserProfile(openId) : undefined
  }
}

/** A text (or image/file/post) message addressed to the bot. */
export class MessageContext extends BaseContext {
  /** Text after the matched command word, normalized (NFKC, lower-case); '' when none. */
  args = ''
  /** Text after the matched command word with its original case (NFKC, spaces collapsed): for parsing. */
  argsText = ''
  /**
   * Text after the matched command word exactly as typed (trimmed): what a handler stores or shows officers.
   * Normalisation is for matching only (a worker's full-width ，stays ，).
   */
  argsTyped = ''

  constructor(
    services: BotServices,
    eventId: string,
    readonly message: IncomingMessage,
    /** What the user wrote: the bot's @-mention removed, other mentions as @name. */
    readonly text: string,
    /** text normalized for matching (NFKC, spaces collapsed, lower-case). */
    readonly normalized: string,
    /** @-mentions of people other than the bot. */
    readonly mentions: Mention[],
  ) {
    super(services, eventId, message.senderOpenId)
  }

  get chatId(): string {
    return this.message.chatId
  }
  get isGroup(): boolean {
    return this.message.chatType === 'group'
  }
  get attachments(): Attachment[] {
    return this.message.attachments
  }

  /**
   * Answers in the same chat as a reply to the user's message. Without a message to reply to (bot menu, bot added
   * to a group) it posts to the group, or privately.
   */
  reply(content: OutgoingContent, opts: { key?: string } = {}): Promise<SentMessage> {
    if (!this.message.messageId) {
      return this.message.chatType === 'group' && this.message.chatId ? this.sendToChat(this.message.chatId, content, opts) : this.replyPrivately(content, opts)
    }
    return this.services.outbound.reply(this.message.messageId, this.stamped(content), {
      uuid: this.uuid(opts.key),
      causeEventId: this.eventId,
      chatId: this.message.chatId,
    })
  }

  /** Answers the sender in private chat, wherever they wrote. */
  replyPrivately(content: OutgoingContent, opts: { key?: string } = {}): Promise<SentMessage> {
    return this.sendToUser(this.actorOpenId, content, opts)
  }
}

/** What a conversation step receives: typed text, or the answer carried by a button on the step's card. */
export interface ConversationInput {
  text: string
  normalized: string
  attachments: Attachment[]
  viaButton: boolean
  /** The message that carried a typed answer (absent for buttons): Feishu serves attachments by message_id + key. */
  messageId?: string
}

/** Context of one conversation turn; all conversations run in the user's private chat. */
export class ConversationContext extends BaseContext {
  /** The state this turn started from: a re-run of the same event replays the turn from here. */
  private readonly before: ConversationState
  /** The turn record as stored (set at the turn's first change), until close() has dropped its state. */
  private recordedTurn: string | undefined
  private turnRecorded = false

  constructor(
    services: BotServices,
    eventId: string,
    actorOpenId: string,
    public state: ConversationState,
  ) {
    super(services, eventId, actorOpenId)
    this.before = state
    this.answerStamp = state.id ? { cid: state.id, rev: state.rev ?? 0 } : undefined
  }

  /** Says something to the user in private chat. */
  say(content: OutgoingContent, opts: { key?: string } = {}): Promise<SentMessage> {
    return this.sendToUser(this.actorOpenId, content, opts)
  }

  /** Moves to a step (and/or new data), refreshing the TTL. */
  async advance(step: string, data: Record<string, unknown> = this.state.data): Promise<void> {
    await this.recordTurn()
    this.state = { ...this.state, step, data, rev: (this.state.rev ?? 0) + 1 }
    await this.services.conversations.save(this.actorOpenId, this.state)
    if (this.state.id) this.answerStamp = { cid: this.state.id, rev: this.state.rev! }
  }

  async finish(): Promise<void> {
    await this.recordTurn()
    await this.services.conversations.end(this.actorOpenId)
  }

  /**
   * The turn is over (handler and deferred work done, nothing left to retry): its record keeps only the event,
   * conversation and step, so nothing of the conversation's data outlives it (security review F2). Called by the
   * dispatcher, not by handlers.
   */
  async closeTurn(): Promise<void> {
    const recorded = this.recordedTurn
    if (recorded === undefined) return
    this.recordedTurn = undefined
    await this.services.conversations.closeTurn(this.actorOpenId, recorded)
  }

  private async recordTurn(): Promise<void> {
    if (this.turnRecorded) return
    this.recordedTurn = await this.services.conversations.recordTurn(this.actorOpenId, this.eventId, this.before)
    this.turnRecorded = true
  }
}

export interface Toast {
  type: 'info' | 'success' | 'error' | 'warning'
  content: string
}

/** What a card action answers within Feishu's 3 seconds: a toast and/or the card's new content. */
export interface CardActionResult {
  toast?: Toast
  card?: Card
}

/** A button press or form submission on one of the bot's cards. */
export class CardActionContext extends BaseContext {
  private readonly deferred: Array<() => Promise<void>> = []

  constructor(
    services: BotServices,
    eventId: string,
    readonly action: CardAction,
  ) {
    super(services, eventId, action.operatorOpenId)
  }

  /** A string from the button's callback value. */
  valueString(key: string): string | undefined {
    const v = this.action.value[key]
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
  }

  /** A string from the submitted form. */
  formString(name: string): string | undefined {
    const v = this.action.formValue[name]
    return typeof v === 'string' ? v : undefined
  }

  /**
   * Work to do after the answer is sent (notifications, patches of other cards): Feishu waits only 3 seconds.
   * Deferred work still belongs to this event: the event is marked handled only when it has finished.
   */
  defer(work: () => Promise<void>): void {
    this.deferred.push(work)
  }

  takeDeferred(): Array<() => Promise<void>> {
    return this.deferred.splice(0)
  }
}

/** Someone left the company (contact.user.deleted_v3): no actor, the person who left as the subject. */
export class UserLeftContext extends BaseContext {
  constructor(
    services: BotServices,
    eventId: string,
    /** open_id of the person who left. */
    readonly leaverOpenId: string,
  ) {
    super(services, eventId, '')
  }
}

/** A scheduled run (reminders, digests); `eventId` is `periodic:<task>:<minute>`. */
export class PeriodicContext extends BaseContext {
  constructor(
    services: BotServices,
    readonly taskName: string,
    /** The scheduled minute this run stands for (from the injected clock). */
    readonly runAt: Date,
  ) {
    super(services, `periodic:${taskName}:${runAt.toISOString().slice(0, 16)}`, '')
  }

  /** With a key, the uuid is stable across runs of this task (a reminder keyed by case and day posts once). */
  protected override uuid(key?: string): string {
    return key ? idempotencyUuid(`periodic:${this.taskName}`, key) : super.uuid()
  }
}
