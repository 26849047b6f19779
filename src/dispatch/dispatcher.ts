// Routes each update to its handler. A message runs through named steps (addressed → seen → boundary →
// conversation → command → roles → the router's guards → handle): group messages only when the bot is @-mentioned,
// private ones to the active conversation first, then the command table, then a friendly fallback. Card actions by
// value.action, after the role check. The boundary step turns typed errors into polite answers.
import { recordBotAdded } from '../core/bot-chats.js'
import { skipRefusal } from '../kit/deliver.js'
import { drainMassSend, finishIfDone, massSendProgress, unfinishedMassSends } from '../kit/mass-send.js'
import type { CardAction, IncomingMessage, Update } from '../feishu/updates.js'
import { BotIdentityUnknownError, LockBusyError, StateUnavailableError, UserFacingError, errorCode } from '../errors.js'
import {
  CardActionContext,
  ConversationContext,
  MessageContext,
  PeriodicContext,
  UserLeftContext,
  type BotServices,
  type CardActionResult,
} from './context.js'
import { compose, type Step } from './pipeline.js'
import { stampMatches } from './answer-stamp.js'
import { resumeKept, resumePaused } from './resume.js'
import { CONVERSATION_ANSWER_ACTION, type BotRouter, type ConversationFlow, type MatchedCommand } from './router.js'
import { MESSAGES } from './messages.js'
import { menuWord } from './menu.js'
import { understand, type Understanding, type UnmatchedReason } from './intents.js'
import { CANCEL_WORDS, RESUME_WORDS, normalizeText, renderMentions, soundsLikeCancel } from './text.js'
import type { ConversationInput } from './context.js'
import { DRAFT_DISCARD, DRAFT_RESUME, PAUSED_DISCARD, PAUSED_RESUME, SAY, SAY_PREPARED } from '../kit/say.js'
import { takePreparedSay } from '../kit/prepared-say.js'
import type { ConversationState } from '../state/conversations.js'


export interface CardActionOutcome {
  result: CardActionResult
  /** Work the handler deferred until after the answer. */
  deferred: Array<() => Promise<void>>
  /**
   * Why the action did not run to its end, when that may pass (state store down, a lock held, an unexpected
   * error): the person who clicked was told by the toast; a recovered action, which nobody sees, is retried.
   */
  transient?: unknown
}

/** The conversation turn an update took, if any: the dispatcher closes it once the update is handled. */
interface TurnHolder {
  ctx?: ConversationContext
}

/** One message on its way through the pipeline: what the steps found so far. */
interface MessageRun {
  readonly ctx: MessageContext
  readonly botOpenId: string | undefined
  /** Set by 'addressed': the message is for the bot (otherwise the update is ignored). */
  addressed: boolean
  /** The conversation turn the message took, if any. */
  readonly turn: TurnHolder
  /** The conversation that timed out since the person last wrote, for the note with the answer. */
  expiredFlow?: ConversationFlow
  /** That conversation's draft as it was (kept in Postgres): 继续 takes it up at the very step. */
  expiredState?: ConversationState
  /** The conversation this message's command interrupted: put aside, offered back after the command's answer. */
  paused?: ConversationFlow
  /** The state store was down when the conversation step looked. */
  stateDown: boolean
  /** Set by 'command'. */
  command?: MatchedCommand
  /** Said for the person by a button (SAY): no conversation takes it as an answer. */
  viaButton?: boolean
}

/** Counts what the intent step made of messages (unionbot_messages_understood_total / _unmatched_total). */
export interface IntentCounters {
  understood(via: string): void
  unmatched(reason: UnmatchedReason): void
}

/** Knows the bot's own open_id (fetched once from bot/v3/info); undefined until Feishu has answered. */
export interface BotIdentity {
  openId(): Promise<string | undefined>
}

/** The least time text kept after an expired conversation stays for 继续 (src/state/conversations.ts). */
export { KEPT_TEXT_MIN_SECONDS } from '../state/conversations.js'

/** Where the conversation step left a message. */
type RouteOutcome =
  | { kind: 'handled' }
  | { kind: 'none' }
  | { kind: 'expired'; flow: ConversationFlow; state?: ConversationState }
  | { kind: 'paused'; flow: ConversationFlow }
const HANDLED: RouteOutcome = { kind: 'handled' }
const NONE: RouteOutcome = { kind: 'none' }

