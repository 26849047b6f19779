// Award rounds: `评选 发起 <名称>` (the chair's form), `评选 公示群 PX-…` (a group to publicise in), `评选` (rounds in
// progress); the committee's steps on the review card (截止提名, 当选 / 不当选, 开始公示) and the chair's 确认评选结果,
// which needs the 公示 period over and every objection answered (the chair is reminded once when the period ends);
// then a publicity card per awardee. `先进 [年份]`.
import { buildArchiveCard, buildAwardeeCard, buildPublicityCard, buildRoundCard, buildRoundFormCard, type RoundFormValues } from '../../cards/recognition/rounds.js'
import type { CardActionContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { workdayFrom } from '../../src/kit/periodic.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { FIELDS, NOMINATION_DECIDE, ROUND_CLOSE, ROUND_CREATE, ROUND_FINALISE, ROUND_PUBLICISE } from '../../src/recognition/actions.js'
import { COSIGNERS_MAX, NOMINATORS, PLACES_MAX, ROUND_NAME_MAX, ROUND_STATUS_LABEL, type Nominators } from '../../src/recognition/model.js'
import { nominationStep, roundStep } from '../../src/recognition/steps.js'
import { archive, claimRoundReminder, createRound, listActiveRounds, markRoundReminded, publicityOver, listNominations, nominationById, nominationView, objectionCounts, roundById, roundView, updateRound, type Round } from '../../src/recognition/store.js'
import { charCount } from '../../src/kit/text.js'
import { localDate, localParts } from '../../src/time.js'
import { SECTION, chairOpenIds, refreshReview, reviewCardOf, roundFromText } from './shared.js'

const DATE = /^(\d{4}-\d{2}-\d{2})/

async function roundCommand(ctx: MessageContext): Promise<void> {
  const [first = '', ...rest] = ctx.argsTyped.split(/\s+/)
  const sub = first.toLowerCase()
  if (sub === '发起' || sub === 'new') return openForm(ctx, rest.join(' ').trim())
  if (sub === '公示群') return addPublicityChat(ctx)
  if (sub === '' || sub === '列表' || sub === 'list') return listRounds(ctx)
  throw new UserFacingError('INVALID_INPUT', '用法：评选 发起 名称；评选 公示群 PX-2026-01（在要公示的群里发送）；评选（查看进行中的评选）')
}

async function openForm(ctx: MessageContext, name: string): Promise<void> {
  if (!name) throw new UserFacingError('INVALID_INPUT', '请写上评选名称，例如：评选 发起 2026年度先进工作者')
  if (charCount(name) > ROUND_NAME_MAX) throw new UserFacingError('INVALID_INPUT', `评选名称不能超过 ${ROUND_NAME_MAX} 个字。`)
  const values: RoundFormValues = { name, places: '', nominators: 'members', cosigners: String(ctx.config.recognition.defaultCosigners) }
  await ctx.reply({ card: buildRoundFormCard({ chatId: ctx.isGroup ? ctx.chatId : '', values }) })
}

async function addPublicityChat(ctx: MessageContext): Promise<void> {
  if (!ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '请在要公示的群里 @我 发送「评选 公示群 PX-2026-01」。')
  const { round } = await roundFromText(ctx, ctx.argsTyped, '评选 公示群 PX-2026-01')
  if (round.status === 'final') throw new UserFacingError('INVALID_STATE', `评选 ${round.number} 已确定结果。`)
  const chats = round.publicity_chats.includes(ctx.chatId) ? round.publicity_chats : [...round.publicity_chats, ctx.chatId]
  await updateRound(ctx.db, round.id, { chats })
  await ctx.audit({ action: 'award.round.publicity_chat', subjectType: 'award_round', subjectId: round.number })
  await ctx.reply({ text: `好的，评选 ${round.number} 的公示名单和先进典型会发到本群（共 ${chats.length} 个群）。` })
}

async function listRounds(ctx: MessageContext): Promise<void> {
  const rounds = await listActiveRounds(ctx.db)
  if (rounds.length === 0) return void (await ctx.reply({ text: '目前没有进行中的评选。发送「评选 发起 名称」发起一次评选。' }))
  const lines = rounds.map((r) => `${r.number} ${r.name}：${ROUND_STATUS_LABEL[r.status]}`)
  await ctx.reply({ text: `进行中的评选：\n${lines.join('\n')}\n\n评审卡片在工会委员会群。` })
}

/** Reads the form; the reasons for each refused value (the bot's words), or the round's settings. */
function readForm(ctx: CardActionContext): { values: RoundFormValues; errors: string[]; ok?: { name: string; places: number; nominators: Nominators; cosigners: number; deadline: string } } {
  const text = (k: string) => (ctx.formString(k) ?? '').trim()
  const nominators = NOMINATORS.find((n) => n === text(FIELDS.nominators)) ?? 'members'
  const values: RoundFormValues = { name: text(FIELDS.name), places: text(FIELDS.places), nominators, cosigners: text(FIELDS.cosigners), deadline: DATE.exec(text(FIELDS.deadline))?.[1] ?? '' }
  const errors: string[] = []
  const name = values.name!
  if (!name || charCount(name) > ROUND_NAME_MAX) errors.push(`评选名称应为 1–${ROUND_NAME_MAX} 个字`)
  const places = /^\d{1,3}$/.test(values.places!) ? Number(values.places) : NaN
  if (!(places >= 1 && places <= PLACES_MAX)) errors.push(`名额应为 1–${PLACES_MAX} 的整数`)
  const cosigners = nominators !== 'members' ? 0 : values.cosigners === '' ? ctx.config.recognition.defaultCosigners : /^\d{1,2}$/.test(values.cosigners!) ? Number(values.cosigners) : NaN
  if (!(cosigners >= 0 && cosigners <= COSIGNERS_MAX)) errors.push(`联名人数应为 0–${COSIGNERS_MAX} 的整数`)
  const today = localDate(ctx.now(), ctx.config.timezone)
  if (!values.deadline) errors.push('请选择提名截止日期')
  else if (values.deadline < today) errors.push('提名截止日期不能早于今天')
  if (errors.length) return { values, errors }
  return { values, errors, ok: { name, places, nominators, cosigners, deadline: values.deadline! } }
}

async function create(ctx: CardActionContext, chat: string) {
  const form = readForm(ctx)
  if (!form.ok) return { toast: { type: 'error' as const, content: '有几项需要修改，请看卡片上的说明。' }, card: buildRoundFormCard({ chatId: chat, values: form.values, errors: form.errors }) }
  const s = form.ok
  const now = ctx.now()
  const round = await ctx.db.transaction().execute(async (trx) => {
    const r = await createRound(trx, { year: localParts(now, ctx.config.timezone).year, ...s, chats: chat ? [chat] : [], by: ctx.actorOpenId, at: now, eventId: ctx.eventId })
    await ctx.audit({ action: 'award.round.create', subjectType: 'award_round', subjectId: r.number, detail: { places: r.places, nominators: r.nominators, cosigners: r.cosigners } }, trx)
    return r
  })
  ctx.defer(async () => {
    await refreshReview(ctx, (await roundById(ctx.db, round.id))!)
  })
  return { toast: { type: 'success' as const, content: `评选 ${round.number} 已发起。` }, card: buildRoundCard({ round: roundView(round), nominated: 0 }) }
}

/** A committee step on the review card: answered with the new card; refusals are toasts (TransitionRefusedError). */
async function answerWith(ctx: CardActionContext, round: Round, toast: string) {
  return { toast: { type: 'success' as const, content: toast }, card: await reviewCardOf(ctx, round) }
}

async function close(ctx: CardActionContext, rid: number, rev: number) {
  const r = await roundStep(ctx, { step: 'close', roundId: rid, rev, from: ['nominating'], already: (x) => x.status !== 'nominating', refusal: () => '评选状态已变化，请看最新的评审卡片。', apply: (x, row) => updateRound(x, row.id, { status: 'reviewing' }) })
  return answerWith(ctx, r.after, r.outcome === 'already' ? '提名已截止。' : '提名已截止，请评审。')
}

async function decide(ctx: CardActionContext, p: { rid: number; rev: number; nid: number; pick: 'select' | 'drop' }) {
  const round = await roundById(ctx.db, p.rid)
  const n = await nominationById(ctx.db, p.nid)
  if (!round || !n || n.round_id !== round.id) throw new UserFacingError('NOT_FOUND', '没有找到这条提名。')
  if (round.status !== 'reviewing') throw new UserFacingError('INVALID_STATE', `评选 ${round.number} ${ROUND_STATUS_LABEL[round.status]}，不能再改名单。`)
  const to = p.pick === 'select' ? 'selected' : 'not_selected'
  await ctx.db.transaction().execute(async (trx) => {
    await nominationStep(
      ctx,
      {
        step: p.pick,
        nominationId: n.id,
        from: p.pick === 'select' ? ['nominated', 'not_selected'] : ['nominated', 'selected'],
        to,
        refusal: () => '这条提名不能评审（还在联名中，或已取消）。',
        guard: async (_row, x) => {
          const locked = await x.selectFrom('award_rounds').select(['status', 'places']).where('id', '=', round.id).forUpdate().executeTakeFirstOrThrow()
          if (locked.status !== 'reviewing') throw new UserFacingError('INVALID_STATE', '评选已进入下一阶段，不能再改名单。')
          if (p.pick === 'select') {
            const chosen = await x.selectFrom('award_nominations').select((eb) => eb.fn.countAll<string>().as('n')).where('round_id', '=', round.id).where('status', '=', 'selected').executeTakeFirstOrThrow()
            if (Number(chosen.n) >= locked.places) throw new UserFacingError('INVALID_STATE', `名额只有 ${locked.places} 个，已选满。请先把其他人改为「不当选」。`)
          }
        },
      },
      trx,
    )
    await updateRound(trx, round.id, { bump: true })
  })
  return answerWith(ctx, (await roundById(ctx.db, round.id))!, p.pick === 'select' ? '已选为拟当选。' : '已改为不当选。')
}

async function publicise(ctx: CardActionContext, rid: number, rev: number) {
  const r = await roundStep(ctx, {
    step: 'publicise',
    roundId: rid,
    rev,
    from: ['reviewing'],
    already: (x) => x.status === 'publicity' || x.status === 'final',
    refusal: () => '评选状态已变化，请看最新的评审卡片。',
    guard: async (row, x) => {
      const selected = await x.selectFrom('award_nominations').select((eb) => eb.fn.countAll<string>().as('n')).where('round_id', '=', row.id).where('status', '=', 'selected').executeTakeFirstOrThrow()
      if (Number(selected.n) === 0) throw new UserFacingError('INVALID_STATE', '还没有选出拟当选人员。')
      if (row.publicity_chats.length === 0) throw new UserFacingError('INVALID_STATE', `还没有公示群：请在要公示的群里 @我 发送「评选 公示群 ${row.number}」。`)
    },
    apply: (x, row, now) => updateRound(x, row.id, { status: 'publicity', publicityFrom: now, publicityUntil: ctx.services.calendar.deadlineAfter(now, ctx.config.recognition.publicityWorkdays) }),
  })
  const after = r.after
  if (r.outcome !== 'already') {
    ctx.defer(async () => {
      const awardees = (await listNominations(ctx.db, after.id)).filter((n) => n.status === 'selected').map((n) => nominationView(n))
      const card = buildPublicityCard({ round: roundView(after), awardees, until: after.publicity_until!, timeZone: ctx.config.timezone })
      for (const chat of after.publicity_chats) await deliver(ctx, 'award:publicity', () => ctx.sendToChat(chat, { card }, { key: `award-publicity:${after.id}:${chat}` }), { round: after.number })
    })
  }
  return answerWith(ctx, after, r.outcome === 'already' ? '已在公示。' : `公示已开始，${ctx.config.recognition.publicityWorkdays} 个工作日。`)
}

async function finalise(ctx: CardActionContext, rid: number, rev: number) {
  const r = await roundStep(ctx, {
    step: 'finalise',
    roundId: rid,
    rev,
    from: ['publicity'],
    already: (x) => x.status === 'final',
    refusal: (x) => (x.status === 'publicity' ? '评选状态已变化，请看最新的评审卡片。' : '还没有开始公示。'),
    guard: async (row, x) => {
      if (row.publicity_until && ctx.now().getTime() <= row.publicity_until.getTime()) {
        throw new UserFacingError('INVALID_STATE', `公示期到 ${localDate(row.publicity_until, ctx.config.timezone)} 结束，期满后才能确认结果。`)
      }
      const open = await objectionCounts(x, row.id)
      if (open.unanswered > 0) throw new UserFacingError('INVALID_STATE', `还有 ${open.unanswered} 条异议没有答复，请先逐条答复。`)
    },
    apply: (x, row, now) => updateRound(x, row.id, { status: 'final', finalisedAt: now }),
  })
  const after = r.after
  if (r.outcome !== 'already') {
    ctx.defer(async () => {
      const awardees = (await listNominations(ctx.db, after.id)).filter((n) => n.status === 'selected')
      for (const a of awardees) {
        const card = buildAwardeeCard({ roundName: after.name, roundNumber: after.number, awardee: nominationView(a) })
        for (const chat of after.publicity_chats) await deliver(ctx, 'award:awardee', () => ctx.sendToChat(chat, { card }, { key: `award-awardee:${a.id}:${chat}` }), { round: after.number })
      }
    })
  }
  return answerWith(ctx, after, r.outcome === 'already' ? '评选结果已确认。' : '评选结果已确认，先进典型将发到公示群。')
}

/**
 * From 09:00 on working days: the chair is told, once per round, that a 公示 is over — with the objections still to
 * answer, or that the result can be confirmed. Numbers only: a text message parses <at>, so no typed name goes in it.
 */
async function remindChair(ctx: PeriodicContext): Promise<void> {
  const now = ctx.now()
  if (!workdayFrom(now, ctx.services.calendar, ctx.config.timezone)) return
  for (const r of await publicityOver(ctx.db, now)) {
    if (!(await claimRoundReminder(ctx.db, r.id, now, 5 * 60_000))) continue
    const open = await objectionCounts(ctx.db, r.id)
    const text =
      open.unanswered > 0
        ? `【评先评优】评选 ${r.number} 的公示期已满，还有 ${open.unanswered} 条异议待答复。逐条答复后，请在工会委员会群的评审卡片上点「确认评选结果」。`
        : `【评先评优】评选 ${r.number} 的公示期已满，异议已全部答复（共 ${open.total} 条）。请在工会委员会群的评审卡片上点「确认评选结果」。`
    for (const chair of await chairOpenIds(ctx)) await deliver(ctx, 'award:publicity-over', () => ctx.sendToUser(chair, { text }, { key: `award-publicity-over:${r.id}:${chair}` }), { round: r.number })
    await markRoundReminded(ctx.db, r.id, now)
  }
}

async function archiveCommand(ctx: MessageContext): Promise<void> {
  const m = /^(\d{4})/.exec(ctx.argsText.trim())
  const year = m ? Number(m[1]) : localParts(ctx.now(), ctx.config.timezone).year
  await ctx.reply({ card: buildArchiveCard({ year, entries: await archive(ctx.db, year) }) })
}

export function registerRounds(router: BotRouter): void {
  router.command({
    words: ['评选', '评先评优'],
    roles: [ROLE_UNION_CHAIR],
    deniedMessage: '抱歉，只有工会主席可以发起和管理评选。',
    help: { section: SECTION, usage: '评选 发起 名称 / 评选 公示群 PX-2026-01', description: '发起评先评优（名额、提名方式、截止日期），指定公示群' },
    handle: roundCommand,
  })
  router.command({
    words: ['先进', '先进典型', '劳模'],
    synonyms: ['先进人物', '劳动模范'],
    help: { section: SECTION, usage: '先进 [年份]', description: '查看历年评出的先进典型' },
    handle: archiveCommand,
  })
  router.periodic({ name: 'award.publicity-over', run: remindChair })
  router.action(ROUND_CREATE, { roles: [ROLE_UNION_CHAIR], deniedMessage: '只有工会主席可以发起评选。', handle: (ctx, p) => create(ctx, p.chat) })
  router.action(ROUND_CLOSE, { roles: ['officer'], handle: (ctx, p) => close(ctx, p.rid, p.rev) })
  router.action(NOMINATION_DECIDE, { roles: ['officer'], handle: (ctx, p) => decide(ctx, p) })
  router.action(ROUND_PUBLICISE, { roles: ['officer'], handle: (ctx, p) => publicise(ctx, p.rid, p.rev) })
  router.action(ROUND_FINALISE, { roles: [ROLE_UNION_CHAIR], deniedMessage: '只有工会主席可以确认评选结果。', handle: (ctx, p) => finalise(ctx, p.rid, p.rev) })
}
