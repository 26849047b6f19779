// First start (issue #20): `初始化 <设置码>` makes the sender the 工会主席; `设为委员会群` picks the committee group.
import { buildCommitteeGroupAnsweredCard, buildCommitteeGroupConfirmCard, buildSetupDoneCard, COMMITTEE_GROUP_LEFT_TEXT, COMMITTEE_GROUP_SET_TEXT } from '../../cards/organisation/setup.js'
import type { BaseContext, CardActionContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import { FeishuApiError } from '../../src/feishu/api-errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { COMMITTEE_GROUP_CANCEL, COMMITTEE_GROUP_CONFIRM } from '../../src/organisation/setup-actions.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { attemptSetup, checkGroupMembers, type GroupCheck, type SetupResult } from '../../src/organisation/setup.js'
import { chairExists, committeeChatSetting, setCommitteeChat } from '../../src/organisation/store.js'
import { formatDateTime } from '../../src/time.js'
import { SECTION } from './shared.js'

export const ALREADY_SET_UP = '工会助手已经初始化过了，已有工会主席。如需成为工会干部，请联系工会主席或副主席添加。'
export const WRONG_CODE = '设置码不正确，请核对后重试。设置码在工会助手首次启动时的日志里（或为 UNION_SETUP_CODE 的值）。'
export const lockedText = (until: string): string => `设置码错误次数过多，初始化已暂时锁定，请于 ${until} 之后再试。`
export const CHAIR_ONLY = '抱歉，只有工会主席可以设置委员会群。'
export const CONFIRM_CHAIR_ONLY = '只有工会主席可以确认或取消。'

async function initialise(ctx: MessageContext): Promise<void> {
  // A code sent in a group has been seen by its members: it is not checked (nor counted) there.
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '请私聊我发送「初始化 设置码」，不要把设置码发在群里。')
  const code = ctx.argsText.trim()
  if (!code) {
    if (await chairExists(ctx.db)) return void (await ctx.reply({ text: ALREADY_SET_UP }))
    throw new UserFacingError('INVALID_INPUT', '请发送「初始化 设置码」。设置码在工会助手首次启动时的日志里（或为 UNION_SETUP_CODE 的值）。')
  }
  const result: SetupResult = await ctx.db.transaction().execute(async (trx) => {
    const r = await attemptSetup(trx, { eventId: ctx.eventId, openId: ctx.actorOpenId, code, now: ctx.now(), limits: ctx.config.union.setupLimits })
    if (!r.replayed) {
      // Never the code itself: only what happened.
      await ctx.audit(
        r.outcome === 'done'
          ? { action: 'organisation.setup.completed', subjectType: 'organisation', subjectId: 'setup', detail: { role: 'chair' } }
          : { action: 'organisation.setup.refused', subjectType: 'organisation', subjectId: 'setup', detail: { reason: r.outcome, ...(r.lockedUntil ? { lockedUntil: r.lockedUntil.toISOString() } : {}) } },
        trx,
      )
    }
    return r
  })
  if (!result.replayed) ctx.log.info({ eventId: ctx.eventId, outcome: result.outcome, locked: result.lockedUntil !== undefined }, 'setup attempt')
  const until = result.lockedUntil ? formatDateTime(result.lockedUntil, ctx.config.timezone) : undefined
  switch (result.outcome) {
    case 'done':
      return void (await ctx.reply({ card: buildSetupDoneCard({ committeeChatSet: (await ctx.committeeChatId()) !== undefined }) }))
    case 'already':
      return void (await ctx.reply({ text: ALREADY_SET_UP }))
    case 'locked':
      return void (await ctx.reply({ text: lockedText(until ?? '稍后') }))
    case 'wrong':
      return void (await ctx.reply({ text: until ? `${WRONG_CODE}\n${lockedText(until)}` : WRONG_CODE }))
  }
}

/**
 * Makes chatId the committee group (in the caller's event), audited; the group it replaces is told once that it no
 * longer receives review cards (by the caller). `changed` is false when it already was (set in chat): nobody is told twice.
 */
async function switchCommitteeGroup(ctx: BaseContext, chatId: string, confirmedByChair = false): Promise<{ changed: boolean; previous?: string }> {
  const before = await committeeChatSetting(ctx.db)
  if (before?.chatId === chatId && before.setBy !== null) return { changed: false }
  await ctx.db.transaction().execute(async (trx) => {
    await setCommitteeChat(trx, chatId, ctx.actorOpenId, ctx.now())
    const detail = { chatId, ...(before ? { previous: before.chatId } : {}), ...(confirmedByChair ? { confirmedByChair } : {}) }
    await ctx.audit({ action: 'organisation.committee_chat.set', subjectType: 'organisation', subjectId: 'committee_chat', detail }, trx)
  })
  ctx.log.info({ eventId: ctx.eventId, chatId }, 'committee group set in chat')
  const previous = before && before.chatId !== chatId ? before.chatId : undefined
  return { changed: true, ...(previous ? { previous } : {}) }
}

