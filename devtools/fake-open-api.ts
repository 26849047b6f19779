// A local stand-in for the Feishu Open API (development tool, not part of the bot): the real node-sdk talks to
// it over HTTP through its `domain` option. It answers the endpoints the bot uses, checks what Feishu checks
// (token, card schema 2.0 with update_multi, 30 KB), honours idempotency uuids for 1 hour like Feishu, records
// every request, and can be told to fail (429, 500, timeouts, dropped connections, bot removed from a chat).
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/**
 * read_users answers only for messages the bot sent within 7 days (doc: 查询消息已读信息, 使用限制). The doc's error
 * table is not in /work/shared/feishu; the fake answers with the code of the patch's own age limit (230031,
 * REFERENCE.md §4), and the bot treats any permanent error of this call as "Feishu will not say".
 */
export const READ_USERS_WINDOW_MS = 7 * 24 * 3600_000
export const READ_USERS_TOO_OLD = 230031

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  at: number
}

export interface DeliveredMessage {
  messageId: string
  /** 'create' (to a chat or user) or 'reply' (to a message). */
  via: 'create' | 'reply'
  receiveIdType?: string
  receiveId?: string
  /** For replies: the message replied to, and the chat it is in when known. */
  replyTo?: string
  chatId?: string
  msgType: string
  /** Parsed content: `{text}` for text, the card JSON for interactive, `{file_key}` for files. */
  content: any
  uuid?: string
  at: number
  /** Current card content after patches (interactive only). */
  patches: any[]
}

export interface Failure {
  method?: string
  /** Substring or regular expression matched against the path. */
  path?: string | RegExp
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** Delay before answering (a timeout when longer than the client's timeout). */
  delayMs?: number
  /** Destroy the connection instead of answering. */
  drop?: boolean
  /** How many matching requests fail; 1 by default. */
  times?: number
  /** The request still takes effect before the failure is returned (a lost response). */
  applyFirst?: boolean
}

/** More of Feishu on the same port (e.g. devtools/fake-long-connection.ts), so one `domain` serves everything. */
export interface FakeOpenApiExtension {
  /** Answers a request before the Open API routes (and their token check), or returns undefined. */
  route?(method: string, path: string, body: unknown, host: string): [number, unknown] | undefined
  /** Takes a WebSocket upgrade; false when the path is not its own. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
}

export interface FakeOpenApiOptions {
  appId?: string
  appSecret?: string
  botOpenId?: string
  botName?: string
  /** Seconds a token lives (Feishu: 7200). */
  tokenExpireSeconds?: number
}

export class FakeOpenApi {
  readonly appId: string
  readonly appSecret: string
  readonly botOpenId: string
  readonly botName: string
  readonly requests: RecordedRequest[] = []
  readonly messages: DeliveredMessage[] = []
  readonly files = new Map<string, { name: string; data: Buffer; fileType?: string; fields?: Record<string, string> }>()
  /** Images the bot uploaded (POST /open-apis/im/v1/images), by image_key, with the form fields it sent. */
  readonly images = new Map<string, { data: Buffer; imageType: string; filename: string; fields: Record<string, string> }>()
  /** People the contact API knows: name, and (when the app's scopes cover them) department ids and employee number. */
  readonly users = new Map<string, { name: string; departmentIds?: string[]; employeeNo?: string; userId?: string }>()
  /** Departments the contact API knows, by open_department_id (GET /open-apis/contact/v3/departments/:id). */
  readonly departments = new Map<string, { name: string }>()
  /** Messages the bot made urgent (应用内加急), with whom. */
  readonly urgents: Array<{ messageId: string; openIds: string[] }> = []
  /** Files people sent the bot, by `message_id/file_key` (served by GET …/messages/:id/resources/:key). */
  readonly inboundFiles = new Map<string, Buffer>()
  /** Chats the bot has been removed from: sends answer 230002. */
  readonly chatsWithoutBot = new Set<string>()
  /** Who is in a group (open_ids), served by GET /open-apis/im/v1/chats/:chat_id/members; an unknown chat has none. */
  readonly chatMembers = new Map<string, string[]>()
  /** Group names, served by GET /open-apis/im/v1/chats/:chat_id (an unknown group answers an empty name). */
  readonly chatNames = new Map<string, string>()
  /**
   * Who has read a message (GET …/messages/:id/read_users, open_ids with the time), in reading order. Feishu answers
   * only for the bot's messages of the last 7 days: older ones (by the fake's wall clock, or listed in
   * `readUsersExpired`) answer READ_USERS_TOO_OLD.
   */
  readonly messageReaders = new Map<string, Array<{ openId: string; at: number }>>()
  readonly readUsersExpired = new Set<string>()
  /** Every message the bot sent (kept across reset(), as Feishu keeps them): what read_users may be asked about. */
  private readonly sentMessages = new Map<string, { at: number; chatId?: string }>()
  /** Users outside the app's availability: sends answer 230013. */
  readonly unreachableUsers = new Set<string>()
  private readonly failures: Array<Failure & { remaining: number }> = []
  private readonly uuids = new Map<string, { messageId: string; at: number }>()
  private readonly tokens = new Set<string>()
  private readonly sockets = new Set<Socket>()
  private server: Server | undefined
  private seq = 0
  private listeners: Array<() => void> = []
  private readonly changeListeners = new Set<() => void>()
  private readonly extensions: FakeOpenApiExtension[] = []
  url = ''

