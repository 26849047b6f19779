// A local stand-in for Feishu's long-connection endpoint (development tool, not part of the bot): endpoint discovery
// (POST /callback/ws/endpoint) and a WebSocket speaking the SDK's protobuf frames — pong to pings, events pushed as
// data frames, acks decoded, redelivery when no ack comes, cluster delivery to one connected client, terminate and
// discovery failures on demand. Mounted on the fake Open API (one `domain` for both) or on a server of its own.
// Behaviour copied from Feishu: docs/feishu-platform.md#long-connection.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { FRAME_CONTROL, FRAME_DATA, decodeFrame, encodeFrame, headerOf, type Frame } from './long-connection-frames.js'

/** What discovery hands the client (seconds, as Feishu sends them; the SDK multiplies by 1000). */
export interface FakeClientConfig {
  PingInterval: number
  ReconnectCount: number
  ReconnectInterval: number
  ReconnectNonce: number
}

export interface FakeLongConnectionOptions {
  appId: string
  appSecret: string
  /** Short by default so tests see pings, reconnects and redeliveries quickly. */
  clientConfig?: Partial<FakeClientConfig>
  /** Feishu re-pushes an event that is not acknowledged within 3 s (docs/feishu-platform.md#long-connection). */
  redeliverAfterMs?: number
}

export interface PushOptions {
  /** Acks to drop as if lost on the way (the frame is then redelivered). */
  loseAcks?: number
  /** Split the payload over this many frames (sum > 1). */
  fragments?: number
  /** Give up after this many deliveries (default 10). */
  maxAttempts?: number
}

export interface ReceivedAck {
  /** 200, or 500 when the client's handler threw. */
  code: number
  /** The decoded `data` (the card callback answer), when the client sent one. */
  data: unknown
  hasData: boolean
  headers: Record<string, string>
  /** Deliveries it took (1 = acknowledged at the first push). */
  attempts: number
  /** Connection ids that received a delivery of it. */
  deliveredTo: number[]
  /** Acks with a code other than 200 received before (each made Feishu deliver it again). */
  refusals: number
}

type Ack = Omit<ReceivedAck, 'attempts' | 'deliveredTo' | 'refusals'>

interface Pending {
  messageId: string
  lostAcksLeft: number
  refusals: number
  /** Wakes the delivery loop at once when the client refused (code 500): no need to wait for the timeout. */
  refused: () => void
  resolve: (ack: Ack) => void
}

interface Connection {
  id: number
  socket: WebSocket
  serviceId: number
}

export class FakeLongConnection {
  /** Every discovery request's JSON body. */
  readonly discoveries: Array<Record<string, unknown>> = []
  /** Pings received (ids of the connections). */
  readonly pings: number[] = []
  private readonly clientConfig: FakeClientConfig
  private readonly redeliverAfterMs: number
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly connections = new Map<number, Connection>()
  private readonly tickets = new Map<string, number>()
  private readonly pending = new Map<string, Pending>()
  private discoveryFailures: Array<{ code: number; msg: string }> = []
  private nextConnection = 0
  private seq = 0n
  private ownServer: Server | undefined
  private readonly waiters = new Set<() => void>()
  /** When true, pings are not answered (a half-open link as seen from the client). */
  silent = false
  url = ''

