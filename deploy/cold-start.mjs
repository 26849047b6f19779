// Measures cold start: spawn the bot, poll /healthz every 20 ms, report the time to the first 200 (issue #12).
// Usage: node deploy/cold-start.mjs <prod|dev> [runs]   (DATABASE_URL etc. from the environment; PORT is chosen here)
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

const mode = process.argv[2] ?? 'prod'
const runs = Number(process.argv[3] ?? 3)
// prod: exactly `npm run start:prod` (its flags read from package.json); dev: `npm start`'s tsx process.
const prodFlags = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts['start:prod'].split(/\s+/).filter((w) => w.startsWith('--'))
const command = mode === 'prod' ? [process.execPath, ...prodFlags, 'dist/src/main.js'] : [process.execPath, '--import', 'tsx', 'src/main.ts']

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  })
})

const times = []
for (let i = 0; i < runs; i++) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(command[0], command.slice(1), { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', INTERNAL_PORT: '0', ENV_FILE: '' }, stdio: 'ignore' })
  let ms
  while (ms === undefined) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`)
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
    if (ok) ms = performance.now() - started
    else await new Promise((r) => setTimeout(r, 20))
  }
  times.push(Math.round(ms))
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}
console.log(JSON.stringify({ mode, runs: times, medianMs: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] }))
