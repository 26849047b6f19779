// Reads and checks the new-activity form: Feishu's picker values ("2024-04-29 07:07 +0800", docs/feishu-platform.md#picker-values),
// the capacity, and the rules between the times. Every refused value comes back with its reason in Chinese.
import { ACTIVITY_FORM_FIELDS as F, ACTIVITY_LIMITS, type ActivityFormValues } from '../../cards/activities/forms.js'
import type { ActivityDetails } from '../../src/activities/model.js'
import { softNormalize } from '../../src/dispatch/text.js'
import { parsePickerDateTime } from '../../src/kit/dates.js'
import { formatDateTime } from '../../src/time.js'

export interface ValidActivityForm extends ActivityDetails {
  /** Check-in needs a code shown at the venue (security review F14); off unless the officer chose it. */
  checkinCode: boolean
}

export type FormCheck = { ok: true; value: ValidActivityForm } | { ok: false; errors: string[]; values: ActivityFormValues }

/** Moved to the kit (src/kit/dates.ts) so every form with a date-time picker reads it one way. */
export { parsePickerDateTime }

function text(formValue: Record<string, unknown>, name: string): string {
  const v = formValue[name]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

/** Checks the submitted form; `now` is the injected clock's time. */
export function checkActivityForm(formValue: Record<string, unknown>, now: Date, timeZone: string): FormCheck {
  const errors: string[] = []
  const title = softNormalize(text(formValue, F.title))
  const description = text(formValue, F.description).trim()
  const place = softNormalize(text(formValue, F.place))
  const capacityText = softNormalize(text(formValue, F.capacity))
  const cancelAfter = text(formValue, F.cancelAfterDeadline) === 'yes' ? 'yes' : 'no'
  const checkinCode = text(formValue, F.checkinCode) === 'yes' ? 'yes' : 'no'

  if (!title) errors.push('请填写活动名称')
  else if (Array.from(title).length > ACTIVITY_LIMITS.title) errors.push(`活动名称不能超过 ${ACTIVITY_LIMITS.title} 个字`)
  if (Array.from(description).length > ACTIVITY_LIMITS.description) errors.push(`活动介绍不能超过 ${ACTIVITY_LIMITS.description} 个字`)
  if (!place) errors.push('请填写活动地点')
  else if (Array.from(place).length > ACTIVITY_LIMITS.place) errors.push(`地点不能超过 ${ACTIVITY_LIMITS.place} 个字`)

  const time = (name: string, label: string, required: boolean): { date: Date | undefined; shown: string | undefined } => {
    const raw = text(formValue, name).trim()
    if (!raw) {
      if (required) errors.push(`请选择${label}`)
      return { date: undefined, shown: undefined }
    }
    const date = parsePickerDateTime(raw, timeZone)
    if (!date) errors.push(`${label}的格式不正确，请用日期时间选择器重新选择`)
    return { date, shown: date ? formatDateTime(date, timeZone) : undefined }
  }
  const start = time(F.startsAt, '开始时间', true)
  const end = time(F.endsAt, '结束时间', true)
  const deadline = time(F.deadline, '报名截止时间', false)

  if (start.date && start.date <= now) errors.push('开始时间已经过去，请选择将来的时间')
  if (start.date && end.date && end.date <= start.date) errors.push('结束时间必须晚于开始时间')
  if (deadline.date && deadline.date <= now) errors.push('报名截止时间已经过去，请选择将来的时间')
  if (deadline.date && start.date && deadline.date > start.date) errors.push('报名截止时间不能晚于开始时间')

  let capacity: number | undefined
  if (!capacityText) errors.push('请填写人数上限（0 表示不限）')
  else if (/^-\s*\d+$/.test(capacityText)) errors.push('人数上限不能为负数（0 表示不限）')
  else if (!/^\+?\d+$/.test(capacityText)) errors.push('人数上限请填写整数（0 表示不限）')
  else if (Number(capacityText) > ACTIVITY_LIMITS.maxCapacity) errors.push(`人数上限不能超过 ${ACTIVITY_LIMITS.maxCapacity}`)
  else capacity = Number(capacityText)

  if (errors.length > 0 || !start.date || !end.date || capacity === undefined) {
    const values: ActivityFormValues = { title, description, place, capacity: capacityText, cancelAfterDeadline: cancelAfter, checkinCode }
    if (start.shown) values.startsAt = start.shown
    if (end.shown) values.endsAt = end.shown
    if (deadline.shown) values.deadline = deadline.shown
    return { ok: false, errors, values }
  }
  return {
    ok: true,
    value: {
      title,
      description,
      place,
      startsAt: start.date,
      endsAt: end.date,
      signupDeadline: deadline.date ?? start.date,
      capacity,
      allowCancelAfterDeadline: cancelAfter === 'yes',
      checkinCode: checkinCode === 'yes',
    },
  }
}
