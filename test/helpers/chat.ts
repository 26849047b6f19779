// The one helper set every feature's tests share: people talking to the bot (privately or in a group), what the bot
// sent them (found in the fake Open API), cards and their buttons, clicks as Feishu makes them, and hostile input.
import { expect } from 'vitest'
import type { DeliveredMessage, FakeOpenApi } from '../../devtools/fake-open-api.js'
import type { CardActionInput, Person } from '../../devtools/feishu-events.js'
import { ADMIN_CHAT_ID, type TestBot } from '../rig/test-bot.js'

export type { Person }
/** Someone talking to the bot: a person, or just their open_id. */
export type Who = Person | string

export const openIdOf = (who: Who): string => (typeof who === 'string' ? who : who.openId)
/** A person's private chat with the bot (the tests name it after the person). */
export const p2p = (who: Who): string => `oc_p2p_${openIdOf(who)}`

// ---- talking to the bot ----

/** Sends a private message (with @-mentions of other people, if any) and waits until the bot has handled it. */
export async function say(t: TestBot, who: Who, text: string, mentions: Person[] = []): Promise<void> {
  const res = await t.sendMessage({ sender: who, chatId: p2p(who), chatType: 'p2p', text, mentions })
  expect(res.status).toBe(200)
  await t.settle()
}

/** Says something in a group, @-mentioning the bot, and waits until the bot has handled it. */
export async function groupSay(t: TestBot, chatId: string, who: Who, text: string): Promise<void> {
  const res = await t.sendMessage({ sender: who, chatId, chatType: 'group', text, mentionBot: true })
  expect(res.status).toBe(200)
  await t.settle()
}

/** Says something (privately, or in a group with @bot) and returns what the bot sent meanwhile. */
export async function answersTo(t: TestBot, who: Who, text: string, chatId = p2p(who)): Promise<DeliveredMessage[]> {
  const mark = t.fake.messages.length
  const group = !chatId.startsWith('oc_p2p_')
  const res = await t.sendMessage({ sender: who, chatId, chatType: group ? 'group' : 'p2p', text, mentionBot: group })
  expect(res.status).toBe(200)
  await t.settle()
  return t.fake.messages.slice(mark)
}

let attachments = 0
/** Sends an image or a file privately; returns the message id Feishu gave it. */
export async function sendAttachment(t: TestBot, who: Who, kind: 'image' | 'file', key: string, name?: string): Promise<string> {
  // Feishu serves what was sent as a message resource (the bot fetches evidence, src/kit/evidence.ts): so does the fake.
  const messageId = `om_att_${++attachments}_${Math.random().toString(36).slice(2, 8)}`
  t.fake.inboundFiles.set(`${messageId}/${key}`, Buffer.from(`${kind} ${key}`))
  const res = await t.sendMessage({
    sender: who,
    chatId: p2p(who),
    chatType: 'p2p',
    messageType: kind,
    content: kind === 'image' ? { image_key: key } : { file_key: key, file_name: name ?? 'file.pdf' },
    messageId,
  })
  expect(res.status).toBe(200)
  await t.settle()
  return (res.envelope.event.message as { message_id: string }).message_id
}

// ---- what the bot sent ----

const fakeOf = (from: TestBot | FakeOpenApi): FakeOpenApi => ('fake' in from ? from.fake : from)

/** Everything the bot sent a person privately: to their open_id, and replies in their private chat. */
export function inbox(from: TestBot | FakeOpenApi, who: Who): DeliveredMessage[] {
  const id = openIdOf(who)
  return fakeOf(from).messages.filter((m) => (m.receiveIdType === 'open_id' && m.receiveId === id) || m.chatId === p2p(id))
}

/** The last message the bot sent a person privately. */
export const lastTo = (t: TestBot, who: Who): DeliveredMessage | undefined => inbox(t, who).at(-1)

/** The texts of the text messages among these. */
export const textsOf = (messages: DeliveredMessage[]): string[] => messages.filter((m) => m.msgType === 'text').map((m) => m.content.text as string)
/** The cards (interactive messages) among these. */
export const cardsOf = (messages: DeliveredMessage[]): DeliveredMessage[] => messages.filter((m) => m.msgType === 'interactive')

