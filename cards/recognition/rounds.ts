// Cards of an award round (评先评优): the chair's form, the announcement, the committee's review card, the 公示 card
// with 提出异议, the publicity card per awardee and the archive. Pure builders; names, stories and the round's name
// are user text, escaped (cards/escape.ts).
import { FIELDS, NOMINATION_DECIDE, ROUND_CLOSE, ROUND_CREATE, ROUND_FINALISE, ROUND_PUBLICISE } from '../../src/recognition/actions.js'
import { SAY } from '../../src/kit/say.js'
import {
  COSIGNERS_MAX,
  NOMINATION_STATUS_LABEL,
  NOMINATORS,
  NOMINATORS_LABEL,
  PLACES_MAX,
  ROUND_NAME_MAX,
  ROUND_STATUS_LABEL,
  STORY_THEMES,
  whoMayNominate,
  type ArchiveEntry,
  type NominationView,
  type Nominators,
  type ReviewView,
  type RoundView,
} from '../../src/recognition/model.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { button, buttonRow, card, datePicker, field, fitCard, form, halving, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'

export interface RoundFormValues {
  name?: string
  places?: string
  nominators?: Nominators
  cosigners?: string
  deadline?: string
}

/** `评选 发起 <名称>`: the chair's form (places, who may nominate, co-signers, deadline); re-shown with reasons. */
export function buildRoundFormCard(v: { chatId: string; values: RoundFormValues; errors?: string[] }): Card {
  const f = FIELDS
  const fields: CardElement[] = [
    input({ name: f.name, label: '评选名称', placeholder: '如：2026 年度先进工作者', maxLength: ROUND_NAME_MAX, required: true, ...(v.values.name ? { defaultValue: v.values.name } : {}) }),
    input({ name: f.places, label: `名额（1–${PLACES_MAX}）`, placeholder: '如：5', maxLength: 3, required: true, ...(v.values.places ? { defaultValue: v.values.places } : {}) }),
    md('**谁可以提名**'),
    selectStatic({ name: f.nominators, placeholder: '请选择', options: NOMINATORS.map((n) => ({ text: NOMINATORS_LABEL[n], value: n })), initial: v.values.nominators ?? 'members' }),
    input({ name: f.cosigners, label: `会员联名人数（选「会员联名」时有效，0–${COSIGNERS_MAX}）`, placeholder: '如：3', maxLength: 2, ...(v.values.cosigners !== undefined ? { defaultValue: v.values.cosigners } : {}) }),
    md('**提名截止日期**（当天 24 点前）'),
    datePicker({ name: f.deadline, placeholder: '选择截止日期', required: true, ...(v.values.deadline ? { initialDate: v.values.deadline } : {}) }),
    button({ text: '发起评选', action: ROUND_CREATE.name, value: ROUND_CREATE.value({ chat: v.chatId }), type: 'primary_filled', formAction: 'submit', name: 'round_submit', width: 'fill' }),
  ]
  const elements: CardElement[] = []
  if (v.errors?.length) elements.push(md(`<font color='red'>**未能发起，请修改后重新提交：**</font>\n${v.errors.map((e) => `- ${escapeMarkdown(e)}`).join('\n')}`))
  elements.push(form('round_form', fields))
  elements.push(note('发起后，评选通知会发到本会话（在群里发起则发到本群），评审卡片发到工会委员会群。'))
  return card({ title: '发起评选', template: 'turquoise', summary: '发起评选', elements })
}

const roundLines = (r: RoundView): CardElement[] => [
  field('名额', `${r.places} 名`),
  field('提名人', whoMayNominate(r)),
  field('提名截止', `${r.deadline}（当天 24 点前）`),
]

