// 慰问 登记 @某人 住院 500 [慰问品] [2026-03-01]: an officer records a care event; with something missing, a short
// private conversation asks for who, the kind and the amount. Above a cap: refused with the cap shown, or kept for
// the chair's approval card (CARE_OVER_CAP). Amounts are read as integer fen (src/care/model.ts parseYuan).
import { buildCareApprovalCard, buildCareRecordedCard } from '../../cards/care/care.js'
import { CARE_APPROVE, CARE_REFUSE } from '../../src/care/actions.js'
import { CARE_KINDS, CARE_KIND_LABEL, GIFT_MAX, formatYuan, parseCareKind, parseYuan, type CareEvent, type CareKind } from '../../src/care/model.js'
import { decideCare, recordCare, type CareEntry } from '../../src/care/steps.js'
import { approvalMessage, setApprovalMessage } from '../../src/care/store.js'
import type { BaseContext, CardActionContext, ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { readTypedDate } from '../../src/kit/dates.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { localDate } from '../../src/time.js'
import { mentionedPeople, wordsWithoutMentions } from '../organisation/shared.js'

export const RECORD_USAGE = '用法：慰问 登记 @某人 类别 金额 [慰问品] [日期]，例如：慰问 登记 @张三 住院 500。类别：' + CARE_KINDS.map((k) => CARE_KIND_LABEL[k]).join('、')

/** The department the union knows for a person: their membership, else the care roster. */
async function departmentOf(ctx: BaseContext, openId: string): Promise<string | undefined> {
  const m = await ctx.db.selectFrom('members').select('department').where('open_id', '=', openId).executeTakeFirst()
  if (m?.department) return m.department
  return (await ctx.db.selectFrom('care_roster').select('department').where('open_id', '=', openId).executeTakeFirst())?.department ?? undefined
}

/** A real date YYYY-MM-DD not after today (and not before 2000), or undefined. */
function readPastDate(word: string, today: string): string | undefined {
  const date = readTypedDate(word)
  return date && date <= today && date >= '2000-01-01' ? date : undefined
}

interface Parsed {
  kind?: CareKind
  amountFen?: number
  gift?: string
  occurredOn?: string
  bad?: string
}

/** Reads the words after 登记 (mentions taken out): a kind, an amount, a date; anything else is the gift. */
function parseWords(words: string[], today: string): Parsed {
  const out: Parsed = {}
  const gift: string[] = []
  for (const w of words) {
    const kind = parseCareKind(w)
    if (kind && !out.kind) {
      out.kind = kind
      continue
    }
    if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(w)) {
      const date = readPastDate(w, today)
      if (!date) return { bad: `日期「${w}」无效：应为不晚于今天的日期，例如 ${today}。` }
      out.occurredOn = date
      continue
    }
    if (/^[¥￥]?[\d,.]+元?$/.test(w) && out.amountFen === undefined) {
      const fen = parseYuan(w)
      if (fen === undefined) return { bad: `金额「${w}」无效：请写元，最多两位小数，例如 500 或 299.50。` }
      out.amountFen = fen
      continue
    }
    gift.push(w)
  }
  if (gift.length) out.gift = gift.join(' ')
  if (out.gift && charCount(out.gift) > GIFT_MAX) return { bad: `慰问品说明不能超过 ${GIFT_MAX} 个字。` }
  return out
}

async function record(ctx: BaseContext, entry: CareEntry, answer: (c: { card: ReturnType<typeof buildCareRecordedCard> }) => Promise<unknown>): Promise<void> {
  const { event, replay } = await recordCare(ctx, entry)
  await answer({ card: buildCareRecordedCard(event) })
  ctx.log.info({ eventId: ctx.eventId, careEventId: event.id, kind: event.kind, status: event.status, replay }, 'care event recorded')
  if (event.status === 'pending') await postApproval(ctx, event)
}

/** The chair's card, in the committee group (the button takes only the chair). */
async function postApproval(ctx: BaseContext, event: CareEvent): Promise<void> {
  const sent = await deliver(ctx, 'care:approval', () => ctx.sendToCommittee({ card: buildCareApprovalCard(event) }, { key: `care-approval:${event.id}` }))
  if (sent.sent && sent.value) await setApprovalMessage(ctx.db, event.id, sent.value.messageId)
}

