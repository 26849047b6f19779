// `npm run doctor`: reads .env and the configuration as the bot would, runs the set-up doctor, prints the checklist
// and exits 1 when any check failed (so it can gate a deployment).
import { ConfigError, loadConfig } from './config.js'
import { runDoctor, formatChecklist } from './doctor.js'
import { loadEnvFile } from './env-file.js'

loadEnvFile()
let config
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stdout.write(`[FAIL] 配置 / configuration: ${err.message}\n`)
  process.exit(1)
}
const checks = await runDoctor(config)
process.stdout.write(formatChecklist(checks))
process.exit(checks.some((c) => c.status === 'fail') ? 1 : 0)
