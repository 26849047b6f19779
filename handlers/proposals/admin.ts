// Officers keep the proposal roster: worker representatives (代表), responsible departments with their contact
// (部门) and collection windows (提案征集). Also declares the representative and department_contact roles.
import {
  buildContactNoticeCard,
  buildDepartmentSavedCard,
  buildDepartmentsCard,
  buildRepresentativesCard,
  buildWindowOpenedCard,
  buildWindowSummaryCard,
} from '../../cards/proposals/admin.js'
import { card, field, type Card } from '../../cards/kit.js'
import { buildDepartmentCard } from '../../cards/proposals/work.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { softNormalize } from '../../src/dispatch/text.js'
import { UserFacingError } from '../../src/errors.js'
import { DEPARTMENT_NAME_MAX, WINDOW_NAME_MAX, charCount, ownProposalsContact } from '../../src/proposals/model.js'
import { countWindowByStatus, inProgressOfDepartment, ownProposalsOfDepartment, bumpCardVersion, updateProposal } from '../../src/proposals/store.js'
import { countOpenProposalsOfDepartment, findDepartmentByName, listDepartments, removeDepartment, upsertDepartment } from '../../src/organisation/departments.js'
import { activeRepresentativeIds, addRepresentative, listRepresentatives, removeRepresentative } from '../../src/organisation/representatives.js'
import { closeWindow, currentWindow, latestWindow, openWindow } from '../../src/proposals/windows.js'
import { answeredTypedMentions } from '../organisation/typed-mentions.js'
import { buildView, sendSafely, today } from './shared.js'

const SECTION = '职代会提案（工会干部）'

/** First word of the arguments as a sub-command, and the rest. */
function subcommand(ctx: MessageContext): { sub: string; rest: string } {
  const [first = '', ...rest] = ctx.argsText.split(' ')
  return { sub: first.toLowerCase(), rest: rest.join(' ') }
}

/** The text with the rendered mentions (`@name`) taken out: what remains is the department's name. */
function withoutMentions(text: string, ctx: MessageContext): string {
  let out = text
  // argsText is NFKC-folded with spaces collapsed (src/dispatch/text.ts): fold the names the same way.
  for (const m of ctx.mentions) out = out.split(softNormalize(`@${m.name || '用户'}`)).join(' ')
  return out.replace(/\s+/g, ' ').trim()
}

function resultCard(title: string, lines: Array<[string, string[]]>): Card {
  return card({
    title,
    template: 'green',
    summary: title,
    elements: lines.filter(([, names]) => names.length).map(([label, names]) => field(label, names.join('、'))),
  })
}

/** `选区 第一车间 届次 第五届` after the mentions (either, both or none; 代表团 is read as 选区). */
function readSeat(rest: string): { constituency?: string; term?: string } {
  const seat: { constituency?: string; term?: string } = {}
  const m = /(?:选区|代表团)\s*(\S+)/.exec(rest)
  const n = /届次\s*(\S+)/.exec(rest)
  if (m) seat.constituency = m[1]!
  if (n) seat.term = n[1]!
  for (const v of Object.values(seat)) if (charCount(v) > DEPARTMENT_NAME_MAX) throw new UserFacingError('INVALID_INPUT', `选区和届次不能超过 ${DEPARTMENT_NAME_MAX} 个字。`)
  return seat
}

/** A re-added representative's new seat, after the name: 「张伟（选区：二车间）」 (shown escaped by field()). */
const withSeat = (name: string, seat: { constituency?: string; term?: string }): string =>
  `${name}（${[seat.constituency !== undefined ? `选区：${seat.constituency}` : '', seat.term !== undefined ? `届次：${seat.term}` : ''].filter(Boolean).join('，')}）`

