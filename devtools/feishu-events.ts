// Builds Feishu-shaped events (schema 2.0 envelopes) and encodes them exactly as Feishu sends them:
// AES-256-CBC encrypted, signed with X-Lark-Signature over the raw body. Used by tests, benchmarks and the playground.
import { randomBytes, randomUUID } from 'node:crypto'
import { computeSignature, deriveAesKey, encryptPayload } from '../src/feishu/crypto.js'

export interface EventBuilderOptions {
  appId: string
  verificationToken: string
  /** When set, bodies are encrypted and signed. */
  encryptKey?: string
  botOpenId: string
  botName?: string
  tenantKey?: string
}

export interface Person {
  openId: string
  name?: string
}

export interface MessageEventInput {
  sender: Person | string
  chatId: string
  chatType: 'p2p' | 'group'
  /** Text typed by the user; `@bot` in it is not needed: set mentionBot. */
  text?: string
  /** Put an @-mention of the bot in front of the text (group chats). */
  mentionBot?: boolean
  /** Other people @-mentioned, appended after the text as @_user_N placeholders. */
  mentions?: Person[]
  /**
   * Put each mention where `@<name>` appears in the text (as Feishu does for a mention typed mid-sentence), keys
   * numbered in order of appearance; people whose `@<name>` is not in the text go to the default place.
   */
  inlineMentions?: boolean
  messageType?: 'text' | 'image' | 'file' | 'post'
  /** Raw content object for non-text messages, e.g. {image_key}. */
  content?: Record<string, unknown>
  messageId?: string
  eventId?: string
  createTime?: number
}

export interface CardActionInput {
  operator: Person | string
  /** The behaviour's callback value: an object, or a string (Feishu passes either through). */
  value: Record<string, unknown> | string
  formValue?: Record<string, unknown>
  messageId?: string
  chatId?: string
  eventId?: string
  tag?: string
  option?: string
  /** Multi-select components outside a form. */
  options?: string[]
  /** An input outside a form (sent when it loses focus). */
  inputValue?: string
  /** A checker's new state. */
  checked?: boolean
  /** The component's name. */
  name?: string
}

export interface EncodedRequest {
  body: string
  headers: Record<string, string>
}

export type Envelope = { schema: '2.0'; header: Record<string, string>; event: Record<string, unknown> }

const idOf = (p: Person | string) => (typeof p === 'string' ? p : p.openId)

export class FeishuEventBuilder {
  private readonly aesKey: Buffer | undefined
  private seq = 0

  constructor(readonly opts: EventBuilderOptions) {
    this.aesKey = opts.encryptKey ? deriveAesKey(opts.encryptKey) : undefined
  }

  private header(eventType: string, eventId?: string, createTime?: string): Record<string, string> {
    return {
      event_id: eventId ?? randomBytes(16).toString('hex'),
      token: this.opts.verificationToken,
      create_time: createTime ?? String(Date.now()),
      event_type: eventType,
      tenant_key: this.opts.tenantKey ?? 'tenant_union',
      app_id: this.opts.appId,
    }
  }

  message(input: MessageEventInput): Envelope {
    const messageType = input.messageType ?? 'text'
    const mentions: Array<Record<string, unknown>> = []
    let text = input.text ?? ''
    const addMention = (p: Person, position: 'front' | 'back') => {
      const key = `@_user_${mentions.length + 1}`
      mentions.push({ key, id: { open_id: p.openId, union_id: `on_${p.openId}`, user_id: p.openId }, name: p.name ?? p.openId, tenant_key: this.opts.tenantKey ?? 'tenant_union' })
      text = position === 'front' ? `${key} ${text}` : `${text} ${key}`
    }
    const bot: Person = { openId: this.opts.botOpenId, name: this.opts.botName ?? '工会助手' }
    const others = input.mentions ?? []
    if (input.inlineMentions) {
      const candidates = [...(input.mentionBot ? [bot] : []), ...others].filter((p) => p.name)
      const placed = new Set<Person>()
      let out = ''
      for (let i = 0; i < text.length; ) {
        // The longest name wins, so "@张伟伟" is not read as "@张伟" followed by "伟".
        const hit = text[i] === '@' ? candidates.filter((p) => text.startsWith(`@${p.name}`, i)).sort((a, b) => b.name!.length - a.name!.length)[0] : undefined
        if (!hit) {
          out += text[i++]
          continue
        }
        const key = `@_user_${mentions.length + 1}`
        mentions.push({ key, id: { open_id: hit.openId, union_id: `on_${hit.openId}`, user_id: hit.openId }, name: hit.name, tenant_key: this.opts.tenantKey ?? 'tenant_union' })
        placed.add(hit)
        out += key
        i += hit.name!.length + 1
      }
      text = out
      if (input.mentionBot && !placed.has(bot)) addMention(bot, 'front')
      for (const p of others) if (!placed.has(p)) addMention(p, 'back')
    } else {
      if (input.mentionBot) addMention(bot, 'front')
      for (const p of others) addMention(p, 'back')
    }
    const content = messageType === 'text' ? { text } : (input.content ?? {})
    const now = input.createTime ?? Date.now()
    const sender = idOf(input.sender)
    return {
      schema: '2.0',
      header: this.header('im.message.receive_v1', input.eventId, String(now)),
      event: {
        sender: { sender_id: { open_id: sender, union_id: `on_${sender}`, user_id: sender }, sender_type: 'user', tenant_key: this.opts.tenantKey ?? 'tenant_union' },
        message: {
          message_id: input.messageId ?? `om_user_${++this.seq}_${randomBytes(4).toString('hex')}`,
          create_time: String(now),
          update_time: String(now),
          chat_id: input.chatId,
          chat_type: input.chatType,
          message_type: messageType,
          content: JSON.stringify(content),
          ...(mentions.length ? { mentions } : {}),
        },
      },
    }
  }

