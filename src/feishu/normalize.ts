// Turns a decrypted Feishu envelope into one of our Update types, or says why it cannot.
// Field names follow docs/feishu-platform.md (#envelope, #card-callbacks, #other-events; schema 2.0 envelopes).
import type { Attachment, CardAction, IncomingMessage, Mention, Update } from './updates.js'

export type NormalizeResult =
  /** dedupKey: what makes a redelivery recognisable (see inbox_events in migrations/0001). */
  | { ok: true; update: Update; dedupKey: string }
  | { ok: false; reason: 'unknown_type'; eventType: string }
  | { ok: false; reason: 'malformed'; detail: string }

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)

/**
 * Feishu ids (event_id, om_…, oc_…, ou_…) are short printable ASCII. Anything else did not come from Feishu and
 * must not reach a unique index (a 20 KB "id" would overflow the btree row limit).
 */
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/
const id = (v: unknown): string | undefined => (typeof v === 'string' && ID_PATTERN.test(v) ? v : undefined)

/** Header of a schema 2.0 envelope: what the webhook needs before normalizing (token, id, type). */
export interface EnvelopeHeader {
  eventId: string
  eventType: string
  token: string | undefined
  /** header.create_time in Unix milliseconds, when it reads as a time (see createTimeMs). */
  createTimeMs: number | undefined
}

/**
 * header.create_time is a string of milliseconds for events (docs/feishu-platform.md#envelope) and of microseconds for
 * card.action.trigger (§4); seconds are read too. Until the year 5138 the three never overlap in magnitude, so the
 * size of the number tells the unit. Anything else (not digits, absurdly large) cannot be dated.
 */
export function createTimeMs(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,18}$/.test(v) ? Number(v) : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined
  if (n === undefined) return undefined
  if (n < 1e11) return n * 1000
  if (n < 1e14) return n
  if (n < 1e17) return Math.floor(n / 1000)
  return undefined
}

export function readHeader(body: Obj): EnvelopeHeader | undefined {
  const header = body.header
  if (body.schema !== '2.0' || !isObj(header)) return undefined
  const eventId = id(header.event_id)
  const eventType = id(header.event_type)
  if (!eventId || !eventType) return undefined
  return { eventId, eventType, token: typeof header.token === 'string' ? header.token : undefined, createTimeMs: createTimeMs(header.create_time) }
}

/**
 * Deepest nesting a decoded body may have. Feishu's envelopes nest 5 (card.action.trigger) to 6
 * (im.message.receive_v1) levels in the documented samples, and the values the bot puts on its own cards are flat;
 * 64 leaves ample room while a body nested thousands deep (which JSON.parse accepts but JSON.stringify, the inbox
 * and jsonb cannot take) is refused with 400 here, before it reaches the store (security review F10).
 */
export const MAX_BODY_DEPTH = 64

/** Whether any value in `root` is nested deeper than `limit` (iterative: a deep body cannot overflow the stack). */
export function nestedDeeperThan(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth > limit) return true
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}

