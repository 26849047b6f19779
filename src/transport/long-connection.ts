// Long-connection transport (长连接): node-sdk's WSClient receives events and card callbacks over an outbound
// WebSocket, and each one takes the webhook's path — decode → normalize → durable inbox → dispatcher — so both
// transports share de-duplication keys. A supervisor restarts the client when the SDK gives up on it.
// Feishu's rules and the SDK's behaviour: docs/feishu-platform.md#long-connection.
import { EventDispatcher, LoggerLevel, WSClient, type Logger as SdkLogger } from '@larksuiteoapi/node-sdk'
import { LONG_CONNECTION_APP_ID } from '../config.js'
import { WebhookError } from '../errors.js'
import { decryptPayload, deriveAesKey } from '../feishu/crypto.js'
import { normalizeEnvelope } from '../feishu/normalize.js'
import type { Intake } from '../intake/intake.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'

export type LongConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped'
const STATES: readonly LongConnectionState[] = ['idle', 'connecting', 'connected', 'reconnecting', 'failed', 'stopped']

export interface LongConnectionStatus {
  state: LongConnectionState
  /** Why it is not connected (the SDK's last error, the pending restart), for /readyz. */
  reason: string | undefined
  /** Clients restarted by the supervisor since start. */
  restarts: number
  reconnects: number
}

/** Backoff of the supervisor's restarts after the SDK stopped a client for good. */
export interface RestartPolicy {
  baseDelayMs: number
  maxDelayMs: number
  /**
   * A new client not connected by then is restarted. When discovery fails at the transport level (Feishu or the
   * network unreachable at start) the SDK retries only after its default ReconnectInterval, 120 s.
   */
  connectTimeoutMs: number
}

export interface LongConnectionOptions {
  appId: string
  appSecret: string
  /** FEISHU_DOMAIN: discovery goes to `${domain}/callback/ws/endpoint`. */
  domain: string
  /** wsConfig.pingTimeout in seconds (the SDK's default, 0, never notices a half-open socket). */
  pingTimeoutSeconds: number
  /** When set, a payload that arrives as {"encrypt": …} is decrypted (Feishu sends plaintext over the long connection). */
  encryptKey?: string | undefined
  intake: Intake
  log: Logger
  metrics: Metrics
  restart?: Partial<RestartPolicy>
}

export class LongConnectionError extends Error {
  constructor(
    readonly code: 'LONG_CONNECTION_APP_ID_INVALID',
    message: string,
  ) {
    super(message)
  }
}

/** An ack's payload: the SDK base64-encodes whatever is returned as the callback answer; it must never be empty. */
type Ack = Record<string, unknown>

/**
 * Hands the SDK's merged frame payloads (the raw schema 2.0 envelope) to the bot's own path. The SDK's
 * EventDispatcher would flatten header and event into one object; only its `invoke` is used, overridden.
 */
class InboxDispatcher extends EventDispatcher {
  constructor(
    private readonly receive: (data: unknown) => Promise<Ack>,
    logger: SdkLogger,
  ) {
    super({ logger, loggerLevel: LoggerLevel.warn })
  }

  override invoke(data: unknown): Promise<Ack> {
    return this.receive(data)
  }
}

export class LongConnection {
  private client: WSClient | undefined
  /** Bumped for every client: callbacks of a client already replaced are ignored. */
  private generation = 0
  private state: LongConnectionState = 'idle'
  private reason: string | undefined
  private restarts = 0
  private reconnects = 0
  /** Restarts in a row without a connection in between: the backoff's exponent. */
  private failuresInRow = 0
  private restartTimer: NodeJS.Timeout | undefined
  private connectTimer: NodeJS.Timeout | undefined
  private readonly restartPolicy: RestartPolicy
  private readonly aesKey: Buffer | undefined
  private readonly dispatcher: InboxDispatcher
  private readonly sdkLogger: SdkLogger