/** A text as if `openId` had typed it in private chat with the bot (said by a button), with the people it @-mentions. */
function typedMessage(openId: string, text: string, mentions: IncomingMessage['mentions'] = []): IncomingMessage {
  return { messageId: '', chatId: '', chatType: 'p2p', senderOpenId: openId, messageType: 'text', rawText: text, mentions, attachments: [], createTime: 0 }
}

export class Dispatcher {
  constructor(
    private readonly router: BotRouter,
    private readonly services: BotServices,
    private readonly identity: BotIdentity,
    private readonly counters?: IntentCounters,
  ) {}

  /**
   * Handles an update taken from the inbox (messages, menu, bot added; card actions only when recovered).
   * Resolves 'ignored' for messages not addressed to the bot.
   */
  async handleUpdate(update: Update): Promise<'handled' | 'ignored'> {
    switch (update.kind) {
      case 'message':
        return this.onMessage(update.eventId, update.message)
      case 'bot_menu':
        // A menu item behaves like its command typed in private chat: the key's word (BOT_MENU_KEYS, README), or the
        // key itself (a console set up with command words as keys, such as "帮助").
        return this.onMessage(update.eventId, {
          messageId: '',
          chatId: '',
          chatType: 'p2p',
          senderOpenId: update.operatorOpenId,
          messageType: 'text',
          rawText: menuWord(update.eventKey),
          mentions: [],
          attachments: [],
          createTime: 0,
        })
      case 'bot_added':
        await this.onBotAdded(update.eventId, update.chatId, update.chatName, update.operatorOpenId)
        return 'handled'
      case 'p2p_entered':
        // First private contact: the welcome card with the person's menu (a later visit: nothing).
        if (update.firstTime) await this.onFirstContact(update.eventId, update.openId, update.chatId)
        return 'handled'
      case 'user_left':
        // Each feature's handler runs; one that fails propagates, so the inbox retries (the handlers are idempotent).
        for (const h of this.router.listUserLeftHandlers()) await h.handle(new UserLeftContext(this.services, update.eventId, update.openId))
        return 'handled'
      case 'card_action': {
        // Recovery after a crash: nobody waits for the answer any more, but the effects must still happen.
        const outcome = await this.handleCardAction(update.eventId, update.action)
        // Nobody saw the toast: a failure that may pass is thrown, so the inbox tries again later.
        if (outcome.transient !== undefined) throw outcome.transient
        for (const work of outcome.deferred) await work()
        return 'handled'
      }
    }
  }

  /** Tells the user their message could not be handled, after the last retry failed. */
  async notifyGivingUp(update: Update): Promise<void> {
    // The event will not run again: a turn it left half-done keeps no conversation data (security review F2).
    const person = update.kind === 'message' ? update.message.senderOpenId : update.kind === 'card_action' ? update.action.operatorOpenId : undefined
    if (person) await this.services.conversations.abandonTurn(person, update.eventId).catch(() => undefined)
    if (update.kind !== 'message' || !update.message.messageId) return
    await this.services.outbound
      .reply(update.message.messageId, { text: MESSAGES.failed }, { uuid: `fail-${update.eventId}`.slice(0, 50), chatId: update.message.chatId })
      .catch(() => undefined)
  }

  private async onMessage(eventId: string, message: IncomingMessage, viaButton = false): Promise<'handled' | 'ignored'> {
    // Most of a busy group's traffic is chatter that mentions nobody: it is not for the bot (the 'addressed' rule),
    // and answering that before building a context keeps ingest cheap (bench: `npm run bench -- ingest`).
    if (!mayBeAddressed(message)) return 'ignored'
    const botOpenId = await this.identity.openId()
    const text = renderMentions(message.rawText, message.mentions, botOpenId)
    const mentions = message.mentions.filter((m) => m.openId && m.openId !== botOpenId)
    const run: MessageRun = {
      ctx: new MessageContext(this.services, eventId, message, text, normalizeText(text), mentions),
      botOpenId,
      addressed: false,
      turn: {},
      stateDown: false,
      viaButton,
    }
    await this.messagePipeline()(run)
    if (!run.addressed) return 'ignored'
    // Handled (an error that makes the inbox retry has propagated above): the turn, if any, is over.
    await this.closeTurn(run.turn, eventId)
    return 'handled'
  }

  /** The composed message pipeline and how many router guards it was built with. */
  private builtPipeline?: { guards: number; run: (run: MessageRun) => Promise<void> }

