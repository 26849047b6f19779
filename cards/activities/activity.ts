// The shared sign-up card of an activity (posted to groups, patched as places fill) and the private notices
// around it (reminder, promotion from the waitlist, cancellation). Titles, places, descriptions and reasons are
// typed by officers: they appear only escaped, never in the plain_text header (bot words only there).
import { escapeMarkdown, truncate } from '../escape.js'
import { button, buttonRow, card, form, hr, input, md, note, userText, type Card, type CardElement, type HeaderTemplate } from '../kit.js'
import { formatDateTime, localParts } from '../../src/time.js'
import { CANCEL, CHECK_IN, CREATE, LEAVE, SIGN_UP } from '../../src/activities/actions.js'
import type { ActivityDetails } from '../../src/activities/model.js'

export type ActivityCardPhase = 'signup' | 'closed' | 'checkin' | 'ended' | 'cancelled'

/** What a sign-up card shows; plain data, so the builder stays pure. */
export interface ActivityView extends ActivityDetails {
  id: string
  number: string
  confirmed: number
  waitlisted: number
  cancelReason: string | null
  /** Check-in needs the code shown at the venue (the code itself is never part of a shared card). */
  checkinCodeRequired?: boolean
}

/** Name of the check-in code input on the sign-up card, as it comes back in form_value. */
export const CHECKIN_CODE_FIELD = 'checkin_code'

/** Card action names, shared with the handlers. */
export const ACTIVITY_ACTIONS = {
  signUp: SIGN_UP.name,
  leave: LEAVE.name,
  checkIn: CHECK_IN.name,
  create: CREATE.name,
  cancel: CANCEL.name,
} as const

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/** "2026-05-01（周五）09:00 – 17:00", or both full dates when the activity spans days. */
export function formatRange(start: Date, end: Date, timeZone: string): string {
  const s = localParts(start, timeZone)
  const e = localParts(end, timeZone)
  const day = (p: typeof s) => `${p.date}（周${WEEKDAYS[p.weekday]}）`
  const hm = (d: Date) => formatDateTime(d, timeZone).slice(11)
  return s.date === e.date ? `${day(s)}${hm(start)} – ${hm(end)}` : `${day(s)}${hm(start)} – ${day(e)}${hm(end)}`
}

/** "已报名 37/50", "已报名 37 人（不限名额）". */
export function placesLine(a: Pick<ActivityView, 'capacity' | 'confirmed' | 'waitlisted'>): string {
  if (a.capacity === 0) return `已报名 ${a.confirmed} 人（不限名额）`
  const full = a.confirmed >= a.capacity ? '（已满）' : ''
  return `已报名 ${a.confirmed}/${a.capacity}${full}　候补 ${a.waitlisted} 人`
}

const PHASE_LOOK: Record<ActivityCardPhase, { tag: string; color: string; template: HeaderTemplate }> = {
  signup: { tag: '报名中', color: 'green', template: 'turquoise' },
  closed: { tag: '报名已截止', color: 'orange', template: 'orange' },
  checkin: { tag: '签到中', color: 'blue', template: 'blue' },
  ended: { tag: '已结束', color: 'neutral', template: 'grey' },
  cancelled: { tag: '已取消', color: 'red', template: 'grey' },
}

function titleBlock(a: Pick<ActivityView, 'title'>): CardElement {
  return md(`**${escapeMarkdown(truncate(a.title, 60))}**`, { size: 'heading' })
}

function factsBlock(a: ActivityView, timeZone: string): CardElement {
  return md(
    [
      `**时间：**${formatRange(a.startsAt, a.endsAt, timeZone)}`,
      `**地点：**${escapeMarkdown(truncate(a.place, 100))}`,
      `**报名截止：**${formatDateTime(a.signupDeadline, timeZone)}`,
    ].join('\n'),
  )
}