  cardAction(input: CardActionInput): Envelope {
    return {
      schema: '2.0',
      // card.action.trigger create_time is in microseconds (docs/feishu-platform.md#card-callbacks).
      header: this.header('card.action.trigger', input.eventId, String(Date.now() * 1000)),
      event: {
        operator: { tenant_key: this.opts.tenantKey ?? 'tenant_union', open_id: idOf(input.operator), union_id: `on_${idOf(input.operator)}` },
        token: `c-${randomUUID()}`,
        action: {
          value: input.value,
          tag: input.tag ?? 'button',
          timezone: 'Asia/Shanghai',
          ...(input.formValue ? { form_value: input.formValue } : {}),
          ...(input.option ? { option: input.option } : {}),
          ...(input.options ? { options: input.options } : {}),
          ...(input.inputValue !== undefined ? { input_value: input.inputValue } : {}),
          ...(input.checked !== undefined ? { checked: input.checked } : {}),
          ...(input.name ? { name: input.name } : {}),
        },
        host: 'im_message',
        context: { open_message_id: input.messageId ?? `om_card_${randomBytes(4).toString('hex')}`, open_chat_id: input.chatId ?? 'oc_unknown' },
      },
    }
  }

  botAdded(chatId: string, operator: Person | string, name = '测试群'): Envelope {
    return {
      schema: '2.0',
      header: this.header('im.chat.member.bot.added_v1'),
      event: { chat_id: chatId, operator_id: { open_id: idOf(operator) }, external: false, operator_tenant_key: 'tenant_union', name },
    }
  }

  /** contact.user.deleted_v3: someone left the company (object: the user as they were). */
  userDeleted(person: Person | string, eventId?: string): Envelope {
    const openId = idOf(person)
    return {
      schema: '2.0',
      header: this.header('contact.user.deleted_v3', eventId),
      event: { object: { open_id: openId, union_id: `on_${openId}`, user_id: openId, name: typeof person === 'string' ? '' : (person.name ?? '') }, old_object: {} },
    }
  }

  botMenu(operator: Person | string, eventKey: string): Envelope {
    return {
      schema: '2.0',
      header: this.header('application.bot.menu_v6'),
      event: { operator: { operator_id: { open_id: idOf(operator) } }, event_key: eventKey, timestamp: Math.floor(Date.now() / 1000) },
    }
  }

  /**
   * Someone opened their private chat with the bot (v2): `lastMessageId` absent means the chat has no message yet.
   */
  p2pEntered(person: Person | string, chatId: string, lastMessageId?: string): Envelope {
    return {
      schema: '2.0',
      header: this.header('im.chat.access_event.bot_p2p_chat_entered_v1'),
      event: { chat_id: chatId, operator_id: { open_id: idOf(person), union_id: `on_${idOf(person)}`, user_id: idOf(person) }, ...(lastMessageId ? { last_message_id: lastMessageId, last_message_create_time: String(Date.now()) } : {}) },
    }
  }

  /** The v1 p2p_chat_create event (shaped as shared/feishu/samples/event-v1.p2p_chat_create.json): first contact. */
  p2pChatCreate(person: Person | string, chatId: string, uuid?: string): Record<string, unknown> {
    const openId = idOf(person)
    return {
      ts: (Date.now() / 1000).toFixed(7),
      uuid: uuid ?? randomBytes(16).toString('hex'),
      token: this.opts.verificationToken,
      type: 'event_callback',
      event: {
        app_id: this.opts.appId,
        chat_id: chatId,
        operator: { open_id: openId, user_id: openId },
        tenant_key: this.opts.tenantKey ?? 'tenant_union',
        type: 'p2p_chat_create',
        user: { name: typeof person === 'string' ? '' : (person.name ?? ''), open_id: openId, user_id: openId },
      },
    }
  }

  challenge(challenge: string, token = this.opts.verificationToken): Record<string, unknown> {
    return { challenge, token, type: 'url_verification' }
  }

  /** Serializes (and, with an encrypt key, encrypts and signs) a payload as Feishu would put it on the wire. */
  encode(payload: unknown, opts: { timestamp?: number; nonce?: string; encrypt?: boolean; sign?: boolean } = {}): EncodedRequest {
    const plaintext = JSON.stringify(payload)
    const encrypt = opts.encrypt ?? this.aesKey !== undefined
    const body = encrypt && this.aesKey ? JSON.stringify({ encrypt: encryptPayload(this.aesKey, plaintext) }) : plaintext
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
    if (this.opts.encryptKey && opts.sign !== false) {
      const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000))
      const nonce = opts.nonce ?? randomBytes(8).toString('hex')
      headers['x-lark-request-timestamp'] = timestamp
      headers['x-lark-request-nonce'] = nonce
      headers['x-lark-signature'] = computeSignature(timestamp, nonce, this.opts.encryptKey, Buffer.from(body, 'utf8'))
    }
    return { body, headers }
  }
}

/** POSTs an encoded request to the bot and returns status and parsed JSON (or text). */
export async function postToBot(baseUrl: string, path: string, req: EncodedRequest): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: req.headers, body: req.body })
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // not JSON
  }
  return { status: res.status, body }
}