  /**
   * The steps every message goes through, in order; the router's guards (router.guard) run between the role check
   * and the handler. Built once and again only when a guard was registered since (guards are only ever added), so
   * guards registered after the dispatcher was made take part too, without rebuilding the steps for every message.
   */
  private messagePipeline(): (run: MessageRun) => Promise<void> {
    const registered = this.router.listGuards().length
    if (this.builtPipeline?.guards !== registered) this.builtPipeline = { guards: registered, run: this.composeMessagePipeline() }
    return this.builtPipeline.run
  }

  private composeMessagePipeline(): (run: MessageRun) => Promise<void> {
    const guards: Array<Step<MessageRun>> = this.router.listGuards().map(({ name, guard }) => ({
      name: `guard:${name}`,
      run: (run, next) => guard({ ctx: run.ctx, command: run.command!.spec }, next),
    }))
    return compose<MessageRun>([
      { name: 'addressed', run: (run, next) => this.addressedStep(run, next) },
      { name: 'seen', run: (run, next) => this.seenStep(run, next) },
      { name: 'boundary', run: (run, next) => this.messageBoundary(run.ctx, next) },
      { name: 'conversation', run: (run, next) => this.conversationStep(run, next) },
      { name: 'command', run: (run, next) => this.commandStep(run, next) },
      { name: 'roles', run: (run, next) => this.rolesStep(run, next) },
      ...guards,
      { name: 'handle', run: (run) => this.handleStep(run) },
    ])
  }

  /** Group messages count only when they @-mention the bot; private ones always. */
  private async addressedStep(run: MessageRun, next: () => Promise<void>): Promise<void> {
    const message = run.ctx.message
    if (!mayBeAddressed(message)) return
    if (message.chatType === 'group') {
      // Without our own open_id we cannot tell whom the mention is for: fail, so the inbox retries later.
      if (!run.botOpenId) throw new BotIdentityUnknownError()
      if (!message.mentions.some((m) => m.openId === run.botOpenId)) return
    }
    run.addressed = true
    await next()
  }

  private async seenStep(run: MessageRun, next: () => Promise<void>): Promise<void> {
    await this.services.users.seen(run.ctx.actorOpenId)
    await next()
  }

  /** Private chat: the active conversation takes the message first (or its expiry is noted for the reply). */
  private async conversationStep(run: MessageRun, next: () => Promise<void>): Promise<void> {
    if (run.ctx.message.chatType === 'p2p' && !run.viaButton) {
      try {
        const outcome = await this.routeToConversation(run.ctx, run.turn)
        if (outcome.kind === 'handled') return
        if (outcome.kind === 'expired') {
          run.expiredFlow = outcome.flow
          if (outcome.state) run.expiredState = outcome.state
        }
        if (outcome.kind === 'paused') run.paused = outcome.flow
      } catch (err) {
        if (!(err instanceof StateUnavailableError)) throw err
        run.stateDown = true
      }
    }
    try {
      await next()
    } finally {
      // After the interrupting command's answer (or its refusal): the draft put aside, with 继续刚才的… / 放弃 (issue #14).
      if (run.paused) await this.offerPaused(run.ctx, run.paused)
    }
  }

  private async offerPaused(ctx: MessageContext, flow: ConversationFlow): Promise<void> {
    const talk = this.router.talkAnswersOf()
    if (talk?.paused) return talk.paused(ctx, { flow: flow.name, title: flow.title })
    await ctx.replyPrivately({ text: MESSAGES.paused(flow.title) }, { key: 'paused-note' })
  }

