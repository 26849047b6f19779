// Helpers for the activity tests: publish through the real form (the generic chat, card and click helpers are in
// ./chat.ts).
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { button, buttonsOf, cardTitle, cardsTitled } from './chat.js'

export const OFFICER = CHAIR.openId
export const GROUP = 'oc_union_members'

export interface FormInput {
  title?: string
  description?: string
  start?: string
  end?: string
  place?: string
  capacity?: string
  deadline?: string
  cancelAfter?: 'yes' | 'no'
  checkinCode?: 'yes' | 'no'
}

export function formValue(f: FormInput): Record<string, unknown> {
  const v: Record<string, unknown> = {
    title: f.title ?? '春季健步走',
    description: f.description ?? '沿江步道 5 公里，穿运动鞋。',
    starts_at: f.start ?? '2026-05-03 09:00 +0800',
    ends_at: f.end ?? '2026-05-03 17:00 +0800',
    place: f.place ?? '滨江公园南门',
    capacity: f.capacity ?? '50',
    cancel_after_deadline: f.cancelAfter ?? 'no',
  }
  if (f.checkinCode) v.checkin_code = f.checkinCode
  const deadline = f.deadline ?? '2026-05-02 18:00 +0800'
  if (deadline) v.deadline = deadline
  return v
}

/** Sends 发起活动 as the officer in `chatId` and returns the form card message. */
export async function openForm(t: TestBot, chatId = GROUP, sender = OFFICER): Promise<DeliveredMessage> {
  const before = t.fake.messages.length
  await t.sendMessage({ sender, chatId, chatType: chatId.startsWith('oc_p2p') ? 'p2p' : 'group', text: '发起活动', mentionBot: !chatId.startsWith('oc_p2p') })
  await t.settle()
  const form = t.fake.messages.slice(before).find((m) => cardTitle(m) === '发起活动')
  expect(form, 'form card').toBeDefined()
  return form!
}

export async function submitForm(t: TestBot, form: DeliveredMessage, input: FormInput, operator = OFFICER) {
  const submit = button(form.content, '发布活动')
  const res = await t.click({ operator, value: submit.value, formValue: formValue(input), messageId: form.messageId, ...(form.chatId ? { chatId: form.chatId } : {}) })
  await t.settle()
  return res
}

export interface Published {
  id: string
  number: string
  card: DeliveredMessage
}

/** Publishes an activity through the form in `chatId`; returns its id, number and the posted sign-up card. */
export async function publish(t: TestBot, input: FormInput = {}, chatId = GROUP): Promise<Published> {
  const form = await openForm(t, chatId)
  const res = await submitForm(t, form, input)
  expect(res.body.toast?.type, JSON.stringify(res.body.toast)).toBe('success')
  const number = /A-\d{3,}/.exec(res.body.toast.content)![0]
  const card = cardsTitled(t.fake.messagesInChat(chatId), `活动报名 · ${number}`).at(-1)
  expect(card, 'sign-up card posted').toBeDefined()
  const id = String(button(card!.content, buttonsOf(card!.content)[0]!.text).value.id)
  return { id, number, card: card! }
}
