// Helpers for the activity tests: publish through the real form, find cards and their buttons in what the fake
// Open API received, click them.
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'

export const OFFICER = CHAIR.openId
export const GROUP = 'oc_union_members'

/** Strings a user might type to inject markup; none may appear unescaped in a card. */
export const INJECTIONS = ['<at id=all></at>', '<at user_id="ou_x"></at>', '[link](http://x)', '# heading', '**bold**', '<font color=red>']

export interface ButtonInfo {
  text: string
  value: Record<string, unknown>
}

export function buttonsOf(card: unknown): ButtonInfo[] {
  const found: ButtonInfo[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>
      if (o.tag === 'button') found.push({ text: o.text?.content ?? '', value: o.behaviors?.[0]?.value ?? {} })
      Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return found
}

export function button(card: unknown, text: string): ButtonInfo {
  const b = buttonsOf(card).find((x) => x.text === text)
  if (!b) throw new Error(`no button "${text}" on the card`)
  return b
}

export function headerTitle(m: DeliveredMessage | undefined): string {
  return m?.content?.header?.title?.content ?? ''
}

/** Cards (interactive messages) whose header title starts with `prefix`. */
export function cardsTitled(messages: DeliveredMessage[], prefix: string): DeliveredMessage[] {
  return messages.filter((m) => m.msgType === 'interactive' && headerTitle(m).startsWith(prefix))
}

export function texts(messages: DeliveredMessage[]): string[] {
  return messages.filter((m) => m.msgType === 'text').map((m) => m.content.text as string)
}

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
  const form = t.fake.messages.slice(before).find((m) => headerTitle(m) === '发起活动')
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

export async function clickOn(t: TestBot, card: DeliveredMessage, text: string, operator: string) {
  const b = button(t.fake.currentCard(card.messageId), text)
  return t.click({ operator, value: b.value, messageId: card.messageId, ...(card.chatId ? { chatId: card.chatId } : {}) })
}

/** The card's visible text (markdown contents), to look for 已报名 37/50 and the like. */
export function cardText(card: unknown): string {
  const parts: string[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>
      if (typeof o.content === 'string') parts.push(o.content)
      Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return parts.join('\n')
}

export function patchesOf(t: TestBot, messageId: string) {
  return t.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${messageId}`)
}
