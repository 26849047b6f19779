// Cards of the grievance filing conversation (private chat): one per step, each answerable by typing or by its
// buttons, and the summary to confirm. User text (the description) only through userText().
import { ANONYMITY_STATEMENTS, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, GRIEVANCE_CATEGORIES } from '../../src/grievances/model.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { answerButton, buttonRow, card, hr, md, note, userText, type Card, type CardElement } from '../kit.js'

export const FILING_FLOW = 'grievance.file'
export const FILING_TITLE = '提交诉求'

export type FilingStep = 'source' | 'category' | 'description' | 'anonymity' | 'confirm'

/** Answers of the confirm step (typed or by button). */
export const CONFIRM_WORDS = {
  confirm: '确认',
  editCategory: '修改类别',
  editDescription: '修改描述',
  editAnonymity: '修改匿名',
  showFileNames: '显示文件名',
  hideFileNames: '隐藏文件名',
  removeAttachments: '删除附件',
} as const

/** Shown wherever a worker lets file names reach officers (security review F3). */
export const FILE_NAME_WARNING = '文件名会显示给工会干部，文件名中常含姓名或工号'

export interface FilingDraftView {
  category?: string
  description?: string
  attachments: Array<{ kind: 'image' | 'file'; name?: string }>
  anonymous?: boolean
  /** Anonymous filings: the worker chose at the confirm step to let officers see the file names. */
  showFileNames?: boolean
  /** How many characters of an over-long description were cut off at DESCRIPTION_MAX_CHARS (F26). */
  cutChars?: number
  /** 登记诉求 (an officer registers an offline case): how it came in, and the worker it is for (none: 不记名). */
  offline?: { sourceLabel?: string; workerName?: string }
}

/** What the worker is told when the description was cut (F26): kept, not refused, and the rest is not lost. */
export function cutNotice(cutChars: number): string {
  return `描述超过 ${DESCRIPTION_MAX_CHARS} 字，已保留前 ${DESCRIPTION_MAX_CHARS} 字；后面的 ${cutChars} 字没有放入描述，提交后会原样发回给您，可用「补充」补上。`
}

const STEP_NUMBER: Record<FilingStep, number> = { source: 0, category: 1, description: 2, anonymity: 3, confirm: 4 }

function stepCard(step: FilingStep, elements: CardElement[], hint?: string): Card {
  const body: CardElement[] = []
  // The hint is bot-written (what was wrong and how to answer); it never echoes what the user typed.
  if (hint) body.push(md(`<font color='red'>${hint}</font>`))
  body.push(...elements)
  body.push(note('内容严格保密。随时发送「取消」可退出，填写的内容不会保存。'))
  return card({ title: `${FILING_TITLE} · 第 ${STEP_NUMBER[step]}/4 步`, template: hint ? 'orange' : 'red', summary: `${FILING_TITLE}：第 ${STEP_NUMBER[step]}/4 步`, elements: body })
}

const cancelButton = (step: FilingStep) => answerButton({ flow: FILING_FLOW, step, answer: '取消', type: 'text' })

export function buildCategoryStepCard(opts: { hint?: string; intro?: boolean } = {}): Card {
  const list = GRIEVANCE_CATEGORIES.map((c, i) => `${i + 1}. ${c}`).join('\n')
  const elements: CardElement[] = []
  if (opts.intro) elements.push(md('您好，我来帮您向工会反映问题，共 4 步，约 1 分钟。'))
  elements.push(md(`**请选择问题类别**（回复序号或名称，也可点按钮）：\n${list}`))
  const buttons = GRIEVANCE_CATEGORIES.map((c, i) => answerButton({ flow: FILING_FLOW, step: 'category', answer: String(i + 1), text: `${i + 1} ${c}` }))
  elements.push(buttonRow([...buttons, cancelButton('category')]))
  return stepCard('category', elements, opts.hint)
}

export function buildDescriptionStepCard(opts: { hint?: string; notice?: string; category: string; attachmentCount: number; editing?: boolean }): Card {
  const elements: CardElement[] = []
  if (opts.notice) elements.push(md(`<font color='green'>${opts.notice}</font>`))
  elements.push(
    md(`类别：**${opts.category}**`),
    md(
      `**请描述您遇到的问题**（${DESCRIPTION_MIN_CHARS}–${DESCRIPTION_MAX_CHARS} 字）：发生了什么、何时何地、涉及哪些方面、您希望工会怎样帮助。` +
        '\n可以同时发送图片或文件作为证据，会一并附在诉求中。',
    ),
  )
  if (opts.attachmentCount > 0) elements.push(md(`已附上 ${opts.attachmentCount} 个附件。`))
  if (opts.editing) elements.push(md('发送新的描述将替换原来的描述（已附上的附件保留）。'))
  elements.push(buttonRow([cancelButton('description')]))
  return stepCard('description', elements, opts.hint)
}

export function buildAnonymityStepCard(opts: { hint?: string } = {}): Card {
  const elements: CardElement[] = [
    md('**是否匿名反映？**回复「匿名」或「实名」，也可点按钮：'),
    md(`- ${ANONYMITY_STATEMENTS.anonymous}\n- ${ANONYMITY_STATEMENTS.named}`),
    buttonRow([
      answerButton({ flow: FILING_FLOW, step: 'anonymity', answer: '匿名', type: 'primary' }),
      answerButton({ flow: FILING_FLOW, step: 'anonymity', answer: '实名' }),
      cancelButton('anonymity'),
    ]),
  ]
  return stepCard('anonymity', elements, opts.hint)
}

