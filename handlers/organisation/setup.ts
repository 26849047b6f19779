// First start (issue #20): `初始化 <设置码>` makes the sender the 工会主席; `设为委员会群` picks the committee group.
import { buildSetupDoneCard } from '../../cards/organisation/setup.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { attemptSetup, type SetupResult } from '../../src/organisation/setup.js'
import { chairExists, committeeChatSetting, setCommitteeChat } from '../../src/organisation/store.js'
import { formatDateTime } from '../../src/time.js'
import { SECTION } from './shared.js'

export const ALREADY_SET_UP = '工会助手已经初始化过了，已有工会主席。如需成为工会干部，请联系工会主席或副主席添加。'
export const WRONG_CODE = '设置码不正确，请核对后重试。设置码在工会助手首次启动时的日志里（或为 UNION_SETUP_CODE 的值）。'
export const lockedText = (until: string): string => `设置码错误次数过多，初始化已暂时锁定，请于 ${until} 之后再试。`
export const CHAIR_ONLY = '抱歉，只有工会主席可以设置委员会群。'

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

async function makeCommitteeGroup(ctx: MessageContext): Promise<void> {
  if (!ctx.isGroup || !ctx.chatId) throw new UserFacingError('INVALID_INPUT', '请在工会委员会的工作群里 @我 发送「设为委员会群」。')
  const before = await committeeChatSetting(ctx.db)
  if (!(before?.chatId === ctx.chatId && before.setBy !== null)) {
    await ctx.db.transaction().execute(async (trx) => {
      await setCommitteeChat(trx, ctx.chatId, ctx.actorOpenId, ctx.now())
      await ctx.audit({ action: 'organisation.committee_chat.set', subjectType: 'organisation', subjectId: 'committee_chat', detail: { chatId: ctx.chatId, ...(before ? { previous: before.chatId } : {}) } }, trx)
    })
    ctx.log.info({ eventId: ctx.eventId, chatId: ctx.chatId }, 'committee group set in chat')
  }
  await ctx.reply({ text: '本群已设为工会委员会群：职工诉求的审查卡片、超期提醒、委员会版周报和日报都将发到这里。请只让工会干部留在本群。' })
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
}