  /**
   * The intent step: a command word at the start, a command word or synonym inside a short sentence, a case number
   * anywhere (src/dispatch/intents.ts); otherwise a greeting or bare @-mention gets the menu, and anything else the
   * closest commands ("您是不是想："), counted by reason, never a bare "没听懂".
   */
  private async commandStep(run: MessageRun, next: () => Promise<void>): Promise<void> {
    const { ctx } = run
    const understood = await this.understandFor(ctx)
    if (understood.kind !== 'command') {
      if (run.stateDown) return void (await ctx.reply({ text: MESSAGES.stateDown }))
      // 取消 with nothing in progress: say so kindly, rather than "没听懂" (issue #14).
      if (soundsLikeCancel(ctx.normalized)) {
        this.counters?.understood('cancel')
        return void (await ctx.reply({ text: run.expiredFlow ? MESSAGES.expired(run.expiredFlow.title) : MESSAGES.nothingToCancel }))
      }
      // A file sent before its import's command (QA F13): offered to the imports the sender may run, not the menu.
      const file = ctx.message.chatType === 'p2p' && !run.viaButton ? ctx.attachments.find((a) => a.kind === 'file') : undefined
      const fileFirst = file ? this.router.fileFirstOf() : undefined
      if (file && fileFirst && (await fileFirst(ctx, file))) return
      const talk = this.router.talkAnswersOf()
      if (run.expiredFlow) {
        // What was typed may be the answer the expired step waited for: keep it rather than lose it (issue #14).
        if (talk && understood.kind === 'unmatched' && run.expiredFlow.resumeCommand && ctx.message.chatType === 'p2p') {
          // Kept as long as a live draft may sit in the store, and at least a minute to click 继续 (docs/security.md:
          // it may be an anonymous reporter's words; keyed by personKey, never the open_id; 继续 / 放弃 erase it).
          await this.services.conversations.keep(ctx.actorOpenId, {
            flow: run.expiredFlow.name,
            text: ctx.text,
            ...(run.expiredState ? { state: run.expiredState } : {}),
          })
          this.counters?.unmatched('kept')
          return talk.kept(ctx, run.expiredFlow.title)
        }
        return void (await ctx.reply({ text: MESSAGES.expired(run.expiredFlow.title) }))
      }
      if (understood.kind === 'menu') {
        this.counters?.understood(understood.why)
        if (talk) return talk.menu(ctx, understood.why)
        return void (await ctx.reply({ text: MESSAGES.unknown }))
      }
      this.counters?.unmatched(understood.reason)
      if (talk) return talk.unmatched(ctx, understood.suggestions.map((s) => s.word))
      return void (await ctx.reply({ text: MESSAGES.unknown }))
    }
    if (understood.via !== 'word') this.counters?.understood(understood.via)
    if (run.expiredFlow) await ctx.replyPrivately({ text: MESSAGES.expired(run.expiredFlow.title) }, { key: 'expired-note' })
    run.command = understood
    await next()
  }

  /**
   * What the message means for this person (F33): a command found inside a sentence or by a case number, and the
   * suggestions, only among the commands their roles allow. The roles are looked up only when the answer names a
   * restricted command; a command word typed at the start is taken as typed (the role step answers it).
   */
  private async understandFor(ctx: MessageContext): Promise<Understanding> {
    const first = understand(this.router, ctx.text, ctx.mentions)
    const named = new Set<string>()
    if (first.kind === 'command' && first.via !== 'word') for (const r of first.spec.roles ?? []) named.add(r)
    if (first.kind === 'unmatched') for (const s of first.suggestions) for (const r of s.spec.roles ?? []) named.add(r)
    if (named.size === 0) return first
    const held = new Set<string>()
    for (const role of named) if (await this.services.roles.hasAny(ctx.actorOpenId, [role])) held.add(role)
    if (held.size === named.size) return first
    // Roles not looked up (a command the first answer did not name) count as not held: never offered by mistake.
    return understand(this.router, ctx.text, ctx.mentions, { mayUse: (spec) => !spec.roles?.length || spec.roles.some((r) => held.has(r)) })
  }

  private async rolesStep(run: MessageRun, next: () => Promise<void>): Promise<void> {
    const spec = run.command!.spec
    if (spec.roles && !(await this.services.roles.hasAny(run.ctx.actorOpenId, spec.roles))) {
      return void (await run.ctx.reply({ text: spec.deniedMessage ?? MESSAGES.denied }))
    }
    await next()
  }

  private async handleStep(run: MessageRun): Promise<void> {
    const matched = run.command!
    run.ctx.args = matched.args
    run.ctx.argsText = matched.argsText
    run.ctx.argsTyped = matched.argsTyped
    await matched.spec.handle(run.ctx)
  }

  /** Drops the state from a finished turn's record; on failure the record simply expires with its TTL. */
  private async closeTurn(turn: TurnHolder, eventId: string): Promise<void> {
    try {
      await turn.ctx?.closeTurn()
    } catch (err) {
      this.services.log.warn({ eventId, code: errorCode(err) }, 'conversation turn not closed; its record expires with its TTL')
    }
  }

