// The registry features fill in (one register function per handler file): commands, card actions,
// conversations, roles, live cards and periodic tasks. The dispatcher reads it; nothing here does I/O.
import type {
  BotServices,
  CardActionContext,
  CardActionResult,
  ConversationContext,
  ConversationInput,
  MessageContext,
  PeriodicContext,
  UserLeftContext,
} from './context.js'
import type { LiveCardSpec } from '../kit/live-cards.js'
import type { FileImportRunner } from '../kit/csv-import.js'
import type { Attachment } from '../feishu/updates.js'
import { matchWord, normalizeText, restAsTyped, softNormalize } from './text.js'
import { OUTDATED_ACTION_TOAST, type ActionDef, type PayloadOf } from '../kit/actions.js'

export interface CommandSpec {
  /** Chinese and English command words; matching ignores case, full-width/half-width and surrounding spaces. */
  words: string[]
  /**
   * Other words people use for it (`举报`, `维权` for 投诉): matched like `words`, at the start or inside a short
   * sentence (src/dispatch/intents.ts), but never shown in help; suggestions name the first of `words`.
   */
  synonyms?: string[]
  /**
   * Matched inside a sentence, the command takes the rest of the sentence as its arguments (`我想投诉我们班长` →
   * `我们班长`); otherwise it gets only a case number found in the sentence (or nothing).
   */
  takesText?: boolean
  /**
   * Topic words that make the command a suggestion, never a match (`工资问题` → 您是不是想：投诉): a worker naming the
   * problem is offered the command, not thrown into it.
   */
  hints?: string[]
  /** Case-number prefixes (src/kit/numbers.ts) this command answers about when a message holds only such a number. */
  caseNumbers?: string[]
  /** Shown on the help card, grouped by section. */
  help?: { section: string; usage: string; description: string }
  /** Roles allowed to run it (any of); omitted means everyone. */
  roles?: string[]
  /** Reply to someone without the role; a default polite refusal otherwise. */
  deniedMessage?: string
  handle(ctx: MessageContext): Promise<void>
}

export interface ActionSpec {
  /** Roles allowed to press it (any of); omitted means everyone. Checked before handle(). */
  roles?: string[]
  /** Toast for someone without the role. */
  deniedMessage?: string
  handle(ctx: CardActionContext): Promise<CardActionResult | void>
}

/** A card action with a typed payload (src/kit/actions.ts): the handler gets the value already validated. */
export interface TypedActionSpec<P> extends Omit<ActionSpec, 'handle'> {
  /** Toast for a value that does not fit the schema (outdated or garbled); OUTDATED_ACTION_TOAST otherwise. */
  outdatedMessage?: string
  handle(ctx: CardActionContext, payload: P): Promise<CardActionResult | void>
}

/** The turn handler the dispatcher runs; made from a definition by defineConversation(), not written by hand. */
export interface ConversationFlow {
  /** Also the value of `flow` in the conversation state and in step buttons. */
  name: string
  /** How the user knows it, e.g. "提交诉求", for cancel and expiry notes. */
  title: string
  /** Handles one turn: validate the input for state.step, then re-ask with a hint or advance and prompt. */
  handle(ctx: ConversationContext, input: ConversationInput): Promise<void>
  /** Called after the user cancels (the state is already gone); a default note is sent when absent. */
  onCancel?(ctx: ConversationContext): Promise<void>
  /** The command word that starts it again with text kept after it expired (ConversationSpec.resumeCommand). */
  resumeCommand?: string
  /**
   * Whether the current step would take this input as its answer (not re-ask with a hint): a command typed that
   * the step would not take interrupts the conversation, which is put aside for 继续 (issue #14).
   */
  accepts?(ctx: ConversationContext, input: ConversationInput): Promise<boolean>
  /** Sends the current step's prompt again with a notice (a paused or kept draft taken up again). */
  resume?(ctx: ConversationContext, notice: string): Promise<void>
}

