// Filing a grievance (维权诉求) by conversation: `投诉` / `诉求` / `反映问题` / `grievance` in private chat, or by
// @-mentioning the bot in a group (which gets no answer at all: the bot answers privately, security review F17).
// Steps: category → description (+ images/files) → 匿名/实名 → confirm; each step re-asks with a hint on bad input.
import {
  CONFIRM_WORDS,
  FILING_FLOW,
  FILING_TITLE,
  buildAnonymityStepCard,
  buildCategoryStepCard,
  buildConfirmStepCard,
  buildDescriptionStepCard,
  buildSourceStepCard,
  cutNotice,
  type FilingStep,
} from '../../cards/grievances/filing.js'
import { randomUUID } from 'node:crypto'
import type { ConversationContext, ConversationInput, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation, type FlowControls, type StepNote, type StepOutcome } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { deliver } from '../../src/kit/deliver.js'
import type { StoredAttachment } from '../../src/grievances/tables.js'
import type { GrievanceSource } from '../../src/grievances/model.js'
import { UserFacingError } from '../../src/errors.js'
import { membersNamed } from '../../src/organisation/members.js'
import { formatDateTime, localDate } from '../../src/time.js'
import {
  DESCRIPTION_MAX_CHARS,
  DESCRIPTION_MIN_CHARS,
  FOLLOW_UP_MAX_CHARS,
  MAX_ATTACHMENTS,
  SOURCE_LABEL,
  STATUS_LABEL,
  charCount,
  dailyCapMessage,
  filingYear,
  formatGrievanceNumber,
  grievanceDeadlines,
  parseCategory,
  splitLeadingNumber,
} from '../../src/grievances/model.js'
import { claimReporterEvent, countReporterEventsOnDay, linkReporter, sealAttachmentSources } from '../../src/grievances/reporters.js'
import { findGrievanceByFilingKey, insertGrievance, recordGrievanceEvent, updateGrievance } from '../../src/grievances/store.js'
import { nextInSequence } from '../../src/core/sequences.js'
import { postReviewCard, sendToRoutedCommittee } from './shared.js'
import { recordEvidence, refusedType, refusedTypeMessage, settleEvidence } from '../../src/kit/evidence.js'
import { GRIEVANCE_EVIDENCE } from './evidence.js'
import { showOfficerCase } from './lookup.js'
import { showOwnCase } from './worker.js'

/** Version of the draft kept in the conversation state; a draft of another version is discarded. */
const DRAFT_VERSION = 1

/** An attachment while the draft is open: the message that carried it goes to the sealed table at filing. */
type DraftAttachment = StoredAttachment & { messageId?: string }

interface FilingDraft {
  /**
   * Random per conversation, made when it starts: the filing's idempotency key. Never a Feishu id, which
   * inbox_events would tie to the reporter's message (security review F8).
   */
  draftId: string
  category?: string
  description?: string
  attachments: DraftAttachment[]
  anonymous?: boolean
  /** Anonymous filings: the worker chose to let officers see the file names (F3). */
  showFileNames?: boolean
  /** Set while redoing one step from the confirm step: the answer leads back to the summary. */
  editing?: boolean
  /** Words typed with the command, too short for a description (`我想投诉我们班长`): the description's start. */
  lead?: string
  /** The end of an over-long description, cut off at DESCRIPTION_MAX_CHARS (F26): sent back after filing. */
  overflow?: string
  /** How many characters were cut in all (the overflow kept is capped at OVERFLOW_MAX_PARTS messages). */
  overflowChars?: number
  /**
   * 登记诉求 (issue #13): an officer registers a case received offline, for a worker named (a mention or a member
   * known by name; told the number and can follow it) or not named (不记名: anonymous, no reporter link at all).
   */
  offline?: { by: string; source?: GrievanceSource; worker?: { openId: string; name: string } }
}

/** At most this many 补充 messages come back (a pasted document must not flood the chat or the draft's state). */
const OVERFLOW_MAX_PARTS = 5

/** An over-long description is kept up to the limit, not refused (F26): the rest goes back to the worker. */
function splitDescription(text: string): { description: string; overflow?: string; overflowChars?: number } {
  const chars = Array.from(text)
  if (chars.length <= DESCRIPTION_MAX_CHARS) return { description: text }
  const rest = chars.slice(DESCRIPTION_MAX_CHARS)
  return { description: chars.slice(0, DESCRIPTION_MAX_CHARS).join(''), overflow: rest.slice(0, OVERFLOW_MAX_PARTS * FOLLOW_UP_MAX_CHARS).join(''), overflowChars: rest.length }
}

