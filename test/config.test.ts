// Configuration: defaults, validation and the documented variables.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

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

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8')
    const schemaBlock = source.slice(source.indexOf('const envSchema'), source.indexOf('export interface Config'))
    const vars = [...schemaBlock.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!)
    const undocumented = vars.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(example))
    expect(undocumented).toEqual([])
  })
})
