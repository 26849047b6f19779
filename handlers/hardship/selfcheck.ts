// 困难帮扶: the private self-check and the application. The self-check is a form card answered in place: the figures
// travel in the card callback, are computed and shown, and are written nowhere (no table, no conversation state,
// no log line) unless the worker presses 提交申请, which files the case for the chair and vice chairs only.
import { buildApplicantCard, buildCaseCard, buildSelfCheckCard, buildSelfCheckResultCard } from '../../cards/hardship/hardship.js'
import { parseYuan } from '../../src/care/model.js'
import type { BaseContext, CardActionContext, CardActionResult, MessageContext } from '../../src/dispatch/context.js'
import { FIELDS, HARDSHIP_APPLY, HARDSHIP_CHECK, HARDSHIP_RECHECK } from '../../src/hardship/actions.js'
import { HOUSEHOLD_MAX, REASON_MAX, classify, mayApply, type HardshipCase, type SelfCheckInput } from '../../src/hardship/model.js'
import { fileCase, rememberCard, responsibleOfficers } from '../../src/hardship/store.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { localDate } from '../../src/time.js'

export async function startSelfCheck(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) return void (await ctx.reply({ text: '困难帮扶自测涉及家庭情况，请私聊我发送「困难帮扶」。' }))
  await ctx.reply({ card: buildSelfCheckCard({ dibaoSet: ctx.config.hardship.dibaoMonthlyFen !== undefined }) })
}

const toast = (content: string): CardActionResult => ({ toast: { type: 'error', content } })

/** Reads the form; a polite sentence for the first thing wrong. The form keeps what was typed (no card returned). */
function readForm(ctx: CardActionContext): SelfCheckInput | string {
  const money = (name: string, label: string, optional = false): number | string => {
    const raw = (ctx.formString(name) ?? '').trim()
    if (raw === '' && optional) return 0
    if (raw === '0' || raw === '0.0' || raw === '0.00') return 0
    return parseYuan(raw) ?? `请检查「${label}」：填写元，最多两位小数，例如 36000。`
  }
  const income = money(FIELDS.income, '家庭年可支配收入')
  if (typeof income === 'string') return income
  const rigid = money(FIELDS.rigid, '刚性支出')
  if (typeof rigid === 'string') return rigid
  const sudden = money(FIELDS.sudden, '突发困难支出', true)
  if (typeof sudden === 'string') return sudden
  const sizeText = (ctx.formString(FIELDS.size) ?? '').trim()
  const size = /^\d{1,2}$/.test(sizeText) ? Number(sizeText) : NaN
  if (!(size >= 1 && size <= HOUSEHOLD_MAX)) return `请检查「家庭人口」：填写 1 到 ${HOUSEHOLD_MAX} 之间的整数。`
  return { incomeFen: income, rigidFen: rigid, householdSize: size, suddenFen: sudden }
}

async function check(ctx: CardActionContext): Promise<CardActionResult> {
  // Without the 低保 the result card still shows the per-person figure and 意外致困, and says where the line comes from.
  const dibao = ctx.config.hardship.dibaoMonthlyFen
  const input = readForm(ctx)
  if (typeof input === 'string') return toast(input)
  const result = classify(input, dibao, ctx.config.hardship.suddenPercent)
  return { card: buildSelfCheckResultCard({ input, result }) }
}

export const caseCard = (ctx: BaseContext, c: HardshipCase) => buildCaseCard(c, { timeZone: ctx.config.timezone, reviewMonths: ctx.config.hardship.reviewMonths })

/** Sends (or re-sends, with the same uuid) the case card privately to every responsible officer. */
export async function sendCaseCards(ctx: BaseContext, c: HardshipCase): Promise<void> {
  for (const openId of await responsibleOfficers(ctx.db, ctx.config.union.officerOpenIds)) {
    const sent = await deliver(ctx, 'hardship:case', () => ctx.sendToUser(openId, { card: caseCard(ctx, c) }, { key: `hardship-case:${c.id}:${openId}` }))
    if (sent.sent) await rememberCard(ctx.db, c.id, openId, sent.value.messageId)
  }
}

async function apply(ctx: CardActionContext, p: { income: number; rigid: number; size: number; sudden: number }): Promise<CardActionResult> {
  const dibao = ctx.config.hardship.dibaoMonthlyFen
  const input: SelfCheckInput = { incomeFen: p.income, rigidFen: p.rigid, householdSize: p.size, suddenFen: p.sudden }
  const result = classify(input, dibao, ctx.config.hardship.suddenPercent)
  if (!mayApply(result)) return toast('按本地标准暂未达到困难职工条件，无法提交申请。')
  const reason = (ctx.formString(FIELDS.reason) ?? '').trim()
  if (!reason) return toast('请简要说明家庭困难情况。')
  if (charCount(reason) > REASON_MAX) return toast(`困难情况说明不能超过 ${REASON_MAX} 个字。`)
  const namePublic = ctx.formString(FIELDS.namePublic) === 'yes'
  const member = await ctx.db.selectFrom('members').select(['name', 'department']).where('open_id', '=', ctx.actorOpenId).executeTakeFirst()
  const name = (await ctx.nameOf(ctx.actorOpenId)) ?? member?.name ?? ''
  const now = ctx.now()
  const filed = await ctx.db.transaction().execute(async (trx) => {
    const r = await fileCase(trx, {
      openId: ctx.actorOpenId,
      name,
      department: member?.department ?? undefined,
      ...input,
      level: result.level,
      sudden: result.sudden,
      reason,
      namePublic,
      // One application per result card: a second click on it finds the first.
      filingKey: `${ctx.actorOpenId}:${ctx.action.messageId ?? ctx.eventId}`,
      eventId: ctx.eventId,
      at: now,
      year: Number(localDate(now, ctx.config.timezone).slice(0, 4)),
    })
    if (r.created) await ctx.audit({ action: 'hardship.apply', subjectType: 'hardship', subjectId: r.case.number }, trx)
    return r
  })
  const c = filed.case
  ctx.log.info({ eventId: ctx.eventId, number: c.number, created: filed.created }, 'hardship application filed')
  ctx.defer(async () => {
    await sendCaseCards(ctx, c)
    await deliver(ctx, 'hardship:filed', () =>
      ctx.sendToUser(ctx.actorOpenId, { text: `【工会】您的困难帮扶申请已提交，编号 ${c.number}。工会将安排入户走访，每一步进展都会通知您。如需补充材料，请发送「困难帮扶 材料 ${c.number}」。` }, { key: `hardship-filed:${c.id}` }),
    )
  })
  return { toast: { type: 'success', content: filed.created ? `已提交申请 ${c.number}` : `申请 ${c.number} 已提交过` }, card: buildApplicantCard(c) }
}

export function registerSelfCheck(router: BotRouter): void {
  router.action(HARDSHIP_CHECK, { handle: (ctx) => check(ctx) })
  router.action(HARDSHIP_APPLY, { handle: (ctx, p) => apply(ctx, p) })
  // 再算一次: the form again with the figures of the result card (they travel in the button; nothing is stored).
  router.action(HARDSHIP_RECHECK, {
    handle: async (ctx, p) => ({
      card: buildSelfCheckCard({ dibaoSet: ctx.config.hardship.dibaoMonthlyFen !== undefined, initial: { incomeFen: p.income, rigidFen: p.rigid, householdSize: p.size, suddenFen: p.sudden } }),
    }),
  })
}
