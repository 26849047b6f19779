// Configuration: defaults, validation and the documented variables.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('loadConfig', () => {
  it('has working defaults for a bare machine', () => {
    const c = loadConfig({})
    expect(c.port).toBe(3000)
    expect(c.feishu.domain).toBe('https://open.feishu.cn')
    expect(c.databaseUrl).toBeUndefined()
    expect(c.redisUrl).toBeUndefined()
    expect(c.timezone).toBe('Asia/Shanghai')
    expect(c.inbox.retentionHours).toBeGreaterThanOrEqual(8)
    expect(Object.isFrozen(c.feishu)).toBe(true)
  })

  it('parses lists and strips a trailing slash from the domain', () => {
    const c = loadConfig({ UNION_OFFICER_OPEN_IDS: ' ou_a, ou_b ,,', FEISHU_DOMAIN: 'https://open.larksuite.com/' })
    expect(c.union.officerOpenIds).toEqual(['ou_a', 'ou_b'])
    expect(c.feishu.domain).toBe('https://open.larksuite.com')
  })

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc', INBOX_LEASE_SECONDS: '-1' })).toThrow(/PORT.*INBOX_LEASE_SECONDS/)
    expect(() => loadConfig({ INBOX_RETENTION_HOURS: '2' })).toThrow(ConfigError)
  })

  it('reads the setup code and its limits, refusing a short or spaced code and a zero limit', () => {
    expect(loadConfig({}).union.setupLimits).toEqual({ maxWrong: 5, windowMinutes: 15, lockMinutes: 15 })
    expect(loadConfig({ UNION_SETUP_CODE: ' abc123 ' }).union.setupCode).toBe('abc123')
    for (const code of ['12345', 'abc 1234', 'x'.repeat(65)]) expect(() => loadConfig({ UNION_SETUP_CODE: code }), code).toThrow(/UNION_SETUP_CODE/)
    expect(() => loadConfig({ UNION_SETUP_LOCK_MINUTES: '0' })).toThrow(/UNION_SETUP_LOCK_MINUTES/)
  })

  it('refuses a Feishu credential that is set but blank, naming it (a secret that did not mount)', () => {
    for (const name of ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY']) {
      for (const blank of ['', '   ']) {
        // With or without the playground asked for: either way it is a misconfiguration.
        for (const extra of [{}, { PLAYGROUND: '1' }, { FEISHU_APP_ID: 'cli_real', FEISHU_APP_SECRET: 's', [name]: blank }]) {
          const env = { [name]: blank, ...extra }
          expect(() => loadConfig(env), `${name}=${JSON.stringify(blank)} ${JSON.stringify(extra)}`).toThrow(ConfigError)
          expect(() => loadConfig(env)).toThrow(new RegExp(`${name}.*set but empty`))
        }
      }
    }
    expect(() => loadConfig({ FEISHU_APP_ID: '', FEISHU_ENCRYPT_KEY: ' ' })).toThrow(/FEISHU_APP_ID, FEISHU_ENCRYPT_KEY are set but empty/)
  })

  it('implies the playground only on a bare machine: never with any FEISHU_*, DATABASE_URL or REDIS_URL present', () => {
    expect(loadConfig({}).playground).toBe(true)
    const installation = [
      { FEISHU_APP_ID: 'cli_real' },
      { FEISHU_APP_SECRET: 's' },
      { FEISHU_VERIFICATION_TOKEN: 'v' },
      { FEISHU_ENCRYPT_KEY: 'k' },
      { FEISHU_DOMAIN: 'https://open.feishu.cn' },
      { DATABASE_URL: 'postgres://db.internal/union' },
      { REDIS_URL: 'redis://cache.internal:6379' },
      // Present but blank still says "this is an installation": fail closed.
      { DATABASE_URL: '' },
      { REDIS_URL: ' ' },
    ]
    for (const env of installation) {
      expect(loadConfig(env).playground, JSON.stringify(env)).toBe(false)
      expect(loadConfig({ ...env, PLAYGROUND: '1' }).playground, JSON.stringify(env)).toBe(true)
    }
    expect(loadConfig({ PLAYGROUND: '0' }).playground).toBe(false)
    expect(loadConfig({ PLAYGROUND: 'yes' }).playground).toBe(false)
  })

  it('binds the playground to 127.0.0.1 unless HOST is given; the bot otherwise keeps HOST as given', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1')
    expect(loadConfig({ PLAYGROUND: '1', DATABASE_URL: 'postgres://x/y' }).host).toBe('127.0.0.1')
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
    expect(loadConfig({ FEISHU_APP_ID: 'cli_real' }).host).toBeUndefined()
  })

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
    const source = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8')
    const schemaBlock = source.slice(source.indexOf('const envSchema'), source.indexOf('export interface Config'))
    const vars = [...schemaBlock.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!)
    const undocumented = vars.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(example))
    expect(undocumented).toEqual([])
  })

  it('.env.example sets no credential blank, so a copy of it is never refused', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
    const assigned = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]))
    expect(() => loadConfig(assigned)).not.toThrow()
    expect(loadConfig(assigned).playground).toBe(true)
  })
})