/** A message's text, or its JSON for anything else (to look for a number or a word). */
export const textOf = (m: DeliveredMessage): string => (m.msgType === 'text' ? (m.content.text as string) : JSON.stringify(m.content))

export const textsTo = (t: TestBot, who: Who): string[] => textsOf(inbox(t, who))
export const lastText = (t: TestBot, who: Who): string => textsTo(t, who).at(-1) ?? ''
export const cardsTo = (t: TestBot, who: Who): DeliveredMessage[] => cardsOf(inbox(t, who))

export function lastCard(t: TestBot, who: Who): DeliveredMessage {
  const c = cardsTo(t, who).at(-1)
  if (!c) throw new Error(`no card to ${openIdOf(who)}`)
  return c
}

export const textsIn = (t: TestBot, chatId: string): string[] => textsOf(t.fake.messagesInChat(chatId))

/** What the bot sent to the committee chat (UNION_ADMIN_CHAT_ID in the rig). */
export const committeeMessages = (t: TestBot): DeliveredMessage[] => t.fake.messagesInChat(ADMIN_CHAT_ID)
export const committeeCards = (t: TestBot): DeliveredMessage[] => cardsOf(committeeMessages(t))
export const committeeTexts = (t: TestBot): string[] => textsOf(committeeMessages(t))

/** A card message's header title ('' for anything else). */
export const cardTitle = (m: DeliveredMessage | undefined): string => (m?.msgType === 'interactive' ? String(m.content?.header?.title?.content ?? '') : '')

/** Cards among these whose header title starts with `prefix`. */
export const cardsTitled = (messages: DeliveredMessage[], prefix: string): DeliveredMessage[] => messages.filter((m) => m.msgType === 'interactive' && cardTitle(m).startsWith(prefix))

/** The latest card to a person (or, without one, to the committee chat) whose header title contains `title`. */
export function cardTitled(t: TestBot, who: Who | undefined, title: string): DeliveredMessage {
  const list = who === undefined ? committeeCards(t) : cardsTo(t, who)
  const c = [...list].reverse().find((m) => cardTitle(m).includes(title))
  if (!c) throw new Error(`no card titled ${title}`)
  return c
}

