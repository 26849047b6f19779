// A tiny HTTP load balancer for tests: one address in front of several bot instances, each request sent to the
// next backend in turn (per request, not per connection, so keep-alive clients still alternate). It forwards the
// raw bytes and headers unchanged (the signature covers the body) and counts what each backend served.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export class RoundRobin {
  private server: Server | undefined
  private next = 0
  private readonly sockets = new Set<Socket>()
  /** Requests forwarded to each backend, by index. */
  readonly served: number[]
  url = ''

  constructor(private readonly backends: string[]) {
    if (backends.length === 0) throw new Error('RoundRobin needs at least one backend')
    this.served = backends.map(() => 0)
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.forward(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const i = this.next++ % this.backends.length
    this.served[i]!++
    const target = new URL(req.url ?? '/', this.backends[i])
    // A fresh connection per request (agent: false): a reused keep-alive socket the backend is closing would turn
    // into a 502 that has nothing to do with the bot.
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
      res.end('{"code":"BAD_GATEWAY"}')
    })
    req.pipe(upstream)
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
