// Members (会员): 入会 and the application card for the committee (批准 / 不批准 with a reason), 我的会籍, and the
// officers' 会员 列表 (counts, the full list as CSV privately) and 会员 转出 @某人 理由. 会员 导入 is in member-import.ts.
import { buildMemberApplicationCard, buildMemberCountsCard, buildMembershipTermsCard, buildMyMembershipCard } from '../../cards/organisation/members.js'
import type { BaseContext, CardActionContext, MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { softNormalize } from '../../src/dispatch/text.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { toCsv } from '../../src/kit/csv.js'
import { charCount } from '../../src/kit/text.js'
import { MEMBER_APPLY, MEMBER_APPROVE, MEMBER_REFUSE, REFUSAL_REASON_FIELD } from '../../src/organisation/member-actions.js'
import { applyForMembership, approveMembership, refuseMembership, transferOut } from '../../src/organisation/member-steps.js'
import { findMember, listMembers, updateMember } from '../../src/organisation/members.js'
import { DEFAULT_MEMBERSHIP_TERMS, MEMBER_STATUS_LABEL, REFUSAL_REASON_MAX, TRANSFER_REASON_MAX, type Member } from '../../src/organisation/members-model.js'
import { formatDateTime } from '../../src/time.js'
import { startMemberImport } from './member-import.js'
import { answeredTypedMentions } from './typed-mentions.js'

export const MEMBERS_SECTION = '工会会员'

const terms = (ctx: BaseContext): string => ctx.config.members.terms ?? DEFAULT_MEMBERSHIP_TERMS

const applicationCard = (ctx: BaseContext, m: Member) =>
  buildMemberApplicationCard({
    openId: m.openId,
    name: m.name,
    department: m.department,
    appliedAt: m.appliedAt ?? ctx.now(),
    status: m.status,
    refusalReason: m.refusalReason,
    timeZone: ctx.config.timezone,
  })

async function join(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) return void (await ctx.reply({ text: '入会申请请私聊我发送「入会」。' }))
  const member = await findMember(ctx.db, ctx.actorOpenId)
  await ctx.reply({ card: buildMembershipTermsCard({ terms: terms(ctx), status: member?.status }) })
}

async function myMembership(ctx: MessageContext): Promise<void> {
  // Membership is personal: in a group the answer goes privately.
  const card = buildMyMembershipCard(await findMember(ctx.db, ctx.actorOpenId))
  if (ctx.isGroup) {
    await ctx.replyPrivately({ card })
    return void (await ctx.reply({ text: '已私聊发给您。' }))
  }
  await ctx.reply({ card })
}

async function apply(ctx: CardActionContext) {
  const name = (await ctx.nameOf(ctx.actorOpenId)) ?? ''
  // The department for the committee's card, from the contact API when the scope is granted (issue #20).
  const profile = await ctx.profileOf(ctx.actorOpenId)
  const result = await applyForMembership(ctx, name, profile?.department)
  const after = result.after
  if (result.outcome === 'already') {
    return { toast: { type: 'info' as const, content: after.status === 'member' ? '您已是工会会员。' : '您的入会申请已提交，正在审核。' }, card: buildMembershipTermsCard({ terms: terms(ctx), status: after.status }) }
  }
  // The committee's card (also re-posted, with the same uuid, when a recovered click runs again).
  ctx.defer(async () => {
    const sent = await deliver(ctx, 'member:application', () => ctx.sendToCommittee({ card: applicationCard(ctx, after) }, { key: `member-application:${after.openId}` }))
    if (sent.sent && sent.value) await updateMember(ctx.db, after.openId, { applicationMessageId: sent.value.messageId }, ctx.now())
  })
  return { toast: { type: 'success' as const, content: '入会申请已提交，工会审核后会通知您。' }, card: buildMembershipTermsCard({ terms: terms(ctx), status: 'applied' }) }
}

async function approve(ctx: CardActionContext, openId: string) {
  const result = await approveMembership(ctx, openId)
  if (result.outcome === 'already') return { toast: { type: 'info' as const, content: '该申请已批准。' }, card: applicationCard(ctx, result.after) }
  ctx.defer(async () => {
    await deliver(ctx, 'member:approved', () =>
      ctx.sendToUser(openId, { text: `【工会】您的入会申请已批准，欢迎加入工会！入会日期：${result.after.joinedOn}。发送「我的会籍」可随时查看。` }, { key: `member-approved:${openId}` }),
    )
  })
  return { toast: { type: 'success' as const, content: '已批准入会。' }, card: applicationCard(ctx, result.after) }
}

async function refuse(ctx: CardActionContext, openId: string) {
  const reason = (ctx.formString(REFUSAL_REASON_FIELD) ?? '').trim()
  if (!reason) throw new UserFacingError('INVALID_INPUT', '请填写不批准的理由，理由会告知申请人。')
  if (charCount(reason) > REFUSAL_REASON_MAX) throw new UserFacingError('INVALID_INPUT', `理由不能超过 ${REFUSAL_REASON_MAX} 个字。`)
  const result = await refuseMembership(ctx, openId, reason)
  if (result.outcome === 'already') return { toast: { type: 'info' as const, content: '该申请已处理为不批准。' }, card: applicationCard(ctx, result.after) }
  // The reason was typed by an officer: it reaches the worker in a card, never in a text message.
  ctx.defer(async () => {
    await deliver(ctx, 'member:refused', () => ctx.sendToUser(openId, { card: buildMyMembershipCard(result.after) }, { key: `member-refused:${openId}` }))
  })
  return { toast: { type: 'success' as const, content: '已记录不批准，并告知申请人。' }, card: applicationCard(ctx, result.after) }
}