/** What happens when someone leaves the company (contact.user.deleted_v3); must be idempotent (the inbox retries). */
export interface UserLeftHandler {
  name: string
  handle(ctx: UserLeftContext): Promise<void>
}

export interface PeriodicTask {
  name: string
  /** Runs every minute the scheduler ticks; must be idempotent (keys in Postgres), as instances and restarts vary. */
  run(ctx: PeriodicContext): Promise<void>
}

/** Action name of buttons that answer the current conversation step (value: flow, step, answer). */
export { CONVERSATION_ANSWER_ACTION } from './answer-stamp.js'

/** Decides whether a person holds a feature's role; gets the bot's services (database) as the registry does no I/O. */
export type RoleCheck = (openId: string, services: BotServices) => Promise<boolean>

export interface MatchedCommand {
  spec: CommandSpec
  args: string
  argsText: string
  argsTyped: string
}

/**
 * How the bot answers what was not a command (handlers/talk.ts registers it, with the cards): the dispatcher decides
 * what the message means (src/dispatch/intents.ts), these say it. Without them, the plain MESSAGES.unknown.
 */
export interface TalkAnswers {
  /** A greeting or a bare @-mention: a short menu. */
  menu(ctx: MessageContext, why: 'greeting' | 'mention'): Promise<void>
  /** Nothing understood: "您是不是想：" with the suggested command words, or the menu's buttons when none is close. */
  unmatched(ctx: MessageContext, suggestions: readonly string[]): Promise<void>
  /** Text typed after a conversation expired was kept: "您之前的「…」已超时，刚才的内容已为您保留。" with 继续 / 放弃. */
  kept(ctx: MessageContext, title: string): Promise<void>
  /** First private contact (p2p_entered): the welcome card with the person's menu. */
  welcome?(ctx: MessageContext): Promise<void>
  /** A draft was put aside by another command: 「您的「…」还没有完成，已为您保存。」 with 继续刚才的… / 放弃. */
  paused?(ctx: MessageContext, draft: { flow: string; title: string }): Promise<void>
}

/**
 * How a subject type's mass sends go out (src/kit/mass-send.ts): the message to one person, and the summary to the
 * one who asked when everyone has been tried. Both run with a PeriodicContext named `mass-send:<type>`, so a key
 * passed to ctx.sendToUser gives the same uuid on every instance and after a restart.
 */
export interface MassSendSpec {
  /** Sends to one recipient (at the 'low' priority); true when delivered, false when Feishu refused for good. */
  send(ctx: PeriodicContext, subjectId: string, openId: string): Promise<boolean>
  /** Once, when nobody is left pending. */
  finished?(ctx: PeriodicContext, subjectId: string, figures: { total: number; sent: number; gone: number; owner: string }): Promise<void>
}

export class BotRouter {
  private readonly massSendSpecs = new Map<string, MassSendSpec>()
  private talkAnswers: TalkAnswers | undefined
  private readonly commands: Array<{ word: string; spec: CommandSpec; synonym: boolean }> = []
  private readonly specs: CommandSpec[] = []
  private readonly actions = new Map<string, ActionSpec>()
  private readonly flows = new Map<string, ConversationFlow>()
  private readonly periodicTasks: PeriodicTask[] = []
  private readonly liveCardSpecs = new Map<string, LiveCardSpec>()
  private readonly roleDefinitions: Array<{ role: string; check: RoleCheck }> = []
  private readonly guards: Array<{ name: string; guard: CommandGuard }> = []
  private readonly leaverHandlers: UserLeftHandler[] = []
  private readonly fileImports = new Map<string, FileImportRunner>()
  private fileFirstAnswer: FileFirstAnswer | undefined

  command(spec: CommandSpec): void {
    this.specs.push(spec)
    for (const [synonym, words] of [[false, spec.words], [true, spec.synonyms ?? []]] as const) {
      for (const word of words) {
        const w = normalizeText(word)
        if (this.commands.some((c) => c.word === w)) throw new Error(`command word "${word}" registered twice`)
        this.commands.push({ word: w, spec, synonym })
      }
    }
    // Longest words first, so 取消报名 wins over 取消 and 我的诉求 over 诉求.
    this.commands.sort((a, b) => b.word.length - a.word.length)
  }

