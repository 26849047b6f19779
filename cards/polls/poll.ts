// The poll's cards: the 发起投票 form (re-shown with the reasons when refused), the card that replaces it, the
// live vote card (question, options, closing time, how many voted; results only when they may be shown), the
// results, and the committee's copy of the free-text answers (anonymous ones without names). Every piece of text
// an officer or worker typed is escaped (cards/escape.ts); the plain_text header carries bot words and the number.
import { escapeMarkdown, truncate } from '../escape.js'
import { barChart, button, fitCard, halving, buttonRow, card, checker, dateTimePicker, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement, type HeaderTemplate } from '../kit.js'
import { FREE_ANSWER_FIELD, POLL_CREATE, POLL_OPEN, POLL_VOTE, optionField } from '../../src/polls/actions.js'
import { AUDIENCE_LABEL, POLL_LIMITS, audienceText, percentText, type Poll, type PollResults, type Share } from '../../src/polls/model.js'
import { turnoutNeeded, votesToWin, type ElectionView } from '../../src/congress/elections.js'
import { formatDateTime } from '../../src/time.js'

export const POLL_FORM_FIELDS = {
  title: 'title',
  options: 'options',
  mode: 'mode',
  secrecy: 'secrecy',
  audience: 'audience',
  audienceValue: 'audience_value',
  closesAt: 'closes_at',
  results: 'results',
  freeQuestion: 'free_question',
} as const

export interface PollFormValues {
  title?: string
  options?: string
  mode?: 'single' | 'multiple'
  secrecy?: 'anonymous' | 'named'
  audience?: string
  audienceValue?: string
  closesAt?: string
  results?: 'after' | 'live'
  freeQuestion?: string
}

export function buildPollFormCard(opts: { chatId: string; values?: PollFormValues; errors?: string[] }): Card {
  const v = opts.values ?? {}
  const f = POLL_FORM_FIELDS
  const fields: CardElement[] = [
    input({ name: f.title, label: '投票主题', placeholder: '如：职工食堂午餐供应时间调整', maxLength: POLL_LIMITS.title, required: true, ...(v.title ? { defaultValue: v.title } : {}) }),
    input({ name: f.options, label: `选项（每行一个，${POLL_LIMITS.minOptions}–${POLL_LIMITS.maxOptions} 个）`, placeholder: '11:30 开饭\n12:00 开饭', multiline: true, maxLength: POLL_LIMITS.maxOptions * (POLL_LIMITS.option + 1), required: true, ...(v.options ? { defaultValue: v.options } : {}) }),
    md('**单选或多选**'),
    selectStatic({ name: f.mode, placeholder: '请选择', options: [{ text: '单选', value: 'single' }, { text: '多选', value: 'multiple' }], initial: v.mode ?? 'single' }),
    md('**匿名或实名**（匿名即无记名投票：谁投了什么无从查起，投出后不能更改）'),
    selectStatic({ name: f.secrecy, placeholder: '请选择', options: [{ text: '匿名（无记名）', value: 'anonymous' }, { text: '实名（截止前可改票）', value: 'named' }], initial: v.secrecy ?? 'anonymous' }),
    md('**谁可以投票**'),
    selectStatic({
      name: f.audience,
      placeholder: '请选择',
      options: (['all', 'members', 'representatives', 'department', 'constituency'] as const).map((a) => ({ text: a === 'department' ? '某个部门（下面填写部门名称）' : a === 'constituency' ? '某个选区（下面填写选区名称）' : AUDIENCE_LABEL[a], value: a })),
      initial: v.audience ?? 'all',
    }),
    input({ name: f.audienceValue, label: '部门或选区名称（选“部门”“选区”时填写）', placeholder: '如：生产部 / 第一选区', maxLength: POLL_LIMITS.audienceValue, ...(v.audienceValue ? { defaultValue: v.audienceValue } : {}) }),
    md('**截止时间**'),
    dateTimePicker({ name: f.closesAt, placeholder: '选择截止时间', required: true, ...(v.closesAt ? { initialDatetime: v.closesAt } : {}) }),
    md('**结果公布**（匿名投票只在结束后公布）'),
    selectStatic({ name: f.results, placeholder: '请选择', options: [{ text: '结束后公布（推荐）', value: 'after' }, { text: '投票中实时显示（仅实名投票）', value: 'live' }], initial: v.results ?? 'after' }),
    input({ name: f.freeQuestion, label: '附加问答（选填，大家可写几句意见，结束后交工会委员会）', placeholder: '如：您对午餐还有什么建议？', maxLength: POLL_LIMITS.freeQuestion, ...(v.freeQuestion ? { defaultValue: v.freeQuestion } : {}) }),
    button({ text: '发起投票', action: POLL_CREATE.name, value: POLL_CREATE.value({ chat: opts.chatId }), type: 'primary_filled', formAction: 'submit', name: 'submit', width: 'fill' }),
  ]
  const elements: CardElement[] = []
  if (opts.errors?.length) elements.push(md(`<font color='red'>**未能发起，请修改后重新提交：**</font>\n${opts.errors.map((e) => `- ${e}`).join('\n')}`))
  elements.push(form('poll_form', fields))
  elements.push(note('发起后，投票卡片会发到本群（或本会话）；发送「投票 V-001」可在其他群再发一张。'))
  return card({ title: '发起投票', template: 'turquoise', summary: '发起投票', elements })
}