/** The old committee group is told, once (the uuid is keyed by this event), that review cards go elsewhere now. */
async function tellOldGroup(ctx: BaseContext, previous: string | undefined): Promise<void> {
  if (!previous) return
  await deliver(ctx, 'committee-group:left', () => ctx.sendToChat(previous, { text: COMMITTEE_GROUP_LEFT_TEXT }, { key: `committee-group-left:${previous}` }))
}

/** Who is in the group, as far as Feishu tells: a failure (no scope, API error) is 'unknown', never "all officers". */
async function checkGroup(ctx: MessageContext): Promise<GroupCheck> {
  try {
    const members = await ctx.services.outbound.listChatMembers(ctx.chatId)
    return await checkGroupMembers(members, (id) => ctx.isOfficer(id))
  } catch (err) {
    if (!(err instanceof FeishuApiError)) throw err
    ctx.log.warn({ eventId: ctx.eventId, method: err.method, code: err.code, errorKind: err.kind }, 'chat members not readable: asking the chair to confirm the committee group')
    return { kind: 'unknown' }
  }
}

async function makeCommitteeGroup(ctx: MessageContext): Promise<void> {
  if (!ctx.isGroup || !ctx.chatId) throw new UserFacingError('INVALID_INPUT', '请在工会委员会的工作群里 @我 发送「设为委员会群」。')
  const before = await committeeChatSetting(ctx.db)
  if (before?.chatId === ctx.chatId && before.setBy !== null) return void (await ctx.reply({ text: COMMITTEE_GROUP_SET_TEXT }))
  // QA F1: the review cards carry workers' grievances; a group with anyone but officers in it is asked about first.
  const check = await checkGroup(ctx)
  if (check.kind !== 'officers-only') {
    const nonOfficers = check.kind === 'non-officers' ? check.count : undefined
    ctx.log.info({ eventId: ctx.eventId, chatId: ctx.chatId, nonOfficers: nonOfficers ?? 'unknown' }, 'committee group needs the chair to confirm')
    const chatName = await ctx.services.outbound.fetchChatName(ctx.chatId).catch((err: unknown) => {
      if (err instanceof FeishuApiError) return undefined
      throw err
    })
    return void (await ctx.reply({ card: buildCommitteeGroupConfirmCard({ chatId: ctx.chatId, nonOfficers, ...(chatName ? { chatName } : {}) }) }))
  }
  const result = await switchCommitteeGroup(ctx, ctx.chatId)
  await ctx.reply({ text: COMMITTEE_GROUP_SET_TEXT })
  if (result.changed) await tellOldGroup(ctx, result.previous)
}

async function confirmCommitteeGroup(ctx: CardActionContext, chatId: string): Promise<CardActionResult> {
  // The audit keeps that the chair chose this group knowing it has non-officers in it (or could not be checked).
  const result = await switchCommitteeGroup(ctx, chatId, true)
  if (result.changed) ctx.defer(() => tellOldGroup(ctx, result.previous))
  return { toast: { type: 'success', content: '已设为委员会群。' }, card: buildCommitteeGroupAnsweredCard({ confirmed: true }) }
}

export function registerSetup(router: BotRouter): void {
  router.command({
    words: ['初始化', 'setup'],
    help: { section: SECTION, usage: '初始化 设置码', description: '首次使用：私聊发送启动日志中的设置码，成为工会主席' },
    handle: initialise,
  })
  router.command({
    words: ['设为委员会群'],
    help: { section: SECTION, usage: '@工会助手 设为委员会群', description: '在委员会群里发送：审查卡片和提醒发到本群（仅主席）' },
    roles: [ROLE_UNION_CHAIR],
    deniedMessage: CHAIR_ONLY,
    handle: makeCommitteeGroup,
  })
  router.action(COMMITTEE_GROUP_CONFIRM, { roles: [ROLE_UNION_CHAIR], deniedMessage: CONFIRM_CHAIR_ONLY, handle: (ctx, p) => confirmCommitteeGroup(ctx, p.chatId) })
  router.action(COMMITTEE_GROUP_CANCEL, {
    roles: [ROLE_UNION_CHAIR],
    deniedMessage: CONFIRM_CHAIR_ONLY,
    handle: async () => ({ toast: { type: 'info', content: '已取消，委员会群保持不变。' }, card: buildCommitteeGroupAnsweredCard({ confirmed: false }) }),
  })
}
