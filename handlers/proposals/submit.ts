// 提交提案: the submission conversation (title → 案由及建议 → category → confirm) in private chat, for worker
// representatives during an open collection window; the confirmed proposal gets its P-number and the shareable card.
import { buildCategoryStepCard, buildConfirmStepCard, buildContentStepCard, buildTitleStepCard, SUBMIT_FLOW } from '../../cards/proposals/submit.js'
import type { ConversationContext } from '../../src/dispatch/context.js'
import { defineConversation, type StepNote } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { CONTENT_MAX, CONTENT_MIN, TITLE_MAX, charCount, formatNumber, parseCategory } from '../../src/proposals/model.js'
import { nextInSequence } from '../../src/core/sequences.js'
import { findProposalByEvent, insertProposal, type Proposal } from '../../src/proposals/store.js'
import { isRepresentative } from '../../src/organisation/representatives.js'
import { addTimeline } from '../../src/proposals/timeline.js'
import { currentWindow } from '../../src/proposals/windows.js'
import { localParts } from '../../src/time.js'
import { sendProposalCardTo, sendReviewCard } from './shared.js'

const SECTION = '职代会提案'
const CONFIRM_WORDS = ['确认', '确定', '提交', '是', '好', 'yes', 'y', 'ok', 'confirm']

interface Draft {
  windowId: number
  windowName: string
  title?: string
  content?: string
  category?: string
}

const NOT_OPEN = '当前不在提案征集期，暂不能提交提案。征集开始时我会通知各位职工代表。'

/** Title: one line, spaces collapsed. 案由及建议 keeps its line breaks. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Version of the Draft shape kept in Redis; a state of another version is discarded. */
const DRAFT_VERSION = 1
const START_WORDS = ['提交提案', '新提案', '写提案', 'new proposal', 'submit proposal']

const EXPIRED = '抱歉，这次提交的进度已失效，请重新发送「提交提案」。'

type SubmitStep = 'title' | 'content' | 'category' | 'confirm'

/** A re-asked step gets its hint as a text message (only the category step shows its card again); true if one was sent. */
async function sayHint(ctx: ConversationContext, note?: StepNote): Promise<boolean> {
  if (!note || !('hint' in note)) return false
  await ctx.say({ text: note.hint })
  return true
}

const submission = defineConversation<Draft, SubmitStep>({
  name: SUBMIT_FLOW,
  title: '提交提案',
  version: DRAFT_VERSION,
  initial: 'title',
  outdated: EXPIRED,
  read(data) {
    const { windowId, windowName, title, content, category } = data
    if (typeof windowId !== 'number') return undefined
    return {
      windowId,
      windowName: typeof windowName === 'string' ? windowName : '',
      ...(typeof title === 'string' ? { title } : {}),
      ...(typeof content === 'string' ? { content } : {}),
      ...(typeof category === 'string' ? { category } : {}),
    }
  },
  // Typing the start command again restarts from the title rather than becoming the title.
  intercept: (input, draft) => (START_WORDS.includes(input.normalized) ? { next: 'title', data: { windowId: draft.windowId, windowName: draft.windowName } } : undefined),
  steps: {
    title: {
      async prompt(ctx, draft, note) {
        if (!(await sayHint(ctx, note))) await ctx.say({ card: buildTitleStepCard(draft.windowName) })
      },
      parse(input, draft) {
        const title = oneLine(input.text)
        if (!title) return { hint: `请直接回复提案标题（不超过 ${TITLE_MAX} 个字），或发送「取消」退出。` }
        const n = charCount(title)
        if (n > TITLE_MAX) return { hint: `标题不能超过 ${TITLE_MAX} 个字（现在是 ${n} 个字），请精简后重新回复。` }
        return { next: 'content', data: { ...draft, title } }
      },
    },
    content: {
      async prompt(ctx, draft, note) {
        if (!(await sayHint(ctx, note))) await ctx.say({ card: buildContentStepCard(draft.title ?? '') })
      },
      parse(input, draft) {
        const content = input.text.trim()
        const n = charCount(content.replace(/\s/g, ''))
        if (n < CONTENT_MIN) return { hint: `案由及建议不少于 ${CONTENT_MIN} 个字（现在是 ${n} 个字）。请写明存在的问题和具体建议后重新回复。` }
        if (charCount(content) > CONTENT_MAX) return { hint: `案由及建议不能超过 ${CONTENT_MAX} 个字，请精简后重新回复。` }
        return { next: 'category', data: { ...draft, content } }
      },
    },
    category: {
      async prompt(ctx, _draft, note) {
        await sayHint(ctx, note)
        await ctx.say({ card: buildCategoryStepCard() })
      },
      parse(input, draft) {
        const category = parseCategory(input.text)
        if (!category) return { hint: '没有这个类别。请回复 1–6 的序号或类别名称，例如「2」或「劳动保护」。' }
        return { next: 'confirm', data: { ...draft, category } }
      },
    },
    confirm: {
      async prompt(ctx, draft, note) {
        if (await sayHint(ctx, note)) return
        const { title = '', content = '', category = '', windowName } = draft
        await ctx.say({ card: buildConfirmStepCard({ title, content, category, windowName, minCosigners: ctx.config.proposal.minCosigners }) })
      },
      parse(input, draft) {
        if (!CONFIRM_WORDS.includes(input.normalized)) return { hint: '请回复「确认」提交提案，或发送「取消」放弃。' }
        return { run: (ctx) => submit(ctx, draft) }
      },
    },
  },
})

