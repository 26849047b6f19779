// A small TCP proxy in front of a real service (Postgres, Redis) so a test can cut and restore the connection
// without disturbing other test files that use the same server.
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export class TcpProxy {
  private server: Server | undefined
  private readonly pairs = new Set<[Socket, Socket]>()
  private down = false
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (this.down) {
        client.destroy()
        return
      }
      const upstream = connect(this.targetPort, this.targetHost)
      const pair: [Socket, Socket] = [client, upstream]
      this.pairs.add(pair)
      const close = () => {
        client.destroy()
        upstream.destroy()
        this.pairs.delete(pair)
      }
      client.on('error', close).on('close', close)
      upstream.on('error', close).on('close', close)
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()))
    this.port = (this.server.address() as AddressInfo).port
    return this.port
  }

  /** Drops every open connection and refuses new ones until restore(). */
  cut(): void {
    this.down = true
    for (const [a, b] of this.pairs) {
      a.destroy()
      b.destroy()
    }
    this.pairs.clear()
  }

  restore(): void {
    this.down = false
  }

  async stop(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }
}
