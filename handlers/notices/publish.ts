// Officers publish 厂务公开: `发布公开` answers with the form, its submit publishes N-012 and posts the live card to
// the chats chosen (or to every member privately); `公开 更正 N-012` opens the correction form (a new version,
// the change shown on every card); `公开 撤回 N-012 原因` withdraws it after a confirmation (the cards say so).
import { buildNoticeCorrectFormCard, buildNoticeFormCard, buildNoticePublishedCard, buildNoticeWithdrawConfirmCard, NOTICE_FORM_FIELDS as F, type NoticeFormValues } from '../../cards/notices/forms.js'
import { truncate } from '../../cards/escape.js'
import type { BaseContext, CardActionContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { isUniqueViolation } from '../../src/db/errors.js'
import { UserFacingError } from '../../src/errors.js'
import type { PayloadOf } from '../../src/kit/actions.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { TransitionRefusedError, transition } from '../../src/kit/transition.js'
import { NOTICE_CORRECT, NOTICE_CREATE, NOTICE_WITHDRAW } from '../../src/notices/actions.js'
import { NOTICE_LIMITS, parseNoticeCategory } from '../../src/notices/model.js'
import { addRevision, createNotice, findNoticeBySourceMessage, lockNotice, markWithdrawn, NOTICE_MACHINE, revisionByEvent, type Notice } from '../../src/notices/store.js'
import { formatDateTime } from '../../src/time.js'
import { parsePickerDateTime } from '../activities/form.js'
import { queueToMembers, showProgress } from './mass.js'
import { showOpenOpinions } from './opinions.js'
import { showReadFigures } from './reading.js'
import { noticeFromArgs, postNoticeCard, refreshNoticeCards, SECTION, sendIgnoringGone, viewOf } from './shared.js'

/** Feishu chat ids look like oc_ followed by letters and digits; anything else is refused before it reaches a send. */
const CHAT_ID = /^oc_[0-9A-Za-z_-]{4,80}$/
const OFFICER_USAGE = '公开 阅读 N-001（阅读情况）、公开 意见 N-001（待处理的意见）、公开 更正 N-001、公开 撤回 N-001 原因、公开 进度 N-001（私信发送进度）'

export function registerNoticePublish(router: BotRouter): void {
  router.command({
    words: ['发布公开', 'publish notice'],
    synonyms: ['厂务公开发布', '发公开'],
    roles: ['officer'],
    help: { section: SECTION, usage: '发布公开', description: '填写表单发布厂务公开（财务、福利、规章制度、人事、安全生产等），可要求确认阅读、征求意见' },
    async handle(ctx) {
      await ctx.reply({ card: buildNoticeFormCard({ chatId: ctx.isGroup ? ctx.chatId : '', inGroup: ctx.isGroup }) })
    },
  })

  router.action(NOTICE_CREATE, { roles: ['officer'], handle: (ctx, { chat }) => createFromForm(ctx, chat ?? '') })

  router.command({
    words: ['公开', 'notice'],
    roles: ['officer'],
    help: { section: SECTION, usage: '公开 阅读 N-001', description: '查看阅读确认情况（按部门；未确认名单私信给您）；「公开 意见 N-001」「公开 更正 N-001」「公开 撤回 N-001 原因」' },
    async handle(ctx) {
      const [sub = '', ...rest] = ctx.argsText.trim().split(/\s+/)
      const args = rest.join(' ')
      if (['阅读', '阅读情况', 'reads'].includes(sub)) return showReadFigures(ctx, (await noticeFromArgs(ctx, args, '公开 阅读 N-001')).notice)
      if (['进度', '发送进度', '发送情况', 'progress'].includes(sub)) return showProgress(ctx, (await noticeFromArgs(ctx, args, '公开 进度 N-001')).notice)
      if (['意见', 'opinions'].includes(sub)) return showOpenOpinions(ctx, (await noticeFromArgs(ctx, args, '公开 意见 N-001')).notice)
      if (['更正', '修改', 'correct'].includes(sub)) return askCorrection(ctx, (await noticeFromArgs(ctx, args, '公开 更正 N-001')).notice)
      if (['撤回', '撤销', 'withdraw'].includes(sub)) {
        const typed = ctx.argsTyped.replace(/^\S+\s*/, '')
        const { notice, rest: reason } = await noticeFromArgs(ctx, typed, '公开 撤回 N-001 原因')
        return askWithdrawal(ctx, notice, reason)
      }
      throw new UserFacingError('INVALID_INPUT', `用法：${OFFICER_USAGE}。发布新的公开请发送「发布公开」。`)
    },
  })

  router.action(NOTICE_CORRECT, { roles: ['officer'], handle: (ctx, p) => correct(ctx, p) })
  router.action(NOTICE_WITHDRAW, { roles: ['officer'], handle: (ctx, p) => withdraw(ctx, p) })
}

// ---- publishing ----

interface ValidNotice {
  title: string
  body: string
  category: string
  audience: 'chats' | 'members'
  chatIds: string[]
  confirmReading: boolean
  opinionsUntil: Date | undefined
}

function text(formValue: Record<string, unknown>, name: string): string {
  const v = formValue[name]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

/** Checks the text fields shared by the publish and the correction forms. */
function checkText(formValue: Record<string, unknown>, errors: string[]): { title: string; body: string; category: string } {
  const title = tidyText(text(formValue, F.title))
  const body = text(formValue, F.body).replace(/\r\n?/g, '\n').trim()
  const categoryText = text(formValue, F.category)
  if (!title) errors.push('请填写标题')
  else if (charCount(title) > NOTICE_LIMITS.title) errors.push(`标题不能超过 ${NOTICE_LIMITS.title} 个字`)
  if (!body) errors.push('请填写正文')
  else if (charCount(body) > NOTICE_LIMITS.body) errors.push(`正文不能超过 ${NOTICE_LIMITS.body} 个字`)
  const category = parseNoticeCategory(categoryText)
  if (!category) errors.push('请选择类别')
  return { title, body, category: category ?? '其他' }
}

export function checkNoticeForm(formValue: Record<string, unknown>, ctx: { chatId: string; now: Date; timeZone: string }): { ok: true; value: ValidNotice } | { ok: false; errors: string[]; values: NoticeFormValues } {
  const errors: string[] = []
  const { title, body, category } = checkText(formValue, errors)
  const audience = text(formValue, F.audience) === 'members' ? 'members' : 'here'
  const chatsText = text(formValue, F.chats).trim()
  const listed = chatsText.split(/[\s,，、]+/).filter(Boolean)
  const confirm = text(formValue, F.confirm) === 'yes' ? 'yes' : 'no'
  const opinions = text(formValue, F.opinions) === 'yes' ? 'yes' : 'no'
  const untilText = text(formValue, F.until).trim()
  if (listed.some((c) => !CHAT_ID.test(c))) errors.push('群ID的格式不对（应以 oc_ 开头，用空格分隔）')
  const chatIds = [...new Set([...(audience === 'here' && ctx.chatId ? [ctx.chatId] : []), ...listed])]
  if (chatIds.length > NOTICE_LIMITS.chats) errors.push(`一次最多发到 ${NOTICE_LIMITS.chats} 个群`)
  if (audience === 'here' && chatIds.length === 0) errors.push('请填写要发布到的群ID，或在「发布到」选择「全体会员」')
  let until: Date | undefined
  if (opinions === 'yes') {
    until = untilText ? parsePickerDateTime(untilText, ctx.timeZone) : undefined
    if (!untilText) errors.push('征求意见时请选择意见截止时间')
    else if (!until) errors.push('意见截止时间的格式不正确，请用日期时间选择器重新选择')
    else if (until <= ctx.now) errors.push('意见截止时间已经过去，请选择将来的时间')
  }
  if (errors.length > 0) {
    const values: NoticeFormValues = { title, body, category, audience, chats: chatsText, confirm, opinions }
    if (until) values.until = formatDateTime(until, ctx.timeZone)
    return { ok: false, errors, values }
  }
  return { ok: true, value: { title, body, category, audience: audience === 'members' ? 'members' : 'chats', chatIds, confirmReading: confirm === 'yes', opinionsUntil: until } }
}

async function createFromForm(ctx: CardActionContext, chat: string): Promise<CardActionResult> {
  // The chat the form was asked for in (a group), or '' when it was asked privately.
  const chatId = chat
  const formMessageId = ctx.action.messageId
  if (formMessageId) {
    const existing = await findNoticeBySourceMessage(ctx.db, formMessageId)
    if (existing) return alreadyPublished(ctx, existing)
  }
  const check = checkNoticeForm(ctx.action.formValue, { chatId, now: ctx.now(), timeZone: ctx.config.timezone })
  if (!check.ok) return { toast: { type: 'error', content: check.errors[0]! }, card: buildNoticeFormCard({ chatId, inGroup: chatId !== '', values: check.values, errors: check.errors }) }
  let notice: Notice
  try {
    notice = await ctx.db.transaction().execute(async (trx) => {
      const n = await createNotice(trx, { ...check.value, createdBy: ctx.actorOpenId, createdAt: ctx.now(), eventId: ctx.eventId, sourceMessageId: formMessageId })
      await ctx.audit({ action: 'notice.publish', subjectType: 'notice', subjectId: n.number, detail: { category: n.category, audience: n.audience, chats: check.value.chatIds.length } }, trx)
      return n
    })
  } catch (err) {
    const existing = isUniqueViolation(err) && formMessageId ? await findNoticeBySourceMessage(ctx.db, formMessageId) : undefined
    if (existing) return alreadyPublished(ctx, existing)
    throw err
  }
  ctx.log.info({ eventId: ctx.eventId, notice: notice.number }, 'notice published')
  ctx.defer(() => distribute(ctx, notice))
  return { toast: { type: 'success', content: `公开 ${notice.number} 已发布` }, card: buildNoticePublishedCard(await viewOf(ctx.db, notice), { chats: notice.chat_ids.length, members: 0 }, ctx.config.timezone) }
}

async function alreadyPublished(ctx: CardActionContext, n: Notice): Promise<CardActionResult> {
  // The same event again (recovery after a crash): finish the posting it started (send keys keep it one each).
  if (n.created_event_id === ctx.eventId) ctx.defer(() => distribute(ctx, n))
  return { toast: { type: 'info', content: `该公开已发布（${n.number}）` }, card: buildNoticePublishedCard(await viewOf(ctx.db, n), { chats: n.chat_ids.length, members: 0 }, ctx.config.timezone) }
}

/**
 * Posts the live card to every chat chosen and tells the officer what failed; for all members, queues it to each
 * member privately (mass.ts: within Feishu's rate, durable, the officer told of its progress).
 */
async function distribute(ctx: BaseContext, n: Notice): Promise<void> {
  const failed: string[] = []
  for (const chatId of n.chat_ids) {
    if (!(await sendIgnoringGone(ctx, 'card', () => postNoticeCard(ctx, n, { chatId })))) failed.push(chatId)
  }
  await refreshNoticeCards(ctx, n.id, 'all')
  if (n.chat_ids.length > 0) {
    const posted = n.chat_ids.length - failed.length
    let summary = `公开 ${n.number} 已发送到 ${posted} 个群。`
    if (failed.length) summary += `以下群发送失败（请先把我拉进群）：${failed.join('、')}`
    await sendIgnoringGone(ctx, 'publish-summary', () => ctx.sendToUser(n.created_by, { text: summary }, { key: `published:${n.id}` }))
  }
  if (n.audience === 'members') await queueToMembers(ctx, n)
}

// ---- corrections ----

async function askCorrection(ctx: MessageContext, n: Notice): Promise<void> {
  if (n.status === 'withdrawn') throw new UserFacingError('INVALID_STATE', `${n.number} 已撤回，不能更正。`)
  // The form carries the current text: in a group it goes privately (a draft is not for the group).
  const content = { card: buildNoticeCorrectFormCard(await viewOf(ctx.db, n)) }
  if (ctx.isGroup) {
    await ctx.replyPrivately(content)
    await ctx.reply({ text: `${n.number} 的更正表单已私信发给您。` })
  } else await ctx.reply(content)
}

async function correct(ctx: CardActionContext, { id, rev }: PayloadOf<typeof NOTICE_CORRECT>): Promise<CardActionResult> {
  const errors: string[] = []
  const fields = checkText(ctx.action.formValue, errors)
  const note = tidyText(text(ctx.action.formValue, F.note))
  if (!note) errors.push('请写明更正了什么（会显示在卡片上）')
  else if (charCount(note) > NOTICE_LIMITS.note) errors.push(`更正说明不能超过 ${NOTICE_LIMITS.note} 个字`)
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const n = await lockNotice(trx, id)
    if (!n) throw new UserFacingError('NOT_FOUND', '没有找到这项公开')
    if (await revisionByEvent(trx, n.id, ctx.eventId)) return { kind: 'replay' as const, notice: n }
    if (n.status === 'withdrawn') return { kind: 'refused' as const, notice: n, reason: `${n.number} 已撤回，不能更正。` }
    if (n.revision !== rev) return { kind: 'refused' as const, notice: n, reason: `${n.number} 已有更新的版本（第 ${n.revision} 版），请重新发送「公开 更正 ${n.number}」。` }
    if (errors.length) return { kind: 'invalid' as const, notice: n }
    if (fields.title === n.title && fields.body === n.body && fields.category === n.category) return { kind: 'unchanged' as const, notice: n }
    const after = await addRevision(trx, n, { ...fields, note, by: ctx.actorOpenId, at: ctx.now(), eventId: ctx.eventId })
    await ctx.audit({ action: 'notice.correct', subjectType: 'notice', subjectId: n.number, detail: { revision: after.revision } }, trx)
    return { kind: 'done' as const, notice: after }
  })
  const n = outcome.notice
  const values = { ...fields, note }
  if (outcome.kind === 'refused') return { toast: { type: 'warning', content: outcome.reason } }
  if (outcome.kind === 'invalid') return { toast: { type: 'error', content: errors[0]! }, card: buildNoticeCorrectFormCard(await viewOf(ctx.db, n), { values, errors }) }
  if (outcome.kind === 'unchanged') return { toast: { type: 'warning', content: '内容没有改动：更正至少要改一处标题、类别或正文。' }, card: buildNoticeCorrectFormCard(await viewOf(ctx.db, n), { values }) }
  ctx.log.info({ eventId: ctx.eventId, notice: n.number, revision: n.revision }, 'notice corrected')
  ctx.defer(() => refreshNoticeCards(ctx, n.id, 'all'))
  const view = await viewOf(ctx.db, n)
  return { toast: { type: 'success', content: `${n.number} 已更正为第 ${n.revision} 版` }, card: buildNoticePublishedCard(view, { chats: n.chat_ids.length, members: 0 }, ctx.config.timezone) }
}