/** The announcement: what the round is and how to nominate. */
export function buildRoundCard(v: { round: RoundView; nominated: number }): Card {
  const r = v.round
  const elements: CardElement[] = [...roundLines(r), field('状态', ROUND_STATUS_LABEL[r.status]), field('已提名', `${v.nominated} 人`)]
  if (r.status === 'nominating') {
    elements.push(md(`**如何提名：**私聊我发送「提名 ${r.number} @被提名人」（或写姓名），再按提示写下他/她的先进事迹（${STORY_THEMES.join('、')}……），可附一张照片。`))
  }
  return card({ title: `评先评优 · ${r.name}`, subtitle: r.number, template: 'orange', summary: `评先评优 ${r.number}`, elements })
}

/** The committee's review card: nominations with 当选 / 不当选, and the round's next step. */
export function buildReviewCard(v: ReviewView): Card {
  const r = v.round
  const deciding = r.status === 'reviewing'
  return fitCard(halving(Math.max(1, v.nominations.length)), (max) => {
    const elements: CardElement[] = [...roundLines(r), field('状态', ROUND_STATUS_LABEL[r.status])]
    if (r.status === 'publicity' && r.publicityUntil) elements.push(field('公示截止', formatDateTime(r.publicityUntil, v.timeZone)))
    if (r.status === 'publicity' || r.status === 'final') elements.push(field('异议', `${v.objections.total} 条，待答复 ${v.objections.unanswered} 条`))
    elements.push(hr())
    const shown = v.nominations.slice(0, max)
    if (shown.length === 0) elements.push(md('尚无提名。'))
    const storyMax = Math.max(40, Math.floor(6000 / Math.max(1, shown.length)))
    for (const [i, n] of shown.entries()) {
      const who = `${escapeMarkdown(n.nomineeName)}${n.department ? `（${escapeMarkdown(n.department)}）` : ''}`
      const status = n.status === 'cosigning' ? `联名中 ${n.cosigned}/${r.cosigners}` : NOMINATION_STATUS_LABEL[n.status]
      elements.push(md(`**${i + 1}. ${who}** · ${status}${n.hasPhoto ? ' · 附照片' : ''}\n${escapeMarkdown(truncate(n.story, storyMax))}`))
      // The bot's re-upload of the nominator's photo (src/kit/evidence.ts), small so the list stays short.
      if (n.photoKey) elements.push({ tag: 'img', img_key: n.photoKey, alt: { tag: 'plain_text', content: '照片' }, scale_type: 'crop_center', size: 'medium' })
      if (deciding && ['nominated', 'selected', 'not_selected'].includes(n.status)) {
        const decide = (pick: 'select' | 'drop', text: string, on: boolean) =>
          button({ text, action: NOMINATION_DECIDE.name, value: NOMINATION_DECIDE.value({ rid: r.id, rev: r.revision, nid: n.id, pick }), type: on ? 'primary_filled' : 'default' })
        elements.push(buttonRow([decide('select', '当选', n.status === 'selected'), decide('drop', '不当选', n.status === 'not_selected')]))
      }
    }
    if (v.nominations.length > shown.length) elements.push(note(`另有 ${v.nominations.length - shown.length} 条提名未显示。`))
    elements.push(hr())
    const onRound = { rid: r.id, rev: r.revision }
    if (r.status === 'nominating') elements.push(buttonRow([button({ text: '截止提名，开始评审', action: ROUND_CLOSE.name, value: ROUND_CLOSE.value(onRound), type: 'primary', confirm: { title: '截止提名', text: '截止后不再接受提名。确定吗？' } })]))
    if (r.status === 'reviewing') {
      const selected = v.nominations.filter((n) => n.status === 'selected').length
      elements.push(note(`已选 ${selected} / ${r.places} 名。选定后点「开始公示」，名单将发到公示群。`))
      elements.push(buttonRow([button({ text: '开始公示', action: ROUND_PUBLICISE.name, value: ROUND_PUBLICISE.value(onRound), type: 'primary_filled', confirm: { title: '开始公示', text: '公示开始后不能再改名单（异议成立的除外）。确定吗？' } })]))
    }
    if (r.status === 'publicity') {
      elements.push(note('异议只发给工会主席，每条都须答复；公示期满且异议全部答复后，由主席确认结果。'))
      elements.push(buttonRow([button({ text: '确认评选结果', action: ROUND_FINALISE.name, value: ROUND_FINALISE.value(onRound), type: 'primary_filled' })]))
    }
    return card({ title: `评选评审 ${r.number}`, subtitle: truncate(r.name, ROUND_NAME_MAX), template: r.status === 'final' ? 'green' : 'orange', summary: `评选评审 ${r.number}`, elements })
  })
}

