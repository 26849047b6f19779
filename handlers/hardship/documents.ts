// 困难帮扶 材料 K-2026-0001: the applicant sends images or files (收入证明、医疗票据) privately, then 完成; they are kept
// with the case like grievance evidence (file key, name, and the message they came in, to fetch the original), and
// the responsible officers' cards show them. 困难帮扶 进度 shows the applicant their own cases.
import { buildApplicantCard } from '../../cards/hardship/hardship.js'
import type { ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { ATTACHMENTS_MAX, HARDSHIP_NUMBER, type HardshipAttachment } from '../../src/hardship/model.js'
import { cardsOfCase, casesOf, findCase, findCaseByNumber, updateCase } from '../../src/hardship/store.js'
import { deliver } from '../../src/kit/deliver.js'
import { caseCard } from './selfcheck.js'
import { HARDSHIP_EVIDENCE } from './evidence.js'
import { recordEvidence, refusedType, refusedTypeMessage, settleEvidence } from '../../src/kit/evidence.js'

interface Draft {
  caseId: number
  number: string
  files: HardshipAttachment[]
}

const PROMPT = (n: string) => `请把 ${n} 的证明材料（图片或文件）逐个发给我，发完后发送「完成」。发送「取消」可退出，已发的材料不会保存。`
const DONE_WORDS = ['完成', '好了', '发完了', 'done']

export const HARDSHIP_DOCUMENTS = defineConversation<Draft, 'files'>({
  name: 'hardship.documents',
  title: '补充帮扶材料',
  version: 1,
  initial: 'files',
  read: (d) => (typeof d.caseId === 'number' && typeof d.number === 'string' && Array.isArray(d.files) ? { caseId: d.caseId, number: d.number, files: d.files as HardshipAttachment[] } : undefined),
  outdated: '之前的材料补充已失效，请重新发送「困难帮扶 材料 编号」。',
  steps: {
    files: {
      prompt: async (ctx, d, n) => void (await ctx.say({ text: n ? `${'hint' in n ? n.hint : n.notice}\n${PROMPT(d.number)}` : PROMPT(d.number) })),
      parse: (input, d, ctx) => {
        if (DONE_WORDS.includes(input.text.trim().toLowerCase())) {
          if (d.files.length === 0) return { hint: '还没有收到材料。' }
          return { run: (ctx) => keep(ctx, d) }
        }
        if (input.attachments.length === 0) return { hint: '请发送图片或文件，发完后发送「完成」。' }
        // Programs and scripts are refused as they come (src/kit/evidence.ts); sizes are checked when fetched.
        const refused = input.attachments.flatMap((a) => refusedType(a, ctx.config.evidence.refusedExtensions) ?? [])
        if (refused.length > 0) return { hint: refusedTypeMessage(refused), data: d }
        const files = [...d.files, ...input.attachments.map((a) => ({ kind: a.kind, key: a.key, ...(a.name ? { name: a.name } : {}), ...(input.messageId ? { messageId: input.messageId } : {}) }))]
        if (files.length > ATTACHMENTS_MAX) return { hint: `一次最多补充 ${ATTACHMENTS_MAX} 份材料。` }
        return { notice: `已收到 ${files.length} 份。`, data: { ...d, files } }
      },
    },
  },
})

async function keep(ctx: ConversationContext, d: Draft): Promise<void> {
  const c = await findCase(ctx.db, d.caseId)
  if (!c || c.openId !== ctx.actorOpenId) {
    await ctx.finish()
    return void (await ctx.say({ text: '找不到这份申请。' }))
  }
  const all = [...c.attachments, ...d.files].slice(0, ATTACHMENTS_MAX * 3)
  const after = await updateCase(ctx.db, c.id, { attachments: all }, ctx.now())
  // Evidence rows: fetched and re-uploaded by the bot below (retried until kept), opened from the officers' card.
  const sources = d.files.flatMap((f) => (f.messageId ? [{ kind: f.kind, key: f.key, messageId: f.messageId, ...(f.name ? { name: f.name } : {}) }] : []))
  await recordEvidence(ctx.db, { type: HARDSHIP_EVIDENCE.type, id: c.id }, sources, { now: ctx.now(), keepNames: true })
  await ctx.audit({ action: 'hardship.documents', subjectType: 'hardship', subjectId: c.number, detail: { added: d.files.length } })
  await ctx.finish()
  await ctx.say({ text: `已补充 ${d.files.length} 份材料到 ${c.number}，工会主席、副主席可以查看。` })
  for (const card of await cardsOfCase(ctx.db, c.id)) await deliver(ctx, 'hardship:patch', () => ctx.patchCard(card.messageId, caseCard(ctx, after)))
  await settleEvidence(ctx, HARDSHIP_EVIDENCE, c.id)
}

export async function startDocuments(ctx: MessageContext, text: string): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '补充材料请私聊我发送「困难帮扶 材料 编号」。')
  const found = HARDSHIP_NUMBER.find(text)
  const c = found ? await findCaseByNumber(ctx.db, found.number) : undefined
  // Someone else's number is answered like an unknown one: it tells nothing about whose it is.
  if (!c || c.openId !== ctx.actorOpenId) throw new UserFacingError('NOT_FOUND', '找不到您的这份申请。用法：困难帮扶 材料 K-2026-0001（编号见提交申请时的消息）。')
  if (c.status === 'rejected' || c.status === 'paid') throw new UserFacingError('INVALID_STATE', `这份申请已「${c.status === 'paid' ? '发放' : '办结'}」，无需补充材料。`)
  await HARDSHIP_DOCUMENTS.start(ctx, { caseId: c.id, number: c.number, files: [] })
  await ctx.reply({ text: PROMPT(c.number) })
}

export async function myCases(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) return void (await ctx.reply({ text: '请私聊我发送「困难帮扶 进度」。' }))
  const cases = await casesOf(ctx.db, ctx.actorOpenId)
  if (cases.length === 0) return void (await ctx.reply({ text: '您还没有提交过困难帮扶申请。发送「困难帮扶」可以先自测。' }))
  for (const [i, c] of cases.slice(0, 3).entries()) await ctx.reply({ card: buildApplicantCard(c) }, { key: `hardship-mine:${i}` })
}

export function registerHardshipDocuments(router: BotRouter): void {
  router.conversation(HARDSHIP_DOCUMENTS)
}
