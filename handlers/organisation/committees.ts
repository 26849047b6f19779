// The union's special committees (issue #20): `委员会 <名称> 添加 @…`, `委员会 <名称> 移除 @…`, `委员会 列表`.
// Membership is a role other features use (committee:<名称>, or isCommitteeMember in src/organisation/store.ts).
import { buildCommitteeNameCard, buildCommitteesCard, buildRosterChangedCard } from '../../cards/organisation/roster.js'
import type { MessageContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { COMMITTEE_NAME_MAX, KNOWN_COMMITTEES, closeCommitteeName, committeeRole, parseCommitteeName, type CommitteeView } from '../../src/organisation/model.js'
import { addCommitteeMember, isCommitteeMember, listCommittees, removeCommitteeMember } from '../../src/organisation/store.js'
import { requireAdmin } from './officers.js'
import { answeredTypedMentions, prepareCommand } from './typed-mentions.js'
import { SECTION, isAdd, isList, isRemove, mentionedPeople, wordsWithoutMentions } from './shared.js'

const USAGE = `用法：委员会 女职工委员会 添加 @某人、委员会 女职工委员会 移除 @某人、委员会 列表。常用名称：${KNOWN_COMMITTEES.join('、')}`

async function list(ctx: MessageContext): Promise<void> {
  const committees: CommitteeView[] = []
  for (const [name, ids] of await listCommittees(ctx.db)) {
    const members = []
    for (const openId of ids) members.push({ openId, name: (await ctx.nameOf(openId)) ?? '' })
    committees.push({ name, members })
  }
  await ctx.reply({ card: buildCommitteesCard({ committees, known: KNOWN_COMMITTEES }) })
}

async function change(ctx: MessageContext, nameWord: string, verb: string, rest: string[], literal: boolean): Promise<void> {
  const name = parseCommitteeName(nameWord)
  if (!name) throw new UserFacingError('INVALID_INPUT', `委员会名称应以“委员会”结尾、不超过 ${COMMITTEE_NAME_MAX} 个字，例如 ${KNOWN_COMMITTEES[0]}。${USAGE}`)
  if (!isAdd(verb) && !isRemove(verb)) throw new UserFacingError('INVALID_INPUT', USAGE)
  await requireAdmin(ctx)
  if (await answeredTypedMentions(ctx)) return
  if (rest.length) throw new UserFacingError('INVALID_INPUT', USAGE)
  const adding = isAdd(verb)
  const people = await mentionedPeople(ctx)
  if (people.length === 0) throw new UserFacingError('INVALID_INPUT', `请 @ 要${adding ? '添加' : '移除'}的人，例如：委员会 ${name} ${adding ? '添加' : '移除'} @张三`)
  // A name close to a known one or one in use (女工委员会 → 女职工委员会) asks first rather than found another committee;
  // 「不是，新建」 runs `委员会 新建 <名称> …`, which takes the name as typed (QA F16).
  if (adding && !literal) {
    const near = closeCommitteeName(name, [...new Set([...KNOWN_COMMITTEES, ...(await listCommittees(ctx.db)).keys()])])
    if (near) {
      // One prepared command with two choices: the first click uses it up, so 是 and 不是 cannot both run.
      const id = await prepareCommand(ctx, [], [(text) => text.replace(nameWord, near), (text) => text.replace(nameWord, `新建 ${nameWord}`)])
      return void (await ctx.reply({ card: buildCommitteeNameCard({ typed: name, near, id }) }))
    }
  }
  const changed: string[] = []
  const unchanged: string[] = []
  await ctx.db.transaction().execute(async (trx) => {
    for (const p of people) {
      const ok = adding ? await addCommitteeMember(trx, { committee: name, openId: p.openId, by: ctx.actorOpenId, at: ctx.now() }) : await removeCommitteeMember(trx, name, p.openId)
      ;(ok ? changed : unchanged).push(p.name || '（未知姓名）')
      if (ok) await ctx.audit({ action: adding ? 'organisation.committee.add' : 'organisation.committee.remove', subjectType: 'committee', subjectId: name, detail: { member: p.openId } }, trx)
    }
  })
  await ctx.reply({
    card: buildRosterChangedCard({
      title: `${name}成员已更新`,
      lines: adding ? [['已添加', changed], ['已是成员', unchanged]] : [['已移除', changed], ['不是成员', unchanged]],
    }),
  })
}

export function registerCommittees(router: BotRouter): void {
  for (const name of KNOWN_COMMITTEES) router.role(committeeRole(name), (openId, services) => isCommitteeMember(services.db, name, openId))
  router.command({
    words: ['委员会', 'committee', 'committees'],
    help: { section: SECTION, usage: '委员会 名称 添加 @某人 / 委员会 名称 移除 @某人 / 委员会 列表', description: '维护工会专门委员会成员（添加、移除限主席、副主席）' },
    roles: ['officer'],
    async handle(ctx) {
      const words = wordsWithoutMentions(ctx)
      const literal = words[0] === '新建'
      const [first, verb = '', ...rest] = literal ? words.slice(1) : words
      if (isList(first) && !literal) return list(ctx)
      return change(ctx, first ?? '', verb, rest, literal)
    },
  })
}
