// Everything the bot says to Feishu goes through here: the node-sdk Client plus rate limits, retries with
// backoff, idempotency uuids and error classification. Logs carry ids and codes, never message text.
import { createHash } from 'node:crypto'
import * as lark from '@larksuiteoapi/node-sdk'
import axios, { type AxiosInstance } from 'axios'
import type { Card } from './card.js'
import type { UserProfile } from './outbound-port.js'
import { FileTooLargeError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { FeishuApiError, errorFromAxios, errorFromBody } from './api-errors.js'
import { FEISHU_RATE_LIMITS, RateLimiter, type Bucket, type Priority, type RateLimits } from './rate-limiter.js'

export type OutgoingContent = { text: string } | { card: Card }

/** Feishu's file_type of an upload (im/v1/files): its own kinds, else 'stream'. */
export type UploadFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream'

export interface SentMessage {
  messageId: string
}

export interface SendOptions {
  /**
   * Idempotency key: Feishu posts at most one message per uuid within 1 hour (≤ 50 characters). Derive it from
   * what caused the send (see idempotencyUuid) so a retried event never posts twice.
   */
  uuid?: string
  /** The event that caused this send, for logs. */
  causeEventId?: string
  /**
   * 'low' for bulk work (a mass send, src/kit/mass-send.ts): like card patches it never uses the app budget's share
   * reserved for replies and stands back while a reply waits, so people asking the bot something meanwhile are
   * answered first (docs/feishu-platform.md#rate-limits). Sends and replies are 'high' by default.
   */
  priority?: Priority
  /**
   * At most this many tries of the call (default: the retry policy's). 1 for work that has its own durable retry
   * (evidence fetches, src/kit/evidence.ts), so a failing Feishu never holds a worker's turn for the whole backoff.
   */
  attempts?: number
}

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface OutboundOptions {
  appId: string
  appSecret: string
  domain: string
  log: Logger
  metrics: Metrics
  retry?: Partial<RetryPolicy>
  limits?: Partial<RateLimits>
  /** Per-request timeout; a timed-out send is retried with the same uuid. */
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
  /**
   * The rate windows every instance shares (Redis; src/state/redis-rate-budget.ts). Without it the limits hold per
   * process only. When it does not answer, the process's own limiter alone applies until it does.
   */
  sharedBudget?: SharedRateBudget
}

/** Takes a place on each key's window across instances, or says how long to wait (ms). */
export interface SharedRateBudget {
  take(keys: ReadonlyArray<readonly [key: string, limit: number]>): Promise<{ waitMs: number }>
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }

/** uuid for a send caused by `cause` (an event id) and distinguished by `part`; ≤ 50 chars as Feishu requires. */
export function idempotencyUuid(cause: string, part: string | number): string {
  return createHash('sha256').update(`${cause}\u0000${part}`).digest('hex').slice(0, 40)
}

/** A token cache per Outbound (the SDK's default is process-wide and keyed by appId only; docs/stack.md#node-sdk). */
class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>()
  async get(key: string | Symbol, options?: { namespace?: string }) {
    const entry = this.values.get(`${options?.namespace ?? ''}/${String(key)}`)
    if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= Date.now())) return undefined
    return entry.value
  }
  async set(key: string | Symbol, value: unknown, expiresAt?: number, options?: { namespace?: string }) {
    this.values.set(`${options?.namespace ?? ''}/${String(key)}`, { value, ...(expiresAt !== undefined ? { expiresAt } : {}) })
    return true
  }
  clear(): void {
    this.values.clear()
  }
}

/** The SDK logs whole axios errors including request bodies (message text); we log ourselves instead. */
const quietSdkLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined }

function createHttpInstance(timeoutMs: number): AxiosInstance {
  const http = axios.create({ timeout: timeoutMs })
  // Same contract as the SDK's default instance: resolve with the body (or body + headers when asked).
  http.interceptors.response.use((resp) => {
    if ((resp.config as unknown as Record<string, unknown>)['$return_headers']) return { data: resp.data, headers: resp.headers } as never
    return resp.data as never
  })
  return http
}

