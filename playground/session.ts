// The playground's side of "Feishu the client": what each person typed and clicked, turned into real events
// (encrypted and signed by devtools/feishu-events.ts) and POSTed to the bot's own webhook; and the chats as the
// page shows them, built from what the bot sent to the stand-in Open API (devtools/fake-open-api.ts).
// Logs carry ids only, never message text or card content.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { DeliveredMessage, FakeOpenApi } from '../devtools/fake-open-api.js'
import { postToBot, type CardActionInput, type FeishuEventBuilder } from '../devtools/feishu-events.js'
import type { Logger } from '../src/logger.js'
import { p2pChatId, type Cast, type CastChat, type CastPerson } from './cast.js'

/** A 1×1 PNG: what a picture sent in the playground is (the bot only ever handles its bytes and key). */
const PLACEHOLDER_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

export interface PlaygroundMessage {
  id: string
  chatId: string
  /** open_id of the sender; the bot's open_id for what the bot sent. */
  sender: string
  kind: 'text' | 'card' | 'image' | 'file' | 'system' | 'other'
  /** text: what was typed or sent; system: the notice; other: the msg_type. */
  text?: string
  /** The card as it is now (after PATCHes and callback answers). */
  card?: unknown
  /** Image key (placeholder) or file. */
  imageKey?: string
  file?: { key: string; name: string; size: number }
  replyTo?: string
  at: number
  /** 1 when sent, +1 for every update: the page re-renders a card in place when it grows. */
  version: number
}

export type SessionEvent =
  | { type: 'upsert'; message: PlaygroundMessage }
  | { type: 'cast'; people: CastPerson[]; chats: CastChat[] }
  | { type: 'reset' }

export interface ActionRequest {
  messageId: string
  value: Record<string, unknown> | string
  tag?: string
  name?: string
  formValue?: Record<string, unknown>
  option?: string
  options?: string[]
  inputValue?: string
  checked?: boolean
}

export interface ActionOutcome {
  /** HTTP status of the bot's /feishu/cards answer. */
  status: number
  toast?: { type: string; content: string }
  cardReplaced: boolean
}

export class PlaygroundError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

interface SavedState {
  version: 1
  userMessages: PlaygroundMessage[]
  delivered: DeliveredMessage[]
  inboundChats: Array<[string, string]>
  files: Array<{ key: string; name: string; data: string }>
}

const STATE_VERSION = 1

export interface SessionOptions {
  fake: FakeOpenApi
  events: FeishuEventBuilder
  cast: Cast
  log: Logger
  /** Where the chats are kept between runs; none keeps them in memory only. */
  stateFile?: string
}

export class PlaygroundSession {
  readonly cast: Cast
  private readonly fake: FakeOpenApi
  private readonly events: FeishuEventBuilder
  private readonly log: Logger
  private readonly stateFile: string | undefined
  /** Messages people sent, and notices (the bot joined a group). */
  private readonly own: PlaygroundMessage[] = []
  /** Files people sent from the page, by file_key (downloadable from their own message). */
  private readonly sentFiles = new Map<string, { name: string; data: Buffer }>()
  private readonly versions = new Map<string, number>()
  private readonly subscribers = new Set<(event: SessionEvent) => void>()
  private readonly extraPeople = new Map<string, CastPerson>()
  private readonly extraChats = new Map<string, CastChat>()
  private readonly unsubscribe: () => void
  private saveTimer: NodeJS.Timeout | undefined
  private botUrl: string | undefined

  constructor(opts: SessionOptions) {
    this.fake = opts.fake
    this.events = opts.events
    this.cast = opts.cast
    this.log = opts.log
    this.stateFile = opts.stateFile
    // The stand-in contact directory knows each person's department (as an app with the contact scope would), so the
    // 入会 card and 慰问 entries show 一车间 rather than 未填部门 (QA F18).
    const departmentIds = new Map<string, string>()
    for (const p of this.cast.people) {
      if (p.department && !departmentIds.has(p.department)) {
        departmentIds.set(p.department, `od_pg_${departmentIds.size + 1}`)
        this.fake.departments.set(departmentIds.get(p.department)!, { name: p.department })
      }
      this.fake.users.set(p.openId, { name: p.name, ...(p.department ? { departmentIds: [departmentIds.get(p.department)!] } : {}) })
    }
    // 设为委员会群 reads who is in a group (QA F1): the fake answers from the cast's chats.
    for (const c of this.cast.chats) {
      this.fake.chatMembers.set(c.chatId, [...c.members])
      this.fake.chatNames.set(c.chatId, c.name)
    }
    this.unsubscribe = this.fake.onChange(() => this.syncDelivered())
  }