/** Characters cut from the draft's description (0 when none). */
const cutChars = (d: FilingDraft): number => (d.overflow ? (d.overflowChars ?? charCount(d.overflow)) : 0)

const OTHER_FLOW_ACTIVE = '您还有一项未完成的办理。请先在私聊中完成它，或发送「取消」结束后，再发送「投诉」。'

const HINTS = {
  category: `没有识别出类别。请回复 1–7 的序号或类别名称，或点击下方按钮。如需办理其他事项，请先发送「取消」。`,
  tooShort: (n: number) => `描述太短：至少需要 ${DESCRIPTION_MIN_CHARS} 个字（现在 ${n} 个字）。请写明具体情况后重新发送。`,
  noText: '请用文字描述您遇到的问题（图片、文件可以作为附件另外发送）。',
  tooManyAttachments: `附件最多 ${MAX_ATTACHMENTS} 个，多出的没有附上。请继续用文字描述问题。`,
  attachmentsHere: '图片和文件请在「描述」这一步发送；如需补充附件，请在确认时选择「修改描述」。',
  anonymity: '请回复「匿名」或「实名」，或点击下方按钮。',
  confirm: '请回复「确认」提交，或「修改类别」「修改描述」「修改匿名」「删除附件」，或「取消」放弃。',
} as const

export function registerGrievanceFiling(router: BotRouter): void {
  router.command({
    words: ['投诉', '诉求', '反映问题', 'grievance'],
    synonyms: ['反映', '举报', '维权', '求助', '申诉', '告状', '不公平', '欠薪', '拖欠工资', 'complain', 'complaint'],
    takesText: true,
    caseNumbers: ['G'],
    hints: ['工资', '加班', '加班费', '扣钱', '克扣', '辞退', '开除', '骂人', '欺负', '骚扰', '工伤', '社保', '合同', '休假', '年假', '调岗', '降薪', '班长', '领导', '主管', '太热', '高温', '防暑', '太冷', '噪音', '粉尘', '安全帽', '劳保'],
    help: { section: '维权诉求', usage: '投诉', description: '向工会反映问题（保密，可匿名），也可发送「诉求」「反映问题」' },
    async handle(ctx) {
      // `诉求 G-2026-0007` (anything after the number is ignored) asks about a case; otherwise a filing starts.
      const asked = splitLeadingNumber(ctx.args)
      // Officers get the case's full officer card (privately); anyone else only their own case.
      if (asked) return (await ctx.isOfficer()) ? showOfficerCase(ctx, asked.number) : showOwnCase(ctx, asked.number)
      await startFiling(ctx)
    },
  })

  router.command({
    words: ['登记诉求', 'register grievance'],
    synonyms: ['代为登记', '线下诉求'],
    takesText: true,
    roles: ['officer'],
    deniedMessage: '抱歉，只有工会干部可以登记线下收到的诉求；您自己反映问题请发送「投诉」。',
    help: { section: '工会干部', usage: '登记诉求 [@职工 或 姓名]', description: '登记当面、电话或来信收到的诉求（不写姓名即不记名登记）' },
    handle: startOffline,
  })

  router.conversation(filing)
}

/** 登记诉求 [@职工 | 姓名]: who the case is for, then the filing's steps after 来源 (private chat only). */
async function startOffline(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) {
    await tellPrivately(ctx, { text: '请在与工会助手的私聊中发送「登记诉求」：诉求内容不在群里填写。' })
    return
  }
  const mentioned = ctx.message.mentions.find((m) => m.openId)
  let worker: { openId: string; name: string } | undefined
  if (mentioned?.openId) worker = { openId: mentioned.openId, name: (await ctx.nameOf(mentioned.openId)) ?? mentioned.name }
  else if (ctx.argsTyped.trim()) {
    const name = ctx.argsTyped.trim().replace(/^@/, '')
    const found = await membersNamed(ctx.db, name)
    if (found.length === 0) throw new UserFacingError('NOT_FOUND', `名册里没有「${name}」。请 @ 这位职工（需在同一群里），或不写姓名，发送「登记诉求」按不记名登记。`)
    if (found.length > 1) throw new UserFacingError('INVALID_INPUT', `名册里有 ${found.length} 位「${name}」。请 @ 这位职工，以免登记错人。`)
    worker = found[0]!
  }
  const draft: FilingDraft = { draftId: randomUUID(), attachments: [], offline: { by: ctx.actorOpenId, ...(worker ? { worker } : {}) }, ...(worker ? {} : { anonymous: true }) }
  await filing.start(ctx, draft, 'source')
  await ctx.reply({ card: buildSourceStepCard(worker ? { workerName: worker.name } : {}) })
}

