// 公示 objections: 「提出异议」 (the 公示 card's button says it privately) starts a private conversation — which
// round and awardee, what is objected, 匿名 or 实名, 确认. The objection goes to the chair alone; an anonymous one
// names nobody in any table but award_objectors (src/recognition/objectors.ts), in no log line and on no card.
// The chair's answer is in answers.ts.
import { randomUUID } from 'node:crypto'
import { buildObjectionAnonymityCard, buildObjectionCard, buildObjectionConfirmCard } from '../../cards/recognition/nominations.js'
import type { BaseContext, ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { choose } from '../../src/kit/choices.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { OBJECTION_MAX, OBJECTION_MIN } from '../../src/recognition/model.js'
import { fileObjection } from '../../src/recognition/objectors.js'
import { listNominations, nominationById, objectionById, roundById, type Round } from '../../src/recognition/store.js'
import { localDate } from '../../src/time.js'
import { SECTION, chairOpenIds, refreshReview, viewOf } from './shared.js'

interface Draft {
  roundId?: number
  nominationId?: number
  body?: string
  anonymous?: boolean
  /** Random, made when the conversation starts (never a Feishu id): a repeated 确认 files once. */
  filingKey: string
}
type Step = 'round' | 'who' | 'body' | 'anonymity' | 'confirm'

const FLOW = 'award.object'

/** Rounds whose 公示 is running now. */
async function roundsInPublicity(ctx: BaseContext): Promise<Round[]> {
  return ctx.db.selectFrom('award_rounds').selectAll().where('status', '=', 'publicity').where('publicity_until', '>', ctx.now()).orderBy('id').execute()
}

async function awardeesOf(ctx: BaseContext, roundId: number) {
  return (await listNominations(ctx.db, roundId)).filter((n) => n.status === 'selected')
}

const pickByNumber = <T>(items: T[], text: string): T | undefined => {
  const m = /^(\d{1,3})$/.exec(text.trim())
  return m ? items[Number(m[1]) - 1] : undefined
}

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined)

type Note = { hint: string } | { notice: string } | undefined
const hinted = (note: Note, text: string) => (note && 'hint' in note ? `${note.hint}\n${text}` : text)

/** Each step's question, from any context (the command asks the first one itself). */
type TextStep = Exclude<Step, 'anonymity' | 'confirm'>
const QUESTIONS: Record<TextStep, (ctx: BaseContext, d: Draft) => Promise<string>> = {
  round: async (ctx) => {
    const lines = (await roundsInPublicity(ctx)).map((r, i) => `${i + 1}. ${r.name}（${r.number}）`)
    return `请问是对哪一次评选的公示有异议？请回复序号：\n${lines.join('\n')}`
  },
  who: async (ctx, d) => {
    const lines = (await awardeesOf(ctx, d.roundId!)).map((n, i) => `${i + 1}. ${n.nominee_name}${n.department ? `（${n.department}）` : ''}`)
    return `请问对哪一位有异议？请回复序号：\n${lines.join('\n')}`
  },
  body: async () => `请写下您的异议和依据的事实（${OBJECTION_MIN}–${OBJECTION_MAX} 字）。请勿写入能认出您的细节，除非您愿意实名。发送「取消」可退出。`,
}

const noteText = (note: Note): string | undefined => (note ? ('hint' in note ? note.hint : note.notice) : undefined)
const ask = (step: TextStep) => async (ctx: ConversationContext, d: Draft, note?: Note) => void (await ctx.say({ text: hinted(note, await QUESTIONS[step](ctx, d)) }))

/** 匿名 / 实名 on buttons (QA F16). */
const askAnonymity = async (ctx: ConversationContext, _d: Draft, note?: Note) => {
  const hint = noteText(note)
  await ctx.say({ card: buildObjectionAnonymityCard({ flow: FLOW, step: 'anonymity', ...(hint ? { hint } : {}) }) })
}

/** The confirmation repeats the text that will reach the chair (QA F16). */
const askConfirm = async (ctx: ConversationContext, d: Draft, note?: Note) => {
  const n = await nominationById(ctx.db, d.nominationId!)
  const round = await roundById(ctx.db, d.roundId!)
  const hint = noteText(note)
  await ctx.say({
    card: buildObjectionConfirmCard({ flow: FLOW, step: 'confirm', roundName: round?.name ?? '', roundNumber: round?.number ?? '', nomineeName: n?.nominee_name ?? '', body: d.body ?? '', anonymous: d.anonymous !== false, ...(hint ? { hint } : {}) }),
  })
}