export function normalizeEnvelope(body: Obj): NormalizeResult {
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) return { ok: false, reason: 'malformed', detail: `body nested deeper than ${MAX_BODY_DEPTH} levels` }
  // A v1 envelope ({uuid, token, type: 'event_callback', event: {type, …}}): only p2p_chat_create is read from it.
  if (body.schema === undefined && body.type === 'event_callback' && isObj(body.event)) return normalizeV1(body, body.event)
  const header = readHeader(body)
  if (!header) return { ok: false, reason: 'malformed', detail: 'not a schema 2.0 envelope' }
  const event = body.event
  if (!isObj(event)) return { ok: false, reason: 'malformed', detail: 'event is not an object' }
  try {
    switch (header.eventType) {
      case 'im.message.receive_v1': {
        const message = normalizeMessage(event)
        // Feishu's receive-message doc: de-duplicate on message_id, not only event_id (docs/feishu-platform.md#delivery).
        return { ok: true, update: { kind: 'message', eventId: header.eventId, message }, dedupKey: `msg:${message.messageId}` }
      }
      case 'card.action.trigger':
        return { ok: true, update: { kind: 'card_action', eventId: header.eventId, action: normalizeCardAction(event) }, dedupKey: `evt:${header.eventId}` }
      case 'application.bot.menu_v6': {
        const operator = isObj(event.operator) && isObj(event.operator.operator_id) ? event.operator.operator_id : {}
        const operatorOpenId = need(id(operator.open_id), 'operator.operator_id.open_id')
        // The console limits event_key to 30 characters.
        const eventKey = need(typeof event.event_key === 'string' && event.event_key.length <= 64 ? str(event.event_key) : undefined, 'event_key')
        return { ok: true, update: { kind: 'bot_menu', eventId: header.eventId, operatorOpenId, eventKey }, dedupKey: `evt:${header.eventId}` }
      }
      case 'im.chat.member.bot.added_v1': {
        const chatId = need(id(event.chat_id), 'chat_id')
        const operator = isObj(event.operator_id) ? event.operator_id : {}
        const chatName = typeof event.name === 'string' ? event.name.slice(0, 200) : ''
        return {
          ok: true,
          update: { kind: 'bot_added', eventId: header.eventId, chatId, chatName, operatorOpenId: id(operator.open_id) },
          dedupKey: `evt:${header.eventId}`,
        }
      }
      case 'im.chat.access_event.bot_p2p_chat_entered_v1': {
        // Someone opened their private chat with the bot (self-built apps, client 7.18+; docs/feishu-platform.md#other-events).
        // Fired on every visit: last_message_id says whether the chat already has messages.
        const chatId = need(id(event.chat_id), 'chat_id')
        const operator = isObj(event.operator_id) ? event.operator_id : {}
        const openId = need(id(operator.open_id), 'operator_id.open_id')
        return { ok: true, update: { kind: 'p2p_entered', eventId: header.eventId, openId, chatId, firstTime: !str(event.last_message_id) }, dedupKey: `evt:${header.eventId}` }
      }
      case 'contact.user.deleted_v3': {
        // event.object is the user as they were (open_id among the ids); needs the contact:user.base:readonly scope
        // and the event subscription (README, Feishu app setup).
        const object = isObj(event.object) ? event.object : {}
        const openId = need(id(object.open_id), 'object.open_id')
        return { ok: true, update: { kind: 'user_left', eventId: header.eventId, openId }, dedupKey: `evt:${header.eventId}` }
      }
      default:
        return { ok: false, reason: 'unknown_type', eventType: header.eventType }
    }
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: err instanceof Error ? err.message : 'invalid event' }
  }
}

/**
 * v1 events (REFERENCE §8): `uuid` is the event id, `event.type` the type. p2p_chat_create comes once, when someone
 * first opens their private chat with the bot (`event.user` is that person, `event.chat_id` the chat).
 */
function normalizeV1(body: Obj, event: Obj): NormalizeResult {
  const eventType = id(event.type)
  const eventId = id(body.uuid)
  if (!eventType || !eventId) return { ok: false, reason: 'malformed', detail: 'v1 event without uuid or type' }
  if (eventType !== 'p2p_chat_create') return { ok: false, reason: 'unknown_type', eventType }
  const user = isObj(event.user) ? event.user : isObj(event.operator) ? event.operator : {}
  const openId = id(user.open_id)
  const chatId = id(event.chat_id)
  if (!openId || !chatId) return { ok: false, reason: 'malformed', detail: 'missing user.open_id or chat_id' }
  return { ok: true, update: { kind: 'p2p_entered', eventId, openId, chatId, firstTime: true }, dedupKey: `evt:${eventId}` }
}

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`missing ${field}`)
  return value
}