async function representatives(ctx: MessageContext): Promise<void> {
  const { sub } = subcommand(ctx)
  const people = ctx.mentions.filter((m) => m.openId)
  if (sub === '' || sub === '列表' || sub === 'list') {
    return void (await ctx.reply({ card: buildRepresentativesCard(await listRepresentatives(ctx.db), ctx.config.timezone) }))
  }
  const adding = ['添加', '增加', 'add'].includes(sub)
  const removing = ['移除', '删除', 'remove'].includes(sub)
  if (!adding && !removing) throw new UserFacingError('INVALID_INPUT', '用法：代表 添加 @某人、代表 移除 @某人、代表 列表')
  if (await answeredTypedMentions(ctx)) return
  if (people.length === 0) throw new UserFacingError('INVALID_INPUT', `请 @ 要${adding ? '添加' : '移除'}的职工代表，例如：代表 ${adding ? '添加' : '移除'} @张三`)
  const seat = adding ? readSeat(withoutMentions(subcommand(ctx).rest, ctx)) : {}
  const changed: string[] = []
  const unchanged: string[] = []
  const updated: string[] = []
  for (const m of people) {
    const openId = m.openId!
    const outcome = adding ? await addRepresentative(ctx.db, { openId, name: m.name, by: ctx.actorOpenId, at: ctx.now(), ...seat }) : undefined
    const ok = adding ? outcome === 'added' : await removeRepresentative(ctx.db, openId, ctx.actorOpenId, ctx.now())
    if (m.name) await ctx.services.users.seen(openId, m.name)
    ;(ok ? changed : outcome === 'updated' ? updated : unchanged).push(m.name || '（未知姓名）')
    if (outcome === 'updated') await ctx.audit({ action: 'proposal.representative.seat', subjectType: 'representative', subjectId: openId, detail: seat })
    if (!ok) continue
    await ctx.audit({ action: adding ? 'proposal.representative.add' : 'proposal.representative.remove', subjectType: 'representative', subjectId: openId })
    if (adding) {
      await sendSafely(ctx, 'representative-welcome', () =>
        ctx.sendToUser(openId, { text: '【职代会提案】您已被登记为职工代表。提案征集期间，私聊我发送「提交提案」即可提交提案，发送「附议 提案编号」可附议其他代表的提案。' }, { key: `rep-welcome:${openId}` }),
      )
    }
  }
  await ctx.reply({
    card: adding
      ? resultCard('职工代表名单已更新', [['已添加', changed], ['已更新选区/届次', updated.map((n) => withSeat(n, seat))], ['已在名单中', unchanged]])
      : resultCard('职工代表名单已更新', [['已移除', changed], ['不在名单中', unchanged]]),
  })
}

async function departments(ctx: MessageContext): Promise<void> {
  const { sub, rest } = subcommand(ctx)
  if (sub === '' || sub === '列表' || sub === 'list') {
    return void (await ctx.reply({ card: buildDepartmentsCard(await listDepartments(ctx.db)) }))
  }
  if (['添加', '增加', 'add', '设置'].includes(sub)) {
    if (await answeredTypedMentions(ctx)) return
    const contacts = ctx.mentions.filter((m) => m.openId)
    const name = withoutMentions(rest, ctx)
    if (!name || contacts.length !== 1) throw new UserFacingError('INVALID_INPUT', '用法：部门 添加 部门名称 @联系人（一个部门一位联系人），例如：部门 添加 后勤保障部 @李四')
    if (charCount(name) > DEPARTMENT_NAME_MAX) throw new UserFacingError('INVALID_INPUT', `部门名称不能超过 ${DEPARTMENT_NAME_MAX} 个字。`)
    const contact = contacts[0]!
    // A new contact takes over the proposals in hand: refuse one who proposed or co-signed any of them (F12).
    const existing = await findDepartmentByName(ctx.db, name)
    if (existing && existing.contactOpenId !== contact.openId) {
      const own = await ownProposalsOfDepartment(ctx.db, existing.id, contact.openId!)
      if (own.length > 0) throw new UserFacingError('INVALID_STATE', ownProposalsContact(own))
    }
    const saved = await upsertDepartment(ctx.db, { name, contactOpenId: contact.openId!, contactName: contact.name, by: ctx.actorOpenId, at: ctx.now() })
    if (contact.name) await ctx.services.users.seen(contact.openId!, contact.name)
    await ctx.audit({ action: saved.created ? 'proposal.department.add' : 'proposal.department.contact', subjectType: 'department', subjectId: String(saved.department.id), detail: { contact: contact.openId } })
    await ctx.reply({ card: buildDepartmentSavedCard({ name, contactName: contact.name, created: saved.created }) })
    if (saved.previousContact !== contact.openId) {
      await sendSafely(ctx, 'contact-notice', () => ctx.sendToUser(contact.openId!, { card: buildContactNoticeCard({ name }) }, { key: `contact:${saved.department.id}:${contact.openId}` }))
      // A new contact takes over the department's open proposals: each comes with its answer form.
      for (const p of await inProgressOfDepartment(ctx.db, saved.department.id)) {
        const card = buildDepartmentCard(await buildView(ctx, p))
        const messageId = await sendSafely(ctx, 'contact-handover', () => ctx.sendToUser(contact.openId!, { card }, { key: `handover:${p.number}:${contact.openId}` }))
        if (messageId) await updateProposal(ctx.db, p.id, { departmentMessageId: messageId }, ctx.now())
      }
    }
    return
  }
  if (['移除', '删除', 'remove'].includes(sub)) {
    const name = rest.trim()
    const dept = name ? await findDepartmentByName(ctx.db, name) : undefined
    if (!dept) throw new UserFacingError('NOT_FOUND', '没有找到这个部门。发送「部门 列表」查看已登记的部门名称。')
    const open = await countOpenProposalsOfDepartment(ctx.db, dept.id)
    if (open > 0) throw new UserFacingError('INVALID_STATE', `该部门还有 ${open} 件提案在办理或待评价，办结后才能移除。`)
    await removeDepartment(ctx.db, dept.id, ctx.now())
    await ctx.audit({ action: 'proposal.department.remove', subjectType: 'department', subjectId: String(dept.id) })
    return void (await ctx.reply({ card: card({ title: '已移除承办部门', template: 'grey', summary: '已移除承办部门', elements: [field('部门', dept.name)] }) }))
  }
  throw new UserFacingError('INVALID_INPUT', '用法：部门 添加 部门名称 @联系人、部门 移除 部门名称、部门 列表')
}