  constructor(private readonly opts: FakeLongConnectionOptions) {
    this.clientConfig = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0, ...opts.clientConfig }
    this.redeliverAfterMs = opts.redeliverAfterMs ?? 3000
  }

  /** Serves discovery and the socket on a port of its own (when not mounted on the fake Open API). */
  async start(port = 0): Promise<string> {
    this.ownServer = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        let body: unknown
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          body = undefined
        }
        const answer = req.method === 'POST' && req.url === '/callback/ws/endpoint' ? this.discover(body, String(req.headers.host)) : undefined
        res.writeHead(answer ? answer[0] : 404, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer ? answer[1] : { code: 404, msg: 'no route' }))
      })
    })
    this.ownServer.on('upgrade', (req, socket, head) => {
      if (!this.upgrade(req, socket, head)) socket.destroy()
    })
    await new Promise<void>((resolve) => this.ownServer!.listen(port, '127.0.0.1', () => resolve()))
    this.url = `http://127.0.0.1:${(this.ownServer.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    for (const c of this.connections.values()) c.socket.terminate()
    this.wss.close()
    if (this.ownServer) await new Promise<void>((resolve) => this.ownServer!.close(() => resolve()))
  }

  /** Ids of the connections open now. */
  get connected(): number[] {
    return [...this.connections.keys()]
  }

  /** The next `times` discoveries answer this code (1 = "system busy", 1000040350 = connection limit, …). */
  failDiscovery(code: number, msg: string, times = 1): void {
    for (let i = 0; i < times; i++) this.discoveryFailures.push({ code, msg })
  }

  /**
   * POST /callback/ws/endpoint: checks the credentials and answers a one-time socket URL and the client config.
   * Returns undefined for any other request (so a host server routes it on).
   */
  route(method: string, path: string, body: unknown, host: string): [number, unknown] | undefined {
    if (method !== 'POST' || path !== '/callback/ws/endpoint') return undefined
    return this.discover(body, host)
  }

  private discover(body: unknown, host: string): [number, unknown] {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
    this.discoveries.push(b)
    const failure = this.discoveryFailures.shift()
    if (failure) return [200, { code: failure.code, msg: failure.msg, data: {} }]
    if (b.AppID !== this.opts.appId || b.AppSecret !== this.opts.appSecret) return [200, { code: 514, msg: 'auth failed', data: {} }]
    const ticket = randomBytes(8).toString('hex')
    const serviceId = 1000 + this.tickets.size
    this.tickets.set(ticket, serviceId)
    // service_id is not the first query key: the SDK reads it with qs.parse on the whole URL (the first key gets
    // the `ws://host/path?` prefix glued on), as real URLs also have it later.
    const url = `ws://${host}/ws/v2?fpid=9&aid=${encodeURIComponent(this.opts.appId)}&device_id=dev_${ticket}&access_key=${ticket}&service_id=${serviceId}&ticket=${ticket}`
    return [200, { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.clientConfig } }]
  }

  /** Takes a WebSocket upgrade for the socket URL handed out by discovery; false for any other path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (url.pathname !== '/ws/v2') return false
    const ticket = url.searchParams.get('ticket') ?? ''
    const serviceId = this.tickets.get(ticket)
    if (serviceId === undefined) {
      // Feishu refuses a stale or unknown ticket at the handshake (Handshake-Status, as read by the Go SDK).
      socket.end('HTTP/1.1 403 Forbidden\r\nHandshake-Status: 403\r\nHandshake-Msg: invalid ticket\r\n\r\n')
      return true
    }
    this.tickets.delete(ticket)
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, serviceId))
    return true
  }

  private accept(socket: WebSocket, serviceId: number): void {
    const id = ++this.nextConnection
    this.connections.set(id, { id, socket, serviceId })
    socket.on('message', (data: Buffer) => this.onFrame(id, data))
    socket.on('close', () => this.connections.delete(id))
    socket.on('error', () => undefined)
    this.wake()
  }

  private onFrame(connection: number, data: Buffer): void {
    let frame: Frame
    try {
      frame = decodeFrame(data)
    } catch {
      return
    }
    const type = headerOf(frame, 'type')
    if (frame.method === FRAME_CONTROL && type === 'ping') {
      this.pings.push(connection)
      this.wake()
      if (this.silent) return
      const pong: Frame = { seqId: 0n, logId: 0n, service: frame.service, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'pong' }], payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)) }
      this.connections.get(connection)?.socket.send(encodeFrame(pong))
      return
    }
    if (frame.method !== FRAME_DATA) return
    // An ack: the pushed frame sent back with biz_rt added and {"code", "data"?} as payload.
    const messageId = headerOf(frame, 'message_id')
    const pending = messageId ? this.pending.get(messageId) : undefined
    if (!pending) return
    if (pending.lostAcksLeft > 0) {
      pending.lostAcksLeft--
      return
    }
    let payload: { code?: number; data?: string } = {}
    try {
      payload = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as typeof payload
    } catch {
      payload = {}
    }
    const hasData = typeof payload.data === 'string'
    let decoded: unknown
    if (hasData) {
      try {
        decoded = JSON.parse(Buffer.from(payload.data!, 'base64').toString('utf8'))
      } catch {
        decoded = payload.data
      }
    }
    const code = Number(payload.code)
    // Not 200 (the client's handler threw): Feishu takes it as not delivered and pushes it again.
    if (code !== 200) {
      pending.refusals++
      pending.refused()
      return
    }
    this.pending.delete(pending.messageId)
    pending.resolve({ code, data: decoded, hasData, headers: Object.fromEntries(frame.headers.map((h) => [h.key, h.value])) })
  }

  /**
   * Pushes an event (a schema 2.0 envelope; card callbacks too, as `card.action.trigger` events) to one connected
   * client chosen at random, as Feishu does, and resolves with its ack. Without an ack in time it is delivered again,
   * with the same message_id, to whichever client is connected then.
   */
  async push(envelope: unknown, opts: PushOptions = {}): Promise<ReceivedAck> {
    const messageId = `msg_${randomBytes(8).toString('hex')}`
    const traceId = randomBytes(8).toString('hex')
    const bytes = new TextEncoder().encode(JSON.stringify(envelope))
    const parts = Math.max(1, opts.fragments ?? 1)
    const size = Math.ceil(bytes.length / parts)
    const deliveredTo: number[] = []
    let acked: Ack | undefined
    let wakeRefused: () => void = () => undefined
    const pending: Pending = { messageId, lostAcksLeft: opts.loseAcks ?? 0, refusals: 0, refused: () => wakeRefused(), resolve: () => undefined }
    const ackPromise = new Promise<Ack>((resolve) => {
      pending.resolve = resolve
      this.pending.set(messageId, pending)
    }).then((a) => (acked = a))
    const maxAttempts = opts.maxAttempts ?? 10
    try {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const connection = await this.pick()
        deliveredTo.push(connection.id)
        const seqId = ++this.seq
        for (let i = 0; i < parts; i++) {
          const frame: Frame = {
            seqId,
            logId: seqId,
            service: connection.serviceId,
            method: FRAME_DATA,
            headers: [
              { key: 'type', value: 'event' },
              { key: 'message_id', value: messageId },
              { key: 'sum', value: String(parts) },
              { key: 'seq', value: String(i) },
              { key: 'trace_id', value: traceId },
            ],
            payload: bytes.subarray(i * size, (i + 1) * size),
          }
          connection.socket.send(encodeFrame(frame))
        }
        const refusedNow = new Promise<void>((r) => (wakeRefused = r))
        const timeout = new Promise<void>((r) => setTimeout(r, this.redeliverAfterMs))
        await Promise.race([ackPromise, timeout, refusedNow.then(() => new Promise((r) => setTimeout(r, Math.min(200, this.redeliverAfterMs))))])
        if (acked) return { ...acked, attempts: attempt, deliveredTo, refusals: pending.refusals }
      }
      throw new Error(`fake long connection: ${messageId} not acknowledged after ${maxAttempts} deliveries`)
    } finally {
      this.pending.delete(messageId)
    }
  }

  /** Drops every socket from the server's side (a Feishu gateway restart): clients must reconnect. */
  terminateAll(): void {
    for (const c of this.connections.values()) c.socket.terminate()
  }

  /** Resolves once at least `n` sockets are open. */
  async waitForConnections(n: number, timeoutMs = 10_000): Promise<void> {
    await this.until(() => this.connections.size >= n, timeoutMs, `${n} connection(s)`)
  }

  /** Resolves when `predicate` holds (checked on every connection and ping, and every 20 ms). */
  async until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return
        cleanup()
        resolve()
      }
      const poll = setInterval(check, 20)
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`fake long connection: no ${what} within ${timeoutMs} ms`))
      }, timeoutMs)
      const cleanup = () => {
        clearInterval(poll)
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
    })
  }

  private async pick(): Promise<Connection> {
    await this.waitForConnections(1, 30_000)
    const open = [...this.connections.values()]
    return open[Math.floor(Math.random() * open.length)]!
  }

  private wake(): void {
    for (const w of [...this.waiters]) w()
  }
}
