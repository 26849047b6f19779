// Talks to a child process's V8 inspector (started with --inspect=127.0.0.1:0) to force a full GC and read the
// live heap: memory figures without garbage noise, and without any debug hook in the bot's own code.
import WebSocket from 'ws'

export class InspectorClient {
  private id = 0
  private readonly pending = new Map<number, (result: unknown) => void>()

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown }
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg.result)
    })
  }

  static async connect(wsUrl: string): Promise<InspectorClient> {
    const socket = new WebSocket(wsUrl)
    await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject))
    return new InspectorClient(socket)
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.id
    return new Promise<T>((resolve) => {
      this.pending.set(id, (r) => resolve(r as T))
      this.socket.send(JSON.stringify({ id, method, params }))
    })
  }

  /** Live heap in MiB after a full garbage collection. */
  async liveHeapMiB(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage')
    const usage = await this.send<{ usedSize: number }>('Runtime.getHeapUsage')
    return Math.round((usage.usedSize / 1024 / 1024) * 10) / 10
  }

  close(): void {
    this.socket.close()
  }
}

/** The inspector's WebSocket URL from a child's stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(output: string): string | undefined {
  return output.match(/Debugger listening on (ws:\/\/\S+)/)?.[1]
}