  constructor(private readonly opts: LongConnectionOptions) {
    if (!LONG_CONNECTION_APP_ID.test(opts.appId)) {
      throw new LongConnectionError('LONG_CONNECTION_APP_ID_INVALID', `app id "${opts.appId}" is not cli_ + 16 hex digits: node-sdk's WSClient would never connect`)
    }
    this.restartPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, connectTimeoutMs: 30_000, ...opts.restart }
    this.aesKey = opts.encryptKey ? deriveAesKey(opts.encryptKey) : undefined
    this.sdkLogger = sdkLogger(opts.log)
    this.dispatcher = new InboxDispatcher((data) => this.receive(data), this.sdkLogger)
    this.setState('idle', 'not started')
  }

  /** Starts connecting and returns at once (so does WSClient.start); the state says when it is connected. */
  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return
    this.spawn()
  }

  status(): LongConnectionStatus {
    return { state: this.state, reason: this.reason, restarts: this.restarts, reconnects: this.reconnects }
  }

  /** Closes the socket: frames not yet acknowledged are redelivered by Feishu (to another instance, or after a restart). */
  stop(): void {
    this.generation++
    clearTimeout(this.restartTimer)
    clearTimeout(this.connectTimer)
    this.client?.close({ force: true })
    this.client = undefined
    this.setState('stopped', 'stopped')
  }

  private spawn(): void {
    const generation = ++this.generation
    const current = () => generation === this.generation
    this.setState('connecting', 'endpoint discovery and WebSocket handshake under way')
    const client = new WSClient({
      appId: this.opts.appId,
      appSecret: this.opts.appSecret,
      domain: this.opts.domain,
      logger: this.sdkLogger,
      loggerLevel: LoggerLevel.info,
      wsConfig: { pingTimeout: this.opts.pingTimeoutSeconds },
      // A handshake stuck on a proxy or NAT path would otherwise hang the attempt forever.
      handshakeTimeoutMs: 10_000,
      onReady: () => current() && this.connected('long connection established'),
      onReconnected: () => current() && this.connected('long connection re-established'),
      onReconnecting: () => {
        if (!current()) return
        this.reconnects++
        this.opts.metrics.longConnectionReconnects.inc()
        this.opts.log.warn({ reconnects: this.reconnects }, 'long connection dropped: the SDK is reconnecting')
        this.setState('reconnecting', 'the connection dropped; the SDK is reconnecting')
      },
      onError: (err) => current() && this.failed(err),
    })
    this.client = client
    clearTimeout(this.connectTimer)
    this.connectTimer = setTimeout(() => {
      if (current() && this.state === 'connecting') this.failed(new Error(`not connected within ${this.restartPolicy.connectTimeoutMs} ms (code=connect_timeout)`))
    }, this.restartPolicy.connectTimeoutMs)
    this.connectTimer.unref()
    // Resolves as soon as the first attempt is under way (WSClient.start does not wait for the connection).
    void client.start({ eventDispatcher: this.dispatcher }).catch((err: unknown) => current() && this.failed(err instanceof Error ? err : new Error(String(err))))
  }

  private connected(message: string): void {
    clearTimeout(this.connectTimer)
    this.failuresInRow = 0
    this.setState('connected', undefined)
    this.opts.log.info({ restarts: this.restarts, reconnects: this.reconnects }, message)
  }

  /**
   * The SDK stopped this client for good: discovery answered a code other than 1000040343 (1 "system busy",
   * 1000040350 "exceeds connection limit", …) or its retries ran out. Restart a new client after a backoff.
   */
  private failed(err: Error): void {
    const code = /code=(\w+)/.exec(err.message)?.[1] ?? 'other'
    clearTimeout(this.connectTimer)
    const delayMs = Math.min(this.restartPolicy.maxDelayMs, this.restartPolicy.baseDelayMs * 2 ** Math.min(this.failuresInRow, 20))
    this.failuresInRow++
    this.restarts++
    this.opts.metrics.longConnectionRestarts.inc({ code })
    // The SDK's message names the discovery code and Feishu's msg; it carries no secret.
    this.opts.log.warn({ code, error: err.message, restartInMs: delayMs, restarts: this.restarts }, 'long connection stopped by the SDK: restarting it')
    this.setState('failed', `${err.message}; restarting in ${delayMs} ms`)
    this.client?.close({ force: true })
    this.client = undefined
    const generation = this.generation
    this.restartTimer = setTimeout(() => {
      if (generation === this.generation) this.spawn()
    }, delayMs)
    this.restartTimer.unref()
  }

  private setState(state: LongConnectionState, reason: string | undefined): void {
    this.state = state
    this.reason = reason
    for (const s of STATES) this.opts.metrics.longConnectionState.set({ state: s }, s === state ? 1 : 0)
  }

  /**
   * One merged frame. Resolving acknowledges it (code 200, with the result as the callback answer); throwing
   * acknowledges with 500 and Feishu redelivers — done only when the inbox could not commit, as the webhook's 503.
   */
  private async receive(data: unknown): Promise<Ack> {
    const body = this.decode(data)
    if (!body) return this.reject('BODY_MALFORMED', 'frame payload is not a JSON object')
    const normalized = normalizeEnvelope(body)
    if (!normalized.ok) {
      this.opts.metrics.transportEvents.inc({ transport: 'websocket', type: normalized.reason === 'unknown_type' ? 'unknown' : 'malformed' })
      // Unknown types are acknowledged and ignored, as over the webhook. A malformed one would only come back.
      if (normalized.reason === 'unknown_type') return {}
      return this.reject('BODY_MALFORMED', normalized.detail)
    }
    const { update, dedupKey } = normalized
    this.opts.metrics.transportEvents.inc({ transport: 'websocket', type: update.kind })
    try {
      if (update.kind === 'card_action') return { ...(await this.opts.intake.receiveCardAction(update, dedupKey)) }
      await this.opts.intake.receiveEvent(update, dedupKey)
      return {}
    } catch (err) {
      // Refused by the store (bad data): the webhook answers 400; here it is acknowledged, or it would come back forever.
      if (err instanceof WebhookError && err.code === 'BODY_MALFORMED') return this.reject(err.code, err.message)
      throw err
    }
  }

  private decode(data: unknown): Record<string, unknown> | undefined {
    if (!isObj(data)) return undefined
    if (typeof data.encrypt !== 'string') return data
    if (!this.aesKey) return undefined
    try {
      const inner: unknown = JSON.parse(decryptPayload(this.aesKey, data.encrypt))
      return isObj(inner) ? inner : undefined
    } catch {
      return undefined
    }
  }

  private reject(code: string, detail: string): Ack {
    this.opts.metrics.longConnectionRejected.inc({ code })
    this.opts.log.info({ code, detail }, 'long connection frame acknowledged but not taken in')
    return {}
  }
}

/** The SDK's log lines (ids and codes, no payloads at these levels) go to the bot's log; its info is debug here. */
function sdkLogger(log: Logger): SdkLogger {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : String(m))).join(' ')
  return {
    error: (...msg) => log.warn({ source: 'node-sdk' }, text(msg)),
    warn: (...msg) => log.warn({ source: 'node-sdk' }, text(msg)),
    info: (...msg) => log.debug({ source: 'node-sdk' }, text(msg)),
    debug: () => undefined,
    trace: () => undefined,
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
