// Test helpers for the grievance desk: walk a worker through filing, find cards and their buttons, click them
// as Feishu would (the callback's card replaces the clicked card), and collect everything officers can see.
import { expect } from 'vitest'
import { ADMIN_CHAT_ID, type TestBot } from '../rig/test-bot.js'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'

export const OFFICER_2 = { openId: 'ou_officer_zhao', name: '赵委员' }
export const OFFICERS_ENV = { UNION_OFFICER_OPEN_IDS: `ou_chair,${OFFICER_2.openId}` }

export interface Person {
  openId: string
  name: string
}

let seq = 0
/** A fresh worker with a display name the fake contact API knows. */
export function newWorker(t: TestBot, name = '李四'): Person {
  const p = { openId: `ou_worker_${++seq}_${Math.random().toString(36).slice(2, 8)}`, name }
  t.fake.users.set(p.openId, { name })
  return p
}

export async function say(t: TestBot, who: Person | string, text: string): Promise<void> {
  const sender = typeof who === 'string' ? who : who.openId
  const res = await t.sendMessage({ sender, chatId: `oc_p2p_${sender}`, chatType: 'p2p', text })
  expect(res.status).toBe(200)
  await t.settle()
}

export async function sendAttachment(t: TestBot, who: Person, kind: 'image' | 'file', key: string, name?: string): Promise<string> {
  const res = await t.sendMessage({
    sender: who.openId,
    chatId: `oc_p2p_${who.openId}`,
    chatType: 'p2p',
    messageType: kind,
    content: kind === 'image' ? { image_key: key } : { file_key: key, file_name: name ?? 'file.pdf' },
  })
  expect(res.status).toBe(200)
  await t.settle()
  return (res.envelope.event.message as { message_id: string }).message_id
}

export const DESCRIPTION = '车间连续三个月加班没有按规定支付加班费，每月约有三十个小时。'

export interface FilingOptions {
  category?: string
  description?: string
  anonymous?: boolean
}

/** Files a grievance by typing every step; returns its number (from the bot's confirmation). */
export async function fileGrievance(t: TestBot, who: Person, opts: FilingOptions = {}): Promise<string> {
  await say(t, who, '投诉')
  await say(t, who, opts.category ?? '1')
  await say(t, who, opts.description ?? DESCRIPTION)
  await say(t, who, opts.anonymous === false ? '实名' : '匿名')
  await say(t, who, '确认')
  const number = grievanceNumberIn(lastTo(t, who))
  expect(number).toBeDefined()
  return number!
}

export function grievanceNumberIn(m: DeliveredMessage | undefined): string | undefined {
  return m ? JSON.stringify(m.content).match(/G-\d{4}-\d{4}/)?.[0] : undefined
}

/** The last message the bot sent a user privately (to their open_id, or as a reply in their p2p chat). */
export function lastTo(t: TestBot, who: Person | string): DeliveredMessage | undefined {
  return allTo(t, who).at(-1)
}

/** Every message sent to a user privately (to their open_id, and replies in their p2p chat). */
export function allTo(t: TestBot, who: Person | string): DeliveredMessage[] {
  const id = typeof who === 'string' ? who : who.openId
  return t.fake.messages.filter((m) => (m.receiveIdType === 'open_id' && m.receiveId === id) || m.chatId === `oc_p2p_${id}`)
}

export function textOf(m: DeliveredMessage): string {
  return m.msgType === 'text' ? (m.content.text as string) : JSON.stringify(m.content)
}

export function committeeMessages(t: TestBot): DeliveredMessage[] {
  return t.fake.messagesInChat(ADMIN_CHAT_ID)
}

/** The committee's review card of a case (the latest content, after patches and callback answers). */
export function reviewCard(t: TestBot, number: string): { messageId: string; card: any } {
  const m = committeeMessages(t).find((x) => x.msgType === 'interactive' && x.content?.header?.title?.content === `维权诉求 ${number}`)
  expect(m, `review card of ${number}`).toBeDefined()
  return { messageId: m!.messageId, card: t.fake.currentCard(m!.messageId) }
}

/** The callback value of the first button with this action in a card. */
export function buttonValue(card: any, action: string, match: Record<string, unknown> = {}): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined
  const visit = (v: unknown): void => {
    if (found) return
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>
      const value = o.tag === 'button' ? o.behaviors?.[0]?.value : undefined
      if (value?.action === action && Object.entries(match).every(([k, x]) => value[k] === x)) found = value
      else Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return found
}

/** Clicks a button of a delivered card; like Feishu, a card in the answer replaces the clicked card. */
export async function clickButton(
  t: TestBot,
  operator: string,
  messageId: string,
  action: string,
  opts: { formValue?: Record<string, unknown>; match?: Record<string, unknown>; eventId?: string; chatId?: string } = {},
): Promise<{ status: number; body: any }> {
  const card = t.fake.currentCard(messageId)
  const value = buttonValue(card, action, opts.match)
  expect(value, `button ${action} on the card`).toBeDefined()
  const res = await t.click({ operator, value: value!, messageId, chatId: opts.chatId ?? ADMIN_CHAT_ID, ...(opts.formValue ? { formValue: opts.formValue } : {}), ...(opts.eventId ? { eventId: opts.eventId } : {}) })
  applyCallbackCard(t, messageId, res.body)
  await t.settle()
  return res
}

export function applyCallbackCard(t: TestBot, messageId: string, body: any): void {
  const m = t.fake.messages.find((x) => x.messageId === messageId)
  if (m && body?.card?.data) m.patches.push(body.card.data)
}

/** An officer acts on the review card of a case. */
export function officerAct(t: TestBot, officer: string, number: string, action: string, formValue?: Record<string, unknown>) {
  const { messageId } = reviewCard(t, number)
  return clickButton(t, officer, messageId, action, formValue ? { formValue } : {})
}

/** All the markdown/plain text of a card, joined (to look for words). */
export function cardTexts(card: any): string {
  const out: string[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.content === 'string') out.push(o.content)
      Object.values(o).forEach(visit)
    }
  }
  visit(card)
  return out.join('\n')
}

/** Test strings that must come out of every card as plain text (issue #3, Confidentiality). */
export const HOSTILE = ['<at id=all></at>', '<at user_id="ou_x"></at>', '[link](http://x)', '# heading', '**bold**', '<font color=red>']

/** Asserts that none of the hostile strings appears unescaped anywhere in a card's JSON. */
export function expectEscaped(card: any): void {
  const json = JSON.stringify(card)
  for (const s of HOSTILE) expect(json, `unescaped ${s}`).not.toContain(JSON.stringify(s).slice(1, -1))
  for (const s of ['<at', '](http', '<font color=red', '**bold**', '# heading']) expect(json).not.toContain(s)
}