function normalizeMessage(event: Obj): IncomingMessage {
  const sender = isObj(event.sender) ? event.sender : {}
  const senderId = isObj(sender.sender_id) ? sender.sender_id : {}
  const m = isObj(event.message) ? event.message : {}
  const chatType = m.chat_type === 'p2p' ? 'p2p' : m.chat_type === 'group' ? 'group' : undefined
  const messageType = need(id(m.message_type), 'message.message_type')
  const mentions: Mention[] = Array.isArray(m.mentions)
    ? m.mentions.filter(isObj).map((x) => ({
        key: typeof x.key === 'string' ? x.key.slice(0, 32) : '',
        openId: isObj(x.id) ? id(x.id.open_id) : undefined,
        name: typeof x.name === 'string' ? x.name.slice(0, 100) : '',
      }))
    : []
  const { text, attachments } = parseContent(messageType, m.content)
  const createTime = Number(m.create_time)
  return {
    messageId: need(id(m.message_id), 'message.message_id'),
    chatId: need(id(m.chat_id), 'message.chat_id'),
    chatType: need(chatType, 'message.chat_type'),
    senderOpenId: need(id(senderId.open_id), 'sender.sender_id.open_id'),
    messageType,
    rawText: text,
    mentions,
    attachments,
    createTime: Number.isFinite(createTime) ? createTime : 0,
    ...(id(m.parent_id) ? { parentId: id(m.parent_id) } : {}),
  }
}

/** message.content is a JSON string whose shape depends on message_type. Unparseable content reads as empty. */
function parseContent(messageType: string, content: unknown): { text: string; attachments: Attachment[] } {
  if (typeof content !== 'string') return { text: '', attachments: [] }
  let c: unknown
  try {
    c = JSON.parse(content)
  } catch {
    return { text: '', attachments: [] }
  }
  if (!isObj(c)) return { text: '', attachments: [] }
  switch (messageType) {
    case 'text':
      return { text: typeof c.text === 'string' ? c.text : '', attachments: [] }
    case 'image': {
      const key = id(c.image_key)
      return { text: '', attachments: key ? [{ kind: 'image', key }] : [] }
    }
    case 'file': {
      const key = id(c.file_key)
      const name = typeof c.file_name === 'string' && c.file_name ? c.file_name.slice(0, 200) : undefined
      return { text: '', attachments: key ? [{ kind: 'file', key, ...(name ? { name } : {}) }] : [] }
    }
    case 'post':
      return parsePost(c)
    default:
      return { text: '', attachments: [] }
  }
}

/** Rich-text (post) messages: paragraphs of text/at/a/img nodes. Mentions keep their placeholder. */
function parsePost(c: Obj): { text: string; attachments: Attachment[] } {
  const body = Array.isArray(c.content) ? c : isObj(c.zh_cn) ? c.zh_cn : isObj(c.en_us) ? c.en_us : c
  const attachments: Attachment[] = []
  const lines: string[] = []
  if (typeof body.title === 'string' && body.title.trim()) lines.push(body.title)
  const paragraphs = Array.isArray(body.content) ? body.content : []
  for (const para of paragraphs) {
    if (!Array.isArray(para)) continue
    let line = ''
    for (const node of para) {
      if (!isObj(node)) continue
      if (node.tag === 'text' || node.tag === 'a') line += typeof node.text === 'string' ? node.text : ''
      else if (node.tag === 'at') line += typeof node.user_id === 'string' ? node.user_id : ''
      else if (node.tag === 'img') {
        const key = id(node.image_key)
        if (key) attachments.push({ kind: 'image', key })
      } else if (node.tag === 'media') {
        const key = id(node.file_key)
        if (key) attachments.push({ kind: 'file', key })
      }
    }
    lines.push(line)
  }
  return { text: lines.join('\n'), attachments }
}

function normalizeCardAction(event: Obj): CardAction {
  const operator = isObj(event.operator) ? event.operator : {}
  const action = isObj(event.action) ? event.action : {}
  const context = isObj(event.context) ? event.context : {}
  let value: Obj = {}
  if (isObj(action.value)) value = action.value
  else if (typeof action.value === 'string') {
    try {
      const parsed: unknown = JSON.parse(action.value)
      if (isObj(parsed)) value = parsed
    } catch {
      value = {}
    }
  }
  const result: CardAction = {
    operatorOpenId: need(id(operator.open_id), 'operator.open_id'),
    name: typeof value.action === 'string' ? value.action.slice(0, 100) : '',
    value,
    formValue: isObj(action.form_value) ? action.form_value : {},
    messageId: id(context.open_message_id),
    chatId: id(context.open_chat_id),
    token: id(event.token),
  }
  if (typeof action.option === 'string') result.option = action.option
  if (typeof action.input_value === 'string') result.inputValue = action.input_value
  return result
}
