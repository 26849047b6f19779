// Security review F11: half-sent requests are closed by the server's timeouts, connections are capped, and an
// aborted request leaves a structured log line instead of a stack trace on stderr.
import { connect, type Socket } from 'node:net'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { startTestBot, type TestBot } from '../rig/test-bot.js'

let db: TestDatabase
let t: TestBot
const logLines: Array<Record<string, unknown>> = []

beforeAll(async () => {
  db = await createTestDatabase()
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
      done()
    },
  })
  t = await startTestBot({
    db,
    env: { HTTP_BODY_TIMEOUT_MS: '500', HTTP_HEADERS_TIMEOUT_MS: '800', HTTP_REQUEST_TIMEOUT_MS: '1500' },
    botOptions: { logger: pino({ level: 'debug' }, sink) },
  })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

interface Held {
  socket: Socket
  /** Resolves with everything the server sent once it closed the connection. */
  closed: Promise<string>
}

function open(url: string, firstBytes: string): Promise<Held> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(firstBytes)
      resolve({ socket, closed })
    })
    let received = ''
    socket.on('data', (d) => (received += d.toString()))
    socket.on('error', () => undefined)
    const closed = new Promise<string>((r) => socket.on('close', () => r(received)))
    socket.once('error', reject)
  })
}

const halfBody = 'POST /feishu/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"encrypt":"'
const halfHeaders = 'POST /feishu/events HTTP/1.1\r\nHost: bot\r\nContent-Le'

describe('slow clients', () => {
  it('closes 60 half-sent requests (30 bodies, 30 header blocks) by its timeouts while /healthz keeps answering', async () => {
    const held = await Promise.all([...Array.from({ length: 30 }, () => open(t.url, halfBody)), ...Array.from({ length: 30 }, () => open(t.url, halfHeaders))])
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
    const answers = await Promise.all(held.map((h) => h.closed))
    // Late bodies get our 408 (BODY_TIMEOUT); late header blocks get Node's 408 from the headers timeout.
    for (const a of answers.slice(0, 30)) {
      expect(a).toMatch(/^HTTP\/1\.1 408/)
      expect(a).toContain('BODY_TIMEOUT')
    }
    for (const a of answers.slice(30)) expect(a).toMatch(/^HTTP\/1\.1 408/)
    expect(logLines.filter((l) => l.code === 'BODY_TIMEOUT')).toHaveLength(30)
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  })

  it('logs a request aborted mid-body as one structured line, and prints nothing on stderr', async () => {
    const stderr: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(String(chunk))
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stderr.write)
    const consoleError = vi.spyOn(console, 'error')
    try {
      const before = logLines.length
      // A chunk-size line that is not hex: the HTTP parser fails in the middle of the body ("Parse Error").
      const h = await open(t.url, 'POST /feishu/events HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\nZZ\r\n')
      await h.closed
      for (let i = 0; i < 100 && !logLines.slice(before).some((l) => l.msg === 'http connection error'); i++) await new Promise((r) => setTimeout(r, 20))
      const line = logLines.slice(before).find((l) => l.msg === 'http connection error')
      expect(line).toMatchObject({ level: 20, path: '/feishu/events' })
      expect(typeof line!.code).toBe('string')
      expect(stderr.join('')).toBe('')
      expect(consoleError).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
      consoleError.mockRestore()
    }
  })
})

describe('connection cap', () => {
  it('drops connections over HTTP_MAX_CONNECTIONS and serves again once they are gone', async () => {
    const capped = await startTestBot({ db, fake: t.fake, env: { HTTP_MAX_CONNECTIONS: '5' } })
    try {
      const held = await Promise.all(Array.from({ length: 5 }, () => open(capped.url, 'GET /healthz HTTP/1.1\r\nHost: bot\r\n')))
      const over = await open(capped.url, 'GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n')
      expect(await over.closed).toBe('')
      for (const h of held) h.socket.destroy()
      await Promise.all(held.map((h) => h.closed))
      expect((await fetch(`${capped.url}/healthz`)).status).toBe(200)
    } finally {
      await capped.stop()
    }
  })
})