export function buildPollCreatedCard(p: Poll, timeZone: string): Card {
  return card({
    title: `投票已发起 · ${p.number}`,
    template: 'green',
    summary: `投票已发起 ${p.number}`,
    elements: [
      md(`**${escapeMarkdown(truncate(p.title, 100))}**`),
      md(`**方式：**${p.anonymous ? '匿名（无记名）' : '实名'}，${p.multiple ? '多选' : '单选'}\n**参加：**${escapeMarkdown(audienceText(p))}\n**截止：**${p.closesAt ? formatDateTime(p.closesAt, timeZone) : '由主持人结束'}`),
      hr(),
      note(`在其他群发送「投票 ${p.number}」可再发一张投票卡片；提前结束：「结束投票 ${p.number}」。${p.anonymous ? '' : `实名名单：「投票名单 ${p.number}」。`}`),
    ],
  })
}

/** What the vote card needs besides the poll: the results when they may be shown, and a congress item's rule. */
export interface PollCardView {
  poll: Poll
  /** Present when the card may show figures: closed, or live results of a named poll. */
  results?: PollResults
  /** A congress item: all the term's representatives (应到), the pass share, and the outcome once closed. */
  congress?: { expected: number; passShare: Share; passNeeded: number; quorumMet: boolean; passed?: boolean }
  /** An election of representatives in a constituency (上海市职工代表大会条例第十五条). */
  election?: ElectionView
}

function shareWord(s: Share): string {
  if (s.num === 2 && s.den === 3) return '三分之二'
  if (s.num === 1 && s.den === 2) return '半数'
  return `${s.num}/${s.den}`
}

function electionRule(e: ElectionView): CardElement {
  const valid = turnoutNeeded(e.eligible, e.turnout)
  const win = votesToWin(e.eligible, e.winShare)
  return md(
    `**选区：**${escapeMarkdown(truncate(e.constituency, 30))}${e.term ? `（${escapeMarkdown(truncate(e.term, 20))}）` : ''}　**应选：**${e.seats} 名\n` +
      `**规则：**选区职工 ${e.eligible} 人，须有${shareWord(e.turnout)}以上（至少 **${valid} 人**）参加选举方为有效；候选人须获得超过全体选区职工${shareWord(e.winShare)}的选票（至少 **${win} 票**）方可当选，按全体选区职工计算，不按投票人数（上海市职工代表大会条例第十五条）。`,
  )
}

function electionResult(e: ElectionView, p: Poll): CardElement[] {
  const o = e.outcome
  if (!o) return []
  if (!o.valid) return [md(`<font color='red'>**选举无效：**参加 ${p.votedCount} 人，未达到选区职工的${shareWord(e.turnout)}（至少 ${turnoutNeeded(e.eligible, e.turnout)} 人），须重新选举。</font>`)]
  const names = (list: number[]) => list.map((i) => escapeMarkdown(truncate(p.options[i] ?? '', 20))).join('、')
  const out = [md(o.elected.length ? `<font color='green'>**当选：**${names(o.elected)}</font>（任${escapeMarkdown(truncate(e.term ?? '本届', 20))}职工代表）` : `**无人当选**：没有候选人获得超过全体选区职工${shareWord(e.winShare)}的选票（至少 ${votesToWin(e.eligible, e.winShare)} 票）。`)]
  if (o.tied.length) out.push(md(`<font color='orange'>${names(o.tied)} 得票相同、争最后名额，均未当选，须另行选举。</font>`))
  return out
}

const STATUS_LOOK: Record<'draft' | 'open' | 'closed', { tag: string; color: string; template: HeaderTemplate }> = {
  draft: { tag: '待表决', color: 'orange', template: 'orange' },
  open: { tag: '投票中', color: 'green', template: 'turquoise' },
  closed: { tag: '已结束', color: 'neutral', template: 'grey' },
}

