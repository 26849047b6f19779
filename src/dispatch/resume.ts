// Taking a draft up again (issue #14): a draft put aside by another command (继续刚才的…, or `继续` typed), and text
// kept just after a draft expired (继续 on 「…已超时，刚才的内容已为您保留」) — at the very step, with the kept text
// as that step's answer. Shared by the dispatcher's buttons and the `继续` command (handlers/talk.ts).
import { ConversationContext, type BotServices } from './context.js'
import { MESSAGES } from './messages.js'
import type { BotRouter } from './router.js'
import { normalizeText } from './text.js'

export type ResumeOutcome = 'resumed' | 'gone' | 'busy'

/**
 * Takes up the person's paused draft of `flowName` (the newest paused one when absent) at its step: the step's
 * prompt again with a note. 'busy' when another conversation is going (it is left alone), 'gone' when none is kept.
 */
export async function resumePaused(services: BotServices, router: BotRouter, eventId: string, openId: string, flowName?: string): Promise<ResumeOutcome> {
  return services.locks.withPersonLock(openId, async () => {
    const name = flowName ?? (await services.conversations.pausedFlows(openId))[0]
    const flow = name ? router.findFlow(name) : undefined
    const state = name ? await services.conversations.paused(openId, name) : undefined
    if (!flow || !state) return 'gone'
    if (await busyElsewhere(services, router, eventId, openId)) return 'busy'
    // Live again first, then no longer paused: a crash in between leaves the draft in both places, never in none.
    await services.conversations.save(openId, state)
    await services.conversations.dropPaused(openId, flow.name)
    const ctx = new ConversationContext(services, eventId, openId, state)
    if (flow.resume) await flow.resume(ctx, MESSAGES.resumed(flow.title))
    else await ctx.say({ text: MESSAGES.resumed(flow.title) }, { key: 'resumed' })
    // The turn is over: its record keeps no draft (security review F2).
    await ctx.closeTurn()
    return 'resumed'
  })
}

/**
 * Text kept after a draft expired, taken up at the draft's very step with the text as its answer; 'gone' when
 * nothing is kept or the draft did not survive (then the caller starts the flow again with the text, as before).
 */
export async function resumeKept(services: BotServices, router: BotRouter, eventId: string, openId: string): Promise<ResumeOutcome | { restart: string }> {
  return services.locks.withPersonLock(openId, async () => {
    const kept = await services.conversations.kept(openId)
    const flow = kept ? router.findFlow(kept.flow) : undefined
    if (!kept || !flow) {
      await services.conversations.dropKept(openId)
      return 'gone'
    }
    if (!kept.state || kept.state.flow !== flow.name) {
      await services.conversations.dropKept(openId)
      return flow.resumeCommand ? { restart: `${flow.resumeCommand} ${kept.text}` } : 'gone'
    }
    if (await busyElsewhere(services, router, eventId, openId)) return 'busy'
    await services.conversations.save(openId, kept.state)
    await services.conversations.dropKept(openId)
    const ctx = new ConversationContext(services, eventId, openId, kept.state)
    await ctx.say({ text: MESSAGES.resumed(flow.title) }, { key: 'resumed' })
    await flow.handle(ctx, { text: kept.text, normalized: normalizeText(kept.text), attachments: [], viaButton: false })
    await ctx.closeTurn()
    return 'resumed'
  })
}

/** Another conversation is going: it is left alone and the person is told to finish or cancel it first. */
async function busyElsewhere(services: BotServices, router: BotRouter, eventId: string, openId: string): Promise<boolean> {
  const active = await services.conversations.load(openId)
  if (active.status !== 'active') return false
  const title = router.findFlow(active.state.flow)?.title ?? active.state.flow
  await new ConversationContext(services, eventId, openId, active.state).say({ text: MESSAGES.otherActive(title) }, { key: 'resume-busy' })
  return true
}