function offlineView(o: NonNullable<FilingDraft['offline']>): { sourceLabel?: string; workerName?: string } {
  return { ...(o.source ? { sourceLabel: SOURCE_LABEL[o.source] } : {}), ...(o.worker ? { workerName: o.worker.name } : {}) }
}

function readDraft(data: Record<string, unknown>, eventId: string): FilingDraft {
  const d = data as Partial<FilingDraft>
  // A draft without an id (damaged state): derive one from this turn's event, the same on a re-run of the turn.
  return { ...d, draftId: typeof d.draftId === 'string' ? d.draftId : `legacy:${eventId}`, attachments: Array.isArray(d.attachments) ? d.attachments : [] }
}

/** Whether the person has filed as many cases today as GRIEVANCE_DAILY_FILING_CAP allows (0 = no cap). */
async function filingCapReached(ctx: MessageContext | ConversationContext): Promise<boolean> {
  const cap = ctx.config.grievance.dailyFilingCap
  if (cap === 0) return false
  return (await countReporterEventsOnDay(ctx.db, ctx.actorOpenId, 'filed', localDate(ctx.now(), ctx.config.timezone))) >= cap
}

/** A private answer to a command typed in a group; a person the bot cannot reach privately is only logged. */
async function tellPrivately(ctx: MessageContext, content: Parameters<MessageContext['replyPrivately']>[0]): Promise<boolean> {
  // Nothing goes to the group when this fails: any answer there would show who raised a grievance (F17).
  return (await deliver(ctx, 'grievance:private-answer', () => ctx.replyPrivately(content))).sent
}

async function startFiling(ctx: MessageContext): Promise<void> {
  if (await filingCapReached(ctx)) {
    const text = dailyCapMessage('filing', ctx.config.grievance.dailyFilingCap)
    if (ctx.isGroup) await tellPrivately(ctx, { text })
    else await ctx.reply({ text })
    return
  }
  const draft: FilingDraft = { draftId: randomUUID(), attachments: [] }
  // `投诉 <text>` typed privately: keep the text as the description (shown again at the confirm step).
  // In a group the text is ignored: details are never collected there.
  if (!ctx.isGroup && charCount(ctx.argsTyped) >= DESCRIPTION_MIN_CHARS) {
    Object.assign(draft, splitDescription(ctx.argsTyped))
  } else if (!ctx.isGroup && ctx.argsTyped !== '' && charCount(ctx.argsTyped) < DESCRIPTION_MIN_CHARS) {
    draft.lead = ctx.argsTyped
  }
  if (!ctx.isGroup) {
    await filing.start(ctx, draft)
    await ctx.reply({ card: buildCategoryStepCard({ intro: true }) })
    return
  }
  // In a group: no answer there at all (it would point at the sender); everything goes privately.
  const current = await ctx.activeConversation()
  if (current !== undefined && current !== FILING_FLOW) {
    await tellPrivately(ctx, { text: OTHER_FLOW_ACTIVE })
    return
  }
  await filing.start(ctx, draft)
  if (!(await tellPrivately(ctx, { card: buildCategoryStepCard({ intro: true }) }))) await ctx.endConversation()
}