  /**
   * A card action. Given a definition (defineAction), the click's value is checked against its schema first: an
   * outdated card or a garbled value gets one polite toast here (logged by action name, never the value) and no handler runs.
   */
  action(name: string, spec: ActionSpec): void
  action<D extends ActionDef>(def: D, spec: TypedActionSpec<PayloadOf<D>>): void
  action(nameOrDef: string | ActionDef, spec: ActionSpec | TypedActionSpec<unknown>): void {
    const name = typeof nameOrDef === 'string' ? nameOrDef : nameOrDef.name
    if (this.actions.has(name)) throw new Error(`card action "${name}" registered twice`)
    if (typeof nameOrDef === 'string') return void this.actions.set(name, spec as ActionSpec)
    const typed = spec as TypedActionSpec<unknown>
    this.actions.set(name, {
      ...typed,
      async handle(ctx) {
        const payload = nameOrDef.parse(ctx.action.value)
        if (payload === undefined) {
          ctx.log.info({ eventId: ctx.eventId, action: name }, 'card action refused: payload does not fit its schema')
          return { toast: { type: 'error', content: typed.outdatedMessage ?? OUTDATED_ACTION_TOAST } }
        }
        return typed.handle(ctx, payload)
      },
    })
  }

  /** A conversation made with defineConversation() (src/dispatch/conversation.ts). */
  conversation(definition: { readonly flow: ConversationFlow }): void {
    const flow = definition.flow
    if (this.flows.has(flow.name)) throw new Error(`conversation "${flow.name}" registered twice`)
    this.flows.set(flow.name, flow)
  }

  /** Runs, in registration order, when someone leaves the company (the update kind 'user_left'). */
  onUserLeft(handler: UserLeftHandler): void {
    if (this.leaverHandlers.some((h) => h.name === handler.name)) throw new Error(`user-left handler "${handler.name}" registered twice`)
    this.leaverHandlers.push(handler)
  }

  listUserLeftHandlers(): readonly UserLeftHandler[] {
    return this.leaverHandlers
  }

  periodic(task: PeriodicTask): void {
    this.periodicTasks.push(task)
  }

  /** A role a feature keeps (e.g. representatives); available to CommandSpec.roles and ActionSpec.roles. */
  /**
   * How a subject type's posted cards are drawn (src/kit/live-cards.ts). The first registration also adds the one
   * periodic reconcile for all subject types, at that point of the periodic order.
   */
  liveCard(subjectType: string, spec: LiveCardSpec): void {
    if (this.liveCardSpecs.has(subjectType)) throw new Error(`live card "${subjectType}" registered twice`)
    this.liveCardSpecs.set(subjectType, spec)
    // Cards left behind by a refresh that was cut short (crash, state store down, Open API errors) and private
    // copies: at most ACTIVITY_RECONCILE_MAX_PATCHES a tick, longest-waiting first, the rest next tick.
    if (this.liveCardSpecs.size === 1) this.periodic({ name: 'live-cards', run: (ctx) => ctx.liveCards.reconcile() })
  }

  /** How a subject type's mass sends are sent (src/kit/mass-send.ts); the app's drain loop runs them. */
  massSend(subjectType: string, spec: MassSendSpec): void {
    if (this.massSendSpecs.has(subjectType)) throw new Error(`mass send "${subjectType}" registered twice`)
    this.massSendSpecs.set(subjectType, spec)
  }

  listMassSends(): ReadonlyMap<string, MassSendSpec> {
    return this.massSendSpecs
  }

  listLiveCards(): ReadonlyMap<string, LiveCardSpec> {
    return this.liveCardSpecs
  }

  role(role: string, check: RoleCheck): void {
    this.roleDefinitions.push({ role, check })
  }