  /** The deferred task that closes a card action's conversation turn, to run after the action's own deferred work. */
  private closingTurn(turn: TurnHolder, eventId: string): Array<() => Promise<void>> {
    return turn.ctx ? [() => this.closeTurn(turn, eventId)] : []
  }

  /**
   * 'handled' when an active conversation took the message; 'expired' (with its draft when kept); 'paused' when the
   * message is another command the step would not take (the draft is put aside and the command runs); or 'none'.
   */
  private async routeToConversation(ctx: MessageContext, holder: TurnHolder): Promise<RouteOutcome> {
    // This very message already moved the conversation on (the inbox runs it again). If its turn ran to its end,
    // there is nothing left to do; if it was cut short, replay it from where it started — unless the person has
    // started another conversation since, which the old turn must leave alone.
    const turn = await this.services.conversations.replayOf(ctx.actorOpenId, ctx.eventId)
    if (turn?.status === 'done') return HANDLED
    if (turn && !turn.current) {
      // That turn will never be replayed: its state goes now rather than in an hour.
      await this.services.conversations.abandonTurn(ctx.actorOpenId, ctx.eventId)
      return HANDLED
    }
    const replay = turn?.before
    const loaded = replay ? { status: 'active' as const, state: replay } : await this.services.conversations.load(ctx.actorOpenId)
    if (loaded.status === 'none') return NONE
    if (loaded.status === 'expired') {
      const expired = this.router.findFlow(loaded.flow)
      return expired ? { kind: 'expired', flow: expired, ...(loaded.state ? { state: loaded.state } : {}) } : NONE
    }
    const flow = this.router.findFlow(loaded.state.flow)
    if (!flow) {
      if (replay) await this.services.conversations.abandonTurn(ctx.actorOpenId, ctx.eventId)
      else await this.services.conversations.end(ctx.actorOpenId)
      return NONE
    }
    let paused = false
    await this.services.locks.withPersonLock(ctx.actorOpenId, async () => {
      // Re-read under the lock: a button on another instance may have moved the conversation meanwhile.
      const current = replay ? loaded : await this.services.conversations.load(ctx.actorOpenId)
      if (current.status !== 'active' || current.state.flow !== flow.name) {
        await ctx.reply({ text: MESSAGES.stepGone })
        return
      }
      const convCtx = new ConversationContext(this.services, ctx.eventId, ctx.actorOpenId, current.state)
      holder.ctx = convCtx
      if (CANCEL_WORDS.includes(ctx.normalized)) {
        await convCtx.finish()
        if (flow.onCancel) await flow.onCancel(convCtx)
        else await convCtx.say({ text: MESSAGES.cancelled(flow.title) })
        return
      }
      const input = {
        text: ctx.text,
        normalized: ctx.normalized,
        attachments: ctx.attachments,
        viaButton: false,
        ...(ctx.message.messageId ? { messageId: ctx.message.messageId } : {}),
      }
      if (!replay && (await this.interrupts(ctx, flow, convCtx, input))) {
        // Another command the step would not take: the draft is put aside (Postgres) and the command runs.
        paused = await this.services.conversations.pause(ctx.actorOpenId, current.state)
        if (paused) return
      }
      await flow.handle(convCtx, input)
    })
    return paused ? { kind: 'paused', flow } : HANDLED
  }

  /**
   * Whether a message typed during a conversation is another command rather than an answer: it starts with a
   * command word (not the flow's own start command, which the flow handles), and the current step would re-ask.
   */
  private async interrupts(ctx: MessageContext, flow: ConversationFlow, convCtx: ConversationContext, input: ConversationInput): Promise<boolean> {
    if (!flow.accepts || !this.services.conversations.canPause || input.attachments.length > 0) return false
    const command = this.router.matchCommand(ctx.text)
    if (!command || RESUME_WORDS.some((w) => this.router.matchCommand(w)?.spec === command.spec)) return false
    if (flow.resumeCommand && command.spec === this.router.matchCommand(flow.resumeCommand)?.spec) return false
    return !(await flow.accepts(convCtx, input))
  }