// ---- withdrawal ----

async function askWithdrawal(ctx: MessageContext, n: Notice, reason: string): Promise<void> {
  if (n.status === 'withdrawn') throw new UserFacingError('INVALID_STATE', `${n.number} 已经撤回了。`)
  if (charCount(reason) > NOTICE_LIMITS.note) throw new UserFacingError('INVALID_INPUT', `撤回原因不能超过 ${NOTICE_LIMITS.note} 个字，请精简后重新发送。`)
  await ctx.reply({ card: buildNoticeWithdrawConfirmCard(await viewOf(ctx.db, n), reason, ctx.config.timezone) })
}

async function withdraw(ctx: CardActionContext, { id, reason: encoded }: PayloadOf<typeof NOTICE_WITHDRAW>): Promise<CardActionResult> {
  const reason = truncate(Buffer.from(encoded ?? '', 'base64url').toString('utf8'), NOTICE_LIMITS.note)
  try {
    const r = await transition(ctx, NOTICE_MACHINE, {
      step: 'withdraw',
      lock: (trx) => lockNotice(trx, id),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到这项公开'),
      replayed: async (_trx, n) => n.withdrawn_event_id === ctx.eventId,
      from: ['published'],
      already: (n) => n.status === 'withdrawn',
      refusal: () => '这项公开已撤回',
      apply: (trx, n, at) => markWithdrawn(trx, n.id, { openId: ctx.actorOpenId, at, reason, eventId: ctx.eventId }),
      audit: { action: 'notice.withdraw' },
    })
    const n = r.after
    if (r.outcome !== 'already') ctx.defer(() => refreshNoticeCards(ctx, n.id, 'all'))
    if (r.outcome === 'done') ctx.log.info({ eventId: ctx.eventId, notice: n.number }, 'notice withdrawn')
    const card = buildNoticeWithdrawConfirmCard(await viewOf(ctx.db, n), n.withdraw_reason ?? '', ctx.config.timezone, { at: n.withdrawn_at ?? ctx.now() })
    return { toast: { type: r.outcome === 'done' ? 'success' : 'info', content: r.outcome === 'done' ? `已撤回 ${n.number}` : '这项公开已撤回' }, card }
  } catch (err) {
    if (err instanceof TransitionRefusedError) return { toast: { type: 'warning', content: err.userMessage } }
    throw err
  }
}
