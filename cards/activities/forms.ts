// Officer cards for activities: the new-activity form (re-shown with the reasons when a value is refused), the
// "published" card that replaces it, and the confirmation asked before cancelling an activity.
import { escapeMarkdown, truncate } from '../escape.js'
import { CANCEL, CREATE } from '../../src/activities/actions.js'
import { formatRange, placesLine, type ActivityView } from './activity.js'
import { button, buttonRow, card, dateTimePicker, form, hr, input, md, note, selectStatic, userText, type Card, type CardElement } from '../kit.js'
import { formatDateTime } from '../../src/time.js'

/** Names of the form's fields, as they come back in form_value. */
export const ACTIVITY_FORM_FIELDS = {
  title: 'title',
  description: 'description',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  place: 'place',
  capacity: 'capacity',
  deadline: 'deadline',
  cancelAfterDeadline: 'cancel_after_deadline',
  checkinCode: 'checkin_code',
} as const

/** What the officer entered, to put back into the form when it is refused (pickers as "YYYY-MM-DD HH:mm"). */
export interface ActivityFormValues {
  title?: string
  description?: string
  startsAt?: string
  endsAt?: string
  place?: string
  capacity?: string
  deadline?: string
  cancelAfterDeadline?: 'yes' | 'no'
  checkinCode?: 'yes' | 'no'
}

export const ACTIVITY_LIMITS = { title: 50, description: 1000, place: 100, maxCapacity: 100_000 } as const

/** `group`: the form is in a group (the published card there then carries no officer instructions). */
export function buildActivityFormCard(opts: { chatId: string; group?: boolean; values?: ActivityFormValues; errors?: string[] }): Card {
  const v = opts.values ?? {}
  const f = ACTIVITY_FORM_FIELDS
  const fields: CardElement[] = [
    input({ name: f.title, label: '活动名称', placeholder: '如：春季健步走', maxLength: ACTIVITY_LIMITS.title, required: true, ...(v.title ? { defaultValue: v.title } : {}) }),
    input({ name: f.description, label: '活动介绍（选填）', placeholder: '内容、要求、注意事项', maxLength: ACTIVITY_LIMITS.description, multiline: true, ...(v.description ? { defaultValue: v.description } : {}) }),
    md('**开始时间**'),
    dateTimePicker({ name: f.startsAt, placeholder: '选择开始时间', required: true, ...(v.startsAt ? { initialDatetime: v.startsAt } : {}) }),
    md('**结束时间**'),
    dateTimePicker({ name: f.endsAt, placeholder: '选择结束时间', required: true, ...(v.endsAt ? { initialDatetime: v.endsAt } : {}) }),
    input({ name: f.place, label: '地点', placeholder: '如：公司体育馆 / 线上', maxLength: ACTIVITY_LIMITS.place, required: true, ...(v.place ? { defaultValue: v.place } : {}) }),
    input({ name: f.capacity, label: '人数上限（0 表示不限）', placeholder: '如：50', maxLength: 6, required: true, ...(v.capacity !== undefined ? { defaultValue: v.capacity } : {}) }),
    md('**报名截止时间**（不选则到活动开始为止）'),
    dateTimePicker({ name: f.deadline, placeholder: '选择报名截止时间', ...(v.deadline ? { initialDatetime: v.deadline } : {}) }),
    md('**截止后是否允许取消报名**'),
    selectStatic({
      name: f.cancelAfterDeadline,
      placeholder: '请选择',
      options: [
        { text: '不允许（截止后名额锁定）', value: 'no' },
        { text: '允许', value: 'yes' },
      ],
      initial: v.cancelAfterDeadline ?? 'no',
    }),
    md('**签到码**（需要时，签到须输入活动现场公布的签到码，防止不在现场的人签到）'),
    selectStatic({
      name: f.checkinCode,
      placeholder: '请选择',
      options: [
        { text: '不需要（点击即可签到）', value: 'no' },
        { text: '需要（现场公布签到码）', value: 'yes' },
      ],
      initial: v.checkinCode ?? 'no',
    }),
    button({ text: '发布活动', action: CREATE.name, value: CREATE.value({ chat: opts.chatId, ...(opts.group ? { group: '1' as const } : {}) }), type: 'primary_filled', formAction: 'submit', name: 'submit', width: 'fill' }),
  ]
  const elements: CardElement[] = []
  if (opts.errors?.length) {
    // The reasons are the bot's own words.
    elements.push(md(`<font color='red'>**未能发布，请修改后重新提交：**</font>\n${opts.errors.map((e) => `- ${e}`).join('\n')}`))
  }
  elements.push(form('activity_form', fields))
  elements.push(note('发布后，报名卡片会发到本群（或本会话）；发送「发布活动 A-001 群ID」可再发到其他群。'))
  return card({ title: '发起活动', template: 'turquoise', summary: '发起活动', elements })
}

