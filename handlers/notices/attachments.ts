// Files on a notice: after the publish form (or with `公开 附件 N-012`) the officer is asked privately to send the
// files now and then 完成; each file is kept as the message it came in (src/notices/attachments.ts) and the cards
// show them with 「查看附件」, on which the bot fetches each file again and sends it to whoever asked, privately.
import type { BaseContext, ConversationContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { deliver } from '../../src/kit/deliver.js'
import { NOTICE_ATTACH_START, NOTICE_ATTACHMENTS } from '../../src/notices/actions.js'
import { addAttachments, attachmentsOf, fetchAttachment } from '../../src/notices/attachments.js'
import { NOTICE_ATTACHMENT_LIMITS } from '../../src/notices/model.js'
import { findNotice, type Notice } from '../../src/notices/store.js'
import { charCount } from '../../src/kit/text.js'
import { refreshNoticeCards, sendIgnoringGone } from './shared.js'

const FLOW = 'notices.attachments'

interface AttachDraft {
  noticeId: string
  number: string
  files: Array<{ messageId: string; fileKey: string; name: string }>
}

const prompt = (number: string) =>
  `如需给 ${number} 添加附件，请现在把文件发给我（最多 ${NOTICE_ATTACHMENT_LIMITS.files} 个，可以一个一个地发）；发完请发送「完成」。不需要附件请发送「跳过」。`

const attach = defineConversation<AttachDraft, 'files'>({
  name: FLOW,
  title: '添加附件',
  version: 1,
  initial: 'files',
  outdated: '之前的添加附件已失效，请发送「公开 附件 公开编号」重新添加。',
  read: (data) => {
    const d = data as Partial<AttachDraft>
    return typeof d.noticeId === 'string' && typeof d.number === 'string' && Array.isArray(d.files) ? (d as AttachDraft) : undefined
  },
  steps: {
    files: {
      prompt: async (ctx, d, note) => void (await ctx.say({ text: note ? `${'hint' in note ? note.hint : note.notice}\n\n${prompt(d.number)}` : prompt(d.number) })),
      parse(input, d) {
        const file = input.attachments.find((a) => a.kind === 'file' || a.kind === 'image')
        if (file && input.messageId) {
          if (d.files.length >= NOTICE_ATTACHMENT_LIMITS.files) return { hint: `最多 ${NOTICE_ATTACHMENT_LIMITS.files} 个附件，请发送「完成」。` }
          const name = [...(file.name || (file.kind === 'image' ? '图片.png' : '附件'))].slice(0, NOTICE_ATTACHMENT_LIMITS.name).join('')
          const files = d.files.some((f) => f.fileKey === file.key) ? d.files : [...d.files, { messageId: input.messageId, fileKey: file.key, name }]
          return { notice: `已收到第 ${files.length} 个文件。`, data: { ...d, files } }
        }
        const a = input.normalized
        if (['完成', '好了', '发完了', '确认', 'done'].includes(a)) return { run: (ctx) => save(ctx, d) }
        if (['跳过', '不需要', '没有', '不用', 'skip'].includes(a)) return { run: (ctx) => save(ctx, { ...d, files: [] }) }
        return { hint: charCount(a) ? '请发送文件，发完发送「完成」；不需要附件发送「跳过」。' : '请发送文件。' }
      },
    },
  },
})

async function save(ctx: ConversationContext, d: AttachDraft): Promise<void> {
  const added = d.files.length ? await ctx.db.transaction().execute((trx) => addAttachments(trx, d.noticeId, d.files, { openId: ctx.actorOpenId, at: ctx.now() })) : 0
  await ctx.finish()
  if (added) {
    await ctx.audit({ action: 'notice.attach', subjectType: 'notice', subjectId: d.number, detail: { files: added } })
    await refreshNoticeCards(ctx, d.noticeId, 'all')
  }
  await ctx.say({ text: added ? `已给 ${d.number} 添加 ${added} 个附件，卡片上有「查看附件」。` : `${d.number} 没有添加附件。以后可发送「公开 附件 ${d.number}」添加。` })
}

/** Asks the officer, privately, for the notice's files (after the form, or 公开 附件 N-012). */
export async function askForAttachments(ctx: BaseContext, n: Notice): Promise<void> {
  const current = await ctx.activeConversation()
  if (current !== undefined && current !== FLOW) {
    await sendIgnoringGone(ctx, 'attach-busy', () => ctx.sendToUser(ctx.actorOpenId, { text: `如需给 ${n.number} 添加附件，请先完成手头的办理，再发送「公开 附件 ${n.number}」。` }, { key: `attach-busy:${n.id}` }))
    return
  }
  await attach.start(ctx, { noticeId: n.id, number: n.number, files: [] })
  const sent = await sendIgnoringGone(ctx, 'attach-prompt', () => ctx.sendToUser(ctx.actorOpenId, { text: prompt(n.number) }, { key: `attach-prompt:${n.id}` }))
  if (!sent) await ctx.endConversation()
}

export function registerNoticeAttachments(router: BotRouter): void {
  router.conversation(attach)
  router.action(NOTICE_ATTACH_START, {
    roles: ['officer'],
    async handle(ctx, { id }) {
      const n = await findNotice(ctx.db, id)
      if (!n) return { toast: { type: 'error', content: '没有找到这项公开' } }
      if (n.status === 'withdrawn') return { toast: { type: 'warning', content: '这项公开已撤回，不能添加附件' } }
      ctx.defer(() => askForAttachments(ctx, n))
      return { toast: { type: 'info', content: '请在与我的私聊中发送文件，发完发送「完成」' } }
    },
  })
  router.action(NOTICE_ATTACHMENTS, {
    outdatedMessage: '该按钮已失效，请发送「公开栏」查看最新的公开。',
    async handle(ctx, { id }) {
      const n = await findNotice(ctx.db, id)
      if (!n) return { toast: { type: 'error', content: '没有找到这项公开' } }
      if (n.status === 'withdrawn') return { toast: { type: 'warning', content: '这项公开已撤回' } }
      const files = await attachmentsOf(ctx.db, n.id)
      if (files.length === 0) return { toast: { type: 'info', content: '这项公开没有附件' } }
      const to = ctx.actorOpenId
      ctx.defer(async () => {
        for (const f of files) {
          await deliver(ctx, 'notice:attachment', async () => ctx.sendFileToUser(to, f.name, await fetchAttachment(ctx.services.outbound, f), { key: `attachment:${n.id}:${f.seq}:${to}` }), { notice: n.number })
        }
      })
      return { toast: { type: 'success', content: `${files.length} 个附件已私信发给您` } }
    },
  })
}