export function buildActivitySignupCard(a: ActivityView, phase: ActivityCardPhase, timeZone: string): Card {
  const look = PHASE_LOOK[phase]
  const elements: CardElement[] = [titleBlock(a)]
  if (a.description.trim()) elements.push(userText(a.description, { max: 1000 }))
  elements.push(factsBlock(a, timeZone))
  elements.push(md(`**${placesLine(a)}**`))
  const onActivity = { id: a.id }
  switch (phase) {
    case 'signup':
      elements.push(
        buttonRow([
          // A full activity takes sign-ups on its waitlist: the button says so (#14).
          button({ text: isFull(a) ? '候补报名' : '报名', action: SIGN_UP.name, value: SIGN_UP.value(onActivity), type: 'primary_filled' }),
          button({ text: '取消报名', action: LEAVE.name, value: LEAVE.value(onActivity), confirm: { title: '取消报名', text: '确定要取消报名吗？名额会让给候补的同事。' } }),
        ]),
      )
      break
    case 'closed':
      elements.push(md(`<font color='orange'>报名已截止。</font>${a.allowCancelAfterDeadline ? '已报名的同事仍可取消报名。' : '截止后只能退出候补，不能取消已报名的名额。'}`))
      elements.push(buttonRow([button({ text: '取消报名', action: LEAVE.name, value: LEAVE.value(onActivity), confirm: { title: '取消报名', text: '确定要取消报名吗？' } })]))
      break
    case 'checkin':
      if (a.checkinCodeRequired) {
        // Each person types into their own client's copy of the form; the code is checked by the bot.
        elements.push(md('签到已开放（活动开始前 30 分钟至结束）。请输入活动现场公布的签到码，再点击签到。'))
        elements.push(
          form('checkin_form', [
            input({ name: CHECKIN_CODE_FIELD, placeholder: '现场公布的签到码', maxLength: 12, required: true }),
            button({ text: '签到', action: CHECK_IN.name, value: CHECK_IN.value(onActivity), type: 'primary_filled', formAction: 'submit', name: 'checkin_submit' }),
          ]),
        )
      } else {
        elements.push(md('签到已开放（活动开始前 30 分钟至结束），到场后请点击签到。'))
        elements.push(buttonRow([button({ text: '签到', action: CHECK_IN.name, value: CHECK_IN.value(onActivity), type: 'primary_filled' })]))
      }
      break
    case 'ended':
      elements.push(md("<font color='grey'>活动已结束，感谢参与！</font>"))
      break
    case 'cancelled':
      elements.push(md("<font color='red'>**本活动已取消。**</font>"))
      if (a.cancelReason) elements.push(userText(a.cancelReason, { label: '取消原因', max: 200 }))
      break
  }
  elements.push(hr())
  elements.push(note(`活动编号 ${a.number} · 也可私聊我发送「报名 ${a.number}」「取消报名 ${a.number}」`))
  return card({ title: `活动报名 · ${a.number}`, template: look.template, summary: `活动报名 ${a.number}`, tags: [{ text: look.tag, color: look.color }], elements })
}

/** Every place taken (a capacity of 0 means no limit). */
export function isFull(a: Pick<ActivityView, 'capacity' | 'confirmed'>): boolean {
  return a.capacity > 0 && a.confirmed >= a.capacity
}

/**
 * The private answer to 报名 on a group card (#14: the toast is gone in 3.5 s): the time and place, the waitlist
 * position when it was full, and 取消报名 (the answer to that click replaces this card).
 */
export function buildSignupConfirmationCard(a: ActivityView, outcome: { status: 'confirmed' } | { status: 'waitlisted'; position: number }, timeZone: string): Card {
  const confirmed = outcome.status === 'confirmed'
  const lead = confirmed
    ? md('<font color=\'green\'>**报名成功**</font>，活动开始前 24 小时我会私信提醒您。')
    : md(`名额已满，您已加入**候补第 ${outcome.position} 位**。有人取消时按先后顺序递补，递补成功会私信通知您。`)
  return card({
    title: `${confirmed ? '报名成功' : '候补报名'} · ${a.number}`,
    template: confirmed ? 'green' : 'orange',
    summary: `${confirmed ? '报名成功' : '已加入候补'} ${a.number}`,
    elements: [
      lead,
      titleBlock(a),
      factsBlock(a, timeZone),
      buttonRow([
        button({
          text: confirmed ? '取消报名' : '退出候补',
          action: LEAVE.name,
          value: LEAVE.value({ id: a.id, own: '1' }),
          confirm: confirmed ? { title: '取消报名', text: '确定要取消报名吗？名额会让给候补的同事。' } : { title: '退出候补', text: '确定要退出候补吗？' },
        }),
      ]),
      note(`也可以发送「取消报名 ${a.number}」。查看全部报名：发送「我的活动」。`),
    ],
  })
}