export function describeAttachments(attachments: FilingDraftView['attachments']): string {
  if (attachments.length === 0) return '无'
  const images = attachments.filter((a) => a.kind === 'image').length
  const files = attachments.length - images
  return [images ? `图片 ${images} 个` : '', files ? `文件 ${files} 个` : ''].filter(Boolean).join('、')
}

/** File names, escaped and shortened (user text): only where the worker lets officers see them. */
export function attachmentNameList(attachments: FilingDraftView['attachments'], shown = 10): string {
  const names = attachments.map((a) => a.name).filter((n): n is string => !!n)
  if (names.length === 0) return ''
  const list = names.slice(0, shown).map((n) => escapeMarkdown(truncate(n, 60)))
  return `（${list.join('、')}${names.length > list.length ? ` 等 ${names.length} 个` : ''}）`
}

/** Whether officers will see the file names of this draft: named filings, or anonymous ones that chose to. */
export function fileNamesShown(draft: Pick<FilingDraftView, 'anonymous' | 'showFileNames'>): boolean {
  return !draft.anonymous || draft.showFileNames === true
}

export function buildConfirmStepCard(draft: FilingDraftView, opts: { hint?: string } = {}): Card {
  const hasNames = draft.attachments.some((a) => !!a.name)
  const namesShown = fileNamesShown(draft) && hasNames
  const elements: CardElement[] = [
    md('**请确认您要提交的内容：**'),
    ...(draft.offline ? [md(`**登记：**${draft.offline.sourceLabel ?? ''} · ${draft.offline.workerName ? `为 ${escapeMarkdown(draft.offline.workerName)} 登记` : '不记名（职工未留姓名）'}`)] : []),
    md(`**类别：**${draft.category ?? ''}`),
    userText(draft.description ?? '', { label: '问题描述' }),
    ...(draft.cutChars ? [note(cutNotice(draft.cutChars))] : []),
    md(`**附件：**${describeAttachments(draft.attachments)}${namesShown ? attachmentNameList(draft.attachments, 20) : ''}`),
  ]
  if (namesShown) elements.push(md(`<font color='red'>${FILE_NAME_WARNING}。</font>`))
  else if (hasNames) elements.push(note('匿名诉求只向工会干部显示附件的数量，不显示文件名。'))
  elements.push(
    md(`**身份：**${draft.anonymous ? '匿名' : '实名'}`),
    note(draft.anonymous ? ANONYMITY_STATEMENTS.anonymous : ANONYMITY_STATEMENTS.named),
    hr(),
    md('回复「确认」提交，或「修改类别」「修改描述」「修改匿名」重新填写某一步，「取消」放弃。'),
  )
  const buttons = [
    answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.confirm, text: '确认提交', type: 'primary_filled' }),
    answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.editCategory }),
    answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.editDescription }),
    answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.editAnonymity, text: '修改匿名设置' }),
  ]
  if (draft.anonymous && hasNames) {
    buttons.push(
      draft.showFileNames
        ? answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.hideFileNames, text: '不显示文件名' })
        : answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.showFileNames, text: '向工会显示文件名' }),
    )
  }
  if (draft.attachments.length > 0) buttons.push(answerButton({ flow: FILING_FLOW, step: 'confirm', answer: CONFIRM_WORDS.removeAttachments, text: '删除全部附件', type: 'danger' }))
  buttons.push(cancelButton('confirm'))
  elements.push(buttonRow(buttons))
  if (draft.attachments.length > 0) elements.push(note('「删除附件」去掉已附上的全部附件（不会提交）；需要时可以在「修改描述」时重新发送。'))
  return stepCard('confirm', elements, opts.hint)
}

/**
 * 登记诉求's first step (an officer registers a case received offline, issue #13): how it came in. The steps after
 * it are the filing's own; the worker named (if any) is told the number when it is filed.
 */
export function buildSourceStepCard(opts: { hint?: string; workerName?: string } = {}): Card {
  const elements: CardElement[] = []
  if (opts.hint) elements.push(md(`<font color='red'>${opts.hint}</font>`))
  elements.push(
    md(opts.workerName ? `为 **${escapeMarkdown(opts.workerName)}** 登记一件线下收到的诉求，之后的步骤与职工自己提交相同。` : '登记一件线下收到、职工未留姓名的诉求（不记名，按匿名诉求处理；职工无法在飞书上查看）。'),
    md('**诉求是怎么收到的？**回复「当面」「电话」或「来信」，也可点按钮：'),
    buttonRow([
      answerButton({ flow: FILING_FLOW, step: 'source', answer: '当面', type: 'primary' }),
      answerButton({ flow: FILING_FLOW, step: 'source', answer: '电话' }),
      answerButton({ flow: FILING_FLOW, step: 'source', answer: '来信' }),
      answerButton({ flow: FILING_FLOW, step: 'source', answer: '取消', type: 'text' }),
    ]),
    note('内容严格保密。随时发送「取消」可退出，填写的内容不会保存。'),
  )
  return card({ title: '登记诉求 · 来源', template: opts.hint ? 'orange' : 'red', summary: '登记诉求：来源', elements })
}
