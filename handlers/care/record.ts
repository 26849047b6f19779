// 慰问 登记 @某人 住院 500 [慰问品] [2026-03-01]: an officer records a care event; with something missing, a short
// private conversation asks for who, the kind and the amount. Above a cap: refused with the cap shown, or kept for
// the chair's approval card (CARE_OVER_CAP). Amounts are read as integer fen (src/care/model.ts parseYuan).
import { CARE_RECORD_FLOW, buildCareApprovalCard, buildCarePickCard, buildCareRecordedCard } from '../../cards/care/care.js'
import { CARE_APPROVE, CARE_REFUSE } from '../../src/care/actions.js'
import { CARE_KINDS, CARE_KIND_LABEL, GIFT_MAX, formatYuan, parseCareKind, parseYuan, type CareEvent, type CareKind } from '../../src/care/model.js'
import { decideCare, recordCare, type CareEntry } from '../../src/care/steps.js'
import { approvalMessage, setApprovalMessage } from '../../src/care/store.js'
import type { BaseContext, CardActionContext, ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation, type StepOutcome } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { readTypedDate } from '../../src/kit/dates.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { ROLE_UNION_CHAIR } from '../../src/organisation/model.js'
import { peopleNamed } from '../../src/organisation/people-by-name.js'
import { localDate } from '../../src/time.js'
import { mentionedPeople, wordsWithoutMentions } from '../organisation/shared.js'

export const RECORD_USAGE = '用法：慰问 登记 @某人 类别 金额 [慰问品] [日期]，例如：慰问 登记 @张三 住院 500。类别：' + CARE_KINDS.map((k) => CARE_KIND_LABEL[k]).join('、')

/**
 * The department the union knows for a person: their membership, else the care roster, else the contact
 * directory (user → department name, when the app's contact scope is granted; as 入会 does, issue #20).
 */
async function departmentOf(ctx: BaseContext, openId: string): Promise<string | undefined> {
  const m = await ctx.db.selectFrom('members').select('department').where('open_id', '=', openId).executeTakeFirst()
  if (m?.department) return m.department
  const roster = (await ctx.db.selectFrom('care_roster').select('department').where('open_id', '=', openId).executeTakeFirst())?.department
  if (roster) return roster
  return (await ctx.profileOf(openId).catch(() => undefined))?.department ?? undefined
}

/** The people an officer may mean by a typed name, each with the department the union has for them. */
async function candidatesNamed(ctx: BaseContext, name: string): Promise<Candidate[]> {
  const found = await peopleNamed(ctx.db, name, CANDIDATES_MAX)
  const out: Candidate[] = []
  for (const p of found) {
    const department = p.department ?? (await ctx.db.selectFrom('care_roster').select('department').where('open_id', '=', p.openId).executeTakeFirst())?.department ?? undefined
    out.push({ openId: p.openId, name: p.name, ...(department ? { department } : {}) })
  }
  return out
}

/** A typed name: one word of at most 20 characters (a sentence or a command with its words is not a name). */
const looksLikeName = (text: string): boolean => text.length > 0 && charCount(text) <= 20 && !/\s/.test(text)

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
  let person: { openId: string; name: string } | undefined = people[0]
  // Without an @-mention the first free word is the person's name (慰问 登记 张伟 住院 500), looked up as the name
  // step does: one person is taken, several are a choice, none is asked again; the words after it are the gift.
  let typedName: string | undefined
  let candidates: Candidate[] = []
  if (!person && parsed.gift) {
    const [first = '', ...rest] = parsed.gift.split(' ')
    typedName = first
    parsed.gift = rest.join(' ') || undefined
    candidates = await candidatesNamed(ctx, first)
    if (candidates.length === 1) person = candidates[0]
  }
  if (person && parsed.kind && parsed.amountFen !== undefined) {
    const entry: CareEntry = { openId: person.openId, name: person.name, department: await departmentOf(ctx, person.openId), kind: parsed.kind, amountFen: parsed.amountFen, gift: parsed.gift, occurredOn: parsed.occurredOn ?? today }
    return record(ctx, entry, (c) => ctx.reply(c))
  }
  if (ctx.isGroup) {
    const who = typedName && !person ? (candidates.length > 1 ? '有重名，请用 @ 选择要慰问的人。' : '没有找到这个人，请用 @ 选择要慰问的人。') : '信息不全。'
    throw new UserFacingError('INVALID_INPUT', `${who}${RECORD_USAGE}\n也可以私聊我发送「慰问 登记」，按提示逐项填写。`)
  }
  const data: Draft = {
    ...(person ? { openId: person.openId, name: person.name } : {}),
    ...(!person && candidates.length > 1 ? { candidates } : {}),
    ...(parsed.kind ? { kind: parsed.kind } : {}),
    ...(parsed.amountFen !== undefined ? { amountFen: parsed.amountFen } : {}),
    ...(parsed.gift ? { gift: parsed.gift } : {}),
    occurredOn: parsed.occurredOn ?? today,
  }
  const step: Step = !data.openId ? 'who' : !data.kind ? 'kind' : 'amount'
  await CARE_RECORD.start(ctx, data, step)
  const hint = step === 'who' && typedName && candidates.length === 0 ? NOT_FOUND : undefined
  await ctx.reply(stepContent(step, data, hint))
}

