// Officer cards for notices: the publish form (re-shown with the reasons when a value is refused), the card that
// replaces it once published, the correction form, the withdrawal confirmation, and the read figures of
// 公开 阅读 (counts by department for the chat; who has not confirmed, privately).
import { escapeMarkdown, truncate } from '../escape.js'
import { button, buttonRow, card, dateTimePicker, fitCard, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'
import { NOTICE_CORRECT, NOTICE_CREATE, NOTICE_WITHDRAW } from '../../src/notices/actions.js'
import { FEISHU_READ_USERS_DAYS, NOTICE_CATEGORIES, NOTICE_LIMITS, type GroupReads, type NoticeView, type ReadFigures } from '../../src/notices/model.js'
import { formatDateTime } from '../../src/time.js'

/** Names of the form's fields, as they come back in form_value. */
export const NOTICE_FORM_FIELDS = {
  title: 'title',
  body: 'body',
  category: 'category',
  audience: 'audience',
  chats: 'chats',
  confirm: 'confirm_reading',
  opinions: 'opinions',
  until: 'opinions_until',
  note: 'change_note',
} as const

/** What the officer entered, to put back into the form when it is refused. */
export interface NoticeFormValues {
  title?: string
  body?: string
  category?: string
  audience?: 'here' | 'members'
  chats?: string
  confirm?: 'yes' | 'no'
  opinions?: 'yes' | 'no'
  until?: string
}

const CATEGORY_OPTIONS = NOTICE_CATEGORIES.map((c) => ({ text: c, value: c }))
const YES_NO = (yes: string, no: string) => [
  { text: no, value: 'no' },
  { text: yes, value: 'yes' },
]

function errorsBlock(errors: string[] | undefined, what: string): CardElement[] {
  // The reasons are the bot's own words.
  return errors?.length ? [md(`<font color='red'>**未能${what}，请修改后重新提交：**</font>\n${errors.map((e) => `- ${e}`).join('\n')}`)] : []
}

export function buildNoticeFormCard(opts: { chatId: string; inGroup: boolean; values?: NoticeFormValues; errors?: string[] }): Card {
  const v = opts.values ?? {}
  const f = NOTICE_FORM_FIELDS
  const fields: CardElement[] = [
    input({ name: f.title, label: '标题', placeholder: '如：2026 年第三季度职工福利费使用情况', maxLength: NOTICE_LIMITS.title, required: true, ...(v.title ? { defaultValue: v.title } : {}) }),
    input({ name: f.body, label: '正文（可用 **加粗**、- 列表）', placeholder: '公开的内容', maxLength: NOTICE_LIMITS.body, multiline: true, required: true, ...(v.body ? { defaultValue: v.body } : {}) }),
    md('**类别**'),
    selectStatic({ name: f.category, placeholder: '请选择类别', options: CATEGORY_OPTIONS, initial: v.category ?? '其他' }),
    md('**发布到**'),
    selectStatic({
      name: f.audience,
      placeholder: '请选择',
      options: [
        { text: opts.inGroup ? '本群（及下面填写的群）' : '下面填写的群', value: 'here' },
        { text: '全体会员（逐一私信）', value: 'members' },
      ],
      initial: v.audience ?? 'here',
    }),
    input({ name: f.chats, label: '其他群ID（选填，空格分隔）', placeholder: 'oc_xxx oc_yyy', maxLength: 2000, ...(v.chats ? { defaultValue: v.chats } : {}) }),
    md('**是否需要确认阅读**（需要时卡片上有「已阅」，3 个工作日后提醒未确认的会员一次）'),
    selectStatic({ name: f.confirm, placeholder: '请选择', options: YES_NO('需要确认阅读', '不需要'), initial: v.confirm ?? 'no' }),
    md('**是否征求意见**（职工可匿名提意见，意见只给工会委员会）'),
    selectStatic({ name: f.opinions, placeholder: '请选择', options: YES_NO('征求意见', '不征求'), initial: v.opinions ?? 'no' }),
    md('**意见截止时间**（征求意见时必选）'),
    dateTimePicker({ name: f.until, placeholder: '选择截止时间', ...(v.until ? { initialDatetime: v.until } : {}) }),
    button({ text: '发布公开', action: NOTICE_CREATE.name, value: NOTICE_CREATE.value({ chat: opts.chatId }), type: 'primary_filled', formAction: 'submit', name: 'submit', width: 'fill' }),
  ]
  return card({
    title: '发布厂务公开',
    template: 'blue',
    summary: '发布厂务公开',
    elements: [...errorsBlock(opts.errors, '发布'), form('notice_form', fields), note('发布后不能悄悄修改：更正会生成新版本并标出改动，撤回会在卡片上注明。')],
  })
}

/** Replaces the form once the notice exists. */
export function buildNoticePublishedCard(v: NoticeView, posted: { chats: number; members: number }, timeZone: string): Card {
  const where = [posted.chats ? `${posted.chats} 个群` : '', posted.members ? `${posted.members} 位会员（私信）` : ''].filter(Boolean).join('、')
  return card({
    title: `公开已发布 · ${v.number}`,
    template: 'green',
    summary: `公开已发布 ${v.number}`,
    elements: [
      md(`**${escapeMarkdown(truncate(v.title, 60))}**`),
      md(`**类别：**${escapeMarkdown(v.category)}\n**发布时间：**${formatDateTime(v.publishedAt, timeZone)}\n**发送到：**${where || '（正在发送）'}`),
      hr(),
      note(`阅读情况：「公开 阅读 ${v.number}」；更正：「公开 更正 ${v.number}」；撤回：「公开 撤回 ${v.number} 原因」。`),
    ],
  })
}

/** The correction form: the current version filled in, and what was changed (required). */
export function buildNoticeCorrectFormCard(v: NoticeView, opts: { values?: { title?: string; body?: string; category?: string; note?: string }; errors?: string[] } = {}): Card {
  const f = NOTICE_FORM_FIELDS
  const values = opts.values ?? {}
  const fields: CardElement[] = [
    input({ name: f.title, label: '标题', placeholder: '标题', maxLength: NOTICE_LIMITS.title, required: true, defaultValue: values.title ?? v.title }),
    input({ name: f.body, label: '正文', placeholder: '正文', maxLength: NOTICE_LIMITS.body, multiline: true, required: true, defaultValue: values.body ?? v.body }),
    md('**类别**'),
    selectStatic({ name: f.category, placeholder: '请选择类别', options: CATEGORY_OPTIONS, initial: values.category ?? v.category }),
    input({ name: f.note, label: '更正说明（必填，会显示在卡片上）', placeholder: '如：第二条的金额有误，已更正', maxLength: NOTICE_LIMITS.note, required: true, ...(values.note ? { defaultValue: values.note } : {}) }),
    button({ text: '发布更正', action: NOTICE_CORRECT.name, value: NOTICE_CORRECT.value({ id: v.id, rev: v.revision }), type: 'primary_filled', formAction: 'submit', name: 'submit', width: 'fill' }),
  ]
  return card({
    title: `更正公开 · ${v.number}`,
    template: 'orange',
    summary: `更正公开 ${v.number}`,
    elements: [
      ...errorsBlock(opts.errors, '更正'),
      md(`现在是第 ${v.revision} 版。更正后生成第 ${v.revision + 1} 版，所有已发出的卡片会标明「已更正」并列出改动。`),
      form('notice_correct_form', fields),
    ],
  })
}

/** Asked before withdrawing; once done, says when. */
export function buildNoticeWithdrawConfirmCard(v: NoticeView, reason: string, timeZone: string, done?: { at: Date }): Card {
  const elements: CardElement[] = [md(`**${escapeMarkdown(truncate(v.title, 60))}**`)]
  if (reason) elements.push(userText(reason, { label: '撤回原因', max: NOTICE_LIMITS.note }))
  if (done) {
    elements.push(md(`<font color='red'>**已于 ${formatDateTime(done.at, timeZone)} 撤回**</font>，所有已发出的卡片都注明了「已撤回」。`))
  } else {
    elements.push(md('撤回后，已发出的卡片会注明「已撤回」（不会悄悄删除），不能再确认阅读或提意见。此操作不能撤销。'))
    elements.push(
      buttonRow([
        button({
          text: '确认撤回',
          action: NOTICE_WITHDRAW.name,
          value: NOTICE_WITHDRAW.value({ id: v.id, ...(reason ? { reason: Buffer.from(reason, 'utf8').toString('base64url') } : {}) }),
          type: 'danger_filled',
          confirm: { title: `撤回 ${v.number}`, text: '确定撤回这项公开吗？' },
        }),
      ]),
    )
  }
  return card({ title: `撤回公开 · ${v.number}`, template: done ? 'grey' : 'red', summary: `撤回公开 ${v.number}`, elements })
}

function groupReadsNote(reads: GroupReads): string | undefined {
  if (reads.state === 'none') return undefined
  if (reads.state === 'expired') return `群消息的已读数据已不再提供（飞书只能查询发送后 ${FEISHU_READ_USERS_DAYS} 天内的消息），以下只统计「已阅」。`
  if (reads.state === 'partial') return `部分群的已读数据没有取到（发送超过 ${FEISHU_READ_USERS_DAYS} 天，或机器人已不在群内）。`
  return `「群里已读」是飞书记录的打开过群卡片、但没有点「已阅」的人（发送后 ${FEISHU_READ_USERS_DAYS} 天内可查）。`
}

/** 公开 阅读 N-012: confirmed counts by department, merged with who read the group cards (no names: it may be a group). */
export function buildReadFiguresCard(v: Pick<NoticeView, 'number' | 'title' | 'confirmReading' | 'readCount'>, figures: ReadFigures[], reads: GroupReads): Card {
  const expected = figures.reduce((s, f) => s + f.expected, 0)
  const confirmedOfExpected = figures.reduce((s, f) => s + (f.expected > 0 ? f.confirmed : 0), 0)
  const groupReadOfExpected = figures.reduce((s, f) => s + f.groupRead, 0)
  const readsNote = groupReadsNote(reads)
  return fitCard([figures.length, 30, 10], (n) => {
    const lines = figures.slice(0, n).map((f) => `${escapeMarkdown(truncate(f.department, 30))}：${f.expected > 0 ? `${f.confirmed} / ${f.expected}` : `${f.confirmed}`}${f.groupRead > 0 ? `（另 ${f.groupRead} 人群里已读）` : ''}`)
    const elements: CardElement[] = [md(`**${escapeMarkdown(truncate(v.title, 60))}**`)]
    const done = () => card({ title: `阅读情况 · ${v.number}`, template: 'blue', summary: `阅读情况 ${v.number}`, elements })
    if (!v.confirmReading) {
      elements.push(md('这项公开没有要求确认阅读。'))
      if (reads.state === 'ok' || reads.state === 'partial') elements.push(md(`**群里已读：${reads.readers.size} 人**`))
      if (readsNote && reads.state !== 'ok') elements.push(note(readsNote))
      return done()
    }
    if (expected === 0) {
      // Nobody was on the roll at publication: there is no list to count against (QA F4).
      elements.push(md(`**发布时没有登记在册的会员**，无法按名单统计阅读情况。${v.readCount > 0 ? `共有 ${v.readCount} 人点了「已阅」。` : '还没有人点「已阅」。'}${reads.state === 'ok' || reads.state === 'partial' ? `群里已读 ${reads.readers.size} 人。` : ''}`))
      elements.push(note('发送「会员 导入」登记会员后，新发布的公开会按部门统计。'))
      if (readsNote && reads.state !== 'ok') elements.push(note(readsNote))
      return done()
    }
    const extra = v.readCount > confirmedOfExpected ? `，另有 ${v.readCount - confirmedOfExpected} 人确认` : ''
    elements.push(md(`**已确认阅读：${confirmedOfExpected} / ${expected}**（发布时的会员）${extra}${groupReadOfExpected > 0 ? `\n**群里已读未确认：${groupReadOfExpected} 人**` : ''}`))
    elements.push(md(lines.join('\n') || '暂无数据'))
    if (n < figures.length) elements.push(note(`只显示前 ${n} 个部门。`))
    if (readsNote) elements.push(note(readsNote))
    elements.push(note('未确认的名单已私信发给您。'))
    return done()
  })
}

/** Who has not confirmed reading (marked when Feishu says they read a group card): sent to the officer privately only. */
export function buildUnconfirmedCard(v: Pick<NoticeView, 'number'>, people: Array<{ name: string; department: string | null; groupRead?: boolean }>, expected: number): Card {
  return fitCard([people.length, 200, 50], (n) => {
    const lines = people.slice(0, n).map((p) => `${escapeMarkdown(truncate(p.name, 20))}${p.department ? `（${escapeMarkdown(truncate(p.department, 20))}）` : ''}${p.groupRead ? '·群里已读' : ''}`)
    const none = expected === 0 ? '发布时没有登记在册的会员，没有需要确认阅读的名单。' : `发布时的 ${expected} 位会员都已确认阅读。`
    const elements: CardElement[] = [md(people.length ? `**未确认阅读：${people.length} 人**\n${lines.join('、')}` : none)]
    if (n < people.length) elements.push(note(`只列出前 ${n} 人。`))
    return card({ title: `未确认阅读 · ${v.number}`, template: 'orange', summary: `未确认阅读 ${v.number}`, forwardable: false, elements })
  })
}