  /** Answers a card action (the result goes back in the HTTP response) and returns its deferred work. */
  async handleCardAction(eventId: string, action: CardAction): Promise<CardActionOutcome> {
    const ctx = new CardActionContext(this.services, eventId, action)
    // A conversation turn taken by this click is closed after all its deferred work, whatever the outcome: the HTTP
    // path marks the click done anyway, and a recovered click that failed for a passing reason throws before it.
    const turn: TurnHolder = {}
    try {
      await this.services.users.seen(action.operatorOpenId)
      if (action.name === SAY.name) return this.sayForPerson(eventId, action)
      if (action.name === SAY_PREPARED.name) return await this.sayPrepared(eventId, action)
      if (action.name === DRAFT_RESUME.name || action.name === DRAFT_DISCARD.name) return await this.answerKept(eventId, action)
      if (action.name === PAUSED_RESUME.name || action.name === PAUSED_DISCARD.name) return await this.answerPaused(eventId, action)
      if (action.name === CONVERSATION_ANSWER_ACTION) {
        const result = await this.answerConversationByButton(ctx, turn)
        return { result, deferred: [...ctx.takeDeferred(), ...this.closingTurn(turn, eventId)] }
      }
      const spec = this.router.findAction(action.name)
      if (!spec) return { result: { toast: { type: 'error', content: MESSAGES.actionUnknown } }, deferred: [] }
      if (spec.roles && !(await this.services.roles.hasAny(ctx.actorOpenId, spec.roles))) {
        this.services.log.info({ eventId, action: action.name }, 'card action refused: role')
        return { result: { toast: { type: 'error', content: spec.deniedMessage ?? MESSAGES.actionDenied } }, deferred: [] }
      }
      const result = (await spec.handle(ctx)) ?? {}
      return { result, deferred: ctx.takeDeferred() }
    } catch (err) {
      // A busy lock (held elsewhere, e.g. by a process that died holding it) passes; user-facing answers are final.
      const closing = this.closingTurn(turn, eventId)
      if (err instanceof UserFacingError) return { result: { toast: { type: 'error', content: err.userMessage } }, deferred: closing }
      if (err instanceof LockBusyError) return { result: { toast: { type: 'error', content: MESSAGES.busy } }, deferred: closing, transient: err }
      if (err instanceof StateUnavailableError) return { result: { toast: { type: 'error', content: MESSAGES.stateDown } }, deferred: closing, transient: err }
      this.services.log.error({ eventId, action: action.name, code: errorCode(err) }, 'card action failed')
      return { result: { toast: { type: 'error', content: MESSAGES.actionFailed } }, deferred: closing, transient: err }
    }
  }

  /**
   * 继续 on the kept-text card: the expired draft is taken up at its very step with the kept text as the answer
   * (or, for a draft that did not survive, `<resumeCommand> <text>` starts the flow again); 放弃: erased.
   */
  private async answerKept(eventId: string, action: CardAction): Promise<CardActionOutcome> {
    const openId = action.operatorOpenId
    if (action.name === DRAFT_DISCARD.name) {
      const had = await this.services.conversations.kept(openId)
      await this.services.conversations.dropKept(openId)
      return { result: { toast: had ? { type: 'info', content: MESSAGES.draftDiscarded } : { type: 'warning', content: MESSAGES.draftGone } }, deferred: [] }
    }
    if (!(await this.services.conversations.kept(openId))) return { result: { toast: { type: 'warning', content: MESSAGES.draftGone } }, deferred: [] }
    return {
      result: {},
      deferred: [
        async () => {
          const outcome = await resumeKept(this.services, this.router, eventId, openId)
          if (typeof outcome === 'object') await this.onMessage(eventId, typedMessage(openId, outcome.restart), true)
        },
      ],
    }
  }

  /** 继续刚才的… / 放弃 on the card offered after a command interrupted a draft. */
  private async answerPaused(eventId: string, action: CardAction): Promise<CardActionOutcome> {
    const openId = action.operatorOpenId
    const which = (action.name === PAUSED_RESUME.name ? PAUSED_RESUME : PAUSED_DISCARD).parse(action.value)
    const flow = which ? this.router.findFlow(which.flow) : undefined
    if (!which || !flow || !(await this.services.conversations.paused(openId, flow.name))) {
      return { result: { toast: { type: 'warning', content: MESSAGES.draftGone } }, deferred: [] }
    }
    if (action.name === PAUSED_DISCARD.name) {
      await this.services.conversations.dropPaused(openId, flow.name)
      return { result: { toast: { type: 'info', content: MESSAGES.draftDiscarded } }, deferred: [] }
    }
    return { result: {}, deferred: [async () => void (await resumePaused(this.services, this.router, eventId, openId, flow.name))] }
  }

