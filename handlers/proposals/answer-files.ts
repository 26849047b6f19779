// 答复附件 P-2026-001 (issue #13, the department's half; QA F28): the department contact attaches files to the answer
// before submitting it. They are evidence (src/kit/evidence.ts): fetched, re-uploaded by the bot under a neutral
// name, and opened with 「答复附件」 on the proposer's rating card and the committee's card. Only the proposer, union
// officers and the department's contact may open them.
import type { ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { recordEvidence, refusedType, refusedTypeMessage, settleEvidence, type EvidenceOwner, type EvidenceSource } from '../../src/kit/evidence.js'
import { getDepartment } from '../../src/organisation/departments.js'
import { getProposal, type Proposal } from '../../src/proposals/store.js'
import { numberFrom, requireProposal } from './shared.js'

/** Files per answer; an answer is a reply, not an archive. */
const ANSWER_FILES_MAX = 9
const DONE_WORDS = ['完成', '好了', '发完了', 'done']

async function contactOf(ctx: { db: MessageContext['db'] }, p: Proposal): Promise<string | undefined> {
  const dept = p.departmentId ? await getDepartment(ctx.db, p.departmentId) : undefined
  return dept?.contactOpenId ?? undefined
}

export const PROPOSAL_ANSWER_EVIDENCE: EvidenceOwner = {
  type: 'proposal_answer',
  async label(ctx, id) {
    const p = await getProposal(ctx.db, Number(id))
    return p ? `${p.number}答复` : undefined
  },
  async mayOpen(ctx, id) {
    const p = await getProposal(ctx.db, Number(id))
    if (!p) return '该提案已不存在。'
    if (p.proposerOpenId === ctx.actorOpenId || (await ctx.isOfficer(ctx.actorOpenId)) || (await contactOf(ctx, p)) === ctx.actorOpenId) return true
    return '抱歉，答复附件只有提案人、工会干部和承办部门可以查看。'
  },
  async refused(ctx, id, message) {
    const p = await getProposal(ctx.db, Number(id))
    const to = p ? await contactOf(ctx, p) : undefined
    if (to) await deliver(ctx, 'proposal:evidence-refused', () => ctx.sendToUser(to, { text: message }, { key: `evidence-refused:proposal:${id}` }))
  },
}

interface Draft {
  proposalId: number
  number: string
  files: EvidenceSource[]
}

const PROMPT = (n: string) => `请把提案 ${n} 答复要附的文件或图片逐个发给我，发完后发送「完成」。发送「取消」可退出，已发的文件不会保存。`

export const ANSWER_FILES = defineConversation<Draft, 'files'>({
  name: 'proposal.answer_files',
  title: '答复附件',
  version: 1,
  initial: 'files',
  read: (d) => (typeof d.proposalId === 'number' && typeof d.number === 'string' && Array.isArray(d.files) ? { proposalId: d.proposalId, number: d.number, files: d.files as EvidenceSource[] } : undefined),
  outdated: '之前的答复附件已失效，请重新发送「答复附件 提案编号」。',
  steps: {
    files: {
      prompt: async (ctx, d, n) => void (await ctx.say({ text: n ? `${'hint' in n ? n.hint : n.notice}\n${PROMPT(d.number)}` : PROMPT(d.number) })),
      parse: (input, d, ctx) => {
        if (DONE_WORDS.includes(input.text.trim().toLowerCase())) {
          if (d.files.length === 0) return { hint: '还没有收到文件。' }
          return { run: (c) => keep(c, d) }
        }
        if (input.attachments.length === 0 || !input.messageId) return { hint: '请发送文件或图片，发完后发送「完成」。' }
        const refused = input.attachments.flatMap((a) => refusedType(a, ctx.config.evidence.refusedExtensions) ?? [])
        if (refused.length > 0) return { hint: refusedTypeMessage(refused), data: d }
        const files = [...d.files, ...input.attachments.map((a) => ({ kind: a.kind, key: a.key, messageId: input.messageId!, ...(a.name ? { name: a.name } : {}) }))]
        if (files.length > ANSWER_FILES_MAX) return { hint: `一份答复最多附 ${ANSWER_FILES_MAX} 个文件。` }
        return { notice: `已收到 ${files.length} 个。`, data: { ...d, files } }
      },
    },
  },
})

async function keep(ctx: ConversationContext, d: Draft): Promise<void> {
  const p = await getProposal(ctx.db, d.proposalId)
  await ctx.finish()
  if (!p || p.status !== 'in_progress' || (await contactOf(ctx, p)) !== ctx.actorOpenId) {
    return void (await ctx.say({ text: `提案 ${d.number} 现在不能再附文件（只能在提交答复前附上）。` }))
  }
  await recordEvidence(ctx.db, { type: PROPOSAL_ANSWER_EVIDENCE.type, id: p.id }, d.files, { now: ctx.now(), keepNames: true })
  await ctx.audit({ action: 'proposal.answer_files', subjectType: 'proposal', subjectId: p.number, detail: { added: d.files.length } })
  await ctx.say({ text: `已为提案 ${p.number} 的答复附上 ${d.files.length} 个文件。请在「提案交办」卡片上提交答复，文件将随答复给提案人和工会。` })
  await settleEvidence(ctx, PROPOSAL_ANSWER_EVIDENCE, p.id)
}

async function start(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '答复附件请私聊我发送「答复附件 提案编号」。')
  const p = await requireProposal(ctx.db, numberFrom(ctx.argsText, '用法：答复附件 P-2026-001（提案交办卡片上的编号）'))
  if ((await contactOf(ctx, p)) !== ctx.actorOpenId) throw new UserFacingError('FORBIDDEN_ROLE', '只有该提案承办部门的联系人可以为答复附文件。')
  if (p.status !== 'in_progress') throw new UserFacingError('INVALID_STATE', `提案 ${p.number} 不在办理中，不能再附文件（只能在提交答复前附上）。`)
  await ANSWER_FILES.start(ctx, { proposalId: p.id, number: p.number, files: [] })
  await ctx.reply({ text: PROMPT(p.number) })
}

export function registerAnswerFiles(router: BotRouter): void {
  router.conversation(ANSWER_FILES)
  router.command({
    words: ['答复附件'],
    roles: ['department_contact'],
    deniedMessage: '只有承办部门的联系人可以为答复附文件。',
    help: { section: '职代会提案（承办部门）', usage: '答复附件 P-2026-001', description: '提交答复前附上文件或图片' },
    handle: start,
  })
}