async function windows(ctx: MessageContext): Promise<void> {
  const { sub, rest } = subcommand(ctx)
  const tz = ctx.config.timezone
  if (['开始', '开启', 'start', 'open'].includes(sub)) {
    const name = rest.trim()
    if (!name) throw new UserFacingError('INVALID_INPUT', '请写上届次名称，例如：提案征集 开始 第五届职代会第三次会议')
    if (charCount(name) > WINDOW_NAME_MAX) throw new UserFacingError('INVALID_INPUT', `届次名称不能超过 ${WINDOW_NAME_MAX} 个字。`)
    const opened = await openWindow(ctx.db, { name, by: ctx.actorOpenId, at: ctx.now() })
    if (!opened) throw new UserFacingError('INVALID_STATE', '已有一次提案征集正在进行。请先发送「提案征集 结束」，再开始新的征集。')
    await ctx.audit({ action: 'proposal.window.open', subjectType: 'proposal_window', subjectId: String(opened.id) })
    await ctx.reply({ card: buildWindowOpenedCard(opened, tz, false) })
    const announcement = buildWindowOpenedCard(opened, tz, true)
    for (const openId of await activeRepresentativeIds(ctx.db)) {
      await sendSafely(ctx, 'window-open', () => ctx.sendToUser(openId, { card: announcement }, { key: `window:${opened.id}:${openId}` }))
    }
    return
  }
  if (['结束', '关闭', 'end', 'close', 'stop'].includes(sub)) {
    const open = await currentWindow(ctx.db)
    if (!open || !(await closeWindow(ctx.db, open.id, ctx.actorOpenId, ctx.now()))) {
      throw new UserFacingError('INVALID_STATE', '当前没有进行中的提案征集。')
    }
    await ctx.audit({ action: 'proposal.window.close', subjectType: 'proposal_window', subjectId: String(open.id) })
    // Co-signing ends with the window: the posted cards lose their 附议 button at the next reconcile (within a minute).
    await bumpCardVersion(ctx.db, { windowId: open.id })
    const counts = await countWindowByStatus(ctx.db, open.id, today(ctx))
    return void (await ctx.reply({ card: buildWindowSummaryCard({ ...open, closedAt: ctx.now(), counts: counts.byStatus, total: counts.total }, tz) }))
  }
  if (sub === '' || ['状态', '情况', 'status'].includes(sub)) {
    const w = await latestWindow(ctx.db)
    if (!w) return void (await ctx.reply({ text: '还没有开始过提案征集。发送「提案征集 开始 届次名称」开始征集。' }))
    const counts = await countWindowByStatus(ctx.db, w.id, today(ctx))
    return void (await ctx.reply({ card: buildWindowSummaryCard({ ...w, counts: counts.byStatus, total: counts.total }, tz) }))
  }
  throw new UserFacingError('INVALID_INPUT', '用法：提案征集 开始 届次名称、提案征集 结束、提案征集（查看情况）')
}

export function registerProposalAdmin(router: BotRouter): void {
  router.command({
    words: ['代表', 'representative', 'representatives'],
    roles: ['officer'],
    help: { section: SECTION, usage: '代表 添加 @某人 [选区 名称] [届次 名称] / 代表 移除 @某人 / 代表 列表', description: '维护职工代表名单（含选区、届次）' },
    handle: representatives,
  })
  router.command({
    words: ['部门', 'department', 'departments'],
    roles: ['officer'],
    help: { section: SECTION, usage: '部门 添加 部门名称 @联系人 / 部门 列表', description: '维护承办部门及联系人' },
    handle: departments,
  })
  router.command({
    words: ['提案征集', 'proposal window'],
    roles: ['officer'],
    help: { section: SECTION, usage: '提案征集 开始 届次名称 / 提案征集 结束', description: '开始或结束提案征集，查看征集情况' },
    handle: windows,
  })
}