/** What the private confirmation card becomes after its 取消报名 (or 退出候补) was pressed. */
export function buildSignupLeftCard(a: ActivityView, timeZone: string): Card {
  return card({
    title: `已取消报名 · ${a.number}`,
    template: 'grey',
    summary: `已取消报名 ${a.number}`,
    elements: [md('您已取消这项活动的报名。'), titleBlock(a), factsBlock(a, timeZone), note(`想再参加，发送「报名 ${a.number}」（名额满了会进入候补）。`)],
  })
}

export type ActivityNoticeKind = 'reminder' | 'promoted' | 'cancelled'

/** A private notice about one activity; the facts are repeated so the person need not look for the group card. */
export function buildActivityNoticeCard(kind: ActivityNoticeKind, a: ActivityView, timeZone: string): Card {
  const elements: CardElement[] = [titleBlock(a), factsBlock(a, timeZone)]
  if (kind === 'reminder') {
    elements.unshift(md(`您报名的活动将在 **24 小时内**开始（${formatDateTime(a.startsAt, timeZone)}），请准时参加。`))
    const how = a.checkinCodeRequired ? `「签到 ${a.number} 签到码」（签到码在活动现场公布）` : `「签到 ${a.number}」`
    elements.push(note(`到场后发送${how}或点击活动卡片上的「签到」（开始前 30 分钟起）。不能参加请发送「取消报名 ${a.number}」。`))
    return card({ title: `活动提醒 · ${a.number}`, template: 'blue', summary: `活动提醒 ${a.number}`, elements })
  }
  if (kind === 'promoted') {
    elements.unshift(md('有同事取消了报名，您已从候补**转为正式报名**。'))
    elements.push(note(`不能参加请发送「取消报名 ${a.number}」，把名额让给下一位候补的同事。`))
    return card({ title: `候补成功 · ${a.number}`, template: 'green', summary: `候补成功 ${a.number}`, elements })
  }
  elements.unshift(md('很抱歉，您报名的活动**已取消**。'))
  if (a.cancelReason) elements.push(userText(a.cancelReason, { label: '取消原因', max: 200 }))
  return card({ title: `活动取消 · ${a.number}`, template: 'grey', summary: `活动取消 ${a.number}`, elements })
}

/**
 * What a copy shows once a newer copy replaced it in the same chat (or for the same person): no buttons and no
 * figures that would go stale, only where to look. It is patched this once and then never again.
 */
export function buildActivityReplacedCard(a: Pick<ActivityView, 'number'>): Card {
  return card({
    title: `活动报名 · ${a.number}`,
    template: 'grey',
    summary: `活动报名 ${a.number}`,
    tags: [{ text: '已更新', color: 'neutral' }],
    elements: [md('此卡片已更新，请查看最新卡片。'), note(`也可发送「活动 ${a.number}」再次获取报名卡片。`)],
  })
}

/**
 * The check-in code for the organiser, privately: to show or print at the venue. The code (digits the bot made)
 * is in the body only, never in the summary that previews in the chat list.
 */
export function buildActivityCheckinCodeCard(a: ActivityView, code: string, maxAttempts: number, timeZone: string): Card {
  return card({
    title: `签到码 · ${a.number}`,
    template: 'blue',
    summary: `签到码 ${a.number}`,
    elements: [
      titleBlock(a),
      factsBlock(a, timeZone),
      hr(),
      md(`**签到码：${code}**`, { size: 'heading' }),
      md(`请在活动现场出示或张贴。到场的同事私聊我发送「签到 ${a.number} ${code}」，或在报名卡片上点「签到」并输入签到码。`),
      note(`请勿把签到码发到群里。每人最多可输错 ${maxAttempts} 次。需要时发送「签到码 ${a.number}」可再次获取。`),
    ],
  })
}
