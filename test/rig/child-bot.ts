// Runs the bot as a separate process (`node --import tsx src/main.ts`), so tests can SIGKILL or SIGTERM it.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ChildBot {
  url: string
  process: ChildProcess
  /** Everything the process wrote to stdout (JSON log lines). */
  output(): string
  exited: Promise<number | null>
  kill(signal: NodeJS.Signals): void
}

const root = fileURLToPath(new URL('../..', import.meta.url))

export async function startChildBot(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildBot> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    // ENV_FILE empty: a developer's own .env in the checkout never reaches the child (src/env-file.ts).
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', INTERNAL_PORT: '0', ENV_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child bot did not start in ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs)
    const check = () => {
      // JSON lines, or LOG_FORMAT=pretty's `url=http://…`.
      const m = out.match(/"url":"(http:\/\/[^"]+)"/) ?? out.match(/ url=(http:\/\/\S+)/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`child bot exited with ${code}:\n${out}\n${err}`))
    })
  })
  return { url, process: child, output: () => out + err, exited, kill: (signal) => child.kill(signal) }
}
