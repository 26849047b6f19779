// Reads `.env` at start (issue #12): never required, and a variable already in the environment wins over the file.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEnv } from 'node:util'

export interface EnvFileResult {
  /** The file read, or undefined when there was none (or ENV_FILE was set empty). */
  readonly path: string | undefined
  /** Names taken from the file. */
  readonly loaded: readonly string[]
  /** Names in the file that the environment already set, so the file's value was not used. */
  readonly overridden: readonly string[]
}

/**
 * Loads `ENV_FILE` (default `.env` in the working directory) into `env`. An empty `ENV_FILE` reads no file (the tests
 * start child processes that way, so a developer's own .env cannot leak into them). A missing file is not an error.
 * Node's own parser (util.parseEnv, the one behind `--env-file` and process.loadEnvFile) reads it.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): EnvFileResult {
  const named = env.ENV_FILE
  if (named !== undefined && named.trim() === '') return { path: undefined, loaded: [], overridden: [] }
  const path = resolve(cwd, named?.trim() || '.env')
  if (!existsSync(path)) return { path: undefined, loaded: [], overridden: [] }
  const parsed = parseEnv(readFileSync(path, 'utf8'))
  const loaded: string[] = []
  const overridden: string[] = []
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] !== undefined) overridden.push(name)
    else {
      env[name] = value
      loaded.push(name)
    }
  }
  return { path, loaded, overridden }
}
