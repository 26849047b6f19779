// Applying for mediation: `申请调解` in private chat (an oral application recorded on the spot, 劳动争议调解仲裁法第十二条:
// the basic facts, the request, the reasons), the date the worker knew of the infringement (第二十七条), the other
// party; then confirm. `申请调解 G-2026-0007` links the worker's own named grievance and starts from its text; an
// officer's `转调解 G-2026-0007` suggests it to the grievance's worker (mediation is voluntary, the worker applies).
import { randomUUID } from 'node:crypto'
import { APPLY_FLOW, APPLY_TITLE, EDIT_ANSWERS, buildApplyConfirmCard, buildApplyStepCard, type ApplyStep } from '../../cards/mediation/apply.js'
import { nextInSequence } from '../../src/core/sequences.js'
import type { ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation, type StepDefinition, type StepNote } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { getGrievanceByNumber } from '../../src/grievances/store.js'
import { splitLeadingNumber } from '../../src/grievances/model.js'
import { deliver } from '../../src/kit/deliver.js'
import {
  APPLICATION_MAX_CHARS,
  APPLICATION_MIN_CHARS,
  MEDIATION_COMMITTEE,
  MEDIATION_NUMBER,
  OTHER_PARTY_MAX_CHARS,
  arbitrationDeadline,
  charCount,
  limitMayHaveRun,
  limitationClause,
  limitationWarning,
  parseTypedDate,
} from '../../src/mediation/model.js'
import { findCaseByFilingKey, insertCase, openCaseFromGrievance, recordEvent } from '../../src/mediation/store.js'
import { committeeRole } from '../../src/organisation/model.js'
import { localParts } from '../../src/time.js'
import { partyCard, postGroupCard, sendToMembers, today } from './shared.js'

interface ApplyDraft {
  /** Random per conversation: the application's idempotency key (never a Feishu id). */
  draftId: string
  facts?: string
  request?: string
  reasons?: string
  knewOn?: string
  otherParty?: string
  grievanceId?: number
  grievanceNumber?: string
  /** Reopened from the confirm card's 修改 buttons: the answer goes back to the confirm card (QA F23). */
  editing?: boolean
}

const SECTION = '劳动争议调解'
const OTHER_FLOW_ACTIVE = '您还有一项未完成的办理。请先完成它，或发送「取消」结束后，再发送「申请调解」。'

const textHint = (n: number, min: number, max: number) =>
  n < min ? `内容太短：至少 ${min} 个字（现在 ${n} 个字），请写具体一些后重新发送。` : `内容太长：最多 ${max} 个字（现在 ${n} 个字），请精简后重新发送。`

function textStep(step: 'facts' | 'request' | 'reasons', next: ApplyStep): StepDefinition<ApplyDraft, ApplyStep> {
  return {
    prompt: (ctx, draft, note) => sayStep(ctx, step, draft, note),
    parse(input, draft) {
      const text = input.text.trim()
      if (!text) return { hint: '请用文字回答（图片和文件请在调解时交给调解员）。' }
      const n = charCount(text)
      if (n < APPLICATION_MIN_CHARS || n > APPLICATION_MAX_CHARS) return { hint: textHint(n, APPLICATION_MIN_CHARS, APPLICATION_MAX_CHARS) }
      return draft.editing ? { next: 'confirm', data: { ...draft, [step]: text, editing: false } } : { next, data: { ...draft, [step]: text } }
    },
  }
}

async function sayStep(ctx: ConversationContext, step: Exclude<ApplyStep, 'confirm'>, draft: ApplyDraft, note?: StepNote): Promise<void> {
  // A knew-date more than a year back is taken, and the worker told so plainly on the next question (QA F22).
  const warned = step === 'party' && !note && draft.knewOn && limitMayHaveRun(draft.knewOn, today(ctx)) ? { notice: limitationWarning(draft.knewOn) } : {}
  await ctx.say({ card: buildApplyStepCard(step, { ...(note ?? warned), ...(draft.grievanceNumber ? { grievanceNumber: draft.grievanceNumber } : {}), ...(draft.editing ? { editing: true } : {}) }) })
}

function summary(ctx: ConversationContext, d: ApplyDraft) {
  return {
    facts: d.facts ?? '',
    request: d.request ?? '',
    reasons: d.reasons ?? '',
    knewOn: d.knewOn ?? '',
    arbitrationDeadline: d.knewOn ? arbitrationDeadline(d.knewOn) : '',
    limitation: d.knewOn ? limitationClause(d.knewOn, today(ctx)) : '',
    ...(d.knewOn && limitMayHaveRun(d.knewOn, today(ctx)) ? { warning: limitationWarning(d.knewOn) } : {}),
    otherParty: d.otherParty ?? '',
    ...(d.grievanceNumber ? { grievanceNumber: d.grievanceNumber } : {}),
    periodDays: ctx.config.mediation.periodDays,
  }
}