  /** The command whose word (or synonym) starts the text; argsTyped is the rest exactly as typed. */
  matchCommand(text: string): MatchedCommand | undefined {
    const normalized = normalizeText(text)
    for (const { word, spec } of this.commands) {
      const args = matchWord(normalized, word)
      if (args !== undefined) {
        const argsTyped = restAsTyped(text, word.length)
        return { spec, args, argsText: softNormalize(argsTyped), argsTyped }
      }
    }
    return undefined
  }

  /** Every command word and synonym, normalized, longest first (for matching inside sentences and near misses). */
  listWords(): ReadonlyArray<{ word: string; spec: CommandSpec; synonym: boolean }> {
    return this.commands
  }

  findAction(name: string): ActionSpec | undefined {
    return this.actions.get(name)
  }

  findFlow(name: string): ConversationFlow | undefined {
    return this.flows.get(name)
  }

  listPeriodic(): readonly PeriodicTask[] {
    return this.periodicTasks
  }

  listRoles(): ReadonlyArray<{ role: string; check: RoleCheck }> {
    return this.roleDefinitions
  }

  /** Every card action with its spec, in registration order (read-only; tests enumerate the role-restricted ones). */
  listActions(): ReadonlyArray<{ name: string; spec: ActionSpec }> {
    return [...this.actions].map(([name, spec]) => ({ name, spec }))
  }

  /** Every command, once each (not once per word), in registration order. */
  listCommands(): readonly CommandSpec[] {
    return [...this.specs]
  }

  /** Help entries in registration order, one per command (not per word). */
  helpEntries(): Array<NonNullable<CommandSpec['help']> & { roles?: string[] }> {
    return this.specs.filter((spec) => spec.help).map((spec) => ({ ...spec.help!, ...(spec.roles ? { roles: spec.roles } : {}) }))
  }

  /**
   * Adds a named check in front of every command handler (e.g. "members only"), after the dispatcher's own role
   * check; guards run in registration order and a guard stops the command by answering without calling next().
   */
  guard(name: string, guard: CommandGuard): void {
    if (this.guards.some((g) => g.name === name)) throw new Error(`guard "${name}" registered twice`)
    this.guards.push({ name, guard })
  }

  /** The answers to greetings, bare mentions and messages not understood (once). */
  talk(answers: TalkAnswers): void {
    if (this.talkAnswers) throw new Error('talk answers registered twice')
    this.talkAnswers = answers
  }

  talkAnswersOf(): TalkAnswers | undefined {
    return this.talkAnswers
  }

  listGuards(): ReadonlyArray<{ name: string; guard: CommandGuard }> {
    return this.guards
  }

  /** A CSV import the file-first offer may run on a file sent before its command (src/kit/csv-import.ts). */
  fileImport(runner: FileImportRunner): void {
    if (this.fileImports.has(runner.name)) throw new Error(`file import "${runner.name}" registered twice`)
    this.fileImports.set(runner.name, runner)
  }

  listFileImports(): readonly FileImportRunner[] {
    return [...this.fileImports.values()]
  }

  findFileImport(name: string): FileImportRunner | undefined {
    return this.fileImports.get(name)
  }

  /** Who answers a file sent privately outside any conversation and command (handlers/imports.ts; once). */
  fileFirst(answer: FileFirstAnswer): void {
    if (this.fileFirstAnswer) throw new Error('file-first answer registered twice')
    this.fileFirstAnswer = answer
  }

  fileFirstOf(): FileFirstAnswer | undefined {
    return this.fileFirstAnswer
  }
}

/** Answers a file sent privately with no conversation waiting for it; false leaves it to the usual answers. */
export type FileFirstAnswer = (ctx: MessageContext, file: Attachment) => Promise<boolean>

/** What a command guard sees: the message, and the command it matched (its roles already checked). */
export interface CommandTurn {
  readonly ctx: MessageContext
  readonly command: CommandSpec
}

/** A guard lets the command run by calling next(), or answers (ctx.reply) and returns without calling it. */
export type CommandGuard = (turn: CommandTurn, next: () => Promise<void>) => Promise<void>