/**
 * Replaces the form once the activity exists. In the officer's private chat it has the officer's instructions
 * (签到码, 发布活动, 名单, 取消活动); `forGroup`: the copy left in a group, with the facts only (#14: the workers'
 * group does not get the officer's instructions; the officer gets them privately). It never shows the check-in code.
 */
export function buildActivityCreatedCard(a: ActivityView, timeZone: string, opts: { forGroup?: boolean } = {}): Card {
  const facts = [
    md(`**${escapeMarkdown(truncate(a.title, 60))}**`),
    md(`**时间：**${formatRange(a.startsAt, a.endsAt, timeZone)}\n**地点：**${escapeMarkdown(truncate(a.place, 100))}\n**报名截止：**${formatDateTime(a.signupDeadline, timeZone)}\n**人数上限：**${a.capacity === 0 ? '不限' : a.capacity}`),
  ]
  const elements = opts.forGroup
    ? [...facts, note(`报名请点本群的「活动报名 · ${a.number}」卡片，或私聊我发送「报名 ${a.number}」。`)]
    : [
        ...facts,
        ...(a.checkinCodeRequired ? [md(`签到需要签到码：已私信发给您，也可发送「签到码 ${a.number}」再次获取。`)] : []),
        hr(),
        note(`再发到其他群：「发布活动 ${a.number} 群ID」，或在那个群里 @我 发送「发布活动 ${a.number}」。名单：「名单 ${a.number}」；取消：「取消活动 ${a.number}」。`),
      ]
  return card({ title: `活动已发布 · ${a.number}`, template: 'green', summary: `活动已发布 ${a.number}`, elements })
}

/** Asked before cancelling: cancelling notifies everyone signed up and cannot be undone. */
export function buildActivityCancelConfirmCard(a: ActivityView, reason: string, timeZone: string, done?: { at: Date }): Card {
  const elements: CardElement[] = [
    md(`**${escapeMarkdown(truncate(a.title, 60))}**`),
    md(`**时间：**${formatRange(a.startsAt, a.endsAt, timeZone)}\n**${placesLine(a)}**`),
  ]
  if (reason) elements.push(userText(reason, { label: '取消原因', max: 200 }))
  if (done) {
    elements.push(md(`<font color='red'>**已于 ${formatDateTime(done.at, timeZone)} 取消**</font>，已报名和候补的同事都已收到私信通知。`))
  } else {
    elements.push(md(`取消后，已报名的 ${a.confirmed} 人和候补的 ${a.waitlisted} 人都会收到私信通知，活动卡片显示「已取消」。此操作不能撤销。`))
    elements.push(
      buttonRow([
        button({
          text: '确认取消活动',
          action: CANCEL.name,
          // base64url: the reason travels as data in the callback value, never as markup in the card JSON.
          value: CANCEL.value({ id: a.id, ...(reason ? { reason: Buffer.from(reason, 'utf8').toString('base64url') } : {}) }),
          type: 'danger_filled',
          confirm: { title: `取消活动 ${a.number}`, text: '确定取消此活动吗？所有报名的同事都会收到通知。' },
        }),
      ]),
    )
  }
  return card({ title: `取消活动 · ${a.number}`, template: done ? 'grey' : 'red', summary: `取消活动 ${a.number}`, elements })
}