/** The filing conversation: category → description (+ attachments) → 匿名/实名 → confirm. */
const filing = defineConversation<FilingDraft, FilingStep>({
  name: FILING_FLOW,
  title: FILING_TITLE,
  version: DRAFT_VERSION,
  initial: 'category',
  outdated: '系统已更新，您之前未提交的诉求已失效，请发送「投诉」重新开始。',
  read: (data, ctx) => readDraft(data, ctx.eventId),
  // Text typed after the filing expired is kept; 继续 starts filing again with it (as `投诉 <text>`).
  resumeCommand: '投诉',
  // A step this version does not know: start the conversation over rather than guess.
  unknownStep: (draft) => ({ next: 'category', data: { draftId: draft.draftId, attachments: [] } }),
  intercept: (input, _draft, step) => (step !== 'description' && input.attachments.length > 0 ? { hint: HINTS.attachmentsHere } : undefined),
  steps: {
    source: {
      prompt: async (ctx, draft, note) => void (await ctx.say({ card: buildSourceStepCard({ ...(note && 'hint' in note ? { hint: note.hint } : {}), ...(draft.offline?.worker ? { workerName: draft.offline.worker.name } : {}) }) })),
      parse(input, draft) {
        const source = parseSource(input.normalized)
        if (!source || !draft.offline) return { hint: '请回复「当面」「电话」或「来信」，或点击下方按钮。' }
        return { next: 'category', data: { ...draft, offline: { ...draft.offline, source } } }
      },
    },
    category: {
      prompt: sayStepCard('category'),
      parse(input, draft) {
        const category = parseCategory(input.normalized)
        if (!category) return { hint: HINTS.category }
        const next = { ...draft, category }
        if (draft.editing) return { next: 'confirm', data: { ...next, editing: false } }
        if (draft.description) {
          return {
            async run(ctx, flow) {
              await ctx.say({ text: '已把您随指令发送的文字作为问题描述，最后确认时可以修改。' }, { key: 'prefilled' })
              await flow.goTo('anonymity', next)
            },
          }
        }
        if (draft.lead) {
          return {
            async run(ctx, flow) {
              await ctx.say({ text: '您开头说的话已记下，会放在描述的最前面，请接着写下具体情况。' }, { key: 'lead' })
              await flow.goTo('description', next)
            },
          }
        }
        return { next: 'description', data: next }
      },
    },
    description: { prompt: sayStepCard('description'), parse: parseDescription },
    anonymity: {
      prompt: sayStepCard('anonymity'),
      parse(input, draft) {
        const anonymous = parseAnonymity(input.normalized)
        if (anonymous === undefined) return { hint: HINTS.anonymity }
        if (!anonymous && draft.offline && !draft.offline.worker) return { hint: '不记名登记的诉求没有职工姓名，只能按匿名诉求处理。' }
        return { next: 'confirm', data: { ...draft, anonymous, editing: false } }
      },
    },
    confirm: {
      prompt: sayStepCard('confirm'),
      parse(input, draft) {
        const answer = input.normalized
        if (['确认', '确定', '提交', '确认提交', 'confirm', 'yes', 'ok'].includes(answer)) return { run: (ctx, flow) => submit(ctx, flow, draft) }
        if (answer === CONFIRM_WORDS.editCategory || answer === '修改分类') return { next: 'category', data: { ...draft, editing: true } }
        if (answer === CONFIRM_WORDS.editDescription) return { next: 'description', data: { ...draft, editing: true } }
        if (answer === CONFIRM_WORDS.editAnonymity || answer === '修改匿名设置' || answer === '修改身份') return { next: 'anonymity', data: { ...draft, editing: true } }
        if (answer === CONFIRM_WORDS.showFileNames || answer === '向工会显示文件名') return { next: 'confirm', data: { ...draft, showFileNames: true } }
        if (answer === CONFIRM_WORDS.hideFileNames || answer === '不显示文件名') return { next: 'confirm', data: { ...draft, showFileNames: false } }
        if (answer === CONFIRM_WORDS.removeAttachments || answer === '删除全部附件') return { next: 'confirm', data: { ...draft, attachments: [], showFileNames: false } }
        return { hint: HINTS.confirm }
      },
    },
  },
})

function parseSource(answer: string): GrievanceSource | undefined {
  if (['当面', '面谈', '来访', '1'].includes(answer)) return 'in_person'
  if (['电话', '来电', '2'].includes(answer)) return 'phone'
  if (['来信', '信件', '书面', '3'].includes(answer)) return 'letter'
  return undefined
}

function parseAnonymity(answer: string): boolean | undefined {
  if (['匿名', 'anonymous', '是'].includes(answer)) return true
  if (['实名', 'named', '不匿名', '否'].includes(answer)) return false
  return undefined
}