  get botOpenId(): string {
    return this.fake.botOpenId
  }
  get botName(): string {
    return this.fake.botName
  }

  /** The bot's base URL, known once it listens. */
  attach(botUrl: string): void {
    this.botUrl = botUrl
  }

  people(): CastPerson[] {
    return [...this.cast.people, ...this.extraPeople.values()]
  }

  chats(): CastChat[] {
    return [...this.cast.chats, ...this.extraChats.values()]
  }

  person(openId: string): CastPerson | undefined {
    return this.people().find((p) => p.openId === openId)
  }

  chat(chatId: string): CastChat | undefined {
    return this.chats().find((c) => c.chatId === chatId)
  }

  /** Every message in every chat, oldest first. */
  messages(): PlaygroundMessage[] {
    const all = [...this.own]
    for (const m of this.fake.messages) {
      const view = this.viewOf(m)
      if (view) all.push(view)
    }
    return all.sort((a, b) => a.at - b.at)
  }

  message(id: string): PlaygroundMessage | undefined {
    return this.own.find((m) => m.id === id) ?? this.botMessage(id)
  }

  /** A file the bot sent (CSV rosters, reports) or one a person sent from the page. */
  file(key: string): { name: string; data: Buffer } | undefined {
    return this.fake.files.get(key) ?? this.sentFiles.get(key)
  }

  subscribe(fn: (event: SessionEvent) => void): () => void {
    this.subscribers.add(fn)
    return () => this.subscribers.delete(fn)
  }

  /** A person types in a chat. Mentions are written `@名字` (the bot's name in groups, to address it). */
  async sendText(asOpenId: string, chatId: string, text: string): Promise<{ messageId: string; status: number }> {
    const { person, chat } = this.check(asOpenId, chatId)
    if (!text.trim()) throw new PlaygroundError(400, 'empty message')
    // Any member can be mentioned, oneself included (Feishu lists you too: an officer may write `代表 添加 @自己`).
    const mentions = this.chatMembers(chat)
      .filter((p) => text.includes(`@${p.name}`))
      .map((p) => ({ openId: p.openId, name: p.name }))
    const envelope = this.events.message({
      sender: { openId: person.openId, name: person.name },
      chatId: chat.chatId,
      chatType: chat.kind,
      text,
      mentionBot: text.includes(`@${this.botName}`),
      mentions,
      inlineMentions: true,
    })
    const messageId = (envelope.event.message as { message_id: string }).message_id
    this.addOwn({ id: messageId, chatId: chat.chatId, sender: person.openId, kind: 'text', text, at: Date.now(), version: 1 })
    this.fake.inboundChats.set(messageId, chat.chatId)
    const status = await this.post('/feishu/events', envelope)
    this.log.debug({ messageId, chatId: chat.chatId, status }, 'playground: message posted to the webhook')
    return { messageId, status }
  }

  /** A person sends a picture (shown as a placeholder with its key, as the bot only ever sees the key). */
  async sendImage(asOpenId: string, chatId: string): Promise<{ messageId: string; status: number }> {
    const { person, chat } = this.check(asOpenId, chatId)
    const imageKey = `img_v3_pg_${Date.now().toString(36)}`
    const envelope = this.events.message({ sender: person.openId, chatId: chat.chatId, chatType: chat.kind, messageType: 'image', content: { image_key: imageKey } })
    const messageId = (envelope.event.message as { message_id: string }).message_id
    // The stand-in serves the picture as a message resource, as Feishu does, so the bot can fetch it as evidence.
    this.fake.inboundFiles.set(`${messageId}/${imageKey}`, PLACEHOLDER_PNG)
    this.addOwn({ id: messageId, chatId: chat.chatId, sender: person.openId, kind: 'image', imageKey, at: Date.now(), version: 1 })
    this.fake.inboundChats.set(messageId, chat.chatId)
    return { messageId, status: await this.post('/feishu/events', envelope) }
  }

