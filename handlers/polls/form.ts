// Reads and checks the 发起投票 form; every refused value comes back with its reason in Chinese and the form keeps
// what the officer typed.
import { POLL_FORM_FIELDS as F, type PollFormValues } from '../../cards/polls/poll.js'
import { charCount, tidyText } from '../../src/kit/text.js'
import { POLL_LIMITS, parseOptions, type Audience } from '../../src/polls/model.js'
import { formatDateTime } from '../../src/time.js'
import { parsePickerDateTime } from '../../src/kit/dates.js'

export interface ValidPollForm {
  title: string
  options: string[]
  multiple: boolean
  anonymous: boolean
  audience: Audience
  audienceValue: string | undefined
  closesAt: Date
  resultsLive: boolean
  freeQuestion: string | undefined
}

export type PollFormCheck = { ok: true; value: ValidPollForm } | { ok: false; errors: string[]; values: PollFormValues }

function text(v: Record<string, unknown>, name: string): string {
  const x = v[name]
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : ''
}

const FORM_AUDIENCES: readonly Audience[] = ['all', 'members', 'representatives', 'department', 'constituency']

export function checkPollForm(formValue: Record<string, unknown>, now: Date, timeZone: string): PollFormCheck {
  const errors: string[] = []
  const title = tidyText(text(formValue, F.title))
  const optionsText = text(formValue, F.options)
  const mode = text(formValue, F.mode) === 'multiple' ? 'multiple' : 'single'
  const secrecy = text(formValue, F.secrecy) === 'named' ? 'named' : 'anonymous'
  const audienceRaw = text(formValue, F.audience)
  const audience = (FORM_AUDIENCES as readonly string[]).includes(audienceRaw) ? (audienceRaw as Audience) : 'all'
  const audienceValue = tidyText(text(formValue, F.audienceValue))
  const results = text(formValue, F.results) === 'live' ? 'live' : 'after'
  const freeQuestion = tidyText(text(formValue, F.freeQuestion))

  if (!title) errors.push('请填写投票主题')
  else if (charCount(title) > POLL_LIMITS.title) errors.push(`投票主题不能超过 ${POLL_LIMITS.title} 个字`)
  const parsed = parseOptions(optionsText)
  if ('error' in parsed) errors.push(parsed.error)
  if ((audience === 'department' || audience === 'constituency') && !audienceValue) errors.push(audience === 'department' ? '请填写部门名称' : '请填写选区名称')
  if (charCount(audienceValue) > POLL_LIMITS.audienceValue) errors.push(`部门或选区名称不能超过 ${POLL_LIMITS.audienceValue} 个字`)
  // Live figures of a secret ballot would let anyone watching the card tell how each newcomer voted.
  if (results === 'live' && secrecy === 'anonymous') errors.push('匿名投票的结果只能在结束后公布，请改为“结束后公布”或改为实名投票')
  if (charCount(freeQuestion) > POLL_LIMITS.freeQuestion) errors.push(`附加问答不能超过 ${POLL_LIMITS.freeQuestion} 个字`)
  const closesRaw = text(formValue, F.closesAt).trim()
  const closesAt = closesRaw ? parsePickerDateTime(closesRaw, timeZone) : undefined
  if (!closesRaw) errors.push('请选择截止时间')
  else if (!closesAt) errors.push('截止时间的格式不正确，请用日期时间选择器重新选择')
  else if (closesAt <= now) errors.push('截止时间已经过去，请选择将来的时间')

  if (errors.length || 'error' in parsed || !closesAt) {
    const values: PollFormValues = { title, options: optionsText, mode, secrecy, audience, audienceValue, results, freeQuestion }
    if (closesAt) values.closesAt = formatDateTime(closesAt, timeZone)
    return { ok: false, errors, values }
  }
  return {
    ok: true,
    value: {
      title,
      options: parsed.options,
      multiple: mode === 'multiple',
      anonymous: secrecy === 'anonymous',
      audience,
      audienceValue: audience === 'department' || audience === 'constituency' ? audienceValue : undefined,
      closesAt,
      resultsLive: results === 'live',
      freeQuestion: freeQuestion || undefined,
    },
  }
}