const apply = defineConversation<ApplyDraft, ApplyStep>({
  name: APPLY_FLOW,
  title: APPLY_TITLE,
  version: 1,
  initial: 'facts',
  outdated: '系统已更新，您之前未提交的调解申请已失效，请发送「申请调解」重新开始。',
  read: (data) => (typeof data.draftId === 'string' ? (data as unknown as ApplyDraft) : undefined),
  unknownStep: (d) => ({ next: 'facts', data: { draftId: d.draftId } }),
  steps: {
    facts: textStep('facts', 'request'),
    request: textStep('request', 'reasons'),
    reasons: textStep('reasons', 'knew'),
    knew: {
      prompt: (ctx, draft, note) => sayStep(ctx, 'knew', draft, note),
      parse(input, draft, ctx) {
        const day = parseTypedDate(input.text, today(ctx))
        if (!day) return { hint: '没有看懂这个日期。请按「2026-03-05」或「3月5日」的样子回复，也可以回复「今天」「昨天」。' }
        if (day > today(ctx)) return { hint: '这个日期还没到。请回复您知道权利受到侵害的那一天（今天或以前）。' }
        return draft.editing ? { next: 'confirm', data: { ...draft, knewOn: day, editing: false } } : { next: 'party', data: { ...draft, knewOn: day } }
      },
    },
    party: {
      prompt: (ctx, draft, note) => sayStep(ctx, 'party', draft, note),
      parse(input, draft) {
        const text = input.text.trim()
        const n = charCount(text)
        if (n < 2 || n > OTHER_PARTY_MAX_CHARS) return { hint: textHint(n, 2, OTHER_PARTY_MAX_CHARS) }
        return { next: 'confirm', data: { ...draft, otherParty: text, editing: false } }
      },
    },
    confirm: {
      prompt: (ctx, draft, note) => ctx.say({ card: buildApplyConfirmCard(summary(ctx, draft), note ?? {}) }).then(() => undefined),
      parse(input, draft) {
        const t = input.normalized
        if (['确认', '确认提交', '提交', '是', 'confirm', 'yes'].includes(t)) return { run: (ctx) => fileApplication(ctx, draft) }
        const edit = EDIT_ANSWERS[t]
        if (edit) return { next: edit, data: { ...draft, editing: true } }
        return { hint: '请回复「确认」提交申请，或点「修改…」重新填写某一步，或发送「取消」放弃。' }
      },
    },
  },
})

/** Makes the case once per draft (a repeated 确认 finds it), then tells the worker, the committee and its members. */
async function fileApplication(ctx: ConversationContext, d: ApplyDraft): Promise<void> {
  if (!d.facts || !d.request || !d.reasons || !d.knewOn || !d.otherParty) {
    await ctx.finish()
    await ctx.say({ text: '申请内容不完整，请发送「申请调解」重新开始。' })
    return
  }
  const now = ctx.now()
  const name = (await ctx.nameOf(ctx.actorOpenId).catch(() => undefined)) ?? ''
  const c = await ctx.db.transaction().execute(async (trx) => {
    const existing = await findCaseByFilingKey(trx, d.draftId)
    if (existing) return existing
    const year = localParts(now, ctx.config.timezone).year
    const seq = await nextInSequence(trx, `mediation:${year}`)
    const made = await insertCase(trx, {
      number: MEDIATION_NUMBER.format(year, seq),
      applicant_open_id: ctx.actorOpenId,
      applicant_name: name,
      grievance_id: d.grievanceId ?? null,
      facts: d.facts!,
      request: d.request!,
      reasons: d.reasons!,
      knew_on: d.knewOn!,
      other_party: d.otherParty!,
      applied_at: now,
      applied_on: today(ctx),
      filing_key: d.draftId,
    })
    await recordEvent(trx, { caseId: made.id, at: now, kind: 'applied', actorOpenId: ctx.actorOpenId, eventId: ctx.eventId })
    await ctx.audit({ action: 'mediation.apply', subjectType: 'mediation', subjectId: made.number, detail: d.grievanceNumber ? { grievance: d.grievanceNumber } : {} }, trx)
    return made
  })
  await ctx.finish()
  ctx.log.info({ eventId: ctx.eventId, mediation: c.number }, 'mediation application filed')
  await ctx.say({ text: `您的调解申请已提交，编号 ${c.number}。调解委员会受理后会通知您；您随时可以发送「我的调解」查看进展。` }, { key: 'filed' })
  await ctx.say({ card: await partyCard(ctx, c, 'applicant') }, { key: 'filed-card' })
  await postGroupCard(ctx, c)
  const reached = await sendToMembers(ctx, c, 'applied')
  if (reached === 0) ctx.log.warn({ eventId: ctx.eventId, mediation: c.number }, 'mediation committee has no members reachable: 委员会 劳动争议调解委员会 添加 @…')
}