export async function careRecord(ctx: MessageContext, words: string[]): Promise<void> {
  // A hospital stay or a bereavement is personal: recorded in the committee group or privately, not in any group.
  if (ctx.isGroup && ctx.chatId !== (await ctx.committeeChatId())) throw new UserFacingError('FORBIDDEN_ROLE', '慰问登记请在工会委员会群或与我的私聊中进行。')
  const today = localDate(ctx.now(), ctx.config.timezone)
  const parsed = parseWords(words, today)
  if (parsed.bad) throw new UserFacingError('INVALID_INPUT', `${parsed.bad}\n${RECORD_USAGE}`)
  const people = await mentionedPeople(ctx)
  if (people.length > 1) throw new UserFacingError('INVALID_INPUT', `一次登记一人。${RECORD_USAGE}`)
  const person = people[0]
  if (person && parsed.kind && parsed.amountFen !== undefined) {
    const entry: CareEntry = { openId: person.openId, name: person.name, department: await departmentOf(ctx, person.openId), kind: parsed.kind, amountFen: parsed.amountFen, gift: parsed.gift, occurredOn: parsed.occurredOn ?? today }
    return record(ctx, entry, (c) => ctx.reply(c))
  }
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', `信息不全。${RECORD_USAGE}\n也可以私聊我发送「慰问 登记」，按提示逐项填写。`)
  const data: Draft = {
    ...(person ? { openId: person.openId, name: person.name } : {}),
    ...(parsed.kind ? { kind: parsed.kind } : {}),
    ...(parsed.amountFen !== undefined ? { amountFen: parsed.amountFen } : {}),
    ...(parsed.gift ? { gift: parsed.gift } : {}),
    occurredOn: parsed.occurredOn ?? today,
  }
  const step: Step = !data.openId ? 'who' : !data.kind ? 'kind' : 'amount'
  await CARE_RECORD.start(ctx, data, step)
  await ctx.reply({ text: PROMPTS[step] })
}

// ---------------------------------------------------------------------------------------------------------------
// The conversation for what the command lacked.

interface Draft {
  openId?: string
  name?: string
  kind?: CareKind
  amountFen?: number
  gift?: string
  occurredOn: string
}
type Step = 'who' | 'kind' | 'amount'

const PROMPTS: Record<Step, string> = {
  who: '请问慰问谁？请发送姓名（工会会员或和工会助手打过交道的人）。发送「取消」可退出。',
  kind: `请问是哪类慰问？${CARE_KINDS.map((k) => CARE_KIND_LABEL[k]).join('、')}（例如：住院）`,
  amount: '请发送金额（元，最多两位小数），可另加慰问品说明，例如：500 或 200 蛋糕券',
}

async function findByName(ctx: ConversationContext, name: string): Promise<{ openId: string; name: string } | { problem: string }> {
  const members = await ctx.db.selectFrom('members').select(['open_id', 'name']).where('name', '=', name).where('status', '=', 'member').limit(2).execute()
  const found = members.length ? members : await ctx.db.selectFrom('users').select(['open_id', 'name']).where('name', '=', name).limit(2).execute()
  if (found.length === 1) return { openId: found[0]!.open_id, name }
  return { problem: found.length === 0 ? '没有找到这个人。请检查姓名，或在群里用「慰问 登记 @某人 类别 金额」登记。' : '有重名，请在群里用「慰问 登记 @某人 类别 金额」登记。' }
}

const read = (d: Record<string, unknown>): Draft | undefined => {
  if (typeof d.occurredOn !== 'string') return undefined
  return {
    occurredOn: d.occurredOn,
    ...(typeof d.openId === 'string' ? { openId: d.openId } : {}),
    ...(typeof d.name === 'string' ? { name: d.name } : {}),
    ...(typeof d.kind === 'string' && (CARE_KINDS as readonly string[]).includes(d.kind) ? { kind: d.kind as CareKind } : {}),
    ...(typeof d.amountFen === 'number' && Number.isInteger(d.amountFen) ? { amountFen: d.amountFen } : {}),
    ...(typeof d.gift === 'string' ? { gift: d.gift } : {}),
  }
}

const prompt = (step: Step) => async (ctx: ConversationContext, _d: Draft, n?: { hint: string } | { notice: string }) =>
  void (await ctx.say({ text: n && 'hint' in n ? `${n.hint}\n${PROMPTS[step]}` : PROMPTS[step] }))

