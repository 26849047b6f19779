// `隐患`: a worker reports a safety hazard privately (工会法第二十三条: 违章指挥、强令冒险作业、重大事故隐患), anonymous
// like a grievance — an anonymous report keeps no reporter at all. It goes to the committee group at once; a
// 重大事故隐患 is also made urgent (应用内加急, PATCH …/urgent_app) to every officer. An urgent call that fails loses
// nothing: the report and its card stand, and the failure is logged by number.
import { randomUUID } from 'node:crypto'
import { HAZARD_FLOW, HAZARD_TITLE, buildHazardCard, buildHazardConfirmCard, buildHazardStepCard, safetyLine, type HazardStep } from '../../cards/supervision/hazard.js'
import { nextInSequence } from '../../src/core/sequences.js'
import type { BaseContext, ConversationContext, PeriodicContext } from '../../src/dispatch/context.js'
import { defineConversation, type StepNote } from '../../src/dispatch/conversation.js'
import { anonRelayDeliverAfter } from '../../src/grievances/model.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { HAZARD_MAX_CHARS, HAZARD_MIN_CHARS, HAZARD_NUMBER, charCount } from '../../src/supervision/model.js'
import { localParts } from '../../src/time.js'

interface HazardDraft {
  draftId: string
  description?: string
  major?: boolean
  anonymous?: boolean
}

const CLAIM_MS = 5 * 60_000

function stepOpts(ctx: BaseContext, note?: StepNote): { hint?: string; hotline?: string } {
  const hotline = ctx.config.supervision.safetyHotline
  return { ...(note && 'hint' in note ? { hint: note.hint } : {}), ...(hotline ? { hotline } : {}) }
}

const hazard = defineConversation<HazardDraft, HazardStep>({
  name: HAZARD_FLOW,
  title: HAZARD_TITLE,
  version: 1,
  initial: 'description',
  outdated: '系统已更新，您之前未提交的隐患报告已失效，请发送「隐患」重新开始。',
  read: (data) => (typeof data.draftId === 'string' ? (data as unknown as HazardDraft) : undefined),
  steps: {
    description: {
      prompt: (ctx, _d, note) => ctx.say({ card: buildHazardStepCard('description', stepOpts(ctx, note)) }).then(() => undefined),
      parse(input, d) {
        const text = input.text.trim()
        const n = charCount(text)
        if (n < HAZARD_MIN_CHARS) return { hint: `描述太短：至少 ${HAZARD_MIN_CHARS} 个字（现在 ${n} 个字），请写明地点和问题。` }
        if (n > HAZARD_MAX_CHARS) return { hint: `描述太长：最多 ${HAZARD_MAX_CHARS} 个字（现在 ${n} 个字）。` }
        return { next: 'severity', data: { ...d, description: text } }
      },
    },
    severity: {
      prompt: (ctx, _d, note) => ctx.say({ card: buildHazardStepCard('severity', stepOpts(ctx, note)) }).then(() => undefined),
      parse(input, d) {
        const t = input.normalized
        if (['重大', '重大隐患', '重大事故隐患', '是'].includes(t)) return { next: 'anonymity', data: { ...d, major: true } }
        if (['一般', '一般隐患', '否', '不是'].includes(t)) return { next: 'anonymity', data: { ...d, major: false } }
        return { hint: '请回复「重大」或「一般」，或点击下方按钮。' }
      },
    },
    anonymity: {
      prompt: (ctx, _d, note) => ctx.say({ card: buildHazardStepCard('anonymity', stepOpts(ctx, note)) }).then(() => undefined),
      parse(input, d) {
        if (input.normalized === '匿名') return { next: 'confirm', data: { ...d, anonymous: true } }
        if (input.normalized === '实名') return { next: 'confirm', data: { ...d, anonymous: false } }
        return { hint: '请回复「匿名」或「实名」，或点击下方按钮。' }
      },
    },
    confirm: {
      prompt: (ctx, d) => ctx.say({ card: buildHazardConfirmCard({ description: d.description ?? '', major: d.major === true, anonymous: d.anonymous !== false }) }).then(() => undefined),
      parse(input, d) {
        if (['确认', '确认报告', '是', 'yes', 'confirm'].includes(input.normalized)) return { run: (ctx) => fileHazard(ctx, d) }
        return { hint: '请回复「确认」报告，或发送「取消」放弃。' }
      },
    },
  },
})

