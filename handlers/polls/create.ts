// Officers start polls: `发起投票` answers with the form; its submit creates V-001 and posts the live vote card
// where the form was; `投票 V-001` posts another copy (in a group: shared; privately: the person's own copy).
import { buildPollCreatedCard, buildPollFormCard } from '../../cards/polls/poll.js'
import type { CardActionContext, CardActionResult } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { isUniqueViolation } from '../../src/db/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { POLL_CREATE } from '../../src/polls/actions.js'
import { createPoll, findPollBySourceMessage, type NewPoll } from '../../src/polls/store.js'
import type { Poll } from '../../src/polls/model.js'
import { checkPollForm } from './form.js'
import { SECTION, pollFromArgs, postPollCard, refreshPollCards } from './shared.js'

export function registerPollCreate(router: BotRouter): void {
  router.command({
    words: ['发起投票', 'new poll'],
    synonyms: ['发起表决', '发个投票'],
    roles: ['officer'],
    help: { section: SECTION, usage: '发起投票', description: '填写表单发起投票或征求意见（单选/多选、匿名/实名、参加范围、截止时间）' },
    async handle(ctx) {
      await ctx.reply({ card: buildPollFormCard({ chatId: ctx.chatId }) })
    },
  })

  router.action(POLL_CREATE, { roles: ['officer'], handle: (ctx, { chat }) => createFromForm(ctx, chat) })

  router.command({
    words: ['投票'],
    caseNumbers: ['V'],
    help: { section: SECTION, usage: '投票 V-001', description: '获取投票卡片（在群里发送则发到本群）' },
    async handle(ctx) {
      const { poll } = await pollFromArgs(ctx, ctx.argsText, '投票 V-001')
      await postPollCard(ctx, poll, ctx.isGroup ? { chatId: ctx.chatId } : { chatId: ctx.chatId, privateFor: ctx.actorOpenId })
      await refreshPollCards(ctx, poll.id, 'all')
    },
  })
}

async function createFromForm(ctx: CardActionContext, chat: string): Promise<CardActionResult> {
  const tz = ctx.config.timezone
  const chatId = chat || ctx.action.chatId || ''
  const formMessageId = ctx.action.messageId
  if (formMessageId) {
    const existing = await findPollBySourceMessage(ctx.db, formMessageId)
    if (existing) return alreadyCreated(ctx, existing, chatId)
  }
  const check = checkPollForm(ctx.action.formValue, ctx.now(), tz)
  if (!check.ok) return { toast: { type: 'error', content: check.errors[0]! }, card: buildPollFormCard({ chatId, values: check.values, errors: check.errors }) }
  const input: NewPoll = { kind: 'poll', ...check.value, status: 'open', createdBy: ctx.actorOpenId, createdAt: ctx.now(), eventId: ctx.eventId, sourceMessageId: formMessageId, originChatId: chatId || undefined, meetingId: undefined }
  let poll: Poll
  try {
    poll = await ctx.db.transaction().execute(async (trx) => {
      const p = await createPoll(trx, input)
      await ctx.audit({ action: 'poll.create', subjectType: 'poll', subjectId: p.number, detail: { anonymous: p.anonymous, multiple: p.multiple, audience: p.audience, options: p.options.length } }, trx)
      return p
    })
  } catch (err) {
    const existing = isUniqueViolation(err) && formMessageId ? await findPollBySourceMessage(ctx.db, formMessageId) : undefined
    if (existing) return alreadyCreated(ctx, existing, chatId)
    throw err
  }
  ctx.log.info({ eventId: ctx.eventId, poll: poll.number }, 'poll created')
  if (chatId) ctx.defer(() => publishToOrigin(ctx, poll, chatId))
  return { toast: { type: 'success', content: `投票 ${poll.number} 已发起` }, card: buildPollCreatedCard(poll, tz) }
}

function alreadyCreated(ctx: CardActionContext, p: Poll, chatId: string): CardActionResult {
  if (p.createdEventId === ctx.eventId && chatId) ctx.defer(() => publishToOrigin(ctx, p, chatId))
  return { toast: { type: 'info', content: `该投票已发起（${p.number}）` }, card: buildPollCreatedCard(p, ctx.config.timezone) }
}

async function publishToOrigin(ctx: CardActionContext, p: Poll, chatId: string): Promise<void> {
  const posted = await deliver(ctx, 'poll:vote-card', () => postPollCard(ctx, p, { chatId }), { chatId })
  if (!posted.sent) {
    await deliver(ctx, 'poll:notice', () => ctx.sendToUser(ctx.actorOpenId, { text: `${p.number} 已发起，但投票卡片没能发到群里（机器人可能不在群内）。请把我拉进群后在群里发送「投票 ${p.number}」。` }, { key: 'post-failed' }))
    return
  }
  await refreshPollCards(ctx, p.id)
}
