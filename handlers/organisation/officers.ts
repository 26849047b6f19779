// `干部 添加 @… [主席|副主席|委员]`, `干部 移除 @…`, `干部 列表` (issue #20): officers with roles, managed by 主席 and
// 副主席; the last chair stays (hand over first); every officer added is welcomed privately.
import { buildOfficersCard, buildOfficerWelcomeCard, buildRosterChangedCard } from '../../cards/organisation/roster.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { OFFICER_ROLE_LABEL, ROLE_UNION_ADMIN, parseOfficerRole, type OfficerRole, type OfficerView } from '../../src/organisation/model.js'
import { chairExists, listOfficers, lockChairs, removeOfficer, upsertOfficer } from '../../src/organisation/store.js'
import { answeredTypedMentions } from './typed-mentions.js'
import { SECTION, isAdd, isList, isRemove, mentionedPeople, wordsWithoutMentions } from './shared.js'

export const ADMIN_ONLY = '抱歉，只有工会主席、副主席可以添加或移除工会干部和委员会成员。'
export const LAST_CHAIR = '不能移除最后一位工会主席：请先发送「干部 添加 @新主席 主席」完成交接。'
const USAGE = '用法：干部 添加 @张三 @李四 [主席|副主席|委员]、干部 移除 @张三、干部 列表'

/** 主席 and 副主席 (or, before a chair is set, the configured officers): checked here, as 列表 is open to every officer. */
export async function requireAdmin(ctx: MessageContext): Promise<void> {
  if (!(await ctx.hasRole(ROLE_UNION_ADMIN))) throw new UserFacingError('FORBIDDEN_ROLE', ADMIN_ONLY)
}

const nameOr = (name: string): string => name || '（未知姓名）'

async function list(ctx: MessageContext): Promise<void> {
  const stored = await listOfficers(ctx.db)
  const inDb = new Set(stored.map((o) => o.openId))
  const officers: OfficerView[] = []
  for (const o of stored) officers.push({ openId: o.openId, name: (await ctx.nameOf(o.openId)) ?? '', role: o.role, addedAt: o.addedAt, configured: false })
  for (const id of ctx.config.union.officerOpenIds.filter((x) => !inDb.has(x))) officers.push({ openId: id, name: (await ctx.nameOf(id)) ?? '', role: 'member', addedAt: undefined, configured: true })
  await ctx.reply({ card: buildOfficersCard({ officers, chairSet: await chairExists(ctx.db), committeeChatSet: (await ctx.committeeChatId()) !== undefined, timeZone: ctx.config.timezone }) })
}

async function add(ctx: MessageContext, words: string[]): Promise<void> {
  const people = await mentionedPeople(ctx)
  if (words.length > 1) throw new UserFacingError('INVALID_INPUT', USAGE)
  const role: OfficerRole | undefined = words.length === 0 ? 'member' : parseOfficerRole(words[0]!)
  if (!role) throw new UserFacingError('INVALID_INPUT', `没有“${words[0]}”这个干部角色，可选：主席、副主席、委员（不写即为委员）。`)
  if (people.length === 0) throw new UserFacingError('INVALID_INPUT', `请 @ 要添加的人，例如：干部 添加 @张三 ${OFFICER_ROLE_LABEL[role]}`)
  const welcome: string[] = []
  const done = { added: [] as string[], changed: [] as string[], same: [] as string[], lastChair: [] as string[] }
  await ctx.db.transaction().execute(async (trx) => {
    const chairs = new Set(await lockChairs(trx))
    for (const p of people) {
      if (role !== 'chair' && chairs.has(p.openId) && chairs.size === 1) {
        done.lastChair.push(nameOr(p.name))
        continue
      }
      const r = await upsertOfficer(trx, { openId: p.openId, role, by: ctx.actorOpenId, at: ctx.now() })
      if (role === 'chair') chairs.add(p.openId)
      else chairs.delete(p.openId)
      done[r].push(nameOr(p.name))
      if (r === 'same') continue
      welcome.push(p.openId)
      await ctx.audit({ action: r === 'added' ? 'organisation.officer.add' : 'organisation.officer.role', subjectType: 'officer', subjectId: p.openId, detail: { role } }, trx)
    }
  })
  if (done.lastChair.length && !done.added.length && !done.changed.length && !done.same.length) throw new UserFacingError('INVALID_STATE', LAST_CHAIR)
  for (const openId of welcome) {
    await deliver(ctx, 'organisation:officer-welcome', () => ctx.sendToUser(openId, { card: buildOfficerWelcomeCard({ role }) }, { key: `officer-welcome:${openId}:${role}` }))
  }
  const label = OFFICER_ROLE_LABEL[role]
  await ctx.reply({
    card: buildRosterChangedCard({
      title: '工会干部名单已更新',
      lines: [
        [`已添加为${label}`, done.added],
        [`已改为${label}`, done.changed],
        [`已是${label}`, done.same],
        ['未改动（最后一位主席）', done.lastChair],
      ],
      ...(welcome.length ? { note: '新添加的干部已收到私聊说明。' } : {}),
      ...(done.lastChair.length ? { note: LAST_CHAIR } : {}),
    }),
  })
}