export const OBJECTION = defineConversation<Draft, Step>({
  name: FLOW,
  title: '提出异议',
  version: 1,
  initial: 'round',
  outdated: '之前的异议已失效，请重新点「提出异议」。',
  read: (d) => {
    if (typeof d.filingKey !== 'string') return undefined
    const out: Draft = { filingKey: d.filingKey }
    if (int(d.roundId)) out.roundId = int(d.roundId)
    if (int(d.nominationId)) out.nominationId = int(d.nominationId)
    if (typeof d.body === 'string') out.body = d.body
    if (typeof d.anonymous === 'boolean') out.anonymous = d.anonymous
    return out
  },
  steps: {
    round: {
      prompt: ask('round'),
      parse: async (input, d, ctx) => {
        const round = pickByNumber(await roundsInPublicity(ctx), input.text)
        if (!round) return { hint: '请回复列表中的序号。' }
        return { run: (c, flow) => afterRound(c, flow, { ...d, roundId: round.id }) }
      },
    },
    who: {
      prompt: ask('who'),
      parse: async (input, d, ctx) => {
        const n = pickByNumber(await awardeesOf(ctx, d.roundId!), input.text)
        if (!n) return { hint: '请回复名单中的序号。' }
        return { next: 'body', data: { ...d, nominationId: n.id } }
      },
    },
    body: {
      prompt: ask('body'),
      parse: (input, d) => {
        const body = input.text.trim()
        const n = charCount(body)
        if (n < OBJECTION_MIN) return { hint: `内容太短了：至少 ${OBJECTION_MIN} 个字（现在 ${n} 个字），请写明异议和依据的事实。` }
        if (n > OBJECTION_MAX) return { hint: `内容太长了：最多 ${OBJECTION_MAX} 个字（现在 ${n} 个字），请精简后重新发送。` }
        // After 修改内容 the 匿名/实名 already chosen stands: straight back to the confirmation.
        return d.anonymous !== undefined ? { next: 'confirm', data: { ...d, body } } : { next: 'anonymity', data: { ...d, body } }
      },
    },
    anonymity: {
      prompt: askAnonymity,
      parse: (input, d) => {
        // The one table of words for this choice (src/kit/choices.ts): 匿名的, 不留名 → 匿名; 不匿名, 署名 → 实名.
        const choice = choose('anonymity', input.normalized)
        if (!choice) return { hint: '请点「匿名」或「实名」，或回复这两个字。' }
        return { next: 'confirm', data: { ...d, anonymous: choice === '匿名' } }
      },
    },
    confirm: {
      prompt: askConfirm,
      parse: (input, d) => {
        const a = input.normalized
        if (['确认', '确定', '提交', '确认提交', 'ok', 'yes'].includes(a)) return { run: (ctx) => file(ctx, d) }
        if (a === '修改内容') return { next: 'body', data: d }
        if (a === '修改匿名') return { next: 'anonymity', data: d }
        return { hint: '请点「确认提交」，或「修改内容」「修改匿名」，或发送「取消」放弃。' }
      },
    },
  },
})

/** After the round is known: the awardee is asked when there are several, else taken. */
async function afterRound(ctx: ConversationContext, flow: { goTo(step: Step, d: Draft): Promise<void> }, d: Draft): Promise<void> {
  const list = await awardeesOf(ctx, d.roundId!)
  if (list.length === 1) return flow.goTo('body', { ...d, nominationId: list[0]!.id })
  return flow.goTo('who', d)
}

async function file(ctx: ConversationContext, d: Draft): Promise<void> {
  const round = await roundById(ctx.db, d.roundId!)
  const nomination = await nominationById(ctx.db, d.nominationId!)
  if (!round || !nomination || round.status !== 'publicity' || !round.publicity_until || ctx.now() > round.publicity_until) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，公示期已结束，异议未能提交。如有重要情况，请直接联系工会。' }))
  }
  const anonymous = d.anonymous !== false
  // A named objector's name is looked up; an anonymous one's never is (a lookup would record them in users).
  const name = anonymous ? '' : ((await ctx.nameOf(ctx.actorOpenId)) ?? '')
  const raisedOn = localDate(ctx.now(), ctx.config.timezone)
  const filed = await ctx.db.transaction().execute((trx) =>
    fileObjection(trx, { roundId: round.id, nominationId: nomination.id, anonymous, openId: ctx.actorOpenId, name, body: d.body ?? '', raisedOn, filingKey: d.filingKey }),
  )
  await ctx.finish()
  const objection = (await objectionById(ctx.db, filed.id))!
  const card = buildObjectionCard(await viewOf(ctx, objection))
  // To the chair alone, privately; the send's key is the objection, so a re-run posts once.
  for (const chair of await chairOpenIds(ctx)) await deliver(ctx, 'award:objection', () => ctx.sendToUser(chair, { card }, { key: `award-objection:${objection.id}:${chair}` }), { objection: objection.id })
  await ctx.say({ text: '您的异议已提交给工会主席。主席答复后，会私聊告诉您结果。谢谢您的监督！' })
  await refreshReview(ctx, (await roundById(ctx.db, round.id))!)
}

async function object(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) {
    await ctx.reply({ text: '异议请私聊我提出，可以匿名。已私聊您。' })
  }
  const rounds = await roundsInPublicity(ctx)
  if (rounds.length === 0) {
    const text = '目前没有正在公示的评选。'
    return void (ctx.isGroup ? await ctx.replyPrivately({ text }) : await ctx.reply({ text }))
  }
  const d: Draft = { filingKey: randomUUID() }
  let step: Step = 'round'
  let data = d
  if (rounds.length === 1) {
    const round = rounds[0]!
    const list = await awardeesOf(ctx, round.id)
    step = list.length === 1 ? 'body' : 'who'
    data = { ...d, roundId: round.id, ...(list.length === 1 ? { nominationId: list[0]!.id } : {}) }
  }
  await OBJECTION.start(ctx, data, step)
  await ctx.replyPrivately({ text: await QUESTIONS[step](ctx, data) })
}

export function registerObjections(router: BotRouter): void {
  router.conversation(OBJECTION)
  router.command({
    words: ['提出异议', '异议'],
    synonyms: ['我有异议', '公示有问题'],
    help: { section: SECTION, usage: '提出异议', description: '对正在公示的评选名单提出异议（私聊，可匿名，只发给工会主席）' },
    handle: object,
  })
}