/** The 公示 card for the chosen chats: the selected list, the period, and 提出异议 (private, may be anonymous). */
export function buildPublicityCard(v: { round: RoundView; awardees: NominationView[]; until: Date; timeZone: string }): Card {
  return fitCard(halving(Math.max(1, v.awardees.length)), (max) => {
    const shown = v.awardees.slice(0, max)
    const lines = shown.map((a, i) => `${i + 1}. ${escapeMarkdown(a.nomineeName)}${a.department ? `（${escapeMarkdown(a.department)}）` : ''}`)
    if (v.awardees.length > shown.length) lines.push(`……共 ${v.awardees.length} 人`)
    const elements: CardElement[] = [
      md(`经推荐和工会委员会评审，以下同志拟评为「${escapeMarkdown(v.round.name)}」，现予公示：`),
      md(lines.join('\n') || '（无）'),
      field('公示截止', formatDateTime(v.until, v.timeZone)),
      md('如有异议，请点「提出异议」，在私聊中说明事实。**可以匿名**；异议只发给工会主席，每条都会答复。'),
      buttonRow([button({ text: '提出异议', action: SAY.name, value: SAY.value({ text: '提出异议' }), type: 'primary' })]),
    ]
    return card({ title: `评选公示 · ${v.round.name}`, subtitle: v.round.number, template: 'orange', summary: `评选公示 ${v.round.number}`, elements })
  })
}

/** After 公示: one card per awardee (name, department, story, photo). */
export function buildAwardeeCard(v: { roundName: string; roundNumber: string; awardee: NominationView }): Card {
  const a = v.awardee
  const elements: CardElement[] = []
  // The bot's re-upload of the nominator's photo (src/kit/evidence.ts); Feishu draws it from the key, no user text.
  if (a.photoKey) elements.push({ tag: 'img', img_key: a.photoKey, alt: { tag: 'plain_text', content: '照片' }, scale_type: 'fit_horizontal' })
  elements.push(field('姓名', a.nomineeName))
  if (a.department) elements.push(field('部门', a.department))
  elements.push(userText(a.story, { label: '先进事迹', max: 2000 }))
  return card({ title: `先进典型 · ${a.nomineeName}`, subtitle: `${v.roundName} ${v.roundNumber}`, template: 'red', summary: '先进典型', elements })
}

/** `先进 [年份]`: the awardees of rounds finalised that year. */
export function buildArchiveCard(v: { year: number; entries: ArchiveEntry[] }): Card {
  return fitCard(halving(Math.max(1, v.entries.length)), (max) => {
    const elements: CardElement[] = []
    if (v.entries.length === 0) elements.push(md(`${v.year} 年还没有确定的评选结果。`))
    let round = ''
    const shown = v.entries.slice(0, max)
    const storyMax = Math.max(30, Math.floor(2000 / Math.max(1, shown.length)))
    for (const e of shown) {
      if (e.roundNumber !== round) {
        round = e.roundNumber
        elements.push(md(`**${escapeMarkdown(e.roundName)}**（${e.roundNumber}）`))
      }
      elements.push(md(`- ${escapeMarkdown(e.nomineeName)}${e.department ? `（${escapeMarkdown(e.department)}）` : ''}：${escapeMarkdown(truncate(e.story, storyMax))}`))
    }
    if (v.entries.length > shown.length) elements.push(note(`另有 ${v.entries.length - shown.length} 人未显示。`))
    return card({ title: `${v.year} 年先进典型`, template: 'red', summary: `${v.year} 年先进典型`, elements })
  })
}