/** Chart axis labels are the options (QA F14), short enough for a phone; numbered when two would read the same. */
function chartLabels(options: readonly string[]): string[] {
  const short = options.map((o) => truncate(o, CHART_LABEL_MAX))
  return new Set(short).size === short.length ? short : short.map((o, i) => `${i + 1}.${o}`)
}
const CHART_LABEL_MAX = 8

/** 参与 voted / eligible (QA F5); 全体职工 has no list: then against the members on the roll, when there are any. */
function participationText(r: PollResults): string {
  if (r.eligible === undefined || r.eligible === 0) return `共 ${r.ballots} 人投票`
  const share = percentText(Math.round((r.ballots * 1000) / r.eligible))
  if (r.eligibleBasis === 'roster') return r.ballots > r.eligible ? `共 ${r.ballots} 人投票（登记会员 ${r.eligible} 人）` : `参与 ${r.ballots}/${r.eligible} 人（${share}，按登记的会员人数计）`
  return `参与 ${r.ballots}/${r.eligible} 人（${share}）`
}

function resultsBlock(r: PollResults, p: Poll): CardElement[] {
  const participation = participationText(r)
  if (r.tooFew) return [md(`**${participation}**`), md('投票人数过少，为保护投票秘密，不公布结果。')]
  const lines = r.options.map((o, i) => `${i + 1}. ${escapeMarkdown(truncate(o.option, POLL_LIMITS.option))} — **${o.votes} 票**（${percentText(o.permille)}）`)
  const out: CardElement[] = [md(`**${participation}**${p.multiple ? '（多选，各项占比之和可超过 100%）' : ''}`), md(lines.join('\n'))]
  if (r.ballots > 0) out.push(barChart(chartLabels(r.options.map((o) => o.option)).map((label, i) => ({ label, value: r.options[i]!.votes }))))
  return out
}

/** The closing time; once closed, when it actually closed (an early close says so, QA F5). */
function closingLine(p: Poll, timeZone: string): string {
  if (p.status === 'closed' && p.closedAt) {
    const early = p.closesAt !== undefined && p.closedAt < p.closesAt
    return `**结束：**${formatDateTime(p.closedAt, timeZone)}${early ? `（提前结束，原定 ${formatDateTime(p.closesAt!, timeZone)}）` : ''}`
  }
  return p.closesAt ? `**截止：**${formatDateTime(p.closesAt, timeZone)}` : '**截止：**由主持人宣布结束'
}

export function buildPollCard(v: PollCardView, timeZone: string): Card {
  const p = v.poll
  const look = STATUS_LOOK[p.status]
  const elements: CardElement[] = [md(`**${escapeMarkdown(truncate(p.title, POLL_LIMITS.title))}**`, { size: 'heading' })]
  const facts = [
    `**方式：**${p.anonymous ? '匿名（无记名）' : '实名'}，${p.multiple ? '多选' : '单选'}`,
    `**参加：**${escapeMarkdown(audienceText(p))}`,
    closingLine(p, timeZone),
  ]
  elements.push(md(facts.join('\n')))
  if (v.congress) {
    const c = v.congress
    elements.push(md(`**表决规则：**赞成票超过本届全体职工代表（${c.expected} 人）的半数即通过，即至少 **${c.passNeeded} 票**赞成；按全体代表计算，不按到会人数。`))
  }
  if (v.election) elements.push(electionRule(v.election))
  if (p.status !== 'closed' && !v.results) {
    elements.push(md(p.options.map((o, i) => `${i + 1}. ${escapeMarkdown(truncate(o, POLL_LIMITS.option))}`).join('\n')))
  }
  // Once the figures show, their participation line says how many voted (QA F5: not twice).
  if (p.status !== 'draft' && !v.results) elements.push(md(`**已投票：${p.votedCount} 人**`))
  if (v.results) elements.push(...resultsBlock(v.results, p))
  if (p.status === 'closed' && v.congress?.passed !== undefined) {
    elements.push(md(v.congress.passed ? "<font color='green'>**表决结果：通过**</font>" : "<font color='red'>**表决结果：未通过**</font>"))
  }
  if (p.status === 'closed' && v.election) elements.push(...electionResult(v.election, p))
  if (p.status === 'draft') {
    elements.push(md(v.congress?.quorumMet ? '到会人数已达法定人数，主持人可以开始表决。' : "<font color='orange'>到会人数尚未达到三分之二，暂不能表决。</font>"))
    elements.push(buttonRow([button({ text: '开始表决', action: POLL_OPEN.name, value: POLL_OPEN.value({ id: p.id }), type: 'primary_filled' })]))
  }
  if (p.status === 'open') elements.push(...voteControls(p))
  if (p.status === 'closed') elements.push(md("<font color='grey'>投票已结束，感谢参与！</font>"))
  elements.push(hr())
  const how = p.anonymous ? '无记名投票：只记录谁投过票，不记录谁投了什么；投出后不能更改。' : '实名投票：截止前可以改投。'
  elements.push(note(`投票编号 ${p.number} · ${how}`))
  const kind = p.kind === 'congress' ? '职代会表决' : p.kind === 'election' ? '代表选举' : '投票'
  return card({ title: `${kind} · ${p.number}`, template: look.template, summary: `${kind} ${p.number}`, tags: [{ text: look.tag, color: look.color }], elements })
}