async function finishRecord(ctx: ConversationContext, d: Draft & { openId: string; kind: CareKind; amountFen: number }): Promise<void> {
  if (!(await ctx.isOfficer())) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，只有工会干部可以登记慰问。' }))
  }
  const entry: CareEntry = { openId: d.openId, name: d.name ?? '', department: await departmentOf(ctx, d.openId), kind: d.kind, amountFen: d.amountFen, gift: d.gift, occurredOn: d.occurredOn }
  try {
    await record(ctx, entry, (c) => ctx.say(c))
  } catch (err) {
    // Above a cap (refused): say why and ask for the amount again, keeping who and the kind.
    if (err instanceof UserFacingError && err.code === 'INVALID_INPUT') return void (await ctx.say({ text: `${err.userMessage}\n${PROMPTS.amount}` }))
    throw err
  }
  await ctx.finish()
}

export const CARE_RECORD = defineConversation<Draft, Step>({
  name: 'care.record',
  title: '慰问登记',
  version: 1,
  initial: 'who',
  read,
  outdated: '之前的慰问登记已失效，请重新发送「慰问 登记」。',
  steps: {
    who: {
      prompt: prompt('who'),
      parse: (input, d) => {
        const name = input.text.trim()
        if (!name || charCount(name) > 64) return { hint: '请发送姓名。' }
        return {
          run: async (ctx, flow) => {
            const found = await findByName(ctx, name)
            if ('problem' in found) return flow.reask('who', d, { hint: found.problem })
            const next = { ...d, openId: found.openId, name: found.name }
            return flow.goTo(next.kind ? 'amount' : 'kind', next)
          },
        }
      },
    },
    kind: {
      prompt: prompt('kind'),
      parse: (input, d) => {
        const kind = parseCareKind(input.text)
        return kind ? { next: 'amount', data: { ...d, kind } } : { hint: '没有这一类慰问。' }
      },
    },
    amount: {
      prompt: prompt('amount'),
      parse: (input, d) => {
        const [first = '', ...rest] = input.text.trim().split(/\s+/)
        const fen = parseYuan(first)
        if (fen === undefined) return { hint: `金额「${first}」无效。` }
        const gift = rest.join(' ') || d.gift
        if (gift && charCount(gift) > GIFT_MAX) return { hint: `慰问品说明不能超过 ${GIFT_MAX} 个字。` }
        const full = { ...d, amountFen: fen, ...(gift ? { gift } : {}) }
        return { run: (ctx) => finishRecord(ctx, full as Draft & { openId: string; kind: CareKind; amountFen: number }) }
      },
    },
  },
})

// ---------------------------------------------------------------------------------------------------------------
// The chair's decision.

async function decide(ctx: CardActionContext, id: number, to: 'recorded' | 'refused') {
  const result = await decideCare(ctx, id, to)
  const card = buildCareApprovalCard(result.after)
  if (result.outcome === 'already') return { toast: { type: 'info' as const, content: '这条慰问已处理。' }, card }
  ctx.defer(async () => {
    const messageId = await approvalMessage(ctx.db, id)
    if (messageId && messageId !== ctx.action.messageId) await deliver(ctx, 'care:approval-patch', () => ctx.patchCard(messageId, card))
    const e = result.after
    const outcome = to === 'recorded' ? '主席已批准，已计入台账' : '主席未批准，未计入台账'
    await deliver(ctx, 'care:decided', () => ctx.sendToUser(e.recordedBy, { text: `【工会】您登记的${CARE_KIND_LABEL[e.kind]}慰问（${formatYuan(e.amountFen)} 元，${e.occurredOn}）${outcome}。` }, { key: `care-decided:${e.id}` }))
  })
  return { toast: { type: 'success' as const, content: to === 'recorded' ? '已批准，已计入台账。' : '已记录为不批准。' }, card }
}

export function registerCareRecord(router: BotRouter): void {
  router.conversation(CARE_RECORD)
  router.action(CARE_APPROVE, { roles: [ROLE_UNION_CHAIR], deniedMessage: '只有工会主席可以审批超上限的慰问。', handle: (ctx, p) => decide(ctx, p.id, 'recorded') })
  router.action(CARE_REFUSE, { roles: [ROLE_UNION_CHAIR], deniedMessage: '只有工会主席可以审批超上限的慰问。', handle: (ctx, p) => decide(ctx, p.id, 'refused') })
}
