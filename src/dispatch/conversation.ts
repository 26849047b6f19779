// Typed, versioned conversation definitions: a flow is its steps, each with a prompt and a parse that returns the
// next step or a hint; the router turns a definition into the turn handler the dispatcher runs. The stored data is
// read back through the definition's own reader, and a state of another version is dropped with a note.
import type { BaseContext, ConversationContext, ConversationInput } from './context.js'
import type { ConversationFlow } from './router.js'
import type { ConversationState } from '../state/conversations.js'

/** Said with a re-asked step: what was wrong (hint), or what was taken in while the step stays (notice). */
export type StepNote = { hint: string } | { notice: string }

/** What a step makes of one answer. */
export type StepOutcome<D, S extends string> =
  /** Saves data, moves to `next` and sends its prompt in the same turn. */
  | { next: S; data: D }
  /** Stays at the step and re-asks with the hint (saving `data` first when given: e.g. attachments kept). */
  | { hint: string; data?: D }
  /** Stays at the step, saves `data` and re-prompts with a notice (something was received, more is needed). */
  | { notice: string; data: D }
  /** Anything else (filing, a restart): runs with the flow's controls; it advances or finishes itself. */
  | { run: (ctx: ConversationContext, flow: FlowControls<D, S>) => Promise<void> }

export interface StepDefinition<D, S extends string> {
  /** Sends the step's question (card or text); with a note when re-asked. */
  prompt(ctx: ConversationContext, data: D, note?: StepNote): Promise<void>
  /** Reads one answer (typed, or a step button's answer). */
  parse(input: ConversationInput, data: D, ctx: ConversationContext): StepOutcome<D, S> | Promise<StepOutcome<D, S>>
}

/** What a `run` outcome may do besides the context's say / advance / finish. */
export interface FlowControls<D, S extends string> {
  /** Saves data, moves to the step and sends its prompt. */
  goTo(step: S, data: D): Promise<void>
  /** Sends the step's prompt with a note, saving nothing. */
  reask(step: S, data: D, note: StepNote): Promise<void>
}

export interface ConversationSpec<D extends object, S extends string> {
  /** Also the value of `flow` in the stored state and in step buttons. */
  name: string
  /** How the user knows it, e.g. "提交诉求", for cancel and expiry notes. */
  title: string
  /** Version of the data shape: a stored state of any other version is dropped (the person is told `outdated`). */
  version: number
  /** The step a conversation starts at. */
  initial: S
  steps: { readonly [K in S]: StepDefinition<D, S> }
  /** Reads the stored data back into D; undefined for data this version cannot use (dropped like another version). */
  read(data: Record<string, unknown>, ctx: ConversationContext): D | undefined
  /** Said when a stored state is dropped (another version, unreadable data, or a step without a rule below). */
  outdated: string
  /** Where a stored step this version does not know leads (e.g. back to the start); dropped when absent. */
  unknownStep?(data: D): { next: S; data: D }
  /** Looks at every answer before the step does (e.g. the start command typed again); undefined lets the step parse. */
  intercept?(input: ConversationInput, data: D, step: S): StepOutcome<D, S> | undefined
  /** Called after the person cancels (the state is already gone); a default note is sent when absent. */
  onCancel?(ctx: ConversationContext): Promise<void>
  /**
   * The command word that starts the conversation again with text kept after it expired (继续 on the
   * 「…已超时，刚才的内容已为您保留」 card runs `<word> <kept text>`); without it, nothing is kept.
   */
  resumeCommand?: string
}

/** A definition the router can register (router.conversation) and commands can start. */
export interface ConversationDefinition<D extends object, S extends string> extends ConversationSpec<D, S> {
  /** The turn handler the dispatcher runs for this conversation. */
  readonly flow: ConversationFlow
  /** Starts the conversation with the sender at `step` (the initial one unless given); the command sends the prompt. */
  start(ctx: BaseContext, data: D, step?: S): Promise<ConversationState>
}

export function defineConversation<D extends object, S extends string>(spec: ConversationSpec<D, S>): ConversationDefinition<D, S> {
  const has = (step: string): step is S => Object.prototype.hasOwnProperty.call(spec.steps, step)
  // The one place typed data meets the stored JSON object: D is a plain object the definition's reader checks.
  const stored = (data: D) => ({ ...data }) as Record<string, unknown>
  const prompt = (ctx: ConversationContext, step: S, data: D, note?: StepNote) => spec.steps[step].prompt(ctx, data, note)

  const controls = (ctx: ConversationContext): FlowControls<D, S> => ({
    async goTo(step, data) {
      await ctx.advance(step, stored(data))
      await prompt(ctx, step, data)
    },
    reask: (step, data, note) => prompt(ctx, step, data, note),
  })

  async function apply(ctx: ConversationContext, step: S, data: D, outcome: StepOutcome<D, S>): Promise<void> {
    const flow = controls(ctx)
    if ('run' in outcome) return outcome.run(ctx, flow)
    if ('next' in outcome) return flow.goTo(outcome.next, outcome.data)
    if ('notice' in outcome) {
      await ctx.advance(step, stored(outcome.data))
      return prompt(ctx, step, outcome.data, { notice: outcome.notice })
    }
    if (outcome.data !== undefined) {
      await ctx.advance(step, stored(outcome.data))
      return prompt(ctx, step, outcome.data, { hint: outcome.hint })
    }
    return prompt(ctx, step, data, { hint: outcome.hint })
  }

  const flow: ConversationFlow = {
    name: spec.name,
    title: spec.title,
    async handle(ctx, input) {
      const data = ctx.state.v === spec.version ? spec.read(ctx.state.data, ctx) : undefined
      const step = ctx.state.step
      if (data === undefined || (!has(step) && !spec.unknownStep)) {
        await ctx.finish()
        await ctx.say({ text: spec.outdated })
        return
      }
      if (!has(step)) {
        // A step this version does not know: start over where the definition says rather than guess.
        const restart = spec.unknownStep!(data)
        return controls(ctx).goTo(restart.next, restart.data)
      }
      const outcome = spec.intercept?.(input, data, step) ?? (await spec.steps[step].parse(input, data, ctx))
      await apply(ctx, step, data, outcome)
    },
    async accepts(ctx, input) {
      const data = ctx.state.v === spec.version ? spec.read(ctx.state.data, ctx) : undefined
      const step = ctx.state.step
      // A state this version cannot use is the flow's to drop (handle says so); only a step's re-ask is refused.
      if (data === undefined || !has(step)) return true
      const outcome = spec.intercept?.(input, data, step) ?? (await spec.steps[step].parse(input, data, ctx))
      return !('hint' in outcome)
    },
    async resume(ctx, notice) {
      const data = ctx.state.v === spec.version ? spec.read(ctx.state.data, ctx) : undefined
      const step = ctx.state.step
      if (data === undefined || !has(step)) {
        await ctx.finish()
        await ctx.say({ text: spec.outdated })
        return
      }
      await prompt(ctx, step, data, { notice })
    },
    ...(spec.onCancel ? { onCancel: spec.onCancel } : {}),
    ...(spec.resumeCommand ? { resumeCommand: spec.resumeCommand } : {}),
  }

  return {
    ...spec,
    flow,
    start: (ctx, data, step = spec.initial) => ctx.startConversation(spec.name, step, stored(data), spec.version),
  }
}