/** Requests that patched a message (live cards kept current). */
export const patchesOf = (t: TestBot, messageId: string) => t.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${messageId}`)

// ---- card contents ----

function visit(v: unknown, each: (o: Record<string, any>) => boolean | void): void {
  if (Array.isArray(v)) for (const x of v) visit(x, each)
  else if (v && typeof v === 'object') {
    if (each(v as Record<string, any>) === false) return
    for (const x of Object.values(v)) visit(x, each)
  }
}

/** All the text of a card (every `content` string: markdown, plain text, titles), joined, to look for words. */
export function cardText(card: unknown): string {
  const parts: string[] = []
  visit(card, (o) => void (typeof o.content === 'string' && parts.push(o.content)))
  return parts.join('\n')
}

/** The card's JSON, to look for an action name or a callback value. */
export const cardJson = (card: unknown): string => JSON.stringify(card)

/** The contents of a card's markdown elements (where Feishu parses markup). */
export function markdownOf(card: unknown): string[] {
  const out: string[] = []
  visit(card, (o) => void (o.tag === 'markdown' && typeof o.content === 'string' && out.push(o.content)))
  return out
}

export interface ButtonInfo {
  text: string
  value: Record<string, unknown>
}

export function buttonsOf(card: unknown): ButtonInfo[] {
  const found: ButtonInfo[] = []
  visit(card, (o) => void (o.tag === 'button' && found.push({ text: o.text?.content ?? '', value: o.behaviors?.[0]?.value ?? {} })))
  return found
}

/** The button with this text; fails when the card has none. */
export function button(card: unknown, text: string): ButtonInfo {
  const b = buttonsOf(card).find((x) => x.text === text)
  if (!b) throw new Error(`no button "${text}" on the card`)
  return b
}

/** The callback value of the first button with this action (and these value fields, and this text), or undefined. */
export function buttonValue(card: unknown, action: string, match: Record<string, unknown> = {}, text?: string): Record<string, unknown> | undefined {
  return buttonsOf(card).find((b) => b.value.action === action && Object.entries(match).every(([k, x]) => b.value[k] === x) && (text === undefined || b.text === text))?.value
}

// ---- clicking ----

export interface ClickOptions {
  formValue?: Record<string, unknown>
  /** Fields the button's value must have (to pick one of several buttons with the same action). */
  match?: Record<string, unknown>
  /** The button's text (idem). */
  text?: string
  eventId?: string
  /** Where the card is; by default the chat it was sent to, else the clicker's private chat. */
  chatId?: string
  /** false: do not wait for the bot after the click (a burst of clicks, followed by one t.settle()). */
  settle?: boolean
}

/** Feishu shows a callback's card in place of the clicked one; the fake only sees API calls, so note it here. */
export function applyCallbackCard(t: TestBot, messageId: string, body: any): void {
  const m = t.fake.messages.find((x) => x.messageId === messageId)
  if (m && body?.card?.data) m.patches.push(body.card.data)
}

/**
 * Clicks a button of a delivered card (its current content) as `who` and waits until the bot has handled it. The
 * button is the first with this action (narrowed by `match` and `text`), or the one with `{ text }`.
 */
export async function clickOn(t: TestBot, who: Who, message: DeliveredMessage | string, which: string | { text: string }, opts: ClickOptions = {}): Promise<{ status: number; body: any }> {
  const messageId = typeof message === 'string' ? message : message.messageId
  const card = t.fake.currentCard(messageId)
  const value = typeof which === 'string' ? buttonValue(card, which, opts.match, opts.text) : buttonsOf(card).find((b) => b.text === which.text)?.value
  expect(value, `button ${typeof which === 'string' ? which : which.text} on the card`).toBeDefined()
  const chatId = opts.chatId ?? (typeof message === 'string' ? t.fake.messages.find((m) => m.messageId === messageId)?.chatId : message.chatId) ?? p2p(who)
  const res = await t.click({ operator: who, value: value!, messageId, chatId, ...(opts.formValue ? { formValue: opts.formValue } : {}), ...(opts.eventId ? { eventId: opts.eventId } : {}) })
  expect(res.status).toBe(200)
  applyCallbackCard(t, messageId, res.body)
  if (opts.settle !== false) await t.settle()
  return res
}

/** Sends a callback with a value of our own (a forged, stale or replayed one), waits, and returns the answer. */
export async function clickValue(t: TestBot, who: Who, value: CardActionInput['value'], opts: Omit<CardActionInput, 'operator' | 'value'> = {}): Promise<{ status: number; body: any }> {
  const res = await t.click({ operator: who, value, ...opts })
  expect(res.status).toBe(200)
  await t.settle()
  return res
}

// ---- hostile input ----

/** Strings a user might type to inject markup (issue #3, Confidentiality); none may reach a card unescaped. */
export const HOSTILE = ['<at id=all></at>', '<at user_id="ou_x"></at>', '[link](http://x)', '# heading', '**bold**', '<font color=red>']
/** All of them in one text, as an escaping test types it. */
export const EVIL = '<at id=all></at> <at user_id="ou_x"></at> [link](http://x) # heading **bold** <font color=red>red</font>'
/** What must never be seen in a card unescaped, whatever the text around it. */
export const INJECTION_MARKERS = ['<at', '](http', '**bold**', '<font color=red', '# heading']

/**
 * Fails when hostile text reached a card unescaped. `everywhere` (the default) looks at the whole JSON; `markdown`
 * only at markdown elements, for cards that show user text verbatim in plain_text, which Feishu does not parse
 * (docs/feishu-platform.md#escaping).
 */
export function expectEscaped(card: unknown, where: 'everywhere' | 'markdown' = 'everywhere'): void {
  const texts = where === 'everywhere' ? [JSON.stringify(card)] : markdownOf(card)
  for (const text of texts) {
    if (where === 'everywhere') for (const s of HOSTILE) expect(text, `unescaped ${s}`).not.toContain(JSON.stringify(s).slice(1, -1))
    for (const s of INJECTION_MARKERS) expect(text, `unescaped ${s}`).not.toContain(s)
  }
}