  /**
   * A person sends a file (e.g. the member list after 会员 导入): a file message whose resource the stand-in serves
   * at GET /open-apis/im/v1/messages/:message_id/resources/:file_key, as Feishu does, so the bot downloads it.
   */
  async sendFile(asOpenId: string, chatId: string, name: string, data: Buffer): Promise<{ messageId: string; status: number }> {
    const { person, chat } = this.check(asOpenId, chatId)
    const fileKey = `file_v3_pg_${Date.now().toString(36)}_${this.own.length}`
    const messageId = `om_user_file_${Date.now().toString(36)}_${this.own.length}`
    this.fake.inboundFiles.set(`${messageId}/${fileKey}`, data)
    this.sentFiles.set(fileKey, { name, data })
    const envelope = this.events.message({ sender: person.openId, chatId: chat.chatId, chatType: chat.kind, messageType: 'file', content: { file_key: fileKey, file_name: name }, messageId })
    this.addOwn({ id: messageId, chatId: chat.chatId, sender: person.openId, kind: 'file', file: { key: fileKey, name, size: data.length }, at: Date.now(), version: 1 })
    this.fake.inboundChats.set(messageId, chat.chatId)
    return { messageId, status: await this.post('/feishu/events', envelope) }
  }

  /** Someone adds the bot to a group (im.chat.member.bot.added_v1). */
  async botAdded(chatId: string, byOpenId: string): Promise<number> {
    const { person, chat } = this.check(byOpenId, chatId)
    if (chat.kind !== 'group') throw new PlaygroundError(400, 'the bot can only be added to groups')
    this.addOwn({ id: `sys_${Date.now().toString(36)}_${this.own.length}`, chatId, sender: person.openId, kind: 'system', text: `${person.name} 将 ${this.botName} 添加到群聊`, at: Date.now(), version: 1 })
    return this.post('/feishu/events', this.events.botAdded(chat.chatId, person.openId, chat.name))
  }

  /**
   * A person clicks a button, submits a form or changes a standalone component on a card: card.action.trigger to
   * /feishu/cards, with context.open_message_id/open_chat_id of the card. The answer is applied as Feishu applies
   * it: the toast is shown to the clicker, a raw 2.0 card replaces the card for everyone.
   */
  async cardAction(asOpenId: string, req: ActionRequest): Promise<ActionOutcome> {
    const target = this.botMessage(req.messageId)
    if (!target || target.kind !== 'card') throw new PlaygroundError(404, 'no such card')
    const { person, chat } = this.check(asOpenId, target.chatId)
    // Feishu sends back only a value the card itself carries; a forged one (another card's action) never arrives.
    if (!callbackValuesOf(target.card).some((v) => isDeepStrictEqual(v, req.value))) {
      this.log.debug({ messageId: target.id }, 'playground: card action refused (value not on the card)')
      throw new PlaygroundError(400, '这张卡片上没有这个操作：只能点击卡片上已有的按钮或组件')
    }
    const input: CardActionInput = { operator: person.openId, value: req.value, messageId: target.id, chatId: chat.chatId }
    if (req.tag) input.tag = req.tag
    if (req.name) input.name = req.name
    if (req.formValue) input.formValue = req.formValue
    if (req.option !== undefined) input.option = req.option
    if (req.options) input.options = req.options
    if (req.inputValue !== undefined) input.inputValue = req.inputValue
    if (req.checked !== undefined) input.checked = req.checked
    const envelope = this.events.cardAction(input)
    const res = await postToBot(this.requireBotUrl(), '/feishu/cards', this.events.encode(envelope))
    this.log.debug({ messageId: target.id, status: res.status }, 'playground: card action answered')
    return this.applyAnswer(target.id, res.status, res.body)
  }