async function fileHazard(ctx: ConversationContext, d: HazardDraft): Promise<void> {
  if (!d.description || d.major === undefined || d.anonymous === undefined) {
    await ctx.finish()
    await ctx.say({ text: '报告内容不完整，请发送「隐患」重新开始。' })
    return
  }
  const now = ctx.now()
  const name = d.anonymous ? null : ((await ctx.nameOf(ctx.actorOpenId).catch(() => undefined)) ?? '')
  // An anonymous 一般 report waits a random delay before the committee sees it, like anonymous grievance relays
  // (GRIEVANCE_ANON_RELAY_DELAY_*; QA F6). A 重大 one goes at once: safety first, its card shows the date only.
  const delayed = d.anonymous && !d.major
  const report = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('hazard_reports').selectAll().where('filing_key', '=', d.draftId).executeTakeFirst()
    if (existing) return existing
    const year = localParts(now, ctx.config.timezone).year
    const made = await trx
      .insertInto('hazard_reports')
      .values({
        number: HAZARD_NUMBER.format(year, await nextInSequence(trx, `hazard:${year}`)),
        description: d.description!,
        major: d.major!,
        anonymous: d.anonymous!,
        // Anonymous: nobody is recorded (the check constraint of migrations/0022 holds it).
        reporter_open_id: d.anonymous ? null : ctx.actorOpenId,
        reporter_name: name,
        reported_at: now,
        committee_due_at: delayed ? anonRelayDeliverAfter(now, ctx.config.grievance) : now,
        filing_key: d.draftId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    // Only a named report is audited: an audit row carries the actor and the Feishu event, which would tie an
    // anonymous report to its sender (the grievance desk's rule, security review F8).
    if (!d.anonymous) await ctx.audit({ action: 'hazard.report', subjectType: 'hazard', subjectId: made.number, detail: { major: made.major } }, trx)
    return made
  })
  await ctx.finish()
  ctx.log.info({ eventId: ctx.eventId, hazard: report.number, major: report.major }, 'hazard reported')
  const safety = report.major ? safetyLine(ctx.config.supervision.safetyHotline, 'text') : ''
  const said = delayed
    ? `隐患报告 ${report.number} 已收到。为保护您的匿名，将在稍后转交工会委员会（委员会只看到报告日期）。谢谢您！`
    : `隐患报告 ${report.number} 已送达工会委员会${report.major ? '，并已加急通知工会干部' : ''}。谢谢您！${safety}`
  await ctx.say({ text: said }, { key: 'filed' })
  if (!delayed) await postHazard(ctx, report.id, now)
}

/** Posts the committee's card of a report whose time has come, once across instances; a 重大 one is made urgent. */
async function postHazard(ctx: BaseContext, id: number, now: Date): Promise<void> {
  const report = await ctx.db
    .updateTable('hazard_reports')
    .set({ post_claimed_until: new Date(now.getTime() + CLAIM_MS) })
    .where('id', '=', id)
    .where('group_message_id', 'is', null)
    .where('committee_due_at', '<=', now)
    .where((eb) => eb.or([eb('post_claimed_until', 'is', null), eb('post_claimed_until', '<', now)]))
    .returningAll()
    .executeTakeFirst()
  if (!report) return
  const card = buildHazardCard({ number: report.number, description: report.description, major: report.major, anonymous: report.anonymous, reporterLabel: report.anonymous ? '匿名职工' : report.reporter_name || '实名职工', reportedAt: report.reported_at, timeZone: ctx.config.timezone })
  const sent = await ctx.sendToCommittee({ card }, { key: `hazard:${report.id}` }).catch((err) => {
    ctx.log.warn({ eventId: ctx.eventId, hazard: report.number, code: errorCode(err) }, 'hazard card not posted')
    return undefined
  })
  // Not posted (no committee group yet, Feishu down): the claim runs out and the periodic task tries again.
  if (!sent) return
  await ctx.db.updateTable('hazard_reports').set({ group_message_id: sent.messageId }).where('id', '=', report.id).execute()
  if (!report.major || report.urgent_sent_at) return
  const officers = await ctx.services.roles.officerOpenIds()
  if (officers.length === 0) return
  const urgent = await deliver(ctx, 'hazard:urgent', () => ctx.urgentApp(sent.messageId, officers), { hazard: report.number })
  if (urgent.sent) await ctx.db.updateTable('hazard_reports').set({ urgent_sent_at: now }).where('id', '=', report.id).execute()
}

/** Every minute: the reports whose delay is over (and any whose card could not be posted before). */
async function postDueHazards(ctx: PeriodicContext): Promise<void> {
  const due = await ctx.db.selectFrom('hazard_reports').select('id').where('group_message_id', 'is', null).where('committee_due_at', '<=', ctx.runAt).orderBy('id').limit(100).execute()
  for (const r of due) await postHazard(ctx, r.id, ctx.runAt)
}

export function registerHazardReports(router: BotRouter): void {
  router.command({
    words: ['隐患', '报告隐患', 'hazard'],
    synonyms: ['安全隐患', '事故隐患', '违章指挥', '冒险作业'],
    help: { section: '劳动法律监督', usage: '隐患', description: '报告安全隐患（可匿名；重大隐患加急通知工会干部）' },
    async handle(ctx) {
      if (ctx.isGroup) {
        await deliver(ctx, 'hazard:private-answer', () => ctx.replyPrivately({ text: '报告安全隐患请在与我的私聊中发送「隐患」，可以匿名。' }))
        return
      }
      const current = await ctx.activeConversation()
      if (current !== undefined && current !== HAZARD_FLOW) return void (await ctx.reply({ text: '您还有一项未完成的办理。请先完成它，或发送「取消」结束后，再发送「隐患」。' }))
      await hazard.start(ctx, { draftId: randomUUID() })
      await ctx.reply({ card: buildHazardStepCard('description', stepOpts(ctx)) })
    },
  })
  router.conversation(hazard)
  router.periodic({ name: 'supervision.hazards', run: postDueHazards })
}