  /** After the click is answered, `text` runs as if the clicker had typed it in private chat with the bot. */
  private typedAfterAnswer(eventId: string, openId: string, text: string): CardActionOutcome {
    return { result: {}, deferred: [async () => void (await this.onMessage(eventId, typedMessage(openId, text), true))] }
  }

  /**
   * A menu or suggestion button: its command word runs after the answer as if typed in private chat (answers go
   * privately wherever the card was, which keeps a grievance out of a group). Only a command word is said: a forged
   * value cannot make the bot say anything else.
   */
  private sayForPerson(eventId: string, action: CardAction): CardActionOutcome {
    const said = SAY.parse(action.value)
    const matched = said ? this.router.matchCommand(said.text) : undefined
    if (!said || !matched || matched.args !== '') return { result: { toast: { type: 'error', content: MESSAGES.actionUnknown } }, deferred: [] }
    return this.typedAfterAnswer(eventId, action.operatorOpenId, said.text)
  }

  /** A command the bot wrote down for the clicker (src/kit/prepared-say.ts), run with the people it resolved. */
  private async sayPrepared(eventId: string, action: CardAction): Promise<CardActionOutcome> {
    const said = SAY_PREPARED.parse(action.value)
    const openId = action.operatorOpenId
    const prepared = said ? await takePreparedSay(this.services.state, this.services.conversations.personKey(openId), said.id, said.n ?? 0) : undefined
    if (!prepared) return { result: { toast: { type: 'warning', content: MESSAGES.draftGone } }, deferred: [] }
    const mentions = prepared.people.map((p) => ({ key: p.key, openId: p.openId, name: p.name }))
    return { result: {}, deferred: [async () => void (await this.onMessage(eventId, typedMessage(openId, prepared.text, mentions), true))] }
  }

  private async answerConversationByButton(ctx: CardActionContext, holder: TurnHolder): Promise<CardActionResult> {
    const flowName = ctx.valueString('flow')
    const step = ctx.valueString('step')
    const answer = ctx.valueString('answer') ?? ''
    const flow = flowName ? this.router.findFlow(flowName) : undefined
    if (!flow) return { toast: { type: 'warning', content: MESSAGES.stepGone } }
    let stale = false
    let done = false
    // The step's answer runs now (under the user's lock) so its prompt follows at once; Feishu shows the toast.
    await this.services.locks.withPersonLock(ctx.actorOpenId, async () => {
      // A re-run of a click that already moved the conversation on: nothing to do if its turn ran to its end;
      // replayed from where it started if it was cut short (unless a newer conversation has begun since: then the
      // click is simply out of date).
      const turn = await this.services.conversations.replayOf(ctx.actorOpenId, ctx.eventId)
      if (turn?.status === 'done') {
        done = true
        return
      }
      if (turn && !turn.current) {
        stale = true
        await this.services.conversations.abandonTurn(ctx.actorOpenId, ctx.eventId)
        return
      }
      const replay = turn?.before
      const loaded = replay ? { status: 'active' as const, state: replay } : await this.services.conversations.load(ctx.actorOpenId)
      // The button must have been drawn for this very draft: same conversation, same revision (answer-stamp.ts).
      const drawnFor = { cid: ctx.valueString('cid'), rev: ctx.valueString('rev') }
      if (loaded.status !== 'active' || loaded.state.flow !== flow.name || loaded.state.step !== step || !stampMatches(drawnFor, loaded.state)) {
        stale = true
        if (replay) await this.services.conversations.abandonTurn(ctx.actorOpenId, ctx.eventId)
        return
      }
      const convCtx = new ConversationContext(this.services, ctx.eventId, ctx.actorOpenId, loaded.state)
      holder.ctx = convCtx
      if (CANCEL_WORDS.includes(normalizeText(answer))) {
        await convCtx.finish()
        ctx.defer(async () => {
          if (flow.onCancel) await flow.onCancel(convCtx)
          else await convCtx.say({ text: MESSAGES.cancelled(flow.title) })
        })
        return
      }
      await flow.handle(convCtx, { text: answer, normalized: normalizeText(answer), attachments: [], viaButton: true })
    })
    // A click whose turn already took effect is only ever a recovered one: nobody sees its answer.
    if (done) return {}
    return stale ? { toast: { type: 'warning', content: MESSAGES.stepGone } } : {}
  }