  constructor(private readonly opts: FakeOpenApiOptions = {}) {
    this.appId = opts.appId ?? `cli_fake_${randomBytes(4).toString('hex')}`
    this.appSecret = opts.appSecret ?? 'secret_fake'
    this.botOpenId = opts.botOpenId ?? 'ou_bot_union_assistant'
    this.botName = opts.botName ?? '工会助手'
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.server.on('upgrade', (req, socket, head) => {
      if (!this.extensions.some((e) => e.upgrade?.(req, socket, head))) socket.destroy()
    })
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  /** Serves an extension on this fake's port (the long-connection endpoint). */
  use(extension: FakeOpenApiExtension): this {
    this.extensions.push(extension)
    return this
  }

  /** `openId` opened the message in Feishu (what read_users reports). */
  markRead(messageId: string, openId: string): void {
    const list = this.messageReaders.get(messageId) ?? []
    if (!list.some((x) => x.openId === openId)) list.push({ openId, at: Date.now() })
    this.messageReaders.set(messageId, list)
  }

  /** The next matching request(s) fail as described. */
  failNext(failure: Failure): void {
    this.failures.push({ ...failure, remaining: failure.times ?? 1 })
  }

  clearFailures(): void {
    this.failures.length = 0
  }

  /** Forgets issued tokens, so the next call with an old token gets 99991663 (token invalid). */
  revokeTokens(): void {
    this.tokens.clear()
  }

  reset(): void {
    this.requests.length = 0
    this.messages.length = 0
    this.failures.length = 0
    this.uuids.clear()
  }

  /** Messages sent to a chat (create with chat_id, or replies to messages in it). */
  messagesInChat(chatId: string): DeliveredMessage[] {
    return this.messages.filter((m) => m.chatId === chatId)
  }

  /** Messages sent privately to a user (create with open_id). */
  messagesToUser(openId: string): DeliveredMessage[] {
    return this.messages.filter((m) => m.receiveIdType === 'open_id' && m.receiveId === openId)
  }

  /** The latest content of a card message (after patches). */
  currentCard(messageId: string): any {
    const m = this.messages.find((x) => x.messageId === messageId)
    if (!m) return undefined
    return m.patches.length ? m.patches[m.patches.length - 1] : m.content
  }

  /** Calls listener after every request that reached a route (a message sent, a card patched, …); returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /** Loads messages delivered in an earlier run (the playground keeps its chats across restarts), so they can be patched. */
  restore(messages: DeliveredMessage[]): void {
    this.messages.push(...messages)
    this.seq = Math.max(this.seq, ...messages.map((m) => Number(m.messageId.match(/^om_fake_(\d+)_/)?.[1] ?? 0)))
    this.notify()
  }

  /**
   * What Feishu does when a card callback is answered with `card: {type: 'raw', data}`: the card is replaced for
   * everyone who sees it (2.0 cards are shared). Returns false when the message is not a card sent here.
   */
  applyCallbackCard(messageId: string, card: unknown): boolean {
    const m = this.messages.find((x) => x.messageId === messageId)
    if (!m || m.msgType !== 'interactive') return false
    m.patches.push(card)
    this.notify()
    return true
  }

  /** Resolves when predicate holds (checked after every request), or rejects after timeoutMs. */
  async waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    const first = predicate()
    if (first) return first
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = predicate()
        if (v) {
          cleanup()
          resolve(v)
        }
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`fake Open API: condition not met within ${timeoutMs} ms (${this.messages.length} messages so far)`))
      }, timeoutMs)
      const poll = setInterval(check, 50)
      const cleanup = () => {
        clearTimeout(timer)
        clearInterval(poll)
        this.listeners = this.listeners.filter((l) => l !== check)
      }
      this.listeners.push(check)
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const raw = await readBody(req)
    const contentType = String(req.headers['content-type'] ?? '')
    let body: unknown = undefined
    if (contentType.includes('multipart/form-data')) body = parseMultipart(raw, contentType)
    else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        body = raw.toString('utf8')
      }
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      at: Date.now(),
    }
    this.requests.push(record)

    const failure = this.takeFailure(record)
    if (failure?.drop && !failure.applyFirst) {
      req.socket.destroy()
      return
    }
    if (failure?.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs))
    if (failure && !failure.applyFirst && (failure.status || failure.body)) {
      if (res.destroyed) return
      return this.send(res, failure.status ?? 500, failure.body ?? { code: 500, msg: 'internal error' }, failure.headers)
    }
    const [status, payload] = this.route(record)
    this.notify()
    if (failure?.applyFirst) {
      if (failure.drop) return void req.socket.destroy()
      return this.send(res, failure.status ?? 500, failure.body ?? { code: 500, msg: 'internal error' }, failure.headers)
    }
    if (res.destroyed) return
    this.send(res, status, payload)
  }

  private notify(): void {
    for (const l of [...this.listeners]) l()
    for (const l of [...this.changeListeners]) l()
  }

  private takeFailure(r: RecordedRequest): Failure | undefined {
    if (r.path.endsWith('/tenant_access_token/internal') && !this.failures.some((f) => f.path && matches(f.path, r.path))) return undefined
    const i = this.failures.findIndex((f) => (!f.method || f.method === r.method) && (!f.path || matches(f.path, r.path)))
    if (i < 0) return undefined
    const f = this.failures[i]!
    if (--f.remaining <= 0) this.failures.splice(i, 1)
    return f
  }

  private route(r: RecordedRequest): [number, unknown] {
    for (const e of this.extensions) {
      const answer = e.route?.(r.method, r.path, r.body, String(r.headers.host ?? ''))
      if (answer) return answer
    }
    if (r.method === 'POST' && r.path === '/open-apis/auth/v3/tenant_access_token/internal') {
      const b = (r.body ?? {}) as { app_id?: string; app_secret?: string }
      if (b.app_id !== this.appId || b.app_secret !== this.appSecret) return [200, { code: 10014, msg: 'app secret invalid' }]
      const token = `t-${randomBytes(8).toString('hex')}`
      this.tokens.add(token)
      return [200, { code: 0, msg: 'ok', tenant_access_token: token, expire: this.opts.tokenExpireSeconds ?? 7200 }]
    }
    const auth = String(r.headers.authorization ?? '')
    if (!this.tokens.has(auth.replace(/^Bearer /, ''))) {
      return [400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' }]
    }
    if (r.method === 'GET' && r.path === '/open-apis/bot/v3/info') {
      return [200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: this.botName, activate_status: 2, ip_white_list: [] } }]
    }
    const user = r.path.match(/^\/open-apis\/contact\/v3\/users\/([^/]+)$/)
    if (r.method === 'GET' && user) {
      const id = decodeURIComponent(user[1]!)
      // By user_id (用户ID, the 工号 of 会员 导入) or, by default, by open_id.
      const byUserId = r.query.user_id_type === 'user_id' ? [...this.users].find(([, x]) => x.userId === id) : undefined
      const openId = byUserId ? byUserId[0] : id
      const u = byUserId ? byUserId[1] : r.query.user_id_type === 'user_id' ? undefined : this.users.get(id)
      if (!u) return [400, { code: 41050, msg: 'no user authority error' }]
      return [200, { code: 0, msg: 'success', data: { user: { open_id: openId, name: u.name, ...(u.departmentIds ? { department_ids: u.departmentIds } : {}), ...(u.employeeNo ? { employee_no: u.employeeNo } : {}) } } }]
    }
    const department = r.path.match(/^\/open-apis\/contact\/v3\/departments\/([^/]+)$/)
    if (r.method === 'GET' && department) {
      const d = this.departments.get(decodeURIComponent(department[1]!))
      if (!d) return [400, { code: 40004, msg: 'no dept authority error' }]
      return [200, { code: 0, msg: 'success', data: { department: { open_department_id: department[1], name: d.name } } }]
    }
    const chat = r.path.match(/^\/open-apis\/im\/v1\/chats\/([^/]+)$/)
    if (r.method === 'GET' && chat) {
      const chatId = decodeURIComponent(chat[1]!)
      if (this.chatsWithoutBot.has(chatId)) return [400, { code: 232011, msg: 'Operator can NOT be out of the chat.' }]
      return [200, { code: 0, msg: 'success', data: { chat_id: chatId, name: this.chatNames.get(chatId) ?? '', chat_mode: 'group' } }]
    }
    const members = r.path.match(/^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/)
    if (r.method === 'GET' && members) {
      const chatId = decodeURIComponent(members[1]!)
      if (this.chatsWithoutBot.has(chatId)) return [400, { code: 232011, msg: 'Operator can NOT be out of the chat.' }]
      // Feishu leaves bots out of this list; pages of page_size (≤ 100), page_token being the next offset.
      const all = (this.chatMembers.get(chatId) ?? []).filter((id) => id !== this.botOpenId)
      const size = Math.min(Number(r.query.page_size ?? 20) || 20, 100)
      const from = Number(r.query.page_token ?? 0) || 0
      const items = all.slice(from, from + size).map((id) => ({ member_id_type: 'open_id', member_id: id, name: this.users.get(id)?.name ?? '', tenant_key: 'fake' }))
      const more = from + size < all.length
      return [200, { code: 0, msg: 'success', data: { items, has_more: more, page_token: more ? String(from + size) : '', member_total: all.length } }]
    }
    if (r.method === 'POST' && r.path === '/open-apis/im/v1/messages') {
      const b = (r.body ?? {}) as Record<string, string>
      const receiveIdType = r.query.receive_id_type ?? ''
      if (receiveIdType === 'chat_id' && this.chatsWithoutBot.has(b.receive_id ?? '')) {
        return [400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.', error: { log_id: 'fake-log' } }]
      }
      if (receiveIdType === 'open_id' && this.unreachableUsers.has(b.receive_id ?? '')) {
        return [400, { code: 230013, msg: 'Bot has NO availability to this user.' }]
      }
      return this.deliver('create', b, { receiveIdType, receiveId: b.receive_id ?? '', ...(receiveIdType === 'chat_id' ? { chatId: b.receive_id ?? '' } : {}) })
    }
    const readUsers = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/read_users$/)
    if (r.method === 'GET' && readUsers) {
      const messageId = decodeURIComponent(readUsers[1]!)
      const sent = this.sentMessages.get(messageId)
      if (!sent) return [400, { code: 230001, msg: 'invalid message_id' }]
      if (sent.chatId && this.chatsWithoutBot.has(sent.chatId)) return [400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.' }]
      if (this.readUsersExpired.has(messageId) || Date.now() - sent.at > READ_USERS_WINDOW_MS) return [400, { code: READ_USERS_TOO_OLD, msg: 'The message is older than 7 days.' }]
      if (r.query.user_id_type !== 'open_id') return [400, { code: 230001, msg: 'user_id_type must be open_id in this fake' }]
      const all = this.messageReaders.get(messageId) ?? []
      const size = Math.min(Number(r.query.page_size ?? 20) || 20, 100)
      const from = Number(r.query.page_token ?? 0) || 0
      const items = all.slice(from, from + size).map((x) => ({ user_id_type: 'open_id', user_id: x.openId, timestamp: String(x.at), tenant_key: 'fake' }))
      const more = from + size < all.length
      return [200, { code: 0, msg: 'success', data: { items, has_more: more, ...(more ? { page_token: String(from + size) } : {}) } }]
    }
    const resource = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/)
    if (r.method === 'GET' && resource) {
      // Feishu requires type=image for images and type=file for files (and audio, video).
      if (r.query.type !== 'image' && r.query.type !== 'file') return [400, { code: 99992402, msg: 'field validation failed: type' }]
      const file = this.inboundFiles.get(`${decodeURIComponent(resource[1]!)}/${decodeURIComponent(resource[2]!)}`)
      if (!file) return [400, { code: 234003, msg: 'File not in msg.' }]
      return [200, file]
    }
    const reply = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/)
    if (r.method === 'POST' && reply) {
      const parentId = reply[1]!
      const chatId = this.chatOfMessage(parentId)
      if (chatId && this.chatsWithoutBot.has(chatId)) return [400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.' }]
      return this.deliver('reply', (r.body ?? {}) as Record<string, string>, { replyTo: parentId, ...(chatId ? { chatId } : {}) })
    }
    // 应用内加急: only the bot's own messages; recorded in `urgents` for tests (and the playground).
    const urgent = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/)
    if (r.method === 'PATCH' && urgent) {
      const m = this.messages.find((x) => x.messageId === urgent[1])
      if (!m) return [400, { code: 230001, msg: 'invalid message_id' }]
      const ids = ((r.body as { user_id_list?: string[] } | undefined)?.user_id_list ?? []).filter((x) => typeof x === 'string')
      if (ids.length === 0) return [400, { code: 99992402, msg: 'field validation failed: user_id_list' }]
      this.urgents.push({ messageId: m.messageId, openIds: ids })
      return [200, { code: 0, msg: 'success', data: { invalid_user_id_list: [] } }]
    }
    const patch = r.path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/)
    if (r.method === 'PATCH' && patch) {
      const m = this.messages.find((x) => x.messageId === patch[1])
      if (!m || m.msgType !== 'interactive') return [400, { code: 230001, msg: 'invalid message_id or not a card' }]
      const content = (r.body as { content?: string } | undefined)?.content ?? ''
      const check = checkCard(content)
      if (check) return [400, check]
      if (m.content?.config?.update_multi !== true) return [400, { code: 230099, msg: 'card is not shared (update_multi)' }]
      m.patches.push(JSON.parse(content))
      return [200, { code: 0, msg: 'success', data: {} }]
    }
    if (r.method === 'POST' && r.path === '/open-apis/im/v1/files') {
      const form = r.body as { fields: Record<string, string>; files: Record<string, { filename: string; data: Buffer }> } | undefined
      const file = form?.files?.file
      if (!file || file.data.length === 0) return [400, { code: 234001, msg: 'empty file' }]
      const key = `file_${randomBytes(6).toString('hex')}`
      this.files.set(key, { name: form.fields.file_name ?? file.filename, data: file.data, ...(form.fields.file_type ? { fileType: form.fields.file_type } : {}), fields: { ...form.fields } })
      return [200, { code: 0, msg: 'success', data: { file_key: key } }]
    }
    // Image upload (https://open.feishu.cn/document/server-docs/im-v1/image/create): image_type message|avatar, ≤ 10 MB.
    if (r.method === 'POST' && r.path === '/open-apis/im/v1/images') {
      const form = r.body as { fields: Record<string, string>; files: Record<string, { filename: string; data: Buffer }> } | undefined
      const image = form?.files?.image
      if (!image || image.data.length === 0) return [400, { code: 234001, msg: 'Invalid request param.' }]
      if (image.data.length > 10 * 1024 * 1024) return [400, { code: 234006, msg: 'The file size exceed the max value.' }]
      const imageType = form.fields.image_type ?? ''
      if (imageType !== 'message' && imageType !== 'avatar') return [400, { code: 234001, msg: 'Invalid request param.' }]
      const key = `img_v3_bot_${randomBytes(6).toString('hex')}`
      this.images.set(key, { data: image.data, imageType, filename: image.filename, fields: { ...form.fields } })
      return [200, { code: 0, msg: 'success', data: { image_key: key } }]
    }
    if (r.method === 'POST' && r.path === '/open-apis/interactive/v1/card/update') {
      return [200, { code: 0, msg: 'success' }]
    }
    return [404, { code: 404, msg: `fake Open API: no route for ${r.method} ${r.path}` }]
  }

  private chatOfMessage(messageId: string): string | undefined {
    return this.messages.find((m) => m.messageId === messageId)?.chatId ?? this.inboundChats.get(messageId)
  }

  /** Messages users "sent" (built by the event builder) and their chats, so replies know where they land. */
  readonly inboundChats = new Map<string, string>()

  private deliver(via: 'create' | 'reply', b: Record<string, string>, where: Partial<DeliveredMessage>): [number, unknown] {
    const msgType = b.msg_type ?? ''
    const contentText = b.content ?? ''
    if (msgType === 'interactive') {
      const check = checkCard(contentText)
      if (check) return [400, check]
    }
    let content: unknown
    try {
      content = JSON.parse(contentText)
    } catch {
      return [400, { code: 230001, msg: 'content is not valid JSON' }]
    }
    if (msgType === 'text' && typeof (content as { text?: unknown }).text !== 'string') return [400, { code: 230001, msg: 'text content needs a text field' }]
    if (b.uuid !== undefined && b.uuid.length > 50) return [400, { code: 230001, msg: 'uuid longer than 50 characters' }]
    const now = Date.now()
    if (b.uuid) {
      // Feishu: the same uuid posts at most one message within 1 hour.
      const seen = this.uuids.get(b.uuid)
      if (seen && now - seen.at < 3600_000) return [200, { code: 0, msg: 'success', data: { message_id: seen.messageId, msg_type: msgType } }]
    }
    const messageId = `om_fake_${++this.seq}_${randomBytes(3).toString('hex')}`
    if (b.uuid) this.uuids.set(b.uuid, { messageId, at: now })
    this.messages.push({ messageId, via, msgType, content, ...(b.uuid ? { uuid: b.uuid } : {}), at: now, patches: [], ...where })
    this.sentMessages.set(messageId, { at: now, ...(where.chatId ? { chatId: where.chatId } : {}) })
    return [200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: msgType, chat_id: where.chatId ?? '', create_time: String(now) } }]
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    // A message resource (a file someone sent) is served as bytes, as Feishu does.
    if (Buffer.isBuffer(body)) {
      res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers })
      return void res.end(body)
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }
}