function voteControls(p: Poll): CardElement[] {
  const freeField = p.freeQuestion
    ? [md(`**${escapeMarkdown(truncate(p.freeQuestion, POLL_LIMITS.freeQuestion))}**（选填）`), input({ name: FREE_ANSWER_FIELD, placeholder: '写几句您的意见（选填）', maxLength: POLL_LIMITS.freeAnswer, multiline: true })]
    : []
  if (p.multiple) {
    return [
      form('vote_form', [
        ...p.options.map((o, i) => checker({ name: optionField(i), text: truncate(o, POLL_LIMITS.option) })),
        ...freeField,
        button({ text: '提交', action: POLL_VOTE.name, value: POLL_VOTE.value({ id: p.id, option: -1 }), type: 'primary_filled', formAction: 'submit', name: 'vote_submit' }),
      ]),
    ]
  }
  const buttons = p.options.map((o, i) =>
    button({
      text: truncate(o, POLL_LIMITS.option),
      action: POLL_VOTE.name,
      value: POLL_VOTE.value({ id: p.id, option: i }),
      type: 'primary',
      ...(freeField.length ? { formAction: 'submit' as const, name: `vote_${i}` } : {}),
      ...(p.anonymous ? { confirm: { title: '确认投票', text: `确定投「${truncate(o, 20)}」吗？无记名投票投出后不能更改。` } } : {}),
    }),
  )
  if (freeField.length) return [form('vote_form', [...freeField, ...buttons])]
  return [buttonRow(buttons)]
}

export function buildPollReplacedCard(p: Pick<Poll, 'number'>): Card {
  return card({
    title: `投票 · ${p.number}`,
    template: 'grey',
    summary: `投票 ${p.number}`,
    tags: [{ text: '已更新', color: 'neutral' }],
    elements: [md('此卡片已更新，请查看最新卡片。'), note(`也可发送「投票 ${p.number}」再次获取投票卡片。`)],
  })
}

/** The committee's copy at closing: the figures (or the too-few note) and the free-text answers. */
export function buildPollClosingCard(v: { poll: Poll; results: PollResults; answers: Array<{ name?: string; text: string }> }, timeZone: string): Card {
  const p = v.poll
  const elements: CardElement[] = [md(`**${escapeMarkdown(truncate(p.title, POLL_LIMITS.title))}**`), md(`**结束时间：**${p.closedAt ? formatDateTime(p.closedAt, timeZone) : ''}`), ...resultsBlock(v.results, p)]
  if (p.freeQuestion) {
    elements.push(hr())
    elements.push(md(`**附加问答：**${escapeMarkdown(truncate(p.freeQuestion, POLL_LIMITS.freeQuestion))}`))
    if (v.answers.length === 0) elements.push(md('没有人填写。'))
  }
  // As many answers as fit under Feishu's 30 KB (docs/feishu-platform.md#card-limits); the card says how many are left out.
  return fitCard(halving(Math.min(v.answers.length, 50)), (n) => {
    const all = [...elements]
    if (p.freeQuestion) {
      for (const a of v.answers.slice(0, n)) all.push(userText(a.text, { ...(a.name !== undefined ? { label: escapeMarkdown(truncate(a.name, 40)) } : {}), max: POLL_LIMITS.freeAnswer }))
      if (v.answers.length > n) all.push(note(`另有 ${v.answers.length - n} 条未显示${p.anonymous ? '' : '，见「投票名单」文件'}。`))
      if (p.anonymous) all.push(note('匿名投票：意见不带姓名，顺序已随机打乱。'))
    }
    return card({ title: `投票结果 · ${p.number}`, template: 'blue', summary: `投票结果 ${p.number}`, elements: all })
  })
}