async function submit(ctx: ConversationContext, draft: Draft): Promise<void> {
  if (!draft.title || !draft.content || !draft.category) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，这次提交的内容不完整，请重新发送「提交提案」。' }))
  }
  // The window or the person's standing may have changed while they were typing.
  const window = await currentWindow(ctx.db)
  if (!window || window.id !== draft.windowId) {
    await ctx.finish()
    return void (await ctx.say({ text: `提案征集已经结束，本次提案未能提交。${window ? '新一次征集已开始，请重新发送「提交提案」。' : ''}` }))
  }
  if (!(await isRepresentative(ctx.db, ctx.actorOpenId))) {
    await ctx.finish()
    return void (await ctx.say({ text: '抱歉，您已不在职工代表名单中，不能提交提案。如有疑问请联系工会。' }))
  }
  const min = ctx.config.proposal.minCosigners
  const now = ctx.now()
  const { title, content, category } = draft
  const proposal: Proposal = await ctx.db.transaction().execute(async (trx) => {
    // A re-run of this turn (after a crash) finds the proposal it created instead of filing it twice.
    const existing = await findProposalByEvent(trx, ctx.eventId)
    if (existing) return existing
    const year = localParts(now, ctx.config.timezone).year
    const seq = await nextInSequence(trx, `proposal:${year}`)
    const created = await insertProposal(trx, {
      number: formatNumber(year, seq),
      year,
      seq,
      windowId: window.id,
      proposerOpenId: ctx.actorOpenId,
      title,
      content,
      category,
      status: min === 0 ? 'pending_review' : 'collecting',
      eventId: ctx.eventId,
      at: now,
    })
    await addTimeline(trx, { proposalId: created.id, at: now, kind: 'submitted', actorOpenId: ctx.actorOpenId, eventId: ctx.eventId })
    await ctx.audit({ action: 'proposal.submit', subjectType: 'proposal', subjectId: created.number, detail: { to: created.status } }, trx)
    if (min === 0) await addTimeline(trx, { proposalId: created.id, at: now, kind: 'review_ready', actorOpenId: null, detail: { count: 0 }, eventId: ctx.eventId })
    return created
  })
  await ctx.finish()
  ctx.log.info({ eventId: ctx.eventId, proposal: proposal.number }, 'proposal submitted')
  await ctx.say({
    text:
      min === 0
        ? `【职代会提案】提案已提交，编号 ${proposal.number}，已进入待审查。`
        : `【职代会提案】提案已提交，编号 ${proposal.number}。请把下面的卡片转发给其他职工代表，获得 ${min} 名代表附议后进入审查。`,
  })
  await sendProposalCardTo(ctx, proposal, ctx.actorOpenId)
  if (min === 0) await sendReviewCard(ctx, proposal.number)
}

export function registerProposalSubmit(router: BotRouter): void {
  router.command({
    words: START_WORDS,
    synonyms: ['提一个提案', '提个提案', '想提提案', '提建议', '提个建议', '合理化建议', '我有个建议', '我有建议'],
    roles: ['representative'],
    deniedMessage: '抱歉，只有登记在册的职工代表可以提交提案。您可以把建议告诉所在单位的职工代表，或发送「提案列表」查看本届提案。',
    help: { section: SECTION, usage: '提交提案', description: '在征集期内按步骤提交职代会提案' },
    async handle(ctx) {
      const window = await currentWindow(ctx.db)
      if (!window) throw new UserFacingError('INVALID_STATE', NOT_OPEN)
      await submission.start(ctx, { windowId: window.id, windowName: window.name })
      if (ctx.isGroup) await ctx.reply({ text: '提案请在与我的私聊中填写，我已私信您。' })
      await ctx.replyPrivately({ card: buildTitleStepCard(window.name) }, { key: 'submit-title' })
    },
  })
  router.conversation(submission)
}