function parseDescription(input: ConversationInput, draft: FilingDraft, ctx: ConversationContext): StepOutcome<FilingDraft, FilingStep> {
  let next = draft
  let hint: string | undefined
  // Programs and scripts are refused as they come (src/kit/evidence.ts); the rest is fetched after 确认.
  const refusedExts = input.attachments.flatMap((a) => refusedType(a, ctx.config.evidence.refusedExtensions) ?? [])
  const acceptable = input.attachments.filter((a) => !refusedType(a, ctx.config.evidence.refusedExtensions))
  if (refusedExts.length > 0) {
    hint = refusedTypeMessage(refusedExts)
    input = { ...input, attachments: acceptable }
  }
  if (input.attachments.length > 0) {
    const room = MAX_ATTACHMENTS - draft.attachments.length
    const added = input.attachments.slice(0, Math.max(0, room)).map((a) => ({ ...a, ...(input.messageId ? { messageId: input.messageId } : {}) }))
    next = { ...draft, attachments: [...draft.attachments, ...added] }
    if (added.length < input.attachments.length) hint = hint ? `${hint}\n${HINTS.tooManyAttachments}` : HINTS.tooManyAttachments
  }
  const typed = input.text.trim()
  // The words typed with the command start the description, as typed (a space only between two Latin words).
  const lead = draft.lead && typed !== '' && !typed.startsWith(draft.lead) ? draft.lead : ''
  const text = lead ? joinLead(lead, typed) : typed
  if (text === '') {
    // Only attachments (or something without words, like a sticker): keep what came and ask for the words.
    if (input.attachments.length > 0 && !hint) return { notice: `已收到附件（共 ${next.attachments.length} 个）。请继续用文字描述问题。`, data: next }
    return { hint: hint ?? HINTS.noText, data: next }
  }
  const n = charCount(text)
  if (n < DESCRIPTION_MIN_CHARS) return { hint: HINTS.tooShort(n), data: next }
  next = { ...next, ...splitDescription(text) }
  if (n <= DESCRIPTION_MAX_CHARS) {
    delete next.overflow
    delete next.overflowChars
  }
  delete next.lead
  if (next.editing || next.anonymous !== undefined) return { next: 'confirm', data: { ...next, editing: false } }
  return { next: 'anonymity', data: next }
}

/**
 * The kept start of the sentence and the description (F20): when the description begins with the end of the kept
 * words (「我们班长」 + 「班长经常…」), those words are said once (「我们班长经常…」); a space only between two Latin words.
 */
function joinLead(lead: string, typed: string): string {
  const l = Array.from(lead)
  for (let n = l.length - 1; n >= 2; n--) {
    const tail = l.slice(l.length - n).join('')
    if (typed.startsWith(tail)) return `${l.slice(0, l.length - n).join('')}${typed}`
  }
  return `${lead}${/[A-Za-z0-9]$/.test(lead) && /^[A-Za-z0-9]/.test(typed) ? ' ' : ''}${typed}`
}

/**
 * The part of an over-long description that was cut (F26), sent back ready to send as 补充: each message is a whole
 * `补充 G-… …` command of at most FOLLOW_UP_MAX_CHARS characters, so the worker copies, pastes and sends it.
 */
async function sendOverflow(ctx: ConversationContext, id: number, number: string, overflow: string, cut: number): Promise<void> {
  const chars = Array.from(overflow)
  const parts: string[] = []
  for (let i = 0; i < chars.length; i += FOLLOW_UP_MAX_CHARS) parts.push(chars.slice(i, i + FOLLOW_UP_MAX_CHARS).join(''))
  const lost = cut - chars.length
  const intro =
    `您的描述超过 ${DESCRIPTION_MAX_CHARS} 字，诉求里保留了前 ${DESCRIPTION_MAX_CHARS} 字，后面的 ${cut} 字没有放入。` +
    (parts.length === 1 ? '下面这条消息就是补上它的指令：长按复制，发送给我即可。' : `下面 ${parts.length} 条消息就是补上它的指令：请逐条长按复制，发送给我。`) +
    (lost > 0 ? `最后还有 ${lost} 字太长未能发回，请精简后用「补充 ${number} 内容」发送，或作为文件发送。` : '')
  await deliver(ctx, 'grievance:overflow', () => ctx.say({ text: intro }, { key: `overflow:${id}` }), { grievance: number })
  for (const [i, part] of parts.entries()) {
    await deliver(ctx, 'grievance:overflow', () => ctx.say({ text: `补充 ${number} ${part}` }, { key: `overflow:${id}:${i}` }), { grievance: number })
  }
}

