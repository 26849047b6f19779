// What the supervision handlers share: a matter's view, its card in the committee group (posted and patched), and
// the 意见书 to the department's contact.
import { buildMatterCard, buildMatterReplacedCard, buildOpinionCard, type MatterView } from '../../cards/supervision/matter.js'
import type { LiveCardSpec } from '../../src/kit/live-cards.js'
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

/** The replaced copy of a matter's card (the person asked again): points at the new one. */
function replacedCard(number: string) {
  return buildMatterReplacedCard(number)
}

/**
 * Live cards of subject type 'supervision' (QA F8): the committee's card of a matter, in the committee group and in
 * each officer's private chat, patched at every change (card_version, migrations/0041) so no copy shows an old
 * status or old buttons. The contact's 意见书 card is not one of them: it is a separate card, sent again when asked.
 */
export const SUPERVISION_LIVE_CARD: LiveCardSpec = {
  versions: { table: 'supervision_matters', id: 'id', version: 'card_version' },
  async render(ctx, id) {
    const m = await getMatter(ctx.db, Number(id))
    return m ? { version: m.card_version, card: await matterCard(ctx, m) } : undefined
  },
}

/** Registers a posted copy of the matter's card (a group's shared one, or a person's own) and brings it up to date. */
export async function trackMatterCard(ctx: BaseContext, m: SupervisionMatter, posted: { messageId: string; chatId?: string | undefined; privateFor?: string }): Promise<void> {
  await ctx.liveCards.track(
    'supervision',
    String(m.id),
    { messageId: posted.messageId, ...(posted.chatId ? { chatId: posted.chatId } : {}), ...(posted.privateFor ? { privateFor: posted.privateFor } : {}), version: m.card_version },
    replacedCard(m.number),
  )
  await refreshMatterCards(ctx, m.id)
}

export async function postGroupCard(ctx: BaseContext, m: SupervisionMatter): Promise<void> {
  try {
    const sent = await ctx.sendToCommittee({ card: await matterCard(ctx, m) }, { key: `supervision-group:${m.id}` })
    if (!sent) return
    await setGroupMessage(ctx.db, m.id, sent.messageId)
    const chatId = await ctx.committeeChatId()
    await trackMatterCard(ctx, m, { messageId: sent.messageId, chatId })
  } catch (err) {
    ctx.log.warn({ eventId: ctx.eventId, supervision: m.number, code: errorCode(err) }, 'supervision card not posted')
  }
}

/** Every posted copy of the matter's card, group and private, to the matter as it is now (src/kit/live-cards.ts). */
export async function refreshMatterCards(ctx: BaseContext, id: number): Promise<void> {
  await ctx.liveCards.refresh('supervision', String(id), 'all')
}