async function remove(ctx: MessageContext, words: string[]): Promise<void> {
  const people = await mentionedPeople(ctx)
  if (words.length > 0) throw new UserFacingError('INVALID_INPUT', USAGE)
  if (people.length === 0) throw new UserFacingError('INVALID_INPUT', '请 @ 要移除的干部，例如：干部 移除 @张三')
  const done = { removed: [] as string[], absent: [] as string[], lastChair: [] as string[] }
  await ctx.db.transaction().execute(async (trx) => {
    const chairs = new Set(await lockChairs(trx))
    for (const p of people) {
      if (chairs.has(p.openId) && chairs.size === 1) {
        done.lastChair.push(nameOr(p.name))
        continue
      }
      if (!(await removeOfficer(trx, p.openId))) {
        done.absent.push(nameOr(p.name))
        continue
      }
      chairs.delete(p.openId)
      done.removed.push(nameOr(p.name))
      await ctx.audit({ action: 'organisation.officer.remove', subjectType: 'officer', subjectId: p.openId }, trx)
    }
  })
  if (done.lastChair.length && !done.removed.length && !done.absent.length) throw new UserFacingError('INVALID_STATE', LAST_CHAIR)
  const configured = people.filter((p) => ctx.config.union.officerOpenIds.includes(p.openId))
  await ctx.reply({
    card: buildRosterChangedCard({
      title: '工会干部名单已更新',
      lines: [
        ['已移除', done.removed],
        ['不在名单中', done.absent],
        ['未移除（最后一位主席）', done.lastChair],
      ],
      ...(configured.length ? { note: '配置文件 UNION_OFFICER_OPEN_IDS 中列出的人仍是干部，需在配置中删除。' } : {}),
      ...(done.lastChair.length ? { note: LAST_CHAIR } : {}),
    }),
  })
}

export function registerOfficers(router: BotRouter): void {
  router.command({
    words: ['干部', 'officer', 'officers'],
    help: { section: SECTION, usage: '干部 添加 @某人 [主席|副主席|委员] / 干部 移除 @某人 / 干部 列表', description: '维护工会干部名单（添加、移除限主席、副主席）' },
    roles: ['officer'],
    async handle(ctx) {
      const [sub, ...rest] = wordsWithoutMentions(ctx)
      if (isList(sub)) return list(ctx)
      if (!isAdd(sub) && !isRemove(sub)) throw new UserFacingError('INVALID_INPUT', USAGE)
      await requireAdmin(ctx)
      if (await answeredTypedMentions(ctx)) return
      return isAdd(sub) ? add(ctx, rest) : remove(ctx, rest)
    },
  })
}