/** A step's prompt: its card, with the hint or notice when re-asked. */
function sayStepCard(step: FilingStep) {
  return async (ctx: ConversationContext, draft: FilingDraft, note?: StepNote): Promise<void> => {
    await ctx.say({ card: stepCard(step, draft, note) })
  }
}

function stepCard(step: FilingStep, draft: FilingDraft, note?: StepNote) {
  const h = note && 'hint' in note ? { hint: note.hint } : {}
  switch (step) {
    case 'category':
      return buildCategoryStepCard(h)
    case 'description':
      return buildDescriptionStepCard({ ...(note ?? {}), category: draft.category ?? '', attachmentCount: draft.attachments.length, ...(draft.editing ? { editing: true } : {}) })
    case 'anonymity':
      // The step after an over-long description says at once what was cut (F26); the confirm card says it again.
      return buildAnonymityStepCard(draft.overflow && !('hint' in h) ? { hint: cutNotice(cutChars(draft)) } : h)
    case 'confirm': {
      const { offline, ...rest } = draft
      return buildConfirmStepCard({ ...rest, cutChars: cutChars(draft), ...(offline ? { offline: offlineView(offline) } : {}) }, h)
    }
    case 'source':
      return buildSourceStepCard({ ...h, ...(draft.offline?.worker ? { workerName: draft.offline.worker.name } : {}) })
  }
}