// ---------------------------------------------------------------------------------------------------------------
// The conversation for what the command lacked.

interface Candidate {
  openId: string
  name: string
  department?: string
}

interface Draft {
  openId?: string
  name?: string
  /** Several people of the name typed: the choice offered at the who step. */
  candidates?: Candidate[]
  kind?: CareKind
  amountFen?: number
  gift?: string
  occurredOn: string
}
type Step = 'who' | 'kind' | 'amount'

const CANDIDATES_MAX = 5
const NOT_FOUND = '没有找到这个人。请检查姓名（工会会员或和工会助手打过交道的人），或在群里用「慰问 登记 @某人 类别 金额」登记。'

const PROMPTS: Record<Step, string> = {
  who: '请问慰问谁？请发送姓名（工会会员或和工会助手打过交道的人）。发送「取消」可退出。',
  kind: `请问是哪类慰问？${CARE_KINDS.map((k) => CARE_KIND_LABEL[k]).join('、')}（例如：住院）`,
  amount: '请发送金额（元，最多两位小数），可另加慰问品说明，例如：500 或 200 蛋糕券',
}

/** A step's question: text, or at the who step with several people of the name, the card to choose from. */
function stepContent(step: Step, d: Draft, hint?: string): { text: string } | { card: ReturnType<typeof buildCarePickCard> } {
  if (step === 'who' && d.candidates?.length) return { card: buildCarePickCard({ flow: CARE_RECORD_FLOW, step: 'who', people: d.candidates, ...(hint ? { hint } : {}) }) }
  return { text: hint ? `${hint}\n${PROMPTS[step]}` : PROMPTS[step] }
}

const readCandidates = (v: unknown): Candidate[] | undefined => {
  if (!Array.isArray(v)) return undefined
  const out: Candidate[] = []
  for (const c of v as Array<Record<string, unknown>>) {
    if (!c || typeof c.openId !== 'string' || typeof c.name !== 'string') return undefined
    out.push({ openId: c.openId, name: c.name, ...(typeof c.department === 'string' ? { department: c.department } : {}) })
  }
  return out.length ? out : undefined
}

const read = (d: Record<string, unknown>): Draft | undefined => {
  if (typeof d.occurredOn !== 'string') return undefined
  const candidates = readCandidates(d.candidates)
  return {
    occurredOn: d.occurredOn,
    ...(typeof d.openId === 'string' ? { openId: d.openId } : {}),
    ...(typeof d.name === 'string' ? { name: d.name } : {}),
    ...(candidates ? { candidates } : {}),
    ...(typeof d.kind === 'string' && (CARE_KINDS as readonly string[]).includes(d.kind) ? { kind: d.kind as CareKind } : {}),
    ...(typeof d.amountFen === 'number' && Number.isInteger(d.amountFen) ? { amountFen: d.amountFen } : {}),
    ...(typeof d.gift === 'string' ? { gift: d.gift } : {}),
  }
}

const prompt = (step: Step) => async (ctx: ConversationContext, d: Draft, n?: { hint: string } | { notice: string }) =>
  void (await ctx.say(stepContent(step, d, n ? ('hint' in n ? n.hint : n.notice) : undefined)))

/** The person chosen: the next question (the kind, the amount), or the entry itself when the command gave both. */
function chosen(d: Draft, p: Candidate): StepOutcome<Draft, Step> {
  const { candidates: _dropped, ...rest } = d
  const data: Draft = { ...rest, openId: p.openId, name: p.name }
  if (data.kind && data.amountFen !== undefined) {
    const full = data as Draft & { openId: string; kind: CareKind; amountFen: number }
    return { run: (ctx) => finishRecord(ctx, full) }
  }
  return { next: data.kind ? 'amount' : 'kind', data }
}

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
  name: CARE_RECORD_FLOW,
  title: '慰问登记',
  version: 1,
  initial: 'who',
  read,
  outdated: '之前的慰问登记已失效，请重新发送「慰问 登记」。',
  steps: {
    who: {
      prompt: prompt('who'),
      // The lookup happens here, so an answer that names nobody is a re-ask: a command typed instead (慰问 台账,
      // 帮助 …) then leaves the question and the draft is put aside (src/dispatch/dispatcher.ts#interrupts).
      parse: async (input, d, ctx) => {
        const text = input.text.trim()
        const pick = d.candidates && /^\d{1,2}$/.test(input.normalized) ? d.candidates[Number(input.normalized) - 1] : undefined
        if (pick) return chosen(d, pick)
        if (!looksLikeName(text)) return { hint: '请只发送姓名，例如：张伟。' }
        const found = await candidatesNamed(ctx, text)
        if (found.length === 1) return chosen(d, found[0]!)
        if (found.length === 0) return { hint: NOT_FOUND }
        return { notice: '有几位同名的同事，请选择：', data: { ...d, candidates: found } }
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