async function startApplication(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) {
    // Nothing about a dispute is said in a group; the worker is asked privately.
    await deliver(ctx, 'mediation:private-answer', () => ctx.replyPrivately({ text: '申请调解请在与我的私聊中发送「申请调解」，内容只有调解委员会成员和对方当事人可见。' }))
    return
  }
  const current = await ctx.activeConversation()
  if (current !== undefined && current !== APPLY_FLOW) return void (await ctx.reply({ text: OTHER_FLOW_ACTIVE }))
  const draft: ApplyDraft = { draftId: randomUUID() }
  const asked = splitLeadingNumber(ctx.args)
  if (asked) {
    const g = await getGrievanceByNumber(ctx.db, asked.number)
    // Only the worker's own named grievance: an anonymous one is never tied to a named application.
    if (!g || g.anonymous || g.reporterOpenId !== ctx.actorOpenId) {
      return void (await ctx.reply({ text: `没有找到您本人实名提交的诉求 ${asked.number}。匿名诉求不能直接转为调解；您可以发送「申请调解」重新填写。` }))
    }
    const open = await openCaseFromGrievance(ctx.db, g.id)
    if (open) return void (await ctx.reply({ text: `诉求 ${g.number} 已有进行中的调解申请 ${open.number}。发送「我的调解」查看。` }))
    draft.facts = g.description
    draft.grievanceId = g.id
    draft.grievanceNumber = g.number
  }
  await apply.start(ctx, draft, draft.facts ? 'request' : 'facts')
  await ctx.reply({ card: buildApplyStepCard(draft.facts ? 'request' : 'facts', { intro: true, ...(draft.grievanceNumber ? { grievanceNumber: draft.grievanceNumber } : {}) }) })
}

/** An officer suggests mediation for a named grievance: the worker is told how to apply (keeping the link). */
async function suggestMediation(ctx: MessageContext): Promise<void> {
  const asked = splitLeadingNumber(ctx.args)
  if (!asked) return void (await ctx.reply({ text: '用法：转调解 诉求编号，例如「转调解 G-2026-0007」。' }))
  const g = await getGrievanceByNumber(ctx.db, asked.number)
  if (!g) return void (await ctx.reply({ text: `没有找到诉求 ${asked.number}。` }))
  if (g.anonymous || !g.reporterOpenId) return void (await ctx.reply({ text: `诉求 ${g.number} 是匿名的，不能转为调解：调解需要当事人实名参加。可以用「回复职工」请其自行发送「申请调解」。` }))
  const sent = await deliver(
    ctx,
    'mediation:suggest',
    () =>
      ctx.sendToUser(
        g.reporterOpenId!,
        { text: `工会建议通过企业劳动争议调解委员会调解您的诉求 ${g.number}。调解自愿、保密。如您同意，请发送「申请调解 ${g.number}」，已填写的情况会带入申请。` },
        { key: `suggest:${g.id}` },
      ),
    { grievance: g.number },
  )
  await ctx.audit({ action: 'mediation.suggest', subjectType: 'grievance', subjectId: g.number })
  await ctx.reply({ text: sent.sent ? `已建议职工就诉求 ${g.number} 申请调解；职工同意后会由调解委员会受理。` : `未能通知到职工（可能已不在应用可见范围内）。` })
}

export function registerMediationApply(router: BotRouter): void {
  router.command({
    words: ['申请调解', 'mediation'],
    synonyms: ['调解申请', '劳动争议调解', '我要调解'],
    hints: ['仲裁', '劳动争议'],
    help: { section: SECTION, usage: '申请调解', description: '向企业劳动争议调解委员会申请调解（保密）' },
    handle: startApplication,
  })
  router.command({
    words: ['转调解'],
    roles: ['officer', committeeRole(MEDIATION_COMMITTEE)],
    deniedMessage: '抱歉，只有工会干部和调解委员会成员可以建议转调解。',
    help: { section: SECTION, usage: '转调解 G-2026-0007', description: '建议职工就实名诉求申请调解（工会干部）' },
    handle: suggestMediation,
  })
  router.conversation(apply)
}