/** Files the grievance: gap-free number, deadlines, reporter link; then the worker and the committee are told. */
async function submit(ctx: ConversationContext, flow: FlowControls<FilingDraft, FilingStep>, draft: FilingDraft): Promise<void> {
  if (!draft.category || !draft.description || draft.anonymous === undefined) {
    // Cannot happen through the steps; a damaged state starts over instead of filing half a case.
    return flow.goTo('category', { draftId: draft.draftId, attachments: draft.attachments })
  }
  const now = ctx.now()
  const tz = ctx.config.timezone
  const offline = draft.offline
  // The worker a case is about: the one typing, or the worker an officer registers it for (none: 不记名).
  const reporter = offline ? offline.worker?.openId : ctx.actorOpenId
  const reporterName = draft.anonymous ? null : offline ? (offline.worker?.name ?? null) : ((await ctx.nameOf(ctx.actorOpenId)) ?? null)
  const { acceptDueAt, resolveDueAt } = grievanceDeadlines(ctx.services.calendar, now, ctx.config.grievance)
  const category = draft.category
  const description = draft.description
  const anonymous = draft.anonymous
  // Anonymous cases keep a file's name only when the worker chose to show it; no case keeps message ids (F3, F8).
  const keepNames = !anonymous || draft.showFileNames === true
  const stored: StoredAttachment[] = draft.attachments.map((a) => ({ kind: a.kind, key: a.key, ...(keepNames && a.name ? { name: a.name } : {}) }))
  const sources = draft.attachments.flatMap((a) => (a.messageId ? [{ key: a.key, messageId: a.messageId }] : []))
  const cap = ctx.config.grievance.dailyFilingCap
  const grievance = await ctx.db.transaction().execute(async (trx) => {
    // Filing is keyed by the draft, not the event: a retried event (crash after commit) or a second 确认 after a
    // failed answer finds the case already filed instead of filing it twice.
    const existing = await findGrievanceByFilingKey(trx, draft.draftId)
    if (existing) return existing
    if (!offline && cap > 0 && (await countReporterEventsOnDay(trx, ctx.actorOpenId, 'filed', localDate(now, tz))) >= cap) return undefined
    const year = filingYear(now, tz)
    const seq = await nextInSequence(trx, `grievance:${year}`)
    const g = await insertGrievance(trx, {
      number: formatGrievanceNumber(year, seq),
      category,
      description,
      attachments: stored,
      anonymous,
      reporterOpenId: anonymous ? null : (reporter ?? null),
      reporterName,
      filedAt: now,
      acceptDueAt,
      resolveDueAt,
      filingKey: draft.draftId,
    })
    // 不记名 offline cases keep no link at all: nobody can be told, nobody can be found.
    if (reporter) await linkReporter(trx, g.id, reporter)
    await sealAttachmentSources(trx, g.id, sources)
    // Evidence rows (fetched and re-uploaded by the bot below, retried until kept); names only where kept above.
    await recordEvidence(trx, { type: GRIEVANCE_EVIDENCE.type, id: g.id }, draft.attachments.flatMap((a) => (a.messageId ? [{ kind: a.kind, key: a.key, messageId: a.messageId, ...(a.name ? { name: a.name } : {}) }] : [])), { now, keepNames, sourceSealed: true })
    if (!offline) await claimReporterEvent(trx, g.id, ctx.eventId, 'filed', localDate(now, tz))
    // No event id on the history entry: it would lead through inbox_events to the reporter's message (F8). An
    // offline case names the officer who registered it (officers know who took the call or the letter).
    await recordGrievanceEvent(trx, { grievanceId: g.id, at: now, kind: 'filed', actorOpenId: offline ? offline.by : null, ...(offline?.source ? { body: null, detail: { source: offline.source } } : {}), eventId: null })
    // Routed by category to a special committee (GRIEVANCE_ROUTES), recorded with the case.
    const routedTo = ctx.config.grievance.routes.get(category)
    if (!routedTo && !offline) return g
    return updateGrievance(trx, g.id, { ...(routedTo ? { routed_to: routedTo } : {}), ...(offline ? { source: offline.source ?? 'in_person', registered_by: offline.by } : {}) })
  })
  if (!grievance) {
    // The draft stays: the worker can still 确认 it later (the conversation lasts CONVERSATION_TTL_SECONDS).
    await ctx.say({ text: dailyCapMessage('filing', cap) })
    return
  }
  ctx.log.info({ grievance: grievance.number, category: grievance.category }, 'grievance filed')
  const w = ctx.config.grievance
  // A transient failure propagates (the event is retried, or the worker presses 确认 again) and finds the case filed
  // above; a permanent one is logged, so the conversation still ends here.
  const ack =
    `✅ 已提交。编号：${grievance.number}，状态：${STATUS_LABEL.pending}。\n` +
    `工会将在 ${w.acceptWorkdays} 个工作日内（${formatDateTime(grievance.acceptDueAt, tz)} 前）受理，` +
    `${w.resolveWorkdays} 个工作日内（${formatDateTime(grievance.resolveDueAt, tz)} 前）办结。\n` +
    `查看进度请发送「诉求 ${grievance.number}」，补充材料请发送「补充 ${grievance.number} 内容」。`
  if (offline) {
    const told = offline.worker
      ? (await deliver(ctx, 'grievance:offline-worker', () => ctx.sendToUser(offline.worker!.openId, { text: `工会干部已为您登记诉求，编号：${grievance.number}，状态：${STATUS_LABEL.pending}。查看进度请发送「诉求 ${grievance.number}」，补充材料请发送「补充 ${grievance.number} 内容」。` }, { key: `offline-filed:${grievance.id}` }), { grievance: grievance.number })).sent
      : false
    const whom = offline.worker ? (told ? '已把编号私信告知职工，职工可发送「我的诉求」查看进度。' : '未能私信职工（可能不在本应用可用范围内），请把编号告诉职工。') : '不记名登记：职工无法在飞书上查看，请把编号告诉职工。'
    const text = `✅ 已登记。编号：${grievance.number}，状态：${STATUS_LABEL.pending}，来源：${SOURCE_LABEL[offline.source ?? 'in_person']}。\n${whom}`
    await deliver(ctx, 'grievance:filed', () => ctx.say({ text }, { key: `filed:${grievance.id}` }), { grievance: grievance.number })
  } else await deliver(ctx, 'grievance:filed', () => ctx.say({ text: ack }, { key: `filed:${grievance.id}` }), { grievance: grievance.number })
  if (draft.overflow) await sendOverflow(ctx, grievance.id, grievance.number, draft.overflow, cutChars(draft))
  // A case found again (a retry) may already have its card; the sweep posts cards that are still missing.
  if (!grievance.reviewMessageId) await postReviewCard(ctx, grievance)
  await sendToRoutedCommittee(ctx, grievance)
  await ctx.finish()
  // After the worker has the number: fetch and re-upload the attachments; one too large is reported at once.
  await settleEvidence(ctx, GRIEVANCE_EVIDENCE, grievance.id)
}