  private applyAnswer(messageId: string, status: number, body: unknown): ActionOutcome {
    // Client-side error codes Feishu shows when a callback answer is unusable (docs/feishu-platform.md#callback-client-errors).
    if (status !== 200) return { status, cardReplaced: false, toast: { type: 'error', content: `出错了，请稍后重试（200671：回调返回 HTTP ${status}）` } }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { status, cardReplaced: false, toast: { type: 'error', content: '出错了，请稍后重试（200672：回调返回的内容无效）' } }
    const answer = body as { toast?: unknown; card?: { type?: unknown; data?: unknown } }
    const outcome: ActionOutcome = { status, cardReplaced: false }
    const toast = answer.toast as { type?: unknown; content?: unknown } | undefined
    if (toast && typeof toast.content === 'string') outcome.toast = { type: typeof toast.type === 'string' ? toast.type : 'info', content: toast.content }
    if (answer.card !== undefined) {
      const data = answer.card.data as { schema?: unknown } | undefined
      if (answer.card.type !== 'raw') {
        outcome.toast = { type: 'warning', content: '演示环境不支持模板卡片（card.type = template）' }
      } else if (data?.schema !== '2.0') {
        outcome.toast = { type: 'error', content: '出错了，请稍后重试（200830：2.0 卡片须以 2.0 卡片回复）' }
      } else {
        outcome.cardReplaced = this.fake.applyCallbackCard(messageId, data)
      }
    }
    return outcome
  }

  /** Forgets every chat (before re-seeding a fresh database). */
  clear(): void {
    this.own.length = 0
    this.fake.reset()
    this.fake.inboundChats.clear()
    this.fake.files.clear()
    this.versions.clear()
    this.extraPeople.clear()
    this.extraChats.clear()
    this.emit({ type: 'reset' })
    this.scheduleSave()
  }

  /** Loads the chats of an earlier run; false when there is nothing (usable) to load. */
  load(): boolean {
    if (!this.stateFile) return false
    let saved: SavedState
    try {
      saved = JSON.parse(readFileSync(this.stateFile, 'utf8')) as SavedState
    } catch {
      return false
    }
    if (saved.version !== STATE_VERSION) return false
    this.own.push(...saved.userMessages)
    for (const [messageId, chatId] of saved.inboundChats) this.fake.inboundChats.set(messageId, chatId)
    for (const f of saved.files) this.fake.files.set(f.key, { name: f.name, data: Buffer.from(f.data, 'base64') })
    this.fake.restore(saved.delivered)
    return true
  }

