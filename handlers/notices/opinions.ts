// Workers' opinions on a notice: `提意见 N-012` (or 提意见 on the card) opens a private conversation — the text, 匿名
// or 实名, confirm. An anonymous opinion is stored with no author at all and reaches the committee after a random
// delay (the grievance relays' range, GRIEVANCE_ANON_RELAY_DELAY_*), so neither the tables nor the card's time point
// at the worker. An officer forwards it to the department responsible (the reply clock of 浙江省企业民主管理条例
// Art. 19–23 starts); the department's contact answers; the answer is published under the notice.
import { randomInt, randomUUID } from 'node:crypto'
import {
  buildOpinionAnsweredCard,
  buildOpinionAnonymityStepCard,
  buildOpinionConfirmStepCard,
  buildOpinionForwardedCard,
  buildOpinionOverdueCard,
  buildOpinionReviewCard,
  buildOpinionTextStepCard,
  OPINION_FIELDS,
  OPINION_FLOW,
  type OpinionStep,
} from '../../cards/notices/opinions.js'
import type { BaseContext, CardActionContext, CardActionResult, ConversationContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import { defineConversation, type StepNote } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import type { PayloadOf } from '../../src/kit/actions.js'
import { choose } from '../../src/kit/choices.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { TransitionRefusedError, transition } from '../../src/kit/transition.js'
import { NOTICE_OPINION, OPINION_FORWARD, OPINION_REPLY } from '../../src/notices/actions.js'
import { NOTICE_LIMITS, opinionsOpen, type OpinionView } from '../../src/notices/model.js'
import { bumpNotice, findOpinion, lockOpinion, markAnswered, markForwarded, OPINION_MACHINE, opinionsDueForCommittee, openOpinionsOf, overdueOpinions, recordOpinion, setCommitteeMessage, type Opinion } from '../../src/notices/opinions.js'
import { claimDelivery, findNotice, markDelivered, type Notice } from '../../src/notices/store.js'
import { getDepartment, listDepartments } from '../../src/organisation/departments.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { addDays, localDate, zonedInstant } from '../../src/time.js'
import { noticeFromArgs, refreshNoticeCards, SECTION, sendIgnoringGone } from './shared.js'

const POST_CLAIM_MS = 5 * 60_000

interface OpinionDraft {
  /** Random per conversation (never a Feishu id, which inbox_events would tie to the worker's message). */
  key: string
  noticeId: string
  number: string
  title: string
  text?: string
  anonymous?: boolean
  editing?: boolean
}

export function registerNoticeOpinions(router: BotRouter): void {
  router.command({
    words: ['提意见', 'opinion'],
    synonyms: ['我有意见'],
    help: { section: SECTION, usage: '提意见 N-001', description: '对征求意见的厂务公开提意见或建议（私聊，可匿名）' },
    async handle(ctx) {
      const { notice } = await noticeFromArgs(ctx, ctx.argsText, '提意见 N-001')
      // In a group nothing is said there (it would show who gives opinions): the conversation runs privately.
      await startOpinion(ctx, notice)
    },
  })
  router.action(NOTICE_OPINION, {
    outdatedMessage: '该按钮已失效，请发送「公开栏」查看最新的公开。',
    async handle(ctx, { id }) {
      const notice = await findNotice(ctx.db, id)
      if (!notice) return { toast: { type: 'error', content: '没有找到这项公开' } }
      const refusal = closedReason(notice, ctx.now())
      if (refusal) return { toast: { type: 'warning', content: refusal } }
      ctx.defer(() => startOpinion(ctx, notice))
      return { toast: { type: 'info', content: '请在与我的私聊中填写意见（可匿名）' } }
    },
  })
  router.conversation(opinion)
  router.periodic({ name: 'notices.opinions', run: postDueOpinions })
  router.periodic({ name: 'notices.reply-overdue', run: remindOverdue })
  router.action(OPINION_FORWARD, { roles: ['officer'], handle: (ctx, p) => forward(ctx, p) })
  router.action(OPINION_REPLY, { handle: (ctx, p) => reply(ctx, p) })
}

function closedReason(n: Notice, now: Date): string | undefined {
  if (n.status === 'withdrawn') return `${n.number} 已撤回，不能再提意见。`
  if (!n.opinions_until) return `${n.number} 没有征求意见。如有问题可以发送「投诉」向工会反映。`
  if (!opinionsOpen({ status: n.status, opinionsUntil: n.opinions_until }, now)) return `${n.number} 的意见征集已经截止。`
  return undefined
}

async function startOpinion(ctx: BaseContext, n: Notice): Promise<void> {
  const refusal = closedReason(n, ctx.now())
  if (refusal) {
    await sendIgnoringGone(ctx, 'opinion-refused', () => ctx.sendToUser(ctx.actorOpenId, { text: refusal }, { key: 'opinion-refused' }))
    return
  }
  const current = await ctx.activeConversation()
  if (current !== undefined && current !== OPINION_FLOW) {
    await sendIgnoringGone(ctx, 'opinion-busy', () => ctx.sendToUser(ctx.actorOpenId, { text: '您还有一项未完成的办理。请先完成它，或发送「取消」结束后，再提意见。' }, { key: 'opinion-busy' }))
    return
  }
  const draft: OpinionDraft = { key: randomUUID(), noticeId: n.id, number: n.number, title: n.title }
  await opinion.start(ctx, draft)
  const sent = await sendIgnoringGone(ctx, 'opinion-prompt', () => ctx.sendToUser(ctx.actorOpenId, { card: buildOpinionTextStepCard({ number: n.number, title: n.title }) }, { key: 'opinion-start' }))
  if (!sent) await ctx.endConversation()
}

function readDraft(data: Record<string, unknown>): OpinionDraft | undefined {
  const d = data as Partial<OpinionDraft>
  if (typeof d.key !== 'string' || typeof d.noticeId !== 'string' || typeof d.number !== 'string' || typeof d.title !== 'string') return undefined
  return d as OpinionDraft
}

const opinion = defineConversation<OpinionDraft, OpinionStep>({
  name: OPINION_FLOW,
  title: '提意见',
  version: 1,
  initial: 'text',
  outdated: '系统已更新，您之前未提交的意见已失效，请重新发送「提意见 公开编号」。',
  read: readDraft,
  steps: {
    text: {
      prompt: async (ctx, d, n) => void (await ctx.say({ card: buildOpinionTextStepCard({ number: d.number, title: d.title, ...hint(n) }) })),
      parse(input, d) {
        const t = input.text.trim()
        if (!t) return { hint: '请用文字写下您的意见。' }
        const count = charCount(t)
        if (count < NOTICE_LIMITS.opinionMin) return { hint: `意见太短：至少 ${NOTICE_LIMITS.opinionMin} 个字（现在 ${count} 个字）。` }
        if (count > NOTICE_LIMITS.opinion) return { hint: `意见太长：最多 ${NOTICE_LIMITS.opinion} 个字（现在 ${count} 个字），请精简后重新发送。` }
        const next = { ...d, text: t }
        return d.editing || d.anonymous !== undefined ? { next: 'confirm', data: { ...next, editing: false } } : { next: 'anonymity', data: next }
      },
    },
    anonymity: {
      prompt: async (ctx, d, n) => void (await ctx.say({ card: buildOpinionAnonymityStepCard({ number: d.number, ...hint(n) }) })),
      parse(input, d) {
        const choice = choose('anonymity', input.normalized)
        if (!choice) return { hint: '请回复「匿名」或「实名」，或点击下方按钮。' }
        return { next: 'confirm', data: { ...d, anonymous: choice === '匿名', editing: false } }
      },
    },
    confirm: {
      prompt: async (ctx, d, n) => void (await ctx.say({ card: buildOpinionConfirmStepCard({ number: d.number, text: d.text ?? '', anonymous: d.anonymous ?? true, ...hint(n) }) })),
      parse(input, d) {
        const a = input.normalized
        if (['确认', '确定', '提交', '确认提交', 'confirm', 'ok'].includes(a)) return { run: (ctx) => submit(ctx, d) }
        if (a === '修改意见') return { next: 'text', data: { ...d, editing: true } }
        if (a === '修改身份' || a === '修改匿名' || a === '修改实名') return { next: 'anonymity', data: { ...d, editing: true } }
        return { hint: '请回复「确认」提交，或「修改意见」「修改身份」，或「取消」放弃。' }
      },
    },
  },
})

function hint(n: StepNote | undefined): { hint?: string } {
  return n ? { hint: 'hint' in n ? n.hint : n.notice } : {}
}

async function submit(ctx: ConversationContext, d: OpinionDraft): Promise<void> {
  const now = ctx.now()
  const n = await findNotice(ctx.db, d.noticeId)
  const refusal = n ? closedReason(n, now) : '这项公开已不存在。'
  if (refusal || !d.text || d.anonymous === undefined) {
    await ctx.finish()
    await ctx.say({ text: refusal ?? '意见没有填写完整，请重新发送「提意见 公开编号」。' })
    return
  }
  const g = ctx.config.grievance
  // Anonymous: a random delay before the committee sees it (as anonymous grievance relays, security review F7).
  const delayMin = d.anonymous ? randomInt(g.anonRelayDelayMinMinutes, Math.max(g.anonRelayDelayMinMinutes, g.anonRelayDelayMaxMinutes) + 1) : 0
  const o = await recordOpinion(ctx.db, {
    noticeId: d.noticeId,
    body: d.text,
    anonymous: d.anonymous,
    ...(d.anonymous ? {} : { author: { openId: ctx.actorOpenId, name: (await ctx.nameOf(ctx.actorOpenId)) ?? null } }),
    submittedOn: localDate(now, ctx.config.timezone),
    filingKey: d.key,
    committeeDueAt: new Date(now.getTime() + delayMin * 60_000),
  })
  // No log line with the notice and a time for anonymous opinions beyond what every event logs: ids only.
  if (!o.anonymous) ctx.log.info({ notice: n!.number, opinion: o.seq }, 'notice opinion received')
  await ctx.say(
    { text: `✅ 意见已提交（${d.number}，第 ${o.seq} 条${o.anonymous ? '，匿名' : ''}）。工会会转交负责的部门答复，答复会公布在这项公开的卡片上${o.anonymous ? '' : '，也会私信告诉您'}。` },
    { key: `opinion-filed:${o.id}` },
  )
  await ctx.finish()
  if (!o.anonymous) await postDueOpinions(ctx)
}

// ---- the committee ----

async function opinionView(ctx: BaseContext, o: Opinion): Promise<OpinionView> {
  const n = await findNotice(ctx.db, o.notice_id)
  return {
    id: o.id,
    noticeNumber: n?.number ?? '',
    noticeTitle: n?.title ?? '',
    seq: o.seq,
    body: o.body,
    anonymous: o.anonymous,
    authorName: o.author_name ?? undefined,
    submittedOn: o.submitted_on,
    status: o.status,
    department: o.department ?? undefined,
    summary: o.public_summary ?? undefined,
    forwardedAt: o.forwarded_at ?? undefined,
    replyDueAt: o.reply_due_at ?? undefined,
    reply: o.reply ?? undefined,
    repliedAt: o.replied_at ?? undefined,
  }
}

async function departmentOptions(ctx: BaseContext): Promise<Array<{ id: number; name: string }>> {
  return (await listDepartments(ctx.db)).map((d) => ({ id: d.id, name: d.name }))
}

/** Posts the committee's card of every opinion whose time has come (each claimed once across instances). */
async function postDueOpinions(ctx: BaseContext | PeriodicContext): Promise<void> {
  const now = 'runAt' in ctx ? ctx.runAt : ctx.now()
  for (const o of await opinionsDueForCommittee(ctx.db, now)) {
    if (!(await claimDelivery(ctx.db, 'opinion-card', o.id, now, POST_CLAIM_MS))) continue
    const card = buildOpinionReviewCard(await opinionView(ctx, o), await departmentOptions(ctx), ctx.config.notices.replyDays, ctx.config.timezone)
    const sent = await ctx.sendToCommittee({ card }, { key: `opinion-card:${o.id}` })
    if (sent) await setCommitteeMessage(ctx.db, o.id, sent.messageId)
    await markDelivered(ctx.db, 'opinion-card', o.id, now)
  }
}

/**
 * From 09:00 on working days, once per opinion: the committee hears that a forwarded opinion's answer is past its
 * deadline (claimed in notice_deliveries, so instances and restarts send it once).
 */
async function remindOverdue(ctx: PeriodicContext): Promise<void> {
  const now = ctx.runAt
  if (!workdayFrom(now, ctx.services.calendar, ctx.config.timezone)) return
  for (const o of await overdueOpinions(ctx.db, now)) {
    if (!(await claimDelivery(ctx.db, 'reply-overdue', o.id, now, POST_CLAIM_MS))) continue
    await ctx.sendToCommittee({ card: buildOpinionOverdueCard(await opinionView(ctx, o), ctx.config.notices.replyDays, ctx.config.timezone) }, { key: `reply-overdue:${o.id}` })
    await markDelivered(ctx.db, 'reply-overdue', o.id, now)
  }
}

/** 浙江省企业民主管理条例 Art. 19–23: the answer within NOTICE_REPLY_DAYS calendar days, to the end of that day. */
function replyDue(ctx: BaseContext, from: Date): Date {
  const tz = ctx.config.timezone
  return zonedInstant(addDays(localDate(from, tz), ctx.config.notices.replyDays), '23:59:59.999', tz)
}

async function forward(ctx: CardActionContext, { id }: PayloadOf<typeof OPINION_FORWARD>): Promise<CardActionResult> {
  const departmentId = Number(ctx.formString(OPINION_FIELDS.department) ?? '')
  const summary = tidyText(ctx.formString(OPINION_FIELDS.summary) ?? '')
  const department = Number.isInteger(departmentId) && departmentId > 0 ? await getDepartment(ctx.db, departmentId) : undefined
  if (!department || !department.active) return { toast: { type: 'error', content: '请选择负责答复的部门' } }
  if (charCount(summary) > NOTICE_LIMITS.summary) return { toast: { type: 'error', content: `意见摘要不能超过 ${NOTICE_LIMITS.summary} 个字` } }
  try {
    const r = await transition(ctx, OPINION_MACHINE, {
      step: 'forward',
      lock: (trx) => lockOpinion(trx, id),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到这条意见'),
      replayed: async (_trx, o) => o.forwarded_event_id === ctx.eventId,
      from: ['received'],
      already: (o) => o.status !== 'received',
      refusal: () => '这条意见已经转交',
      apply: (trx, _o, at) => markForwarded(trx, id, { department: department.name, contactOpenId: department.contactOpenId, summary: summary || null, by: ctx.actorOpenId, at, dueAt: replyDue(ctx, at), eventId: ctx.eventId }),
      audit: { action: 'notice.opinion.forward', detail: () => ({ department: department.name }) },
    })
    const view = await opinionView(ctx, r.after)
    if (r.outcome !== 'already') {
      const contact = r.after.contact_open_id!
      ctx.defer(async () => {
        await sendIgnoringGone(ctx, 'opinion-forwarded', () => ctx.sendToUser(contact, { card: buildOpinionForwardedCard(view, ctx.config.timezone) }, { key: `opinion-forwarded:${id}` }))
      })
    }
    const card = buildOpinionReviewCard(view, [], ctx.config.notices.replyDays, ctx.config.timezone)
    return { toast: { type: r.outcome === 'already' ? 'info' : 'success', content: r.outcome === 'already' ? '这条意见已经转交' : `已转交${department.name}` }, card }
  } catch (err) {
    if (err instanceof TransitionRefusedError) return { toast: { type: 'warning', content: err.userMessage } }
    throw err
  }
}

async function reply(ctx: CardActionContext, { id }: PayloadOf<typeof OPINION_REPLY>): Promise<CardActionResult> {
  const text = (ctx.formString(OPINION_FIELDS.reply) ?? '').replace(/\r\n?/g, '\n').trim()
  const o = await findOpinion(ctx.db, id)
  if (!o) return { toast: { type: 'error', content: '没有找到这条意见' } }
  // Only the contact it was forwarded to answers for the department (an officer forwards again to change that).
  if (o.contact_open_id !== ctx.actorOpenId) return { toast: { type: 'error', content: '只有负责答复的部门联系人可以提交答复。' } }
  if (o.status === 'forwarded') {
    if (!text) return { toast: { type: 'error', content: '请填写答复内容' } }
    if (charCount(text) > NOTICE_LIMITS.reply) return { toast: { type: 'error', content: `答复不能超过 ${NOTICE_LIMITS.reply} 个字` } }
  }
  try {
    const r = await transition(ctx, OPINION_MACHINE, {
      step: 'reply',
      lock: (trx) => lockOpinion(trx, id),
      missing: () => new UserFacingError('NOT_FOUND', '没有找到这条意见'),
      replayed: async (_trx, row) => row.replied_event_id === ctx.eventId,
      from: ['forwarded'],
      already: (row) => row.status === 'answered',
      refusal: () => '这条意见还没有转交，不能答复',
      apply: async (trx, _row, at) => {
        const after = await markAnswered(trx, id, { reply: text, by: ctx.actorOpenId, at, eventId: ctx.eventId })
        await bumpNotice(trx, after.notice_id)
        return after
      },
      audit: { action: 'notice.opinion.reply' },
    })
    const view = await opinionView(ctx, r.after)
    if (r.outcome !== 'already') {
      ctx.defer(async () => {
        await refreshNoticeCards(ctx, r.after.notice_id, 'all')
        const card = buildOpinionReviewCard(view, [], ctx.config.notices.replyDays, ctx.config.timezone)
        if (r.after.committee_message_id) await sendIgnoringGone(ctx, 'opinion-card-patch', () => ctx.patchCard(r.after.committee_message_id!, card))
        // Only a named author is told privately; an anonymous one reads the answer on the notice card.
        const author = r.after.author_open_id
        if (!r.after.anonymous && author) await sendIgnoringGone(ctx, 'opinion-answered', () => ctx.sendToUser(author, { card: buildOpinionAnsweredCard(view, ctx.config.timezone) }, { key: `opinion-answered:${id}` }))
      })
    }
    return { toast: { type: r.outcome === 'already' ? 'info' : 'success', content: r.outcome === 'already' ? '已经答复过了' : '答复已提交，已公布在公开卡片上' }, card: buildOpinionForwardedCard(view, ctx.config.timezone) }
  } catch (err) {
    if (err instanceof TransitionRefusedError) return { toast: { type: 'warning', content: err.userMessage } }
    throw err
  }
}

/** Most opinion cards `公开 意见 N-012` sends at once. */
const OPEN_OPINIONS_SHOWN = 10

/**
 * `公开 意见 N-012` (officers): the notice's opinions still waiting for an answer, each as the committee's card again
 * (with today's departments), privately. Anonymous opinions appear only once their delay is over, as in the group.
 */
export async function showOpenOpinions(ctx: MessageContext, n: Notice): Promise<void> {
  const open = await openOpinionsOf(ctx.db, n.id, OPEN_OPINIONS_SHOWN + 1)
  if (open.length === 0) {
    await ctx.reply({ text: `${n.number} 没有待处理的意见（匿名意见提交后要过一段时间才转到工会）。` })
    return
  }
  const departments = await departmentOptions(ctx)
  for (const o of open.slice(0, OPEN_OPINIONS_SHOWN)) {
    await ctx.replyPrivately({ card: buildOpinionReviewCard(await opinionView(ctx, o), departments, ctx.config.notices.replyDays, ctx.config.timezone) }, { key: `open-opinion:${o.id}` })
  }
  const more = open.length > OPEN_OPINIONS_SHOWN ? `（只发了前 ${OPEN_OPINIONS_SHOWN} 条，处理后可再次发送）` : ''
  if (ctx.isGroup || more) await ctx.reply({ text: `${n.number} 待处理的意见已私信发给您${more}。` })
}
