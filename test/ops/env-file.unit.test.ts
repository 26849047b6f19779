// `.env` at start (issue #12): read when present, never required, and the environment wins over the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadEnvFile } from '../../src/env-file.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unionbot-env-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('loadEnvFile', () => {
  it('sets what the environment lacks from ./.env, keeps what the environment has, and parses quotes and comments', () => {
    writeFileSync(join(dir, '.env'), '# a comment\nUNION_ADMIN_CHAT_ID=oc_from_file\nLOG_LEVEL=debug\nQUOTED="two words"\nEMPTY=\n')
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' }
    const result = loadEnvFile(env, dir)
    expect(result.path).toBe(join(dir, '.env'))
    expect(env).toEqual({ LOG_LEVEL: 'warn', UNION_ADMIN_CHAT_ID: 'oc_from_file', QUOTED: 'two words', EMPTY: '' })
    expect([...result.loaded].sort()).toEqual(['EMPTY', 'QUOTED', 'UNION_ADMIN_CHAT_ID'])
    expect(result.overridden).toEqual(['LOG_LEVEL'])
  })

  it('an environment variable set to the empty string still wins (it is set)', () => {
    writeFileSync(join(dir, '.env'), 'FEISHU_APP_ID=cli_from_file\n')
    const env: NodeJS.ProcessEnv = { FEISHU_APP_ID: '' }
    loadEnvFile(env, dir)
    expect(env.FEISHU_APP_ID).toBe('')
  })

  it('is not required: no file, nothing read and nothing changed', () => {
    const env: NodeJS.ProcessEnv = { A: '1' }
    expect(loadEnvFile(env, dir)).toEqual({ path: undefined, loaded: [], overridden: [] })
    expect(env).toEqual({ A: '1' })
  })

  it('reads the file ENV_FILE names (relative to the working directory), and none when ENV_FILE is empty', () => {
    writeFileSync(join(dir, '.env'), 'FROM=default\n')
    writeFileSync(join(dir, 'prod.env'), 'FROM=named\n')
    const named: NodeJS.ProcessEnv = { ENV_FILE: 'prod.env' }
    expect(loadEnvFile(named, dir).path).toBe(join(dir, 'prod.env'))
    expect(named.FROM).toBe('named')
    const none: NodeJS.ProcessEnv = { ENV_FILE: '' }
    expect(loadEnvFile(none, dir).path).toBeUndefined()
    expect(none.FROM).toBeUndefined()
  })
})
