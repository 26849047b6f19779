// Runs seed scenarios in order against a running bot; a scenario relying on a command the bot lacks fails loudly.
import type { Bot } from '../../src/app.js'
import type { Logger } from '../../src/logger.js'
import type { PlaygroundSession } from '../session.js'
import { SeedDriver } from './driver.js'
import { SCENARIOS, type SeedScenario } from './scenarios.js'

export async function runSeed(session: PlaygroundSession, bot: Bot, log: Logger, scenarios: SeedScenario[] = SCENARIOS): Promise<string[]> {
  const missing = scenarios.flatMap((s) => s.requires.filter((w) => !bot.router.matchCommand(w)).map((w) => `${s.name}: ${w}`))
  if (missing.length) throw new Error(`seed scenarios need commands the bot does not register (${missing.join(', ')})`)
  const driver = new SeedDriver(session, bot)
  const done: string[] = []
  for (const scenario of scenarios) {
    const started = Date.now()
    await scenario.run(driver)
    done.push(scenario.name)
    log.info({ scenario: scenario.name, ms: Date.now() - started }, `playground seed: ${scenario.description}`)
  }
  return done
}