export class Outbound {
  readonly client: lark.Client
  private readonly tokenCache = new TokenCache()
  private readonly limiter: RateLimiter
  private readonly limits: RateLimits
  private readonly retry: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>
  private readonly log: Logger
  private readonly metrics: Metrics
  private readonly shared: SharedRateBudget | undefined
  private sharedDownLoggedAt = 0

  constructor(opts: OutboundOptions) {
    this.log = opts.log
    this.metrics = opts.metrics
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    this.retry = { ...DEFAULT_RETRY, ...opts.retry }
    this.limits = { ...FEISHU_RATE_LIMITS, ...opts.limits }
    this.limiter = new RateLimiter(Date.now, this.sleep)
    this.shared = opts.sharedBudget
    this.client = new lark.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain.replace(/\/+$/, ''),
      appType: lark.AppType.SelfBuild,
      cache: this.tokenCache,
      logger: quietSdkLogger,
      httpInstance: createHttpInstance(opts.timeoutMs ?? 10_000) as never,
    })
  }

  async sendToChat(chatId: string, content: OutgoingContent, opts: SendOptions = {}): Promise<SentMessage> {
    return this.create('chat_id', chatId, content, [`chat:${chatId}`, this.limits.perChat], opts)
  }

  async sendToUser(openId: string, content: OutgoingContent, opts: SendOptions = {}): Promise<SentMessage> {
    return this.create('open_id', openId, content, [`user:${openId}`, this.limits.perUser], opts)
  }

  /** Replies to a message; rateKey names the chat it is in (the 5/s per-group limit applies). */
  async reply(messageId: string, content: OutgoingContent, opts: SendOptions & { chatId?: string } = {}): Promise<SentMessage> {
    const { msgType, body } = serialize(content)
    const res = await this.call('message.reply', [['app', this.limits.perApp], [`chat:${opts.chatId ?? messageId}`, this.limits.perChat]], opts, () =>
      this.client.im.v1.message.reply({ path: { message_id: messageId }, data: { msg_type: msgType, content: body, ...(opts.uuid ? { uuid: opts.uuid } : {}) } }),
    )
    return { messageId: readMessageId(res, 'message.reply') }
  }

  /**
   * Replaces a sent card in place (PATCH; the card must have config.update_multi: true before and after). Patches
   * are low priority: they never use the app budget's share reserved for sends and wait while a send waits, so a
   * patch storm cannot delay a reply (security review F6).
   */
  async patchCard(messageId: string, card: Card, opts: SendOptions = {}): Promise<void> {
    const buckets: Bucket[] = [['app', this.limits.perApp, this.limits.reservedForSends], [`patch:${messageId}`, this.limits.perMessagePatch]]
    await this.call('message.patch', buckets, opts, () => this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }), 'low')
  }

  /**
   * 应用内加急 (PATCH /im/v1/messages/:id/urgent_app, docs/feishu-platform.md): only the bot's own message, in a chat
   * the bot is in; a person with more than 200 unread urgents is refused (230023), so the ids Feishu names as
   * invalid come back for the caller to log.
   */
  async urgentApp(messageId: string, openIds: readonly string[], opts: SendOptions = {}): Promise<{ invalidOpenIds: string[] }> {
    const buckets: Bucket[] = [['app', this.limits.perApp]]
    const res = (await this.call('message.urgent_app', buckets, opts, () =>
      this.client.im.v1.message.urgentApp({ path: { message_id: messageId }, params: { user_id_type: 'open_id' }, data: { user_id_list: [...openIds] } }),
    )) as { data?: { invalid_user_id_list?: string[] } } | null
    return { invalidOpenIds: res?.data?.invalid_user_id_list ?? [] }
  }

  /** Uploads a file (≤ 30 MB) and sends it to a user privately, e.g. a CSV roster or report. */
  async sendFileToUser(openId: string, fileName: string, data: Buffer, opts: SendOptions = {}): Promise<SentMessage> {
    const uploaded = await this.call('file.create', [['app', this.limits.perApp]], opts, async () => {
      const res = (await this.client.im.v1.file.create({ data: { file_type: 'stream', file_name: fileName, file: data } })) as { file_key?: string } | null
      if (!res?.file_key) throw errorFromBody('file.create', { code: -1, msg: 'no file_key returned' })
      return { code: 0, data: res }
    })
    const fileKey = (uploaded.data as { file_key: string }).file_key
    const res = await this.call('message.create', [['app', this.limits.perApp], [`user:${openId}`, this.limits.perUser]], opts, () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: openId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }), ...(opts.uuid ? { uuid: opts.uuid } : {}) },
      }),
    )
    return { messageId: readMessageId(res, 'message.create') }
  }

  /** The bot's own open_id, to tell whether a group message @-mentions it (GET /open-apis/bot/v3/info). */
  async fetchBotOpenId(): Promise<string> {
    const res = (await this.call('bot.info', [['app', this.limits.perApp]], {}, () =>
      this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }),
    )) as { bot?: { open_id?: string } }
    const openId = res.bot?.open_id
    if (!openId) throw errorFromBody('bot.info', { code: -1, msg: 'bot.open_id missing' })
    return openId
  }

  /** A user's display name from the contact API, or undefined when the app may not read it. */
  async fetchUserName(openId: string): Promise<string | undefined> {
    try {
      const res = (await this.call('contact.user.get', [['app', this.limits.perApp]], {}, () =>
        this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
      )) as { data?: { user?: { name?: string } } }
      return res.data?.user?.name || undefined
    } catch (err) {
      if (err instanceof FeishuApiError && err.kind !== 'retryable') return undefined
      throw err
    }
  }

  /**
   * A user's department (its name, from the first department id) and employee number. Without the scopes Feishu
   * leaves the fields out or refuses (non-retryable): then undefined, and the cards say the contact API is not granted.
   */
  async fetchUserProfile(openId: string): Promise<UserProfile | undefined> {
    try {
      const res = (await this.call('contact.user.get', [['app', this.limits.perApp]], {}, () =>
        this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id', department_id_type: 'open_department_id' } }),
      )) as { data?: { user?: { name?: string; department_ids?: string[]; employee_no?: string } } }
      const user = res.data?.user
      if (!user) return undefined
      const departmentId = user.department_ids?.find((id) => id && id !== '0')
      let department: string | undefined
      if (departmentId) {
        try {
          const d = (await this.call('contact.department.get', [['app', this.limits.perApp]], {}, () =>
            this.client.contact.v3.department.get({ path: { department_id: departmentId }, params: { department_id_type: 'open_department_id', user_id_type: 'open_id' } }),
          )) as { data?: { department?: { name?: string } } }
          department = d.data?.department?.name || undefined
        } catch (err) {
          if (!(err instanceof FeishuApiError) || err.kind === 'retryable') throw err
        }
      }
      return { ...(user.name ? { name: user.name } : {}), ...(department ? { department } : {}), ...(user.employee_no ? { employeeNo: user.employee_no } : {}) }
    } catch (err) {
      if (err instanceof FeishuApiError && err.kind !== 'retryable') return undefined
      throw err
    }
  }

  /** The person with this user_id (用户ID; companies usually make it the 工号): for the 工号 column of 会员 导入. */
  async fetchUserByEmployeeId(userId: string): Promise<{ openId: string; name?: string } | undefined> {
    try {
      const res = (await this.call('contact.user.get', [['app', this.limits.perApp]], {}, () =>
        this.client.contact.v3.user.get({ path: { user_id: userId }, params: { user_id_type: 'user_id' } }),
      )) as { data?: { user?: { open_id?: string; name?: string } } }
      const user = res.data?.user
      return user?.open_id ? { openId: user.open_id, ...(user.name ? { name: user.name } : {}) } : undefined
    } catch (err) {
      if (err instanceof FeishuApiError && err.kind !== 'retryable') return undefined
      throw err
    }
  }

  /**
   * A file or image a user sent the bot, by message_id and file_key (GET /open-apis/im/v1/messages/:id/resources/:key,
   * type=file or type=image; needs im:resource, docs/feishu-platform.md#scopes). Read into memory up to maxBytes, then
   * refused (FileTooLargeError).
   */
  async downloadMessageFile(messageId: string, fileKey: string, maxBytes: number, type: 'file' | 'image' = 'file', opts: SendOptions = {}): Promise<Buffer> {
    const res = await this.call('message.resource.get', [['app', this.limits.perApp]], opts, () =>
      this.client.im.v1.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type } }),
    )
    const chunks: Buffer[] = []
    let size = 0
    const stream = res.getReadableStream()
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
      size += b.length
      if (size > maxBytes) {
        stream.destroy()
        throw new FileTooLargeError(maxBytes)
      }
      chunks.push(b)
    }
    return Buffer.concat(chunks)
  }

  /**
   * Uploads an image as the bot (POST /open-apis/im/v1/images, image_type=message, ≤ 10 MB:
   * https://open.feishu.cn/document/server-docs/im-v1/image/create); the image_key works in image messages and cards.
   */
  async uploadImage(data: Buffer, opts: SendOptions = {}): Promise<string> {
    const res = await this.call('image.create', [['app', this.limits.perApp]], opts, async () => {
      const r = (await this.client.im.v1.image.create({ data: { image_type: 'message', image: data } })) as { image_key?: string } | null
      if (!r?.image_key) throw errorFromBody('image.create', { code: -1, msg: 'no image_key returned' })
      return { code: 0, data: r }
    })
    return (res.data as { image_key: string }).image_key
  }

  /**
   * Uploads a file as the bot (POST /open-apis/im/v1/files, ≤ 30 MB, not empty:
   * https://open.feishu.cn/document/server-docs/im-v1/file/create) under the given name; returns its file_key.
   */
  async uploadFile(fileName: string, data: Buffer, fileType: UploadFileType = 'stream', opts: SendOptions = {}): Promise<string> {
    const res = await this.call('file.create', [['app', this.limits.perApp]], opts, async () => {
      const r = (await this.client.im.v1.file.create({ data: { file_type: fileType, file_name: fileName, file: data } })) as { file_key?: string } | null
      if (!r?.file_key) throw errorFromBody('file.create', { code: -1, msg: 'no file_key returned' })
      return { code: 0, data: r }
    })
    return (res.data as { file_key: string }).file_key
  }

  /** Sends an image or file the bot uploaded (by its key) to a user privately. */
  async sendUploadedToUser(openId: string, item: { kind: 'image' | 'file'; key: string }, opts: SendOptions = {}): Promise<SentMessage> {
    const content = item.kind === 'image' ? { image_key: item.key } : { file_key: item.key }
    const res = await this.call('message.create', [['app', this.limits.perApp], [`user:${openId}`, this.limits.perUser]], opts, () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: openId, msg_type: item.kind, content: JSON.stringify(content), ...(opts.uuid ? { uuid: opts.uuid } : {}) },
      }),
    )
    return { messageId: readMessageId(res, 'message.create') }
  }

  /**
   * The open_ids of a group's members (GET /open-apis/im/v1/chats/:chat_id/members, member_id_type=open_id,
   * page_size ≤ 100, followed through page_token; scope im:chat:readonly or im:chat.members:read; the bot must be
   * in the group; bots are never listed: docs/feishu-platform.md#chat-members).
   */
  async listChatMembers(chatId: string): Promise<string[]> {
    const ids: string[] = []
    let pageToken: string | undefined
    // A bound on pages (a group holds at most a few thousand people at 100 a page) so a looping token cannot spin.
    for (let page = 0; page < 200; page++) {
      const res = (await this.call('chat.members.get', [['app', this.limits.perApp]], {}, () =>
        this.client.im.v1.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } }),
      )) as { data?: { items?: Array<{ member_id?: string }>; has_more?: boolean; page_token?: string } }
      for (const item of res.data?.items ?? []) if (item.member_id) ids.push(item.member_id)
      if (!res.data?.has_more || !res.data.page_token) return ids
      pageToken = res.data.page_token
    }
    throw errorFromBody('chat.members.get', { code: -1, msg: 'too many pages of chat members' })
  }

  /**
   * Who has read one of the bot's messages (GET /open-apis/im/v1/messages/:message_id/read_users, scope
   * im:message:readonly; 1000/min and 50/s per app), every page; undefined when Feishu will not say — a message
   * older than 7 days, the bot no longer in the chat, no scope (a permanent error).
   * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users
   */
  async listMessageReaders(messageId: string): Promise<string[] | undefined> {
    const ids: string[] = []
    let pageToken: string | undefined
    try {
      // Bounded like listChatMembers: a group holds at most a few thousand people at 100 a page.
      for (let page = 0; page < 200; page++) {
        const res = (await this.call('message.read_users', [['app', this.limits.perApp]], {}, () =>
          this.client.im.v1.message.readUsers({ path: { message_id: messageId }, params: { user_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } }),
        )) as { data?: { items?: Array<{ user_id?: string }>; has_more?: boolean; page_token?: string } }
        for (const item of res.data?.items ?? []) if (item.user_id) ids.push(item.user_id)
        if (!res.data?.has_more || !res.data.page_token) return ids
        pageToken = res.data.page_token
      }
    } catch (err) {
      if (err instanceof FeishuApiError && err.kind !== 'retryable') return undefined
      throw err
    }
    return ids
  }

  /** A group's name (GET /open-apis/im/v1/chats/:chat_id, scope im:chat:readonly), or undefined when not readable. */
  async fetchChatName(chatId: string): Promise<string | undefined> {
    try {
      const res = (await this.call('chat.get', [['app', this.limits.perApp]], {}, () => this.client.im.v1.chat.get({ path: { chat_id: chatId } }))) as { data?: { name?: string } }
      return res.data?.name || undefined
    } catch (err) {
      if (err instanceof FeishuApiError && err.kind !== 'retryable') return undefined
      throw err
    }
  }

  private async create(
    receiveIdType: 'chat_id' | 'open_id',
    receiveId: string,
    content: OutgoingContent,
    target: readonly [string, number],
    opts: SendOptions,
  ): Promise<SentMessage> {
    const { msgType, body } = serialize(content)
    const priority = opts.priority ?? 'high'
    const app: Bucket = priority === 'low' ? ['app', this.limits.perApp, this.limits.reservedForSends] : ['app', this.limits.perApp]
    const res = await this.call(
      'message.create',
      [app, target],
      opts,
      () =>
        this.client.im.v1.message.create({
          params: { receive_id_type: receiveIdType },
          data: { receive_id: receiveId, msg_type: msgType, content: body, ...(opts.uuid ? { uuid: opts.uuid } : {}) },
        }),
      priority,
    )
    return { messageId: readMessageId(res, 'message.create') }
  }

  /**
   * After the process's own limiter (which also keeps patches behind sends), the window every instance shares: a
   * call waits there until the app, chat, user or message has room across all instances. If Redis does not answer,
   * the call goes on under the local limit (a warning at most once a minute): sends must not stop with Redis.
   * Low-priority calls see each key's limit less its reserve here too, so the share kept for replies holds across
   * instances: N instances' patches and mass sends together leave it free.
   */
  private async takeShared(buckets: ReadonlyArray<Bucket>, priority: Priority = 'high'): Promise<void> {
    if (!this.shared) return
    const keys = buckets.map(([key, rate, reserve = 0]) => [key, priority === 'low' ? Math.max(1, Math.floor(rate) - Math.max(0, Math.floor(reserve))) : rate] as const)
    for (;;) {
      let waitMs: number
      try {
        ;({ waitMs } = await this.shared.take(keys))
      } catch (err) {
        if (Date.now() - this.sharedDownLoggedAt > 60_000) {
          this.sharedDownLoggedAt = Date.now()
          this.log.warn({ code: (err as { code?: string }).code ?? 'REDIS_UNAVAILABLE' }, 'shared rate budget unavailable: this instance keeps to its own limits')
        }
        return
      }
      if (waitMs <= 0) return
      await this.sleep(waitMs)
    }
  }

  /**
   * One Open API call with rate limiting and retries. Retries: HTTP 429 / 99991400 (waiting x-ogw-ratelimit-reset
   * when given), 230020, 5xx and network errors, with exponential backoff and jitter; an invalid tenant token
   * is refetched once. Permanent errors (230002, 230013, 230099, …) are thrown at once; malformed ones are counted and logged as errors.
   */
  private async call<T>(method: string, buckets: ReadonlyArray<Bucket>, opts: SendOptions, fn: () => Promise<T>, priority: Priority = 'high'): Promise<T> {
    let tokenRefreshed = false
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(buckets, priority)
      await this.takeShared(buckets, priority)
      this.metrics.outboundSends.inc({ method })
      let error: FeishuApiError
      try {
        const res = await fn()
        const code = (res as { code?: unknown } | null)?.code
        if (typeof code === 'number' && code !== 0) throw errorFromBody(method, res as { code: number })
        return res
      } catch (err) {
        error = err instanceof FeishuApiError ? err : errorFromAxios(method, err)
      }
      const logFields = { method, code: error.code, httpStatus: error.httpStatus, logId: error.logId, attempt, eventId: opts.causeEventId }
      if (error.retryClass === 'refresh_token' && !tokenRefreshed) {
        tokenRefreshed = true
        this.tokenCache.clear()
        this.metrics.outboundRetries.inc({ method, code: String(error.code) })
        continue
      }
      if (error.retryClass !== 'retry' || attempt >= Math.max(1, opts.attempts ?? this.retry.maxAttempts)) {
        this.metrics.outboundFailures.inc({ method, code: String(error.code) })
        // Counted here, the one place every call passes, so no caller can let a malformed card go unnoticed.
        if (error.kind === 'malformed') {
          this.metrics.feishuFormatErrors.inc({ method, code: String(error.code) })
          this.log.error({ ...logFields, errorKind: error.kind }, 'feishu call failed: request malformed')
        } else if (error.kind === 'recipient_gone') {
          // The normal fate of a message to someone who left or a group without the bot: not an operator's problem.
          this.log.info({ ...logFields, errorKind: error.kind }, 'feishu call failed: recipient gone')
        } else {
          this.log.warn({ ...logFields, errorKind: error.kind }, 'feishu call failed')
        }
        throw error
      }
      this.metrics.outboundRetries.inc({ method, code: String(error.code) })
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))
      const delay = error.retryAfterSeconds !== undefined ? Math.min(this.retry.maxDelayMs, error.retryAfterSeconds * 1000) : backoff * (0.5 + Math.random() / 2)
      this.log.info({ ...logFields, delayMs: Math.round(delay) }, 'feishu call will be retried')
      await this.sleep(delay)
    }
  }
}

function serialize(content: OutgoingContent): { msgType: 'text' | 'interactive'; body: string } {
  return 'card' in content ? { msgType: 'interactive', body: JSON.stringify(content.card) } : { msgType: 'text', body: JSON.stringify({ text: content.text }) }
}

function readMessageId(res: unknown, method: string): string {
  const id = (res as { data?: { message_id?: unknown } } | null)?.data?.message_id
  if (typeof id !== 'string') throw errorFromBody(method, { code: -1, msg: 'message_id missing in response' })
  return id
}