  /** Writes the chats now (at shutdown); otherwise they are written shortly after each change. */
  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = undefined
    if (!this.stateFile) return
    const state: SavedState = {
      version: STATE_VERSION,
      userMessages: this.own,
      delivered: this.fake.messages,
      inboundChats: [...this.fake.inboundChats],
      files: [...this.fake.files].map(([key, f]) => ({ key, name: f.name, data: f.data.toString('base64') })),
    }
    try {
      // The chats hold what people typed (grievances included): owner only, also when created by an older version.
      const dir = dirname(this.stateFile)
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      chmodSync(dir, 0o700)
      const tmp = `${this.stateFile}.tmp`
      writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 })
      chmodSync(tmp, 0o600)
      renameSync(tmp, this.stateFile)
    } catch (err) {
      this.log.warn({ code: (err as NodeJS.ErrnoException).code }, 'playground: could not save the chats')
    }
  }

  close(): void {
    this.unsubscribe()
    this.subscribers.clear()
    this.saveNow()
  }

  private scheduleSave(): void {
    if (!this.stateFile || this.saveTimer) return
    this.saveTimer = setTimeout(() => this.saveNow(), 300)
    this.saveTimer.unref()
  }

  private check(asOpenId: string, chatId: string): { person: CastPerson; chat: CastChat } {
    const person = this.person(asOpenId)
    if (!person) throw new PlaygroundError(400, 'unknown person')
    const chat = this.chat(chatId)
    if (!chat) throw new PlaygroundError(404, 'unknown chat')
    if (!chat.members.includes(person.openId)) throw new PlaygroundError(403, 'not a member of this chat')
    return { person, chat }
  }

  private chatMembers(chat: CastChat): CastPerson[] {
    return chat.members.map((id) => this.person(id)).filter((p): p is CastPerson => p !== undefined)
  }

  private addOwn(m: PlaygroundMessage): void {
    this.own.push(m)
    this.emit({ type: 'upsert', message: m })
    this.scheduleSave()
  }

  private botMessage(id: string): PlaygroundMessage | undefined {
    const m = this.fake.messages.find((x) => x.messageId === id)
    return m ? this.viewOf(m) : undefined
  }

  /** A delivered message as the page shows it: in the chat it landed in (a message to an open_id: their p2p chat). */
  private viewOf(m: DeliveredMessage): PlaygroundMessage | undefined {
    const chatId = m.chatId ?? (m.receiveIdType === 'open_id' && m.receiveId ? p2pChatId(m.receiveId) : undefined)
    if (!chatId) return undefined
    const base = { id: m.messageId, chatId, sender: this.fake.botOpenId, at: m.at, version: 1 + m.patches.length, ...(m.replyTo ? { replyTo: m.replyTo } : {}) }
    switch (m.msgType) {
      case 'text':
        return { ...base, kind: 'text', text: String(m.content?.text ?? '') }
      case 'interactive':
        return { ...base, kind: 'card', card: m.patches.length ? m.patches[m.patches.length - 1] : m.content }
      case 'image':
        return { ...base, kind: 'image', imageKey: String(m.content?.image_key ?? '') }
      case 'file': {
        const key = String(m.content?.file_key ?? '')
        const f = this.fake.files.get(key)
        return { ...base, kind: 'file', file: { key, name: f?.name ?? key, size: f?.data.length ?? 0 } }
      }
      default:
        return { ...base, kind: 'other', text: m.msgType }
    }
  }

  /** After each Open API call: new or updated messages go to the page; unknown recipients become visible. */
  private syncDelivered(): void {
    // The stand-in records every request for tests; a long-running playground keeps only the recent ones.
    if (this.fake.requests.length > 2000) this.fake.requests.splice(0, this.fake.requests.length - 1000)
    let castChanged = false
    for (const m of this.fake.messages) {
      const version = 1 + m.patches.length
      if (this.versions.get(m.messageId) === version) continue
      this.versions.set(m.messageId, version)
      const view = this.viewOf(m)
      if (!view) continue
      castChanged = this.discover(m, view.chatId) || castChanged
      this.emit({ type: 'upsert', message: view })
    }
    if (castChanged) this.emit({ type: 'cast', people: this.people(), chats: this.chats() })
    this.scheduleSave()
  }

  /** The bot may write to people and chats outside the cast (e.g. an officer from UNION_OFFICER_OPEN_IDS). */
  private discover(m: DeliveredMessage, chatId: string): boolean {
    if (this.chat(chatId)) return false
    if (m.receiveIdType === 'open_id' && m.receiveId) {
      if (!this.person(m.receiveId)) {
        this.extraPeople.set(m.receiveId, { openId: m.receiveId, name: this.fake.users.get(m.receiveId)?.name ?? m.receiveId, role: 'worker', roleLabel: '其他收件人', department: '' })
      }
      this.extraChats.set(chatId, { chatId, name: this.person(m.receiveId)!.name, kind: 'p2p', members: [m.receiveId], description: '工会助手私聊的其他人' })
    } else {
      this.extraChats.set(chatId, { chatId, name: chatId, kind: 'group', members: this.cast.people.map((p) => p.openId), description: '工会助手发过消息的其他群' })
    }
    return true
  }

  private emit(event: SessionEvent): void {
    for (const fn of [...this.subscribers]) {
      try {
        fn(event)
      } catch (err) {
        this.log.warn({ code: (err as Error).name }, 'playground: a page subscriber failed')
      }
    }
  }

  private async post(path: string, envelope: unknown): Promise<number> {
    const res = await postToBot(this.requireBotUrl(), path, this.events.encode(envelope))
    return res.status
  }

  private requireBotUrl(): string {
    if (!this.botUrl) throw new PlaygroundError(503, 'the bot is not listening yet')
    return this.botUrl
  }
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Every callback value a card carries, as Feishu would send it back: behaviours' callback values (2.0), `value` of
 * 1.0-style buttons and overflows, and `{}` for a form's submit/reset button without one (what the page sends).
 */
export function callbackValuesOf(card: unknown): unknown[] {
  const found: unknown[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit)
    if (!isObj(v)) return
    const callbacks = Array.isArray(v.behaviors) ? v.behaviors.filter((b): b is Json => isObj(b) && b.type === 'callback') : []
    for (const b of callbacks) found.push(b.value ?? {})
    if (typeof v.tag === 'string' && v.value !== undefined) found.push(v.value)
    if (v.tag === 'button' && (v.form_action_type === 'submit' || v.form_action_type === 'reset') && callbacks.length === 0 && v.value === undefined) found.push({})
    for (const [k, child] of Object.entries(v)) if (k !== 'chart_spec' && k !== 'behaviors') visit(child)
  }
  visit(card)
  return found
}