  private async onBotAdded(eventId: string, chatId: string, chatName: string, operatorOpenId: string | undefined): Promise<void> {
    await recordBotAdded(this.services.db, { chatId, name: chatName, addedBy: operatorOpenId })
    const welcome = this.router.matchCommand('帮助')
    if (!welcome) return
    // Greet the group with the help card, as if someone had asked for it.
    const ctx = new MessageContext(
      this.services,
      eventId,
      { messageId: '', chatId, chatType: 'group', senderOpenId: operatorOpenId ?? '', messageType: 'text', rawText: '', mentions: [], attachments: [], createTime: 0 },
      '',
      '',
      [],
    )
    await this.messageBoundary(ctx, () => welcome.spec.handle(ctx))
  }

  private async onFirstContact(eventId: string, openId: string, chatId: string): Promise<void> {
    const welcome = this.router.talkAnswersOf()?.welcome
    if (!welcome) return
    const ctx = new MessageContext(
      this.services,
      eventId,
      { messageId: '', chatId, chatType: 'p2p', senderOpenId: openId, messageType: 'text', rawText: '', mentions: [], attachments: [], createTime: 0 },
      '',
      '',
      [],
    )
    await this.messageBoundary(ctx, () => welcome(ctx))
  }

  /** Runs every periodic task for one scheduler tick; one failing task does not stop the others. */
  async runPeriodic(now: Date): Promise<void> {
    for (const task of this.router.listPeriodic()) {
      const ctx = new PeriodicContext(this.services, task.name, now)
      try {
        await task.run(ctx)
      } catch (err) {
        this.services.log.error({ task: task.name, code: errorCode(err) }, 'periodic task failed')
      }
    }
  }

  /**
   * One round of every unfinished mass send this router knows (src/kit/mass-send.ts): claims recipients in batches
   * and sends until none is left to claim or `stopped()`; the one round that finds nobody pending sends the summary.
   * Every instance runs this in a loop (src/app.ts), so they share the work.
   */
  async runMassSends(opts: { by: string; batch: number; leaseSeconds: number; stopped: () => boolean }): Promise<void> {
    const specs = this.router.listMassSends()
    for (const send of await unfinishedMassSends(this.services.db, [...specs.keys()])) {
      if (opts.stopped()) return
      const spec = specs.get(send.subject_type)!
      const ctx = new PeriodicContext(this.services, `mass-send:${send.subject_type}`, this.services.clock.now())
      try {
        await drainMassSend(this.services.db, send, (openId) => spec.send(ctx, send.subject_id, openId), { ...opts, now: () => this.services.clock.now() })
        const finished = await finishIfDone(this.services.db, send.id, this.services.clock.now())
        if (finished) {
          const p = await massSendProgress(this.services.db, finished)
          this.services.log.info({ massSend: finished.id, subjectType: finished.subject_type, total: p.total, sent: p.sent, gone: p.gone }, 'mass send finished')
          await spec.finished?.(ctx, finished.subject_id, { total: p.total, sent: p.sent, gone: p.gone, owner: finished.owner_open_id })
        }
      } catch (err) {
        this.services.log.error({ massSend: send.id, subjectType: send.subject_type, code: errorCode(err) }, 'mass send round failed')
      }
    }
  }

  /** Typed errors become polite replies; unexpected ones propagate so the inbox retries the event. */
  private async messageBoundary(ctx: MessageContext, fn: () => Promise<void>): Promise<void> {
    try {
      await fn()
    } catch (err) {
      if (err instanceof UserFacingError) return this.safeReply(ctx, err.userMessage)
      if (err instanceof LockBusyError) return this.safeReply(ctx, MESSAGES.busy)
      if (err instanceof StateUnavailableError) return this.safeReply(ctx, MESSAGES.stateDown)
      if (skipRefusal(ctx, 'message', err)) return
      throw err
    }
  }

  private async safeReply(ctx: MessageContext, text: string): Promise<void> {
    try {
      await ctx.reply({ text }, { key: 'error-reply' })
    } catch (err) {
      this.services.log.warn({ eventId: ctx.eventId, code: errorCode(err) }, 'could not send error reply')
    }
  }
}

/** A group message can be for the bot only when it @-mentions someone (whom: the 'addressed' step checks). */
function mayBeAddressed(message: IncomingMessage): boolean {
  return message.chatType !== 'group' || message.mentions.length > 0
}
