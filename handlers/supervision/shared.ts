// What the supervision handlers share: a matter's view, its card in the committee group (posted and patched), and
// the 意见书 to the department's contact.
import { buildMatterCard, buildOpinionCard, type MatterView } from '../../cards/supervision/matter.js'
import type { BaseContext } from '../../src/dispatch/context.js'
import { errorCode } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { getDepartment } from '../../src/organisation/departments.js'
import { isReplyOverdue } from '../../src/supervision/model.js'
import { getMatter, setGroupMessage, type SupervisionMatter } from '../../src/supervision/store.js'
import { localDate } from '../../src/time.js'

export async function viewOf(ctx: BaseContext, m: SupervisionMatter): Promise<MatterView> {
  const now = ctx.now()
  const [department, contactName, openedByName] = await Promise.all([
    getDepartment(ctx.db, m.department_id),
    ctx.nameOf(m.contact_open_id).catch(() => undefined),
    ctx.nameOf(m.opened_by).catch(() => undefined),
  ])
  const calendar = ctx.services.calendar
  return {
    id: m.id,
    number: m.number,
    type: m.type,
    status: m.status,
    revision: m.revision,
    departmentName: department?.name ?? '责任部门',
    contactName: contactName ?? department?.contactName ?? '联系人',
    facts: m.facts,
    opinion: m.opinion,
    grievanceNumbers: m.grievance_numbers,
    openedAt: m.opened_at,
    openedByName: openedByName ?? '工会干部',
    replyDueAt: m.reply_due_at,
    dueEstimated: calendar.isEstimated(localDate(m.reply_due_at, ctx.config.timezone)),
    overdueDays: isReplyOverdue(m, now) ? Math.max(1, calendar.workdaysBetween(m.reply_due_at, now)) : undefined,
    reply: m.reply,
    repliedAt: m.replied_at,
    replyOnTime: m.reply_on_time,
    replyAccepted: m.reply_accepted,
    outcome: m.outcome,
    closedAt: m.closed_at,
    timeZone: ctx.config.timezone,
  }
}

export async function matterCard(ctx: BaseContext, m: SupervisionMatter) {
  return buildMatterCard(await viewOf(ctx, m))
}

/** Sends the 意见书 (again, with the reason, when a reply was not accepted) to the department's contact. */
export async function sendOpinion(ctx: BaseContext, m: SupervisionMatter, key: string, reason?: string): Promise<boolean> {
  const card = buildOpinionCard({ ...(await viewOf(ctx, m)), ...(reason ? { reason } : {}) })
  return (await deliver(ctx, 'supervision:contact', () => ctx.sendToUser(m.contact_open_id, { card }, { key: `${key}:${m.id}` }), { supervision: m.number })).sent
}

export async function postGroupCard(ctx: BaseContext, m: SupervisionMatter): Promise<void> {
  try {
    const sent = await ctx.sendToCommittee({ card: await matterCard(ctx, m) }, { key: `supervision-group:${m.id}` })
    if (sent) await setGroupMessage(ctx.db, m.id, sent.messageId)
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, supervision: m.number, code: errorCode(err) }, 'supervision card not posted')
  }
}

export async function refreshGroupCard(ctx: BaseContext, id: number, exceptMessageId?: string): Promise<void> {
  const m = await getMatter(ctx.db, id)
  if (!m?.group_message_id || m.group_message_id === exceptMessageId) return
  try {
    await ctx.patchCard(m.group_message_id, await matterCard(ctx, m))
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, supervision: m.number, code: errorCode(err) }, 'supervision card not updated')
  }
}
