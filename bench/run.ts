// `npm run bench`: runs every benchmark in bench/ (each file but this one), one after another, each in its own
// process so they do not disturb each other; fails when any of them fails its checks.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort()
let failed = 0
for (const file of benches) {
  console.log(`\n== bench/${file}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], { stdio: 'inherit' })
  if (run.status !== 0) failed++
}
if (failed) {
  console.error(`\n${failed} of ${benches.length} benchmarks failed`)
  process.exitCode = 1
}
