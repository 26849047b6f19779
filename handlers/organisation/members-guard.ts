// The "members only" guard (#20): commands marked with membersOnly() run only for union members; everyone else is
// told how to join. Later features mark their commands with it; the guard runs in the dispatcher's pipeline after
// the role check (router.guard, src/dispatch/dispatcher.ts).
import type { BotRouter, CommandSpec } from '../../src/dispatch/router.js'
import { isMember } from '../../src/organisation/members.js'

/** What a non-member who tried a members-only command is told. */
export const MEMBERS_ONLY_REFUSAL = '抱歉，此功能仅限工会会员使用。发送「入会」了解如何加入工会，发送「我的会籍」查看会籍状态。'

const MEMBERS_ONLY = new WeakSet<CommandSpec>()

/** Marks a command as members only (register it with router.command as usual): `router.command(membersOnly({…}))`. */
export function membersOnly<T extends CommandSpec>(spec: T): T {
  MEMBERS_ONLY.add(spec)
  return spec
}

export function isMembersOnly(spec: CommandSpec): boolean {
  return MEMBERS_ONLY.has(spec)
}

/** The guard and the `member` role (for card actions and CommandSpec.roles: ['member']). */
export function registerMembersGuard(router: BotRouter): void {
  router.role('member', (openId, services) => isMember(services.db, openId))
  router.guard('members-only', async ({ ctx, command }, next) => {
    if (!isMembersOnly(command) || (await isMember(ctx.db, ctx.actorOpenId))) return next()
    ctx.log.info({ eventId: ctx.eventId }, 'command refused: members only')
    await ctx.reply({ text: MEMBERS_ONLY_REFUSAL })
  })
}