async function members(ctx: MessageContext): Promise<void> {
  const [first = '', ...restWords] = ctx.argsText.split(' ')
  const sub = first.toLowerCase()
  if (sub === '' || sub === '列表' || sub === 'list') return list(ctx)
  if (sub === '导入' || sub === 'import') return startMemberImport(ctx)
  if (sub === '转出' || sub === 'transfer') return transfer(ctx, restWords.join(' '))
  throw new UserFacingError('INVALID_INPUT', '用法：会员 列表、会员 导入、会员 转出 @某人 理由')
}

async function list(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup && ctx.chatId !== (await ctx.committeeChatId())) {
    throw new UserFacingError('FORBIDDEN_ROLE', '会员名单只在工会委员会群或与我的私聊中提供。')
  }
  const all = await listMembers(ctx.db)
  const counts = new Map<string | undefined, number>()
  for (const m of all) counts.set(m.department, (counts.get(m.department) ?? 0) + 1)
  const byDepartment = [...counts].map(([department, count]) => ({ department, count })).sort((a, b) => b.count - a.count || (a.department ?? '').localeCompare(b.department ?? ''))
  await ctx.reply({ card: buildMemberCountsCard({ total: all.length, byDepartment }) }, { key: 'members-card' })
  const tz = ctx.config.timezone
  const rows = all.map((m, i) => [String(i + 1), m.name, m.department ?? '', m.openId, m.joinedOn ?? '', m.source === 'import' ? '导入' : '申请', m.appliedAt ? formatDateTime(m.appliedAt, tz) : ''])
  const csv = toCsv([['序号', '姓名', '部门', 'open_id', '入会日期', '来源', '申请时间'], ...rows])
  await ctx.sendFileToUser(ctx.actorOpenId, `会员名单-${formatDateTime(ctx.now(), tz).slice(0, 10)}.csv`, csv, { key: 'members-csv' })
  ctx.log.info({ eventId: ctx.eventId, count: all.length }, 'member list sent')
}

async function transfer(ctx: MessageContext, rest: string): Promise<void> {
  if (await answeredTypedMentions(ctx)) return
  const people = ctx.mentions.filter((m) => m.openId)
  let reason = rest
  for (const m of ctx.mentions) reason = reason.split(softNormalize(`@${m.name || '用户'}`)).join(' ')
  reason = reason.replace(/\s+/g, ' ').trim()
  if (people.length !== 1 || !reason) throw new UserFacingError('INVALID_INPUT', '用法：会员 转出 @某人 理由（一次一人），例如：会员 转出 @张三 调往集团公司')
  if (charCount(reason) > TRANSFER_REASON_MAX) throw new UserFacingError('INVALID_INPUT', `理由不能超过 ${TRANSFER_REASON_MAX} 个字。`)
  const person = people[0]!
  const member = await findMember(ctx.db, person.openId!)
  if (!member || member.status !== 'member') {
    throw new UserFacingError('INVALID_STATE', `此人目前不是工会会员（${member ? MEMBER_STATUS_LABEL[member.status] : '无会籍记录'}），无法转出。`)
  }
  const result = await transferOut(ctx, person.openId!, reason)
  await ctx.reply({ text: result.outcome === 'already' ? '此人已办理转出。' : `已办理会员转出，转出日期：${result.after.endedOn}。会籍记录已保留。` })
}

export function registerMembers(router: BotRouter): void {
  router.command({
    words: ['入会', '加入工会', 'join union'],
    synonyms: ['申请入会', '入工会', '参加工会', '加入会员', '成为会员', '怎么入会'],
    help: { section: MEMBERS_SECTION, usage: '入会', description: '了解会员权利义务和会费标准，申请加入工会（私聊）' },
    handle: join,
  })
  router.command({
    words: ['我的会籍', 'my membership'],
    synonyms: ['我是会员吗', '我是不是会员', '会籍', '我的会员', '会员身份', '入会了吗', '入会日期', '是不是会员', '是不是工会会员', '是会员吗', '还是会员吗'],
    help: { section: MEMBERS_SECTION, usage: '我的会籍', description: '查看会籍状态和入会日期' },
    handle: myMembership,
  })
  router.command({
    words: ['会员', 'members'],
    roles: ['officer'],
    help: { section: MEMBERS_SECTION, usage: '会员 列表 / 会员 导入 / 会员 转出 @某人 理由', description: '会员统计和名单、批量导入会员、办理转出' },
    handle: members,
  })
  router.action(MEMBER_APPLY, { handle: (ctx) => apply(ctx) })
  router.action(MEMBER_APPROVE, { roles: ['officer'], handle: (ctx, p) => approve(ctx, p.openId) })
  router.action(MEMBER_REFUSE, { roles: ['officer'], handle: (ctx, p) => refuse(ctx, p.openId) })
}