/** Feishu's card checks that matter to the bot: JSON, schema 2.0, size ≤ 30 KB, ≤ 200 elements. */
function checkCard(content: string): { code: number; msg: string } | undefined {
  if (Buffer.byteLength(content, 'utf8') > 30 * 1024) return { code: 230025, msg: 'The message is too long' }
  let parsed: any
  try {
    parsed = JSON.parse(content)
  } catch {
    return { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err' }
  }
  if (parsed?.schema !== '2.0' || !Array.isArray(parsed?.body?.elements)) return { code: 230099, msg: 'Failed to create card content: not a 2.0 card' }
  if (parsed?.config?.update_multi !== true) return { code: 230099, msg: 'Failed to create card content: 2.0 cards must be shared (update_multi)' }
  // config.enable_forward (docs/feishu-platform.md#card-json) is known and kept as sent: confidential cards set it to false.
  if (parsed.config.enable_forward !== undefined && typeof parsed.config.enable_forward !== 'boolean') return { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621; config.enable_forward must be a boolean' }
  let elements = 0
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.tag === 'string' && o.tag !== 'plain_text' && o.tag !== 'lark_md') elements++
      for (const [k, child] of Object.entries(o)) if (k !== 'chart_spec') visit(child)
    }
  }
  visit(parsed.body.elements)
  if (elements > 200) return { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 11310; too many elements' }
  return undefined
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Just enough multipart/form-data parsing for the file upload endpoint. */
function parseMultipart(raw: Buffer, contentType: string) {
  const boundary = contentType.match(/boundary=(?:"([^"]+)"|([^;]+))/)?.slice(1).find(Boolean)
  const fields: Record<string, string> = {}
  const files: Record<string, { filename: string; data: Buffer }> = {}
  if (!boundary) return { fields, files }
  const delimiter = Buffer.from(`--${boundary}`)
  let start = raw.indexOf(delimiter)
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length)
    if (next < 0) break
    const part = raw.subarray(start + delimiter.length + 2, next - 2)
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      const data = part.subarray(headerEnd + 4)
      const name = headers.match(/name="([^"]*)"/)?.[1] ?? ''
      const filename = headers.match(/filename="([^"]*)"/)?.[1]
      // The node-sdk (axios + form-data) sends a Buffer as a part with a binary content type and no filename;
      // Feishu takes it as the file (larksuite/node-sdk#121, openclaw#10345), so the fake does too.
      const binary = /content-type:\s*application\/octet-stream/i.test(headers)
      if (filename !== undefined || binary) files[name] = { filename: filename ?? '', data: Buffer.from(data) }
      else fields[name] = data.toString('utf8')
    }
    start = next
  }
  return { fields, files }
}
